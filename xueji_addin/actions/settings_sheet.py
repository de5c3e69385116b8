"""设置: the school's settings kept in a sheet of the workbook (DECISIONS.md §9), over xueji.toml.

The sheet lists every setting with its description (from the Settings model itself) and a value
column the teacher fills in. The 设置 button shows it; pressed again on that sheet, it checks the
values, hides the sheet and says what was saved. Checks read it whether hidden or not.
"""

from __future__ import annotations

import re

from pydantic import ValidationError

from xueji_addin.spec.settings import Settings, SettingsError
from xueji_addin.workbook.host import Host

SETTINGS_SHEET = "学籍助手设置"
HEADER = ["设置项", "说明", "值"]
EDITABLE = [name for name in Settings.model_fields if name != "today"]  # today is for tests only
_SPLIT = re.compile(r"[、,，;；\s]+")
_YES = {"是", "true", "TRUE", "True", "1", "yes", "要", "需要"}
_NO = {"否", "false", "FALSE", "False", "0", "no", "不", "不需要", ""}


def _as_cell(name: str, value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{k}={v}" for k, v in value.items())
    return value if isinstance(value, (int, float)) else str(value)


def _parse(name: str, raw: object) -> object:
    field = Settings.model_fields[name]
    text = "" if raw is None else (str(int(raw)) if isinstance(raw, float) and raw.is_integer() else str(raw)).strip()
    annotation = str(field.annotation)
    if "bool" in annotation:
        if text in _YES:
            return True
        if text in _NO:
            return False
        raise SettingsError(f"设置“{name}”只能填“是”或“否”，现在是“{text}”。")
    if "list" in annotation:
        return [t for t in _SPLIT.split(text) if t]
    if "dict" in annotation:
        pairs = [p for p in re.split(r"[;；\n]+", text) if p.strip()]
        out: dict[str, str] = {}
        for p in pairs:
            key, sep, value = p.partition("=")
            if not sep:
                raise SettingsError(f"设置“{name}”每一项写成 班号=班级名称，用分号隔开，例如 20240101=一年级1班。")
            out[key.strip()] = value.strip()
        return out
    return text or None


def settings_rows(settings: Settings) -> list[list[object]]:
    rows: list[list[object]] = [HEADER]
    for name in EDITABLE:
        field = Settings.model_fields[name]
        rows.append([name, field.description or "", _as_cell(name, getattr(settings, name))])
    return rows


def read_settings(host: Host, base: Settings | None = None) -> Settings:
    """The workbook's settings sheet over ``base`` (from xueji.toml, or the defaults)."""
    base = base or Settings()
    if SETTINGS_SHEET not in host.sheet_names():
        return base
    data = base.model_dump()
    for row in host.read(SETTINGS_SHEET)[1:]:
        if not row or row[0] not in EDITABLE:
            continue
        data[str(row[0])] = _parse(str(row[0]), row[2] if len(row) > 2 else None)
    try:
        return Settings.model_validate(data)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        raise SettingsError(f"“{SETTINGS_SHEET}”表中“{where}”一项有误：{first['msg']}。") from None


def write_settings(host: Host, settings: Settings, *, hidden: bool) -> None:
    host.replace_sheet(SETTINGS_SHEET, settings_rows(settings), hidden=hidden, widths={"A": 24, "B": 48, "C": 40})


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
    return f"请在“{SETTINGS_SHEET}”表的“值”一列填写本校设置（不填的项按默认处理），填好后在这张表上再点一次“设置”保存。"
