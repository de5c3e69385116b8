"""自动修正: apply the fixes that are certain, into a copy, and list what changed."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from xueji_addin.actions.validate import Checked, open_copy
from xueji_addin.rules.findings import Finding
from xueji_addin.rules.sheet import FORMULA
from xueji_addin.spec.columns import column_letter
from xueji_addin.spec.settings import Settings
from xueji_addin.workbook.host import Host
from xueji_addin.workbook.names import PREFILL_KEYS
from xueji_addin.workbook.reader import Book, is_blank


@dataclass(frozen=True)
class Change:
    sheet: str
    cell: str
    header: str
    old: object
    new: str
    code: str


def certain_fixes(findings: list[Finding]) -> dict[tuple[str, str], Finding]:
    """The last fix proposed for each cell (later checks build on earlier ones' fixes)."""
    out: dict[tuple[str, str], Finding] = {}
    for f in findings:
        if f.fix is not None and f.column and f.row:
            out[(f.sheet, f"{f.column}{f.row}")] = f
    return out


def apply_fixes(host: Host, findings: list[Finding]) -> list[Change]:
    fixes = certain_fixes(findings)
    changes: list[Change] = []
    by_sheet: dict[str, dict[str, object]] = {}
    for (sheet, cell), f in fixes.items():
        by_sheet.setdefault(sheet, {})[cell] = f.fix
    for sheet, cells in by_sheet.items():
        current = _values(host, sheet, list(cells))
        host.write(sheet, cells)
        for cell, new in cells.items():
            f = fixes[(sheet, cell)]
            changes.append(Change(sheet, cell, f.header or "", current.get(cell), str(new), f.code))
    return changes


def undo(host: Host, changes: list[Change]) -> None:
    """Put back the values a fix replaced (the list in reverse)."""
    for c in reversed(changes):
        host.write(c.sheet, {c.cell: c.old})


def _values(host: Host, sheet: str, cells: list[str]) -> dict[str, object]:
    """The cells' values now, read row by row (the rows with a fix only: reading the whole sheet
    made a copy's every cell an object)."""
    from openpyxl.utils.cell import coordinate_from_string, column_index_from_string

    by_row: dict[int, dict[str, int]] = {}
    for cell in cells:
        letters, row = coordinate_from_string(cell)
        by_row.setdefault(row, {})[cell] = column_index_from_string(letters)
    out: dict[str, object] = {}
    for row, cols in by_row.items():
        (values,) = host.read_range(sheet, f"A{row}:{column_letter(max(cols.values()))}{row}")
        out.update({cell: values[col - 1] for cell, col in cols.items()})
    return out


def fix_book(path: str | Path, checked: list[Checked], out: str | Path, settings: Settings | None = None) -> list[Change]:
    """A fixed copy of ``path``: the certain fixes of every checked table (学生, 班级, 教师 … sheets),
    each sheet carrying its template's dropdowns, formats and conditional formats again."""
    from xueji_addin.actions.dropdowns import refresh_if_fits

    host = open_copy(path, *(c.roster.sheet for c in checked), touch=checked)
    changes = apply_fixes(host, [f for c in checked for f in c.findings])
    for c in checked:
        refresh_if_fits(host, c.roster, settings)
    host.save(out, protect=(path,))
    return changes


def fixed_book(book: Book, findings: list[Finding]) -> Book | None:
    """The book as its fixed copy reads back, without reading the copy: each certain fix's text in
    its table's cell (the copy holds it as text, which is what the reader gives back; a fix to
    nothing, of a placeholder like NULL, as the reader's empty cell). None where that is not
    certain and the copy must be read: a table with a formula (the copy holds its value, so XJ116
    no longer applies), a fix outside a table's data cells (the header), a fix that is not text,
    or a row left with nothing but what a template prefills (it would stop being a data row)."""
    if any(f.code == FORMULA for r in book.rosters for f in r.read_findings):
        return None
    rosters = {r.sheet: r for r in book.rosters}
    columns: dict[str, dict[str, list[object]]] = {}
    emptied: set[tuple[str, int]] = set()
    for (sheet, _), f in certain_fixes(findings).items():
        roster = rosters.get(sheet)
        if roster is None or not isinstance(f.fix, str):
            return None
        key = next((k for k in roster.cells if roster.letter(k) == f.column), None)
        index = _row_index(roster.rows, f.row)
        if key is None or index is None:
            return None
        columns.setdefault(sheet, {}).setdefault(key, list(roster.cells[key]))[index] = f.fix
        if is_blank(f.fix):
            emptied.add((sheet, index))
    fixed = [replace(r, cells={**r.cells, **columns[r.sheet]}) if r.sheet in columns else r for r in book.rosters]
    by_sheet = {r.sheet: r for r in fixed}
    for sheet, index in emptied:
        if all(is_blank(v[index]) for k, v in by_sheet[sheet].cells.items() if k not in PREFILL_KEYS):
            return None
    return Book(fixed, book.settings_rows)


def _row_index(rows: list[int], row: int) -> int | None:
    from bisect import bisect_left

    i = bisect_left(rows, row)  # the data rows are in sheet order
    return i if i < len(rows) and rows[i] == row else None
