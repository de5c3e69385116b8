"""The hidden 学校设置 sheet: the settings a template was built with (DECISIONS.md §9), one field
per row under the names ``xueji.toml`` uses, so the file carries its school's context along."""

from __future__ import annotations

from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from xueji_addin.spec.settings import Settings
from xueji_addin.workbook import names
from xueji_addin.workbook.cells import set_text

_SKIP = {"today"}


def settings_rows(settings: Settings) -> list[list[str]]:
    rows = [["项目", "值", "说明"]]
    for field, info in Settings.model_fields.items():
        if field in _SKIP:
            continue
        value = getattr(settings, field)
        if isinstance(value, list):
            text = "、".join(value)
        elif isinstance(value, dict):
            text = "、".join(f"{k}={v}" for k, v in value.items())
        elif isinstance(value, bool):
            text = "是" if value else "否"
        else:
            text = "" if value is None else str(value)
        rows.append([field, text, info.description or ""])
    return rows


def write_settings_sheet(wb: Workbook, settings: Settings) -> Worksheet:
    if names.SETTINGS_SHEET in wb.sheetnames:
        del wb[names.SETTINGS_SHEET]
    ws = wb.create_sheet(names.SETTINGS_SHEET)
    for r, row in enumerate(settings_rows(settings), start=1):
        for c, v in enumerate(row, start=1):
            if v:
                set_text(ws.cell(r, c), v)
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 30
    ws.column_dimensions["C"].width = 50
    ws.sheet_state = "hidden"
    return ws
