"""核对签字版 / xueji diff --signed: which signed pages no longer match the data, and what changed.

The print's record says what each page printed and its 确认码; the same pages are laid out again
from today's roster (the one code path that lays out a page, so the same data gives the same code),
and every page whose code changed is a page to re-print and have signed again.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, Field

from xueji_addin.actions.diff import FieldChange, Student, masked_key
from xueji_addin.actions.class_pages import class_sheets
from xueji_addin.actions.print_pages import Layout
from xueji_addin.actions.print_record import FORM, RECORD_SHEET, PrintedPage, printed_pages, read_record
from xueji_addin.actions.settings_sheet import read_settings
from xueji_addin.rules.engine import check
from xueji_addin.rules.mask import mask_text
from xueji_addin.rules.records import key_digest
from xueji_addin.rules.roster import Roster
from xueji_addin.spec.settings import Settings
from xueji_addin.workbook.errors import ReadError
from xueji_addin.workbook.reader import table_on
from xueji_addin.workbook.host import Host

from xueji_addin.workbook.names import SIGNED_SHEET as RESULT_SHEET  # noqa: E402 (declared once there)
RESULT_HEADERS = ("结果", "版式", "班号", "姓名", "身份证件号", "项目", "签字时", "现在", "签字时确认码", "现在确认码")


class Reprint(Student):
    page: str  # 确认表 | 核对名单
    signed_code: str
    code: str
    fields: list[FieldChange]


class SignedCheck(BaseModel):
    reprint: list[Reprint] = Field(default_factory=list)  # code changed: print again, sign again
    removed: list[Student] = Field(default_factory=list)  # signed, no longer in the file
    added: list[Student] = Field(default_factory=list)  # in a printed class now, never signed
    signed: int = 0  # pages in the record

    @property
    def equal(self) -> bool:
        return not (self.reprint or self.removed or self.added)

    def summary(self) -> str:
        if self.equal:
            return f"签字版的 {self.signed} 页与现在的学籍表完全一致，不需要重新签字。"
        again = len({(r.key, r.page) for r in self.reprint})
        return (f"需重新打印签字 {again} 页（信息已改动）；签字后删除的学生 {len(self.removed)} 人，"
                f"新增未签字的学生 {len(self.added)} 人。")


def _changes(old: list[tuple[str, str]], new: list[tuple[str, str]], mask: bool) -> list[FieldChange]:
    before, after = dict(old), dict(new)
    labels = list(after) + [label for label in before if label not in after]
    hide = mask_text if mask else (lambda t: t)
    return [FieldChange(header=_header(label, labels), old=hide(before.get(label, "")), new=hide(after.get(label, "")))
            for label in labels if before.get(label, "") != after.get(label, "")]


def _header(label: str, labels: list[str]) -> str:
    """A form's "section·label" as the item's label, with its section where the label alone is ambiguous
    (现住址 of the student and of each family member)."""
    short = label.split("·")[-1]
    return short if sum(1 for x in labels if x.split("·")[-1] == short) == 1 else label


def _printed_id(page: PrintedPage) -> str:
    return next((v for label, v in page.fields if label.split("·")[-1] == "身份证件号"), "")


def check_signed(pages: list[PrintedPage], roster: Roster, settings: Settings | None = None, *,
                 mask: bool = False) -> SignedCheck:
    """The recorded pages against the pages ``roster`` prints today (masked as the record was)."""
    findings = check(roster, settings)  # a page's values depend on its marks ("同现住址" only when unmarked)
    kinds = {p.page for p in pages}
    layout: Layout = "both" if len(kinds) > 1 else ("form" if FORM in kinds else "roster")
    now: dict[tuple[str, str, bool], tuple[PrintedPage, str]] = {}  # (page, key digest, masked) → page, key
    for masked in sorted({p.masked for p in pages}):
        sheets = class_sheets(roster, findings, settings, mask=masked)
        keys = {key_digest(k): k for s in sheets for k in s.keys}
        for p in printed_pages(sheets, layout):
            now[(p.page, p.key, masked)] = (p, keys[p.key])
    out = SignedCheck(signed=len(pages))
    removed: list[PrintedPage] = []  # one entry per student, whichever of their pages
    seen: set[str] = set()
    for old in pages:
        found = now.get((old.page, old.key, old.masked))
        if found is None:
            if old.key not in {r.key for r in removed}:
                removed.append(old)
            continue
        new, key = found
        seen.add(old.key)
        if new.code != old.code:
            out.reprint.append(Reprint(key=masked_key(key, mask), name=new.name, class_no=new.class_no, page=old.page,
                                       signed_code=old.code, code=new.code, fields=_changes(old.fields, new.fields, mask)))
    out.removed = [Student(key=masked_key(_printed_id(p), mask), name=p.name, class_no=p.class_no) for p in removed]
    classes = {p.class_no for p in pages}
    added = {key: p for p, key in now.values() if p.class_no in classes and p.key not in seen}
    out.added = [Student(key=masked_key(k, mask), name=p.name, class_no=p.class_no) for k, p in added.items()]
    return out


def result_rows(result: SignedCheck) -> list[list[object]]:
    """The result as a table (the 签字版核对 sheet, the screen): one row per changed item."""
    rows: list[list[object]] = [list(RESULT_HEADERS)]
    for r in result.reprint:
        for f in r.fields or [FieldChange(header="", old="", new="")]:
            rows.append(["需重新签字", r.page, r.class_no, r.name, r.key, f.header, f.old, f.new, r.signed_code, r.code])
    rows += [["已删除（签字后不在表中）", "", s.class_no, s.name, s.key, "", "", "", "", ""] for s in result.removed]
    rows += [["新增（未签字）", "", s.class_no, s.name, s.key, "", "", "", "", ""] for s in result.added]
    return rows


@dataclass
class SignedReport:
    result: SignedCheck

    def summary(self) -> str:
        return self.result.summary() + ("" if self.result.equal else f"详见“{RESULT_SHEET}”表。")


def check_signed_active(host: Host, base: Settings | None = None) -> SignedReport:
    """核对签字版 (the ribbon button): the active sheet against the workbook's record of its last print."""
    if RECORD_SHEET not in host.sheet_names():
        raise ReadError("本工作簿里没有打印记录：请先用“打印本班确认表”打印并让家长签字；"
                        "以后信息有改动时，再点本按钮找出需要重新签字的学生。")
    sheet = host.active_sheet()
    roster = table_on(host, sheet)
    result = check_signed(read_record(host.read(RECORD_SHEET), "本工作簿"), roster, read_settings(host, base))
    if result.equal:  # nothing to list: an old result sheet would only mislead
        host.delete_sheet(RESULT_SHEET)
    else:
        host.replace_sheet(RESULT_SHEET, result_rows(result), widths={"A": 22, "D": 10, "E": 21, "F": 18, "G": 30, "H": 30})
        host.activate(RESULT_SHEET)
    return SignedReport(result)
