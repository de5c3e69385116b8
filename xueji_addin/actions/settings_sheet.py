"""设置: the school's settings kept in a sheet of the workbook (DECISIONS.md §9), over xueji.toml.

The sheet lists every setting with its description (from the Settings model itself) and a value
column the teacher fills in. The 设置 button shows it; pressed again on that sheet, it checks the
values, hides the sheet and says what was saved. Checks read it whether hidden or not.
"""

from __future__ import annotations

from xueji_addin.spec.settings import Settings
from xueji_addin.workbook.host import Host
from xueji_addin.workbook.settings_sheet import SETTINGS_SHEET, WIDTHS, settings_from_rows, settings_rows


def read_settings(host: Host, base: Settings | None = None) -> Settings:
    """The workbook's settings sheet over ``base`` (from xueji.toml, or the defaults)."""
    if SETTINGS_SHEET not in host.sheet_names():
        return base or Settings()
    return settings_from_rows(host.read(SETTINGS_SHEET), base)


def write_settings(host: Host, settings: Settings, *, hidden: bool) -> None:
    host.replace_sheet(SETTINGS_SHEET, settings_rows(settings), hidden=hidden, widths=WIDTHS)


def open_or_save_settings(host: Host, base: Settings | None = None) -> str:
    """The 设置 button: show the settings sheet for editing, or (on it) check, save and hide it."""
    if host.active_sheet() == SETTINGS_SHEET:
        settings = read_settings(host, base)
        write_settings(host, settings, hidden=True)
        parts = [f"学校标识码 {settings.school_code}" if settings.school_code else "未填学校标识码"]
        if settings.classes:
            parts.append(f"{len(settings.classes)} 个班级")
        if settings.stage:
            parts.append(f"学段 {settings.stage}")
        return "设置已保存（" + "，".join(parts) + "）。以后的校验都会按这些设置进行。"
    settings = read_settings(host, base)
    write_settings(host, settings, hidden=False)
    host.activate(SETTINGS_SHEET)
    return f"请在“{SETTINGS_SHEET}”表的“值”一列（B列）填写本校设置（不填的项按默认处理），填好后在这张表上再点一次“设置”保存。"
