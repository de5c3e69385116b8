"""The one flow every command and every ribbon button takes: read the book, settle its settings,
check it. Sinks (marks, reports, copies, printouts, exports) take what this returns.

``source`` is a file path (the command line) or a Host (the open workbook in Excel, or a file
host): both are read by ``read_book``, checked by ``check_book``, and settled by the same rule for
settings (the workbook's own 学校设置 sheet over xueji.toml / --settings).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from xueji_addin.actions.collection import check_book
from xueji_addin.actions.validate import Checked
from xueji_addin.rules.roster import Roster
from xueji_addin.spec.profiles import Profile, Role
from xueji_addin.spec.settings import Settings
from xueji_addin.workbook.reader import Book, ReadError, SheetSource, not_a_table, read_book, source_name
from xueji_addin.workbook.settings_sheet import EDITABLE, SETTINGS_SHEET, cell_text, label, settings_from_rows


@dataclass
class CheckedBook:
    """A book with its settings and every table's findings (cross-table ones included)."""

    name: str  # the file's name, for messages
    book: Book
    settings: Settings
    tables: list[Checked]
    note: str = ""  # what the workbook's own settings sheet changed, as one sentence ("" when nothing)

    def table(self, role: Role) -> Checked | None:
        return next((c for c in self.tables if c.roster.profile.role is role), None)

    def students(self) -> Checked:
        """The student table; ReadError with one sentence when the workbook has none."""
        roster = self.book.students(self.name)
        return next(c for c in self.tables if c.roster is roster)

    def students_on(self, sheet: str) -> Checked:
        """The student table on ``sheet``, else the workbook's (``Book.students_on``)."""
        roster = self.book.students_on(sheet, self.name)
        return next(c for c in self.tables if c.roster is roster)

    def on_sheet(self, sheet: str) -> Checked:
        """The table on ``sheet`` (a button pressed on it); ReadError when the sheet holds none."""
        found = next((c for c in self.tables if c.roster.sheet == sheet), None)
        if found is None:
            raise ReadError(not_a_table(sheet))
        return found


def book_settings(book: Book, base: Settings | None, doing: str = "检查") -> tuple[Settings, str]:
    """The workbook's own 学校设置 sheet over ``base``, and a sentence saying what it changed."""
    base = base or Settings()
    if not book.settings_rows:
        return base, ""
    own = settings_from_rows(book.settings_rows, base)
    changed = [name for name in EDITABLE if getattr(own, name) != getattr(base, name)]
    if not changed:
        return own, ""
    what = "，".join(f"{label(name)} {cell_text(getattr(own, name))}" for name in changed)
    return own, f"按文件中“{SETTINGS_SHEET}”表的设置{doing}：{what}"


def check_source(source: str | Path | SheetSource, base: Settings | None = None, *, doing: str = "检查",
                 references: list[Roster] = (), profiles: list[Profile] | None = None,  # type: ignore[assignment]
                 keep_contexts: bool = False) -> CheckedBook:
    """Read, settle the settings, check: the one flow (``references``: tables of further files that
    take part in the cross-table checks, e.g. ``--classes 班级信息.xlsx``, read once for many books)."""
    book = read_book(source, profiles=profiles)
    settings, note = book_settings(book, base, doing)
    name = Path(source).name if isinstance(source, (str, Path)) else source_name(source)
    checked = check_book(book, settings, references=list(references), keep_contexts=keep_contexts)
    return CheckedBook(name, book, settings, checked, note)
