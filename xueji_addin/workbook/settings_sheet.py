"""The hidden 学校设置 sheet: the school's settings kept in the workbook (DECISIONS.md §9).

One field per row under the names ``xueji.toml`` uses (项目 | 值 | 说明). The template writes it
with the settings it was built with, the add-in's 设置 button shows it for editing, and every check
in Excel reads it back, so a file carries its school's context along. This module owns the layout
and the text of each value both ways.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pydantic import ValidationError

from xueji_addin.spec.settings import Settings, SettingsError
from xueji_addin.spec.settings_errors import validation_text
from xueji_addin.workbook import names

if TYPE_CHECKING:  # openpyxl only for writing: ``xueji validate`` reads the sheet without it
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

SETTINGS_SHEET = names.SETTINGS_SHEET
HEADER = ["项目", "值", "说明"]
NAME, VALUE = 0, 1  # columns of a row
WIDTHS = {"A": 24, "B": 40, "C": 60}
EDITABLE = [name for name in Settings.model_fields if name != "today"]  # today is for tests only
_SPLIT = re.compile(r"[、,，;；\s]+")
_YES = {"是", "true", "TRUE", "True", "1", "yes", "要", "需要"}
_NO = {"否", "false", "FALSE", "False", "0", "no", "不", "不需要", ""}


def cell_text(value: object) -> str:
    """A setting as the teacher reads and types it: lists with 、, pairs as 班号=名称；, 是/否."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{k}={v}" for k, v in value.items())
    return str(value)


def label(name: str) -> str:
    """The short Chinese name of a setting (its title in the Settings model)."""
    return Settings.model_fields[name].title or name


def parse_cell(name: str, raw: object) -> object:
    """The value of setting ``name`` from its cell; SettingsError with a sentence on a bad one."""
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
        out: dict[str, str] = {}
        for p in (p for p in re.split(r"[;；\n]+", text) if p.strip()):
            key, sep, value = p.partition("=")
            if not sep:
                raise SettingsError(f"设置“{name}”每一项写成 班号=班级名称，用分号隔开，例如 20240101=一年级1班。")
            out[key.strip()] = value.strip()
        return out
    return text or None


def settings_rows(settings: Settings) -> list[list[str]]:
    rows = [HEADER]
    for name in EDITABLE:
        rows.append([name, cell_text(getattr(settings, name)), Settings.model_fields[name].description or ""])
    return rows


def settings_from_rows(rows: list[list[object]], base: Settings | None = None) -> Settings:
    """The sheet's values over ``base`` (xueji.toml beside the workbook, or the defaults): a value left
    blank keeps the base's, as the sheet tells the teacher ("不填的项按默认处理")."""
    data = (base or Settings()).model_dump()
    for row in rows[1:]:
        raw = row[VALUE] if row and len(row) > VALUE else None
        if row and row[NAME] in EDITABLE and raw is not None and str(raw).strip():
            data[str(row[NAME])] = parse_cell(str(row[NAME]), raw)
    try:
        return Settings.model_validate(data)
    except ValidationError as e:
        lines = {str(row[NAME]): n for n, row in enumerate(rows, start=1) if row}

        def where(key: str) -> str:
            return f"“{SETTINGS_SHEET}”表" + (f"第 {lines[key]} 行" if key in lines else "")

        raise SettingsError(validation_text(e, Settings, where)) from None


def write_settings_sheet(wb: Workbook, settings: Settings) -> Worksheet:
    from xueji_addin.workbook.cells import set_text

    if SETTINGS_SHEET in wb.sheetnames:
        del wb[SETTINGS_SHEET]
    ws = wb.create_sheet(SETTINGS_SHEET)
    for r, row in enumerate(settings_rows(settings), start=1):
        for c, v in enumerate(row, start=1):
            if v:
                set_text(ws.cell(r, c), v)
    for letter, width in WIDTHS.items():
        ws.column_dimensions[letter].width = width
    ws.sheet_state = "hidden"
    return ws
