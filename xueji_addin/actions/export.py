"""导出导入文件: the clean file the national system imports, refused while errors remain.

The values are the checked texts (an ID Excel stored as a number becomes its digits, a date
becomes 20110101), every one written as text, in exactly the profile's columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from xueji_addin.rules.engine import check, normalised
from xueji_addin.rules.findings import Finding, Severity
from xueji_addin.rules.roster import Roster
from xueji_addin.spec.settings import Settings
from xueji_addin.workbook.import_file import part_paths, write_import_file


@dataclass
class Export:
    roster: Roster
    findings: list[Finding]
    rows: list[list[str]]
    written: list[tuple[Path, int]] = field(default_factory=list)  # (file, rows)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]


def export_rows(roster: Roster, settings: Settings | None = None) -> Export:
    """Check the roster and lay out its values as the import file's text rows."""
    findings = check(roster, settings)
    ctx = normalised(roster, settings)
    columns = [ctx.v(c.key) if ctx.has(c.key) else [""] * len(roster) for c in roster.profile.columns]
    rows = [list(r) for r in zip(*columns)] if len(roster) else []
    return Export(roster, findings, rows)


def write_export(exp: Export, out: str | Path, *, max_rows: int | None = None,
                 protect: tuple[str | Path, ...] = ()) -> list[tuple[Path, int]]:
    """Write one file, or several of at most ``max_rows`` pupils each (out_1.xls, out_2.xls, …)."""
    size = max_rows if max_rows and max_rows > 0 else max(len(exp.rows), 1)
    chunks = [exp.rows[i:i + size] for i in range(0, len(exp.rows), size)] or [[]]
    for path, chunk in zip(part_paths(out, len(chunks)), chunks):
        write_import_file(path, exp.roster.profile, chunk, protect=protect)
        exp.written.append((path, len(chunk)))
    return exp.written
