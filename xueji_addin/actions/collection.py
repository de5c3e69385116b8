"""The whole collection in one go: every table of a workbook (学生, 班级, 教师, 学校, 校区 sheets),
each checked by its own rules and all checked against each other (spec/tables/rules.md §5)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from xueji_addin.actions.validate import Checked, open_copy
from xueji_addin.rules import crosstable
from xueji_addin.rules.engine import checked as checked_context
from xueji_addin.rules.engine import normalised, sort_findings
from xueji_addin.rules.registry import without_superseded
from xueji_addin.rules.roster import Roster
from xueji_addin.spec.settings import Settings
from xueji_addin.workbook.reader import Book, read_book

if TYPE_CHECKING:
    from xueji_addin.workbook.host import Host


def reference_rosters(references: tuple[str | Path, ...]) -> list[Roster]:
    return [r for ref in references if ref for r in read_book(ref).rosters]


def check_book(book: Book, settings: Settings | None = None, *, references: list[Roster] = (),  # type: ignore[assignment]
               keep_contexts: bool = False, earlier: list[Checked] = ()) -> list[Checked]:  # type: ignore[assignment]
    """The one checker: each table by its own cell, row and roster rules, then all of them (and the
    ``references``: ``--classes 班级信息.xlsx``) against each other. Findings that land in a
    reference table are not reported; where a book rule's finding replaces another's on the same
    cell (the class table over the settings' class list), only it is kept. ``earlier``: the
    checked tables (with their contexts) of this book before some columns were replaced — fix's
    copy: what holds of the columns left as they were is taken over (rules/reuse.py)."""
    settings = settings or Settings()
    before = {c.roster.sheet: c.context for c in earlier if c.context is not None}
    contexts = [checked_context(r, settings, before.get(r.sheet)) for r in book.rosters]
    checked = [Checked(r, ctx.findings, ctx if keep_contexts else None) for r, ctx in zip(book.rosters, contexts)]
    contexts += [normalised(r, settings) for r in references]
    for ctx in contexts:
        ctx.findings = []  # each table's own findings are in ``checked`` already; keep what crosstable adds
    crosstable.check(contexts)
    for c, ctx in zip(checked, contexts):
        if ctx.findings:
            c.findings = without_superseded(c.findings, ctx.findings) + ctx.findings
        c.findings = sort_findings(c.findings, c.roster)
    return checked


def mark_book(host: Host, checked: list[Checked], settings: Settings | None = None) -> int:
    """Paint every checked sheet (each given its template's help again when its header allows);
    one 校验结果 sheet lists the findings of all of them."""
    from xueji_addin.actions.dropdowns import refresh_if_fits
    from xueji_addin.actions.mark import MARKS_SHEET, mark, write_results  # openpyxl: only when painting

    for c in checked:
        refresh_if_fits(host, c.roster, settings)
    memory: list[list[object]] = [["sheet", "cell", "fill", "note"]]
    n = 0
    for c in checked:
        n += mark(host, c.roster.sheet, c.findings)
        memory += host.read(MARKS_SHEET)[1:] if MARKS_SHEET in host.sheet_names() else []
    if len(checked) > 1:
        host.replace_sheet(MARKS_SHEET, memory, hidden=True)
        write_results(host, checked[0].roster.sheet, [f for c in checked for f in c.findings])
    return n


def write_marked_book(path: str | Path, checked: list[Checked], out: str | Path, settings: Settings | None = None) -> int:
    host = open_copy(path, *(c.roster.sheet for c in checked), touch=checked)
    n = mark_book(host, checked, settings)
    host.save(out, protect=(path,))
    return n
