"""The 学籍助手 ribbon: each button id maps to ONE action; the VBA callback ``XuejiOnAction``
calls ``on_action(control.ID)``.

Whatever goes wrong reaches the teacher as one Chinese sentence in a message box, never as a
Python traceback. The dispatch itself (``run``) takes any Host and any UI, so the tests drive
every button on real workbook files.
"""

from __future__ import annotations

import inspect
import webbrowser
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from xueji_addin.actions import autofix, check_sheet, help_page, settings_sheet
from xueji_addin.spec.settings import Settings, SettingsError, load_settings
from xueji_addin.workbook.atomic import WriteError
from xueji_addin.workbook.host import Host
from xueji_addin.workbook.reader import ReadError

TITLE = "学籍助手"

# Button id (customUI14.xml) → the action it runs. One entry per button, one button per entry
# (a test holds the ribbon XML and this table to each other).
BUTTONS: dict[str, Callable[..., Any]] = {
    "XuejiValidateSheet": check_sheet.validate_sheet,       # 校验本表
    "XuejiValidateSelection": check_sheet.validate_selection,  # 校验选中行
    "XuejiClearMarks": check_sheet.clear_sheet,             # 清除标记
    "XuejiAutoFix": autofix.autofix_sheet,                  # 自动修正
    "XuejiUndoFix": autofix.undo_fixes,                     # 撤销修正
    "XuejiSettings": settings_sheet.open_or_save_settings,  # 设置
    "XuejiHelp": help_page.show_help,                     # 帮助
}

# What the user can fix themselves: the exception's text is already a Chinese sentence for them.
USER_ERRORS = (ReadError, SettingsError, WriteError, FileNotFoundError, LookupError, PermissionError)


class UI(Protocol):
    def message(self, text: str, *, error: bool = False) -> None: ...
    def open(self, path: Path) -> None: ...


def message_of(result: object) -> str:
    if isinstance(result, str):
        return result
    summary = getattr(result, "summary", None)
    return summary() if callable(summary) else "已完成。"


def run(control_id: str, host: Host, ui: UI, base: Settings | None = None) -> str:
    """Run the button's action on ``host`` and tell the user how it went; returns the message."""
    action = BUTTONS.get(control_id)
    if action is None:
        text = f"按钮“{control_id}”没有对应的功能，请重新安装学籍助手插件。"
        ui.message(text, error=True)
        return text
    try:
        kwargs = {"base": base} if "base" in inspect.signature(action).parameters else {}
        result = action(host, **kwargs)
        path = getattr(result, "path", None)
        if isinstance(path, Path) and path.suffix == ".html":
            ui.open(path)
        text = message_of(result)
        ui.message(text)
        return text
    except USER_ERRORS as e:
        text = str(e) if str(e) else "操作没有完成，请检查文件后再试。"
    except Exception as e:  # noqa: BLE001 - the teacher must never see a traceback
        text = (f"学籍助手出错了（{type(e).__name__}），表格没有被改坏。"
                "请保存文件后重试；若仍出错，请把这句话告诉学籍管理员。")
    ui.message(text, error=True)
    return text


def base_settings(folder: Path | None) -> Settings | None:
    """``xueji.toml`` beside the workbook, when there is one (the settings sheet goes over it)."""
    if folder is None or not (folder / "xueji.toml").is_file():
        return None
    return load_settings(folder / "xueji.toml")


class ExcelUI:
    """Message boxes through Excel itself; pages open in the default browser."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def message(self, text: str, *, error: bool = False) -> None:
        self.app.alert(text, title=TITLE, mode="critical" if error else "info")

    def open(self, path: Path) -> None:
        webbrowser.open(path.as_uri())


def on_action(control_id: str) -> None:
    """Entry point for the VBA callback: ``RunPython "...ribbon.on_action('<id>')"``."""
    from xueji_addin.excel.host import ExcelHost

    host = ExcelHost.caller()
    ui = ExcelUI(host.book.app)
    try:
        base = base_settings(host.folder)
    except SettingsError as e:
        ui.message(str(e), error=True)
        return
    with host.quiet():
        text_and_ui = _Deferred(ui)
        run(control_id, host, text_and_ui, base)
    text_and_ui.flush()


class _Deferred:
    """Holds the message until the screen is redrawn (a box shown while Excel is frozen looks hung)."""

    def __init__(self, ui: UI) -> None:
        self.ui = ui
        self.pending: list[tuple[str, bool]] = []
        self.pages: list[Path] = []

    def message(self, text: str, *, error: bool = False) -> None:
        self.pending.append((text, error))

    def open(self, path: Path) -> None:
        self.pages.append(path)

    def flush(self) -> None:
        for page in self.pages:
            self.ui.open(page)
        for text, error in self.pending:
            self.ui.message(text, error=error)
