"""Writing roster workbooks in the template's layout (split class files, merged and imported files).

Values are written exactly as they were read (text stays text, a date stays a date), strings that
look like formulas stay text, and every roster sheet goes through ``style_roster_sheet`` so a
teacher who goes on typing keeps the template's help.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from xueji_addin.spec.profiles import Profile
from xueji_addin.spec.settings import Settings
from xueji_addin.workbook.atomic import atomic_path
from xueji_addin.workbook.cells import FORMULA_STARTS
from xueji_addin.workbook.styling import style_roster_sheet

DATE_FORMAT = "yyyy-mm-dd"


def append_rows(ws: Worksheet, rows: list[list[object]]) -> list[tuple[int, int]]:
    """Append rows fast (``ws.append``; empty strings become empty cells) and make sure no string
    became a formula. Returns the (row, column) of each date, whose format the caller keeps."""
    patch_text: list[tuple[int, int]] = []
    patch_date: list[tuple[int, int]] = []
    for row in rows:
        ws.append([None if v == "" else v for v in row])
        r = ws._current_row  # the row append just wrote (openpyxl keeps it; max_row would scan every cell)
        for c, v in enumerate(row, start=1):
            if v.__class__ is str:
                if v[:1] in FORMULA_STARTS and v:
                    patch_text.append((r, c))
            elif isinstance(v, (dt.date, dt.datetime)):
                patch_date.append((r, c))
    for r, c in patch_text:
        ws.cell(r, c).data_type = "s"
    return patch_date


def roster_workbook(profile: Profile, rows: list[list[object]], *, settings: Settings | None = None,
                    extra_headers: list[str] | None = None, extra_rows: list[list[object]] | None = None) -> Workbook:
    """A workbook whose first sheet is the template sheet holding ``rows`` (template column order).

    ``extra_headers``/``extra_rows``: columns the template does not have, kept after its last column.
    """
    wb = Workbook()
    ws = wb.active
    ws.title = profile.sheet_name
    extra_headers = extra_headers or []
    ws.append(profile.headers + extra_headers)
    body = rows if not extra_headers else [r + (extra_rows[i] if extra_rows else []) for i, r in enumerate(rows)]
    dates = append_rows(ws, body)
    style_roster_sheet(wb, ws, profile, settings, data_rows=max(len(rows), 100))
    # The Text format the styling puts on code-like columns must not hide a date the file held.
    for r, c in dates:
        ws.cell(r, c).number_format = DATE_FORMAT
    return wb


def add_table_sheet(wb: Workbook, name: str, rows: list[list[object]], widths: dict[str, float] | None = None) -> Worksheet:
    """A plain sheet of values (来源, 模板外的列…) with a frozen header."""
    if name in wb.sheetnames:
        del wb[name]
    ws = wb.create_sheet(name)
    for r, c in append_rows(ws, rows):
        ws.cell(r, c).number_format = DATE_FORMAT
    for letter, width in (widths or {}).items():
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    return ws


def save_workbook(wb: Workbook, path: str | Path, *, protect: tuple[str | Path, ...] = ()) -> None:
    with atomic_path(path, protect=protect) as tmp:
        wb.save(tmp)


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def file_part(text: str) -> str:
    """Text made safe for a file name on Windows, macOS and Linux."""
    return _UNSAFE.sub("_", text).strip(" .") or "_"


def sheet_title(text: str) -> str:
    """Text made safe for an Excel sheet name (31 characters, no []:*?/\\)."""
    return re.sub(r"[\[\]:*?/\\]", "_", text).strip("'")[:31] or "_"
