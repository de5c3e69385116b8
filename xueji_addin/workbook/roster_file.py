"""Writing roster workbooks in the template's layout (split class files, merged and imported files).

Values are written exactly as they were read (text stays text, a date stays a date), strings that
look like formulas stay text, and every roster sheet goes through ``style_roster_sheet`` so a
teacher who goes on typing keeps the template's help. Saving is ``Book.save`` (streamed_book.py).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from xueji_addin.spec.profiles import Profile
from xueji_addin.spec.settings import Settings
from xueji_addin.workbook.atomic import MAX_NAME_BYTES
from xueji_addin.workbook.cells import set_text
from xueji_addin.workbook.streamed_book import Book, DeferredRows
from xueji_addin.workbook.styling import style_roster_sheet, table_sheet

DATE_FORMAT = "yyyy-mm-dd"


def roster_workbook(profile: Profile, rows: list[list[object]], *, settings: Settings | None = None,
                    extra_headers: list[str] | None = None, extra_rows: list[list[object]] | None = None) -> Book:
    """A workbook whose first sheet is the template sheet holding ``rows`` (template column order).

    ``extra_headers``/``extra_rows``: columns the template does not have, kept after its last column.
    The data rows are streamed in when the book is saved; until then the sheet holds the header
    and the styling, so marks (fills, notes) can be painted on it through a Host.
    """
    wb = Workbook()
    ws = wb.active
    ws.title = profile.sheet_name
    extra_headers = extra_headers or []
    for c, h in enumerate(profile.headers + extra_headers, start=1):
        set_text(ws.cell(profile.header_row, c), h)
    style_roster_sheet(wb, ws, profile, settings, data_rows=max(len(rows), 100))
    body = rows if not extra_headers else [r + (extra_rows[i] if extra_rows else []) for i, r in enumerate(rows)]
    first = profile.header_row + 1
    # A date keeps a date format: the Text format the styling gives code-like columns would hide it.
    _date_formats(ws, body, first)
    return Book(wb, {ws.title: DeferredRows(first, body)})


def add_table_sheet(book: Book, name: str, rows: list[list[object]], widths: dict[str, float] | None = None) -> Worksheet:
    """A plain sheet of values (来源, 模板外的列…) with a frozen header, its rows streamed when the
    book is saved."""
    ws = table_sheet(book.wb, name, widths)
    _date_formats(ws, rows, 1)
    book.deferred[name] = DeferredRows(1, rows)
    return ws


_UNDATED = frozenset({str, int, float, bool, type(None)})


def _date_formats(ws: Worksheet, rows: list[list[object]], first: int) -> None:
    """The date format on the cells of ``rows`` (sheet row ``first`` on) that hold a date; rows of
    plain values told at C speed (710,000 cells looked at one by one cost 0.15 s of an import)."""
    for i, row in enumerate(rows):
        if _UNDATED.issuperset(map(type, row)):
            continue
        for c, v in enumerate(row, start=1):
            if isinstance(v, (dt.date, dt.datetime)):
                ws.cell(first + i, c).number_format = DATE_FORMAT


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


def file_part(text: str, suffix: str = "") -> str:
    """Text made safe for a file name on Windows, macOS and Linux, then ``suffix`` (such as
    "(2).xlsx"), the whole short enough for any file system."""
    text = _UNSAFE.sub("_", text).strip(" .") or "_"
    room = MAX_NAME_BYTES - len(suffix.encode("utf-8"))
    return (text.encode("utf-8")[:room].decode("utf-8", "ignore").rstrip(" .") or "_") + suffix


def sheet_title(text: str, suffix: str = "") -> str:
    """Text made safe for an Excel sheet name (31 characters with ``suffix``, no []:*?/\\)."""
    return (re.sub(r"[\[\]:*?/\\\x00-\x1f]", "_", text).strip("'")[: 31 - len(suffix)] or "_") + suffix


def distinct(labels: list[str], safe: Callable[[str, str], str], taken: Iterable[str] = ()) -> list[str]:
    """``safe(label, "")`` for each label, where two would become the same name (for a file system or
    Excel that ignore case) the later ones ``safe(label, "(2)")``, ``(3)``…: no name replaces another."""
    seen = {t.casefold() for t in taken}
    out = []
    for label in labels:
        name, n = safe(label, ""), 2
        while name.casefold() in seen:
            name, n = safe(label, f"({n})"), n + 1
        seen.add(name.casefold())
        out.append(name)
    return out
