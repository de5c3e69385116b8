from xueji_addin.cli import main

if __name__ == "__main__":
    main()
