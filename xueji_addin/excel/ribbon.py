"""The 学籍助手 ribbon: each button id maps to ONE action; the VBA callback ``XuejiOnAction``
calls ``on_action(control.ID)``.

Whatever goes wrong reaches the teacher as one Chinese sentence in a message box, never as a
Python traceback. The dispatch itself (``run``) takes any Host and any UI, so the tests drive
every button on real workbook files.
"""

from __future__ import annotations

import inspect
import os
import subprocess
import webbrowser
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from xueji_addin.actions import (
    autofix, check_sheet, dropdowns, export, help_page, merge, print_class, settings_sheet, signed, split, summary,
)
from xueji_addin.excel import host as excel_host
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
    "XuejiRefreshDropdowns": dropdowns.refresh_active,      # 刷新下拉
    "XuejiSplitClasses": split.split_active,                # 拆分班级
    "XuejiMergeClasses": merge.merge_folder,                # 合并班级文件 (asks for the folder)
    "XuejiPrintClass": print_class.print_active,            # 打印本班确认表
    "XuejiCheckSigned": signed.check_signed_active,         # 核对签字版
    "XuejiExport": export.export_active,                    # 导出上报文件
    "XuejiSummary": summary.summary_active,                 # 统计表
    "XuejiSettings": settings_sheet.open_or_save_settings,  # 设置
    "XuejiHelp": help_page.show_help,                     # 帮助
}

# What the user can fix themselves: the exception's text is already a Chinese sentence for them.
USER_ERRORS = (ReadError, SettingsError, WriteError, FileNotFoundError, LookupError, PermissionError)


# What a button may ask of the teacher before its action runs (an action parameter of that name).
FOLDER_PROMPT = "请选择放各班学籍文件的文件夹"


class UI(Protocol):
    def message(self, text: str, *, error: bool = False) -> None: ...
    def open(self, path: Path) -> None: ...  # a page, a workbook or a folder the action produced
    def pick_folder(self, prompt: str) -> Path | None: ...  # None: the teacher cancelled


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
        wants = inspect.signature(action).parameters
        kwargs: dict[str, Any] = {"base": base} if "base" in wants else {}
        if "folder" in wants:
            folder = ui.pick_folder(FOLDER_PROMPT)
            if folder is None:
                return "已取消。"
            kwargs["folder"] = folder
        result = action(host, **kwargs)
        opens = getattr(result, "opens", None)  # the page, workbook or folder the action produced
        if isinstance(opens, Path):
            ui.open(opens)
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
    """Message boxes and the folder picker through Excel itself; pages open in the default browser,
    workbooks in this Excel, folders in the file manager."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def message(self, text: str, *, error: bool = False) -> None:
        self.app.alert(text, title=TITLE, mode="critical" if error else "info")

    def open(self, path: Path) -> None:
        if path.is_dir():
            _show_folder(path)
        elif path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
            self.app.books.open(str(path))
        else:
            webbrowser.open(path.as_uri())

    def pick_folder(self, prompt: str) -> Path | None:
        if excel_host.PLATFORM == "darwin":  # Excel for Mac has no FileDialog: ask through AppleScript
            script = f'POSIX path of (choose folder with prompt "{prompt}")'
            done = subprocess.run(["osascript", "-e", script], capture_output=True, text=True, check=False)
            chosen = done.stdout.strip()
            return Path(chosen) if done.returncode == 0 and chosen else None
        dialog = self.app.api.FileDialog(MSO_FOLDER_PICKER)
        dialog.Title = prompt
        dialog.AllowMultiSelect = False
        return Path(dialog.SelectedItems(1)) if dialog.Show() == -1 else None


MSO_FOLDER_PICKER = 4  # msoFileDialogFolderPicker


def _show_folder(path: Path) -> None:
    if excel_host.PLATFORM == "win32":
        os.startfile(path)  # type: ignore[attr-defined]  # noqa: S606 - our own output folder
    else:
        subprocess.run(["open" if excel_host.PLATFORM == "darwin" else "xdg-open", str(path)], check=False)


def on_action(control_id: str) -> None:
    """Entry point for the VBA callback: ``RunPython "...ribbon.on_action('<id>')"``."""
    from xueji_addin.excel.host import ExcelHost

    host = ExcelHost.caller()
    dispatch(control_id, host, ExcelUI(host.book.app))


def dispatch(control_id: str, host: Any, ui: UI, base: Settings | None = None) -> str:
    """A button press on the Excel host: xueji.toml beside the workbook, the action with the screen
    and events held still, then the message, what the action opened, and the print preview."""
    try:
        base = base or base_settings(host.folder)
    except SettingsError as e:
        ui.message(str(e), error=True)
        return str(e)
    deferred = _Deferred(ui)
    with host.quiet():
        text = run(control_id, host, deferred, base)
    deferred.flush()
    host.show_preview()  # a print preview opened while the screen is frozen would show blank pages
    return text


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

    def pick_folder(self, prompt: str) -> Path | None:
        return self.ui.pick_folder(prompt)

    def flush(self) -> None:
        for page in self.pages:
            self.ui.open(page)
        for text, error in self.pending:
            self.ui.message(text, error=error)
