"""The 模板外的列 sheet of a roster file we write (merged, split): the columns its template sheet has
no place for, one row per student row holding any of them, keyed by that row's number in this
file (输出行) and the pupil's 姓名, and saying where the row came from (文件, 原行号).

Merge reads the sheet back, so a class file split from a school file with a 备注 column gives its
备注 back to the school file: the class file itself stays in the template's 71 columns. A teacher
may sort or insert rows in between: a value goes to the row of its 输出行 only when the 姓名 there
is the one written beside it, else to the one row of that 姓名; never to a row it cannot tell.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from xueji_addin.workbook.layout import Layout
from xueji_addin.workbook.streamed_book import Book
from xueji_addin.workbook.names import EXTRA_SHEET
from xueji_addin.workbook.reader import Sheet, is_blank
from xueji_addin.workbook.roster_file import add_table_sheet

KEY = ["输出行", "文件", "原行号", "姓名"]
ROW_KEY = KEY[:3]  # a sheet written before the 姓名 was: placed by row only
WIDTHS = {"A": 8, "B": 36, "C": 8, "D": 10}


def extra_rows(places: Iterable[tuple[int, str, int, object]], values: Iterable[list[object]]) -> list[list[object]]:
    """The 模板外的列 sheet's rows under its header (KEY and the columns' names): ``places`` (this
    file's row, source file, source row, 姓名) beside each row's ``values``; rows with nothing
    outside the template are left out."""
    return [[*place, *extra] for place, extra in zip(places, values) if any(not is_blank(v) for v in extra)]


def add_extra_sheet(book: Book, headers: list[str], places: Iterable[tuple[int, str, int, object]],
                    values: Iterable[list[object]]) -> None:
    """The 模板外的列 sheet of ``book``: see ``extra_rows``."""
    add_table_sheet(book, EXTRA_SHEET, [[*KEY, *headers], *extra_rows(places, values)], widths=WIDTHS)


@dataclass
class SideSheet:
    """A file's 模板外的列 sheet as read: its column names and (输出行, 姓名 or None, values) per row."""

    headers: list[str] = field(default_factory=list)
    entries: list[tuple[int, str | None, list[object]]] = field(default_factory=list)

    def place(self, rows: list[int], names: list[object]) -> tuple[dict[int, list[object]], list[int]]:
        """Each entry's values by the sheet row (of ``rows``, whose 姓名 are ``names``) it belongs to,
        and the 输出行 of the entries that belong to none."""
        at = {r: _text(n) for r, n in zip(rows, names)}
        by_name: dict[str, list[int]] = {}
        for r, n in at.items():
            by_name.setdefault(n, []).append(r)
        placed: dict[int, list[object]] = {}
        moved = []
        for row, name, values in self.entries:  # first each entry whose row still holds its pupil
            if row in at and name in (None, at[row]) and row not in placed:
                placed[row] = values
            else:
                moved.append((row, name, values))
        lost = []
        for row, name, values in moved:  # then the others, to the one row of their 姓名
            there = by_name.get(name, []) if name else []
            if len(there) == 1 and there[0] not in placed:
                placed[there[0]] = values
            else:
                lost.append(row)
        return placed, lost


def attach(layout: Layout, side: SideSheet, what: str = "合并") -> str:
    """Give ``layout`` the side sheet's columns as columns outside the template, each value on the
    row its pupil is on now, so merge and split carry them as they carry a 备注 column of the sheet
    itself. Returns a sentence naming the values that belong to no row ("" when all found one);
    ``what`` names the operation in it."""
    if not side.headers:
        return ""
    name = layout.source_index.get("name", -1)
    placed, lost = side.place(layout.rows, [c[name] if 0 <= name < len(c) else None for c in layout.cells])
    width = 1 + max([*layout.source_index.values(), *(j for j, _ in layout.extra), *(len(c) - 1 for c in layout.cells)],
                    default=-1)
    blank = [None] * len(side.headers)
    for i, row in enumerate(layout.rows):
        cells = layout.cells[i]
        layout.cells[i] = cells + [None] * (width - len(cells)) + placed.get(row, blank)
    layout.extra += [(width + k, h) for k, h in enumerate(side.headers)]
    if not lost:
        return ""
    return (f"“{EXTRA_SHEET}”表中输出行{'、'.join(map(str, sorted(lost)[:10]))}的值在工作表“{layout.sheet.name}”"
            f"中找不到对应的学生（行号和姓名都对不上），没有{what}，请核对")


def read_extra_sheet(sheets: list[Sheet]) -> SideSheet:
    """A file's 模板外的列 sheet as we wrote it; empty when the file has none, or one whose first
    columns are not ours (a sheet a person made and happened to name so is not read as a key)."""
    found = next((s for s in sheets if s.name == EXTRA_SHEET), None)
    head = [str(v).strip() for v in found.rows[0]] if found is not None and found.rows else []
    key = KEY if head[:len(KEY)] == KEY else ROW_KEY if head[:len(ROW_KEY)] == ROW_KEY else None
    if key is None:
        return SideSheet()
    header = found.rows[0]  # type: ignore[union-attr]
    width = len(header)
    while width > len(key) and is_blank(header[width - 1]):
        width -= 1
    names = [str(v).strip() if not is_blank(v) else f"第{j + 1}列" for j, v in enumerate(header[len(key):width], len(key))]
    side = SideSheet(names)
    for cells in found.rows[1:]:  # type: ignore[union-attr]
        row = _row_number(cells[0] if cells else None)
        if row is not None:
            name = _text(cells[3]) if key is KEY and len(cells) > 3 else None
            values = list(cells[len(key):width])
            side.entries.append((row, name or None, values + [None] * (len(names) - len(values))))
    return side


def _text(v: object) -> str:
    return "" if is_blank(v) else str(v).strip()


def _row_number(v: object) -> int | None:
    try:
        n = float(str(v).strip())
    except ValueError:
        return None
    return int(n) if n.is_integer() and n > 0 else None
