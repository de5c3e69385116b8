"""The 模板外的列 sheet of a roster file we write (merged, split): the columns its template sheet has
no place for, one row per student row holding any of them, keyed by that row's number in this
file (输出行) and saying where the row came from (文件, 原行号).

Merge reads the sheet back, so a class file split from a school file with a 备注 column gives its
备注 back to the school file: the class file itself stays in the template's 71 columns.
"""

from __future__ import annotations

from collections.abc import Iterable

from xueji_addin.workbook.fast_save import Book
from xueji_addin.workbook.names import EXTRA_SHEET
from xueji_addin.workbook.reader import Sheet, is_blank
from xueji_addin.workbook.roster_file import add_table_sheet

KEY = ["输出行", "文件", "原行号"]


def add_extra_sheet(book: Book, headers: list[str], places: Iterable[tuple[int, str, int]],
                    values: Iterable[list[object]]) -> None:
    """The 模板外的列 sheet: ``places`` (this file's row, source file, source row) beside each row's
    ``values`` under ``headers``; rows with nothing outside the template are left out."""
    rows: list[list[object]] = [[*KEY, *headers]]
    rows += [[*place, *extra] for place, extra in zip(places, values) if any(not is_blank(v) for v in extra)]
    add_table_sheet(book, EXTRA_SHEET, rows, widths={"A": 8, "B": 36, "C": 8})


def read_extra_sheet(sheets: list[Sheet]) -> tuple[list[str], dict[int, list[object]]]:
    """A file's 模板外的列 sheet as we wrote it: its column names and each row's values by 输出行.

    ([], {}) when the file has none, or one whose first columns are not ours (a sheet a person
    made and happened to name so is not read as a key)."""
    found = next((s for s in sheets if s.name == EXTRA_SHEET), None)
    if found is None or not found.rows or [str(v).strip() for v in found.rows[0][:len(KEY)]] != KEY:
        return [], {}
    header = found.rows[0]
    width = len(header)
    while width > len(KEY) and is_blank(header[width - 1]):
        width -= 1
    names = [str(v).strip() if not is_blank(v) else f"第{j + 1}列" for j, v in enumerate(header[len(KEY):width], len(KEY))]
    by_row: dict[int, list[object]] = {}
    for cells in found.rows[1:]:
        row = _row_number(cells[0] if cells else None)
        if row is not None:
            values = list(cells[len(KEY):width])
            by_row[row] = values + [None] * (len(names) - len(values))
    return names, by_row


def _row_number(v: object) -> int | None:
    try:
        n = float(str(v).strip())
    except ValueError:
        return None
    return int(n) if n.is_integer() and n > 0 else None
