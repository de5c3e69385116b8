"""The shared typer app, console and error handling of every command."""

from __future__ import annotations

import warnings

import typer
from rich.console import Console

from xueji_addin.spec.settings import SettingsError
from xueji_addin.workbook.atomic import WriteError
from xueji_addin.workbook.reader import ReadError

app = typer.Typer(
    name="xueji",
    help="学籍助手：检查、修正、拆分、合并和打印学生基础信息表（全国中小学生学籍模板）。",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)
console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)

EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE = 0, 1, 2
USER_ERRORS = (ReadError, SettingsError, WriteError)


def fail(message: str) -> typer.Exit:
    """Print a one-line reason and return the exit for unusable input (raise it)."""
    err_console.print(f"[bold red]无法完成：[/]{message}")
    return typer.Exit(EXIT_UNUSABLE)


def run(argv: list[str]) -> int:
    """Run the app; never let a traceback reach the user."""
    try:
        # Library warnings (openpyxl's "extension not supported" …) print source paths, not help; and
        # they may quote a file's content. Without standalone mode click returns an Exit's code.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = app(argv, standalone_mode=False)
        return result if isinstance(result, int) else EXIT_OK
    except typer.Exit as e:
        return e.exit_code
    except USER_ERRORS as e:
        err_console.print(f"[bold red]无法完成：[/]{e}")
        return EXIT_UNUSABLE
    except SystemExit as e:  # click's own usage errors
        return int(e.code or 0)
    except KeyboardInterrupt:
        err_console.print("已取消。")
        return 130
    except Exception as e:  # click usage errors and anything unforeseen: one sentence, no data
        import click

        if isinstance(e, click.exceptions.ClickException):
            e.show()
            return EXIT_UNUSABLE
        if isinstance(e, click.exceptions.Abort):
            return 130
        if isinstance(e, MemoryError):
            err_console.print("[bold red]无法完成：[/]内存不足，文件太大；请按学校或班级拆分后再试。")
            return EXIT_UNUSABLE
        err_console.print(f"[bold red]程序内部错误（{type(e).__name__}）[/]：请把命令和出错的步骤告诉维护人员（不要附带学生数据）。")
        return EXIT_UNUSABLE
