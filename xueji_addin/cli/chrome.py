"""The Chinese chrome of the command line: what typer and click print around our own help texts
(usage line, panel titles, [必填] / [默认：…], type tags, the --help line) and their usage errors.

Only the libraries' own hooks are used: typer's rich panel titles and tags are module settings of
``typer.rich_utils`` (set when a help is printed); the usage prefix comes from the context's ``formatter_class``; the metavars,
``options_metavar`` / ``subcommand_metavar`` and the help option's text are attributes of click's
command and parameter objects, set once when a command is built. Usage errors are told by their
class and attributes (which option, which argument), not by parsing click's English.
"""

from __future__ import annotations

from difflib import get_close_matches
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

_PANEL_TEXTS = {
    "ARGUMENTS_PANEL_TITLE": "参数", "OPTIONS_PANEL_TITLE": "选项", "COMMANDS_PANEL_TITLE": "命令",
    "ERRORS_PANEL_TITLE": "错误", "DEFAULT_STRING": "[默认：{}]", "REQUIRED_LONG_STRING": "[必填]",
    "ENVVAR_STRING": "[环境变量：{}]", "DEPRECATED_STRING": "（已停用）", "ABORTED_TEXT": "已取消。",
    "RICH_HELP": "用 [blue]{command_path} {help_option}[/] 查看帮助。",
}


def chinese_panels() -> None:
    """typer's help panels in Chinese. Set when a help is about to be printed, the only time typer
    imports its rich_utils (with rich's markdown: a tenth of a second of every command's start)."""
    from typer import rich_utils

    for name, text in _PANEL_TEXTS.items():
        setattr(rich_utils, name, text)

HELP_TEXT = "显示本帮助并退出。"
# A switch is given alone; "--mask true" would otherwise make "true" a file to check.
_SWITCH_WORDS = {"true", "false", "yes", "no", "on", "off", "1", "0", "是", "否", "t", "f", "y", "n"}

_Context = TyperCommand.context_class


class _ChineseFormatter(_Context.formatter_class):  # type: ignore[misc,name-defined]
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "用法：" if prefix is None else prefix)


class _ChineseContext(_Context):  # type: ignore[misc,valid-type]
    formatter_class = _ChineseFormatter


def value_label(param: Any) -> str | None:
    """The Chinese tag of a parameter's value in the help (None for a switch)."""
    if getattr(param, "is_flag", False):
        return None
    annotation = str(getattr(getattr(param, "type_descriptor", None), "annotation", ""))
    if "Path" in annotation:
        return "文件夹" if param.name and param.name.endswith("dir") else "文件"
    if "int" in annotation or "float" in annotation:
        return "数字"
    return "文字"


class _Chinese:
    """What our group and commands share: the Chinese context, metavars and --help line."""

    context_class = _ChineseContext

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.options_metavar = "[选项]"
        for param in self.params:  # type: ignore[attr-defined]
            label = value_label(param)
            if isinstance(param, typer.core.TyperArgument):
                param.metavar = label  # the usage line and "缺少参数 文件"
            # typer prints an argument's type tag (<path>) even when it has a metavar: give it ours.
            param.display_type_rich = lambda ctx, label=label: f"<{label}>" if label else None

    def format_help(self, ctx: Any, formatter: Any) -> None:
        chinese_panels()
        super().format_help(ctx, formatter)  # type: ignore[misc]

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = HELP_TEXT
            option.display_type_rich = lambda ctx: None
        return option

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        switches = {o for p in self.params if getattr(p, "is_flag", False) for o in p.opts}  # type: ignore[attr-defined]
        for option, value in zip(args, args[1:]):
            if option in switches and value.lower() in _SWITCH_WORDS and not Path(value).exists():
                ctx.fail(f"{option} 是开关，直接写 {option} 就表示要这样做，后面不要跟“{value}”。")
        return super().parse_args(ctx, args)  # type: ignore[misc]


class ChineseCommand(_Chinese, TyperCommand):
    pass


class ChineseGroup(_Chinese, TyperGroup):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.subcommand_metavar = "命令 [参数]..."

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            near = get_close_matches(name, self.list_commands(ctx))
            ctx.fail(f"没有“{name}”这个命令" + (f"，是不是要用 {'、'.join(near)}？" if near else "。"))
        return super().resolve_command(ctx, args)


class ChineseTyper(typer.Typer):
    """A typer app whose commands are ``ChineseCommand``s."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cls=ChineseGroup, **kwargs)

    def command(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("cls", ChineseCommand)
        return super().command(*args, **kwargs)


def _hint(e: Any) -> str:
    param = getattr(e, "param", None)
    if getattr(e, "param_hint", None):
        hint = e.param_hint
        return " / ".join(hint) if isinstance(hint, (list, tuple)) else str(hint)
    if param is None:
        return ""
    return " / ".join(param.opts) if param.param_type_name == "option" else (param.metavar or param.name)


def usage_error_text(e: Any) -> str:
    """One Chinese sentence for a click usage error, told by its class."""
    kind, message = type(e).__name__, str(getattr(e, "message", ""))
    if kind == "NoSuchOption":
        near = sorted(getattr(e, "possibilities", None) or ())
        return f"没有 {e.option_name} 这个选项" + (f"，是不是要用 {'、'.join(near)}？" if near else "。")
    if kind == "BadOptionUsage":
        if "does not take a value" in message:
            return f"{e.option_name} 是开关，后面不跟值。"
        return f"{e.option_name} 后面要跟一个值。"
    if kind == "MissingParameter":
        what = "选项" if getattr(getattr(e, "param", None), "param_type_name", "") == "option" else "参数"
        return f"缺少{what} {_hint(e)}。"
    if kind == "BadParameter" and getattr(e, "param", None) is not None:
        return f"{_hint(e)} 的值不对：应填{value_label(e.param) or '开关'}。"  # the message is pydantic's English
    if message.startswith("Got unexpected extra argument"):
        return f"多出了参数 {message.rpartition('(')[2].rstrip(')')}；这个命令不需要它们。"
    if message.startswith("Missing command"):
        return "缺少命令。"
    return message
