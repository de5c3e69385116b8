"""校验: read a roster file, check it, report, and optionally write a marked copy."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from xueji_addin.actions.report import Report

from xueji_addin.rules.findings import Finding
from xueji_addin.rules.roster import Roster
from xueji_addin.spec.columns import column_index
from xueji_addin.workbook.reader import read_sheets, sniff

if TYPE_CHECKING:
    from xueji_addin.rules.context import Context
    from xueji_addin.workbook.host import FileHost


@dataclass
class Checked:
    roster: Roster
    findings: list[Finding]
    # The check's normalised texts, kept when asked (a printout reuses them; kept by all, a county
    # file's columns would outlive the check)
    context: Context | None = field(default=None, repr=False, compare=False)

    def report(self, file: str) -> Report:
        r = self.roster
        return Report.of(file, r.profile, r.sheet, len(r), self.findings)


def open_copy(path: str | Path, sheet: str, *more: str, touch: list[Checked] | None = None) -> FileHost:
    """An editable copy of the file in memory: the workbook itself for .xlsx, else the cells of
    ``sheet`` and of the ``more`` sheets (a .xls/.csv copy holds only what it is given).

    ``touch``: the checked tables whose findings' cells are all the copy will change (a fix, the
    marks): of an .xlsx their sheets hold only those cells and the header (light_copy.py)."""
    # openpyxl is imported only when a copy is made: checking alone never needs it (a third of
    # a fresh ``xueji validate``'s start-up went to importing it).
    from xueji_addin.workbook.host import FileHost

    p = Path(path)
    if sniff(p) == "xlsx" and p.suffix.lower() in (".xlsx", ".xlsm"):
        if touch is None:
            return FileHost.open(p)
        from xueji_addin.actions.mark import remembered_cells
        from xueji_addin.workbook.light_copy import open_light

        cells = remembered_cells(p)
        for c in touch:
            cells.setdefault(c.roster.sheet, set()).update(
                (f.row, column_index(f.column)) for f in c.findings if f.sheet == c.roster.sheet and f.row and f.column)
        return open_light(p, {c.roster.sheet: cells.get(c.roster.sheet, set()) for c in touch},
                          {c.roster.sheet: c.roster.header.header_row + 1 for c in touch})
    rows = {s.name: s.rows for s in read_sheets(p)}
    host = FileHost.from_rows(sheet, rows[sheet])
    for name in dict.fromkeys(more):
        if name not in host.sheet_names():
            host.replace_sheet(name, rows[name])
    return host
