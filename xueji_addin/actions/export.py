"""导出导入文件: the clean file the national system imports, refused while errors remain.

The values are the checked texts (an ID Excel stored as a number becomes its digits, a date
becomes 20110101), every one written as text, in exactly the profile's columns.
"""

from __future__ import annotations

import glob

from dataclasses import dataclass, field
from pathlib import Path

from xueji_addin.actions.outputs import free_path, workbook_folder
from xueji_addin.actions.pipeline import check_source
from xueji_addin.actions.validate import Checked
from xueji_addin.rules.engine import normalised
from xueji_addin.rules.findings import Finding, Severity
from xueji_addin.rules.roster import Roster
from xueji_addin.spec.settings import Settings
from xueji_addin.workbook.host import Host
from xueji_addin.workbook.reader import ReadError
from xueji_addin.workbook.roster_file import file_part
from xueji_addin.workbook.atomic import whole_set
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


def export_rows(checked: Checked, settings: Settings | None = None) -> Export:
    """Lay out a checked table's values as the import file's text rows (its findings decide whether
    it may be exported)."""
    roster, findings = checked.roster, checked.findings
    # the check's own normalised texts when it kept them (under these settings): not made twice
    ctx = checked.context if checked.context is not None else normalised(roster, settings)
    columns = [ctx.v(c.key) if ctx.has(c.key) else [""] * len(roster) for c in roster.profile.columns]
    rows = [list(r) for r in zip(*columns)] if len(roster) else []
    return Export(roster, findings, rows)


def write_export(exp: Export, out: str | Path, *, max_rows: int | None = None,
                 protect: tuple[str | Path, ...] = ()) -> list[tuple[Path, int]]:
    """Write one file, or several of at most ``max_rows`` pupils each (out_1.xls, out_2.xls, …)."""
    size = max_rows if max_rows and max_rows > 0 else max(len(exp.rows), 1)
    chunks = [exp.rows[i:i + size] for i in range(0, len(exp.rows), size)] or [[]]
    parts = list(zip(part_paths(out, len(chunks)), chunks))
    if len(parts) == 1:  # one file: the atomic writer alone makes it whole or absent
        write_import_file(parts[0][0], exp.roster.profile, parts[0][1], protect=protect)
        exp.written.append((parts[0][0], len(parts[0][1])))
        return exp.written
    marker = Path(out).with_name(f"{Path(out).stem}_导出未完成.txt")
    with whole_set(marker, "导出", lambda: [p for p, _ in exp.written]):
        for path, chunk in parts:
            write_import_file(path, exp.roster.profile, chunk, protect=protect)
            exp.written.append((path, len(chunk)))
    return exp.written


def stale_parts(out: str | Path, written: list[tuple[Path, int]]) -> list[Path]:
    """Parts of an earlier export beside this one (out_3.xlsx after a new export in two parts, or
    out_1… beside a new single out.xlsx): never deleted, but named, so none is imported by mistake."""
    p = Path(out)
    mine = {path for path, _ in written}
    found = []
    for other in sorted(p.parent.glob(f"{glob.escape(p.stem)}_*{p.suffix}")):
        number = other.stem[len(p.stem) + 1:]
        if number.isdigit() and other not in mine:
            found.append(other)
    return found


# --- the ribbon button ------------------------------------------------------------------------


@dataclass
class Exported:
    path: Path
    rows: str  # "45 名学生" (or staff, classes… for the collection's other tables)
    warnings: int

    @property
    def opens(self) -> Path:
        return self.path.parent

    def summary(self) -> str:
        tail = f"（另有 {self.warnings} 个提示，不影响导入，建议再看一眼）" if self.warnings else ""
        return (f"已导出上报文件“{self.path.name}”：{self.rows}，工作表名、列名和顺序与模板完全一致，"
                f"全部为文本{tail}。文件在“{self.path.parent}”中，可直接导入学籍系统。")


def export_name(exp: Export, settings: Settings) -> str:
    """DECISIONS.md §10: ``<学校>_<班号>.xlsx`` for one class, ``<学校>_全部学生.xlsx`` for more."""
    ctx = normalised(exp.roster, settings)
    school = settings.school_name or settings.school_code or next((v for v in ctx.v("school_code") if v), "学校")
    classes = {v for v in ctx.classes() if v}
    part = next(iter(classes)) if len(classes) == 1 else "全部学生"
    return f"{file_part(school)}_{file_part(part)}.xlsx"


def export_active(host: Host, base: Settings | None = None) -> Exported:
    """导出上报文件 (the ribbon button): the students of the active sheet (the workbook's student table when
    pressed on another table, as ``xueji export``), refused while they have errors."""
    folder = workbook_folder(host, "导出上报文件")
    cb = check_source(host, base)
    settings = cb.settings
    exp = export_rows(cb.students_on(host.active_sheet()), settings)  # the students, as ``xueji export``
    if exp.errors:
        first = exp.errors[0]
        raise ReadError(f"还有 {len(exp.errors)} 个错误，导入时会被拒绝，所以没有导出。请先点“校验本表”，按“校验结果”表逐个改正"
                        f"（第一个：{first.cell} {first.message}），改完再导出。")
    path = free_path(folder / export_name(exp, settings))
    write_export(exp, path)
    return Exported(path, exp.roster.profile.count(len(exp.rows)), len(exp.findings))
