"""The sheets of a file, as python-calamine (or the csv module) gives their cells: the layer under
the reader, which knows nothing of rosters.

Zip files are inspected first (``package.py``: bombs, DTDs, cell count); python-calamine's parse is
``calamine_parse.py``, which ``read_ahead.py`` can run on a thread for the next of many files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from xueji_addin.gc_pause import gc_paused
from xueji_addin.rules.normalize import ErrorCell
from xueji_addin.workbook.calamine_parse import Parsed, parse, reraise_interrupts, sheet_error
from xueji_addin.workbook.errors import ReadError
from xueji_addin.workbook.old_xls import read_biff5
from xueji_addin.workbook.package import SheetFacts
from xueji_addin.workbook.read_ahead import take_ahead
from xueji_addin.workbook.text_sheets import text_sheets

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".txt"}


@dataclass
class Sheet:
    name: str
    rows: list[list[object]]  # from A1: rows[0] is sheet row 1
    visible: bool = True
    facts: SheetFacts = field(default_factory=SheetFacts)  # formulas, errors, hidden rows/columns (.xlsx)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row, col, last row, last col), 0-based
    named: bool = True  # the file names the sheet (a CSV's "sheet" is named after the file: nothing to rename)


def read_sheets(path: str | Path) -> list[Sheet]:
    """Every sheet of the file, cells from A1, values as the reader gives them (parsed ahead when
    ``read_ahead`` was asked for this file and it has not changed since)."""
    p = Path(path)
    with gc_paused():  # a list per row, all kept: nothing for the collector to find
        parsed = take_ahead(p)
        return _values(p, parsed if parsed is not None else parse(p))


def _values(p: Path, parsed: Parsed) -> list[Sheet]:
    if parsed.biff5:
        return [Sheet(name, rows, visible) for name, rows, visible in read_biff5(p)]
    if parsed.workbook is None:
        return [Sheet(name, rows, named=named) for name, rows, named in text_sheets(p, p.stem)]
    sheets = []
    try:
        for meta, ws in parsed.worksheets:
            try:
                rows = ws.to_python(skip_empty_area=False)
                merged = [(a[0], a[1], b[0], b[1]) for a, b in (ws.merged_cell_ranges or [])]
            except BaseException as e:
                reraise_interrupts(e)
                raise ReadError(sheet_error(p, meta.name, e)) from None
            sheet_facts = parsed.facts.get(meta.name, SheetFacts())
            _put_errors(rows, sheet_facts)
            sheets.append(Sheet(meta.name, rows, str(meta.visible) == "SheetVisibleEnum.Visible", sheet_facts, merged))
    finally:
        parsed.workbook.close()
    return sheets


def _put_errors(rows: list[list[object]], facts: SheetFacts) -> None:
    """python-calamine reads an error cell as ""; put the error text back so the rules see it."""
    for (r, c), text in facts.errors.items():
        if r < len(rows) and c < len(rows[r]) and rows[r][c] in ("", None):
            rows[r][c] = ErrorCell(text)
