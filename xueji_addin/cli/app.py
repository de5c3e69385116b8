"""The shared typer app, console and error handling of every command."""

from __future__ import annotations

import importlib
import warnings

import typer

from xueji_addin.cli.chrome import ChineseTyper, usage_error_text
from xueji_addin.cli.plain import PlainConsole, styled
from xueji_addin.gc_pause import gc_paused
from xueji_addin.spec.settings import SettingsError
from xueji_addin.workbook.atomic import WriteError, one_run
from xueji_addin.workbook.reader import ReadError

app = ChineseTyper(
    name="xueji",
    help="学籍助手：检查、修正、拆分、合并和打印学生基础信息表（全国中小学生学籍模板）。",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)


@app.callback()
def _group() -> None:
    # A callback keeps ``xueji`` a group of commands even when only one command's module is loaded
    # (its help is the app's ``help`` above).
    pass


# Each command's module. Running a command imports only its own module, so a fresh ``xueji validate``
# does not pay for openpyxl, the template and the print layout (start-up is much of a check's time).
COMMAND_MODULES = {
    "validate": "validate", "fix": "validate", "demo": "validate",
    "rules": "rules_cmd", "schema": "rules_cmd", "summary": "tables", "template": "template", "dropdowns": "template",
    "split": "registrar", "merge": "registrar", "import": "registrar", "export": "registrar",
    "print": "print_cmd", "diff": "diff_cmd",  # (the order of the help's command list)
}


def load_commands(argv: list[str] | None = None) -> typer.Typer:
    """Register the command named in ``argv`` (every command when none is named, as for --help)."""
    name = next((a for a in argv if not a.startswith("-")), None) if argv else None
    modules = [COMMAND_MODULES[name]] if name in COMMAND_MODULES else list(dict.fromkeys(COMMAND_MODULES.values()))
    with gc_paused(kept=True):  # modules live to the end: the collector need not walk them as they are built
        for module in modules:
            importlib.import_module(f"xueji_addin.cli.{module}")
    return app


console = PlainConsole()  # text from files is printed as text (plain.py)
err_console = PlainConsole(stderr=True)

EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE = 0, 1, 2
USER_ERRORS = (ReadError, SettingsError, WriteError)
# click's usage errors. Newer typer carries its own copy of click (typer._click), so ``import click``
# may give another package whose exceptions typer never raises: take the class from typer's own.
_CLICK_ERROR = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")


def fail(message: str) -> typer.Exit:
    """Print a one-line reason and return the exit for unusable input (raise it)."""
    err_console.print(styled("无法完成：", "bold red") + str(message))
    return typer.Exit(EXIT_UNUSABLE)


def run(argv: list[str]) -> int:
    """Run the app; never let a traceback reach the user."""
    try:
        return _run(argv)
    finally:
        console.stderr = False  # a ``--json -`` run sent the human text to stderr: the next starts afresh


def _run(argv: list[str]) -> int:
    try:
        load_commands(argv)
        # Library warnings (openpyxl's "extension not supported" …) print source paths, not help; and
        # they may quote a file's content. Without standalone mode click returns an Exit's code.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with one_run():  # the output-path guard: no output over an input or another output
                result = app(argv, standalone_mode=False)
        return result if isinstance(result, int) else EXIT_OK
    except typer.Exit as e:
        return e.exit_code
    except USER_ERRORS as e:
        err_console.print(styled("无法完成：", "bold red") + str(e))
        return EXIT_UNUSABLE
    except SystemExit as e:  # click's own usage errors
        return int(e.code or 0)
    except KeyboardInterrupt:
        err_console.print("已取消。")
        return 130
    except Exception as e:  # click usage errors and anything unforeseen: one sentence, no data
        if e.__class__.__name__ == "NoArgsIsHelpError":  # ``xueji`` alone: the help is printed already
            return EXIT_OK
        if isinstance(e, _CLICK_ERROR):
            show_usage_error(e)
            return EXIT_UNUSABLE
        if isinstance(e, typer.Abort):
            return 130
        if isinstance(e, MemoryError):
            err_console.print(styled("无法完成：", "bold red") + "内存不足，文件太大；请按学校或班级拆分后再试。")
            return EXIT_UNUSABLE
        err_console.print(styled(f"程序内部错误（{type(e).__name__}）", "bold red") + "：请把命令和出错的步骤告诉维护人员（不要附带学生数据）。")
        return EXIT_UNUSABLE


def show_usage_error(e: Exception) -> None:
    """A usage error as click shows it (usage line, where the help is), in Chinese."""
    ctx = getattr(e, "ctx", None)
    if ctx is not None:
        err_console.print(ctx.get_usage())
        err_console.print(f"用 {ctx.command_path} --help 查看帮助。")
    err_console.print(styled("无法完成：", "bold red") + f"{usage_error_text(e)}")
