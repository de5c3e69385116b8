"""The print's pages laid out in a workbook: which sheets a class gets and their names, each built
in a blank worksheet (a new file's or the open workbook's), and the new file ``xueji print`` writes
with the hidden record of what it printed."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from xueji_addin.actions import print_record
from xueji_addin.workbook.atomic import XLSX, atomic_path
from xueji_addin.workbook.confirm_sheet import write_form
from xueji_addin.workbook.host import FileHost
from xueji_addin.workbook.names import FORM_SHEET, ROSTER_SHEET
from xueji_addin.workbook.print_layout import add_sheet
from xueji_addin.workbook.roster_sheet import write_roster

if TYPE_CHECKING:
    from xueji_addin.actions.class_pages import ClassSheets

Layout = Literal["form", "roster", "both"]



_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\']")


def sheet_names(sheets: ClassSheets, layout: Layout, *, several: bool) -> list[tuple[str, str]]:
    """(kind, sheet name) of the sheets a class gets; the class is named only when there are several."""
    # Excel refuses some characters and more than 31 in a sheet name; a mistyped 班号 may hold them.
    prefix = _NOT_IN_SHEET_NAMES.sub("_", sheets.heading.label or "未填班号")[:25] if several else ""
    out = []
    if layout in ("form", "both"):
        out.append(("form", f"{prefix}{FORM_SHEET}"))
    if layout in ("roster", "both"):
        out.append(("roster", f"{prefix}{ROSTER_SHEET}"))
    return out


def builders(all_sheets: list[ClassSheets], layout: Layout) -> list[tuple[str, Callable[[Worksheet], None]]]:
    """(sheet name, function that lays the sheet out in a blank worksheet), in print order."""
    out: list[tuple[str, Callable[[Worksheet], None]]] = []
    several = len(all_sheets) > 1
    taken: set[str] = set()
    for s in all_sheets:
        for kind, name in sheet_names(s, layout, several=several):
            base, n = name, 2
            while name in taken:  # two 班号 that differ only in characters Excel refuses
                name, n = f"{base[:28]}({n})", n + 1
            taken.add(name)
            if kind == "form":
                out.append((name, lambda ws, s=s: write_form(ws, s.heading, s.forms)))
            else:
                out.append((name, lambda ws, s=s: write_roster(ws, s.heading, s.roster)))
    return out


def add_confirm_sheets(wb: Workbook, all_sheets: list[ClassSheets], layout: Layout, *, after: str | None = None) -> list[str]:
    """Lay the sheets out in ``wb`` (replacing sheets of the same names); returns their names."""
    names = []
    for name, build in builders(all_sheets, layout):
        ws = add_sheet(wb, name, after=after)
        build(ws)
        after = name
        names.append(name)
    return names


def write_confirm_file(path: str | Path, all_sheets: list[ClassSheets], layout: Layout, *,
                       protect: tuple[str | Path, ...] = ()) -> list[str]:
    """A new .xlsx holding only the confirmation sheets (and, hidden, the record of what they print)."""
    wb = Workbook()
    blank = wb.active
    names = add_confirm_sheets(wb, all_sheets, layout)
    wb.remove(blank)
    wb.active = 0
    rows = print_record.record_rows(print_record.printed_pages(all_sheets, layout))
    FileHost(wb).replace_sheet(print_record.RECORD_SHEET, rows, hidden=True)
    with atomic_path(path, protect=protect, kind=XLSX) as tmp:
        wb.save(tmp)
    return names
