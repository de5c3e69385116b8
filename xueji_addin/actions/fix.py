"""自动修正: apply the fixes that are certain, into a copy, and list what changed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from xueji_addin.actions.validate import Checked, open_copy
from xueji_addin.rules.findings import Finding
from xueji_addin.spec.columns import column_letter
from xueji_addin.spec.settings import Settings
from xueji_addin.workbook.host import Host


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
