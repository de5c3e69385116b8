"""xueji diff: what changed between two versions of a roster, student by student.

Students are matched by ``student_key`` (身份证件号, else 姓名 + 出生日期), so the order of the rows,
the cells' formatting and the tool's own sheets do not matter; values are compared as the checker
normalises them (全角 digits, Excel numbers and dates, 汉 = 汉族) and shown as a page prints them.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from xueji_addin.actions.class_pages import NO_CLASS, row_keys
from xueji_addin.actions.printed_values import shown
from xueji_addin.rules.context import Context
from xueji_addin.rules.engine import normalised
from xueji_addin.rules.mask import mask_id, mask_text
from xueji_addin.rules.roster import Roster
from xueji_addin.spec.columns import Column
from xueji_addin.spec.settings import Settings


class FieldChange(BaseModel):
    header: str
    old: str
    new: str


class Student(BaseModel):
    key: str
    name: str
    class_no: str


class Moved(Student):
    old_class_no: str
    fields: list[FieldChange] = Field(default_factory=list)  # what else changed


class Changed(Student):
    fields: list[FieldChange]


class RosterDiff(BaseModel):
    added: list[Student] = Field(default_factory=list)
    removed: list[Student] = Field(default_factory=list)
    moved: list[Moved] = Field(default_factory=list)
    changed: list[Changed] = Field(default_factory=list)

    @property
    def equal(self) -> bool:
        return not (self.added or self.removed or self.moved or self.changed)

    def summary(self) -> str:
        if self.equal:
            return "两个版本的学生信息完全相同。"
        return (f"新增 {len(self.added)} 人，删除 {len(self.removed)} 人，换班 {len(self.moved)} 人，"
                f"信息有改动 {len(self.changed)} 人。")


def masked_key(key: str, mask: bool) -> str:
    """A key as a report shows it: an ID number keeps its region and last four with ``mask``."""
    if not mask or "（" in key:  # 姓名（出生日期）: no number to hide
        return key
    number, _, repeat = key.partition("#")
    return mask_id(number) + (f"#{repeat}" if repeat else "")


class Version:
    """One version of the roster: the normalised texts of each student, by key."""

    def __init__(self, roster: Roster, settings: Settings | None = None) -> None:
        self.ctx: Context = normalised(roster, settings)
        self.index = {k: i for i, k in enumerate(row_keys(self.ctx))}
        self.columns = {c.key: c for c in roster.profile.columns}
        self.classes = self.ctx.classes()

    def text(self, key: str, i: int) -> str:
        """The value compared: code columns by name (01, 汉 and 汉族 are one value)."""
        col = self.columns.get(key)
        if col is None or not self.ctx.has(key):
            return ""
        return (self.ctx.names(key) if col.code_table else self.ctx.v(key))[i]

    def student(self, key: str, mask: bool) -> Student:
        i = self.index[key]
        return Student(key=masked_key(key, mask), name=self.text("name", i),
                       class_no=self.classes[i] or NO_CLASS)


def value_shown(col: Column, text: str, mask: bool) -> str:
    out = shown(col, text, mask=mask)
    return mask_text(out) if mask else out


def diff_rosters(old: Roster, new: Roster, settings: Settings | None = None, *, mask: bool = False) -> RosterDiff:
    """Added, removed, moved (another 班号) and changed students from ``old`` to ``new``, in ``new``'s
    row order (removed ones in ``old``'s)."""
    a, b = Version(old, settings), Version(new, settings)
    out = RosterDiff()
    # Only the columns both versions have: a column one version lacks is a change of layout, not of students.
    class_keys = {*old.profile.class_keys, *new.profile.class_keys}  # a change of class is a move, not a field
    keys = [k for k in b.columns if k in a.columns and k not in class_keys and a.ctx.has(k) and b.ctx.has(k)]
    for key, j in b.index.items():
        i = a.index.get(key)
        if i is None:
            out.added.append(b.student(key, mask))
            continue
        fields = [FieldChange(header=b.columns[k].header, old=value_shown(a.columns[k], a.text(k, i), mask),
                              new=value_shown(b.columns[k], b.text(k, j), mask))
                  for k in keys if a.text(k, i) != b.text(k, j)]
        student = b.student(key, mask)
        old_class = a.classes[i] or NO_CLASS
        if old_class != student.class_no:
            out.moved.append(Moved(**student.model_dump(), old_class_no=old_class, fields=fields))
        elif fields:
            out.changed.append(Changed(**student.model_dump(), fields=fields))
    out.removed = [a.student(key, mask) for key in a.index if key not in b.index]
    return out


DIFF_HEADERS = ("变化", "班号", "姓名", "学生", "项目", "原来", "现在")


def diff_rows(diff: RosterDiff) -> list[list[str]]:
    """The differences as a table (the screen's): one row per changed item."""
    rows = [list(DIFF_HEADERS)]
    rows += [["新增", s.class_no, s.name, s.key, "", "", ""] for s in diff.added]
    rows += [["删除", s.class_no, s.name, s.key, "", "", ""] for s in diff.removed]
    for m in diff.moved:
        rows.append(["换班", m.class_no, m.name, m.key, "班号", m.old_class_no, m.class_no])
        rows += [["换班", m.class_no, m.name, m.key, f.header, f.old, f.new] for f in m.fields]
    for c in diff.changed:
        rows += [["改动", c.class_no, c.name, c.key, f.header, f.old, f.new] for f in c.fields]
    return rows
