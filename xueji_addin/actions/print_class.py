"""打印本班确认表: turn a class's roster into pages for students and parents to check and sign.

Written against data (a Roster, its findings, the settings): ``class_sheets`` decides what each page
says, ``add_confirm_sheets`` lays it out in any openpyxl workbook (a new file or the one open), and
``print_class`` is the ribbon button's use case on a Host.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from xueji_addin.actions import print_record
from xueji_addin.actions.class_list import ClassList, class_list
from xueji_addin.actions.parent_words import parent_text
from xueji_addin.actions.pipeline import CheckedBook, check_source
from xueji_addin.rules.context import Context
from xueji_addin.rules.engine import normalised
from xueji_addin.rules.findings import FORM_NOT_CONTENT, Finding, Severity
from xueji_addin.rules.mask import mask_id, mask_phone
from xueji_addin.rules.records import CODE_LABEL, student_key, unique_keys
from xueji_addin.rules.roster import Roster
from xueji_addin.spec.columns import Column, Kind, Required
from xueji_addin.spec.profiles import Role
from xueji_addin.spec.regions import full_name, is_known_county
from xueji_addin.spec.settings import Settings
from xueji_addin.workbook.atomic import XLSX, atomic_path
from xueji_addin.workbook.confirm_sheet import Item, Section, StudentForm, write_form
from xueji_addin.workbook.print_layout import Heading, add_sheet
from xueji_addin.workbook.roster_sheet import QR_HEADER, ROSTER_SIGN_HEADER, RosterTable, write_roster
from xueji_addin.workbook.host import FileHost, Host
from xueji_addin.workbook.names import FORM_SHEET, ROSTER_SHEET
from xueji_addin.workbook.reader import ReadError

Layout = Literal["form", "roster", "both"]

# The template's sections in the order a parent reads them (the profile says which column is in which).
SECTION_ORDER = (
    "学生个人基础信息", "学生个人辅助信息", "学生学籍基本信息", "学生个人联系信息", "学生个人扩展信息",
    "学生上下学交通方式", "家庭成员或监护人一", "家庭成员或监护人二",
)
# The roster's key fields (profile keys); 户口所在地 and 监护人 are derived, see ``_roster_row``.
ROSTER_KEYS = ("name", "gender", "birth_date", "id_number", "ethnicity", "hukou_region_code", "phone")
ROSTER_HEADERS = ("序号", "姓名", "性别", "出生日期", "身份证件号", "民族", "户口所在地", "联系电话", "监护人", CODE_LABEL,
                  QR_HEADER, ROSTER_SIGN_HEADER)
ROSTER_WIDTHS = (5.0, 9.0, 5.0, 11.0, 20.0, 8.0, 28.0, 13.0, 28.0, 14.0, 8.0, 20.0)  # 确认码: M and W print wide
ROSTER_RECORD = tuple(range(1, 9))  # 姓名 … 监护人: what a row's 确认码 hashes (not 序号, the code itself, 签字)
NO_CLASS = "（未填班号）"


@dataclass(frozen=True)
class ClassSheets:
    """Everything printed for one class."""

    heading: Heading
    forms: tuple[StudentForm, ...]
    roster: RosterTable
    names: tuple[str, ...]  # students' names, in page order
    id_numbers: tuple[str, ...]  # as printed (masked with --mask)
    keys: tuple[str, ...] = ()  # who each student is (``student_key``), in page order
    masked: bool = False  # printed with --mask


# --- what a value looks like on paper ---------------------------------------------------------

_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_YM = re.compile(r"^(\d{4})(\d{2})$")
_RANGE = re.compile(r"^(\d{8})-(\d{8})$")


def shown(col: Column, text: str, *, mask: bool, with_code: bool = True) -> str:
    """A normalised cell text as a parent reads it: dates with dashes, regions by name, masked numbers."""
    if not text:
        return ""
    kind = col.kind
    if kind is Kind.DATE and (m := _DATE.match(text)):
        return "-".join(m.groups())
    if kind is Kind.YEAR_MONTH and (m := _YM.match(text)):
        return "-".join(m.groups())
    if kind is Kind.DATE_RANGE and (m := _RANGE.match(text)):
        a, b = (shown(col.model_copy(update={"kind": Kind.DATE}), x, mask=mask) for x in m.groups())
        return f"{a} 至 {b}"
    if kind is Kind.REGION and text.isdigit() and len(text) in (6, 12) and is_known_county(text[:6]):
        name = full_name(text[:6])
        return f"{name}（{text}）" if with_code else name
    if kind is Kind.ID_NUMBER and mask:
        return mask_id(text)
    if kind is Kind.PHONE and mask:
        return mask_phone(text)
    return text


def _min_slots(col: Column, text: str, required: bool) -> int:
    """Room for a required field left blank, to be written in by hand (filled ones are measured)."""
    if text or not required:
        return 1
    if col.kind is Kind.ADDRESS:
        return 3
    if col.kind in (Kind.ID_NUMBER, Kind.REGION):
        return 2
    return 1


# Values equal to one printed above are shown as "同…", as paper forms do (rows saved for legibility).
SAME_AS = {
    "mailing_address": ("current_address", "同现住址"),
    "home_address": ("current_address", "同现住址"),
    "m1_address": ("current_address", "同学生现住址"),
    "m2_address": ("current_address", "同学生现住址"),
    "m1_hukou_region_code": ("hukou_region_code", "同学生户口所在地"),
    "m2_hukou_region_code": ("hukou_region_code", "同学生户口所在地"),
}


def _label(col: Column) -> str:
    """Within a family member's section the "成员1" prefix says nothing."""
    return col.header[3:] if col.member and col.header.startswith(f"成员{col.member}") else col.header


def _is_required(col: Column, two_members: bool) -> bool:
    return col.required is Required.YES or (col.required is Required.MEMBER2 and two_members)


# --- from a roster to pages -------------------------------------------------------------------


def class_sheets(roster: Roster, findings: list[Finding], settings: Settings | None = None, *,
                 class_no: str | None = None, mask: bool = False, classes: ClassList | None = None) -> list[ClassSheets]:
    """The pages of each class in the roster (or only ``class_no``), students in file order; a class
    is called by its 班级名称 where ``classes`` (else the settings) knows it."""
    settings = settings or Settings()
    known = classes if classes is not None else class_list(settings)
    ctx = normalised(roster, settings)
    classes = ctx.classes()
    order: dict[str, list[int]] = {}
    for i, c in enumerate(classes):
        order.setdefault(c or NO_CLASS, []).append(i)
    if class_no is not None:
        if class_no not in order:
            known = "、".join(order) or "无"
            raise ReadError(f"“{roster.source or roster.sheet}”中没有班号为 {class_no} 的学生（文件中的班号：{known}）。")
        order = {class_no: order[class_no]}
    by_cell = _findings_by_cell(roster, findings)
    keys = row_keys(ctx)
    school_codes = [s for s in ctx.v("school_code") if s]
    school = settings.school_name or settings.school_code or (school_codes[0] if school_codes else "")
    return [_one_class(ctx, by_cell, settings, Heading(school, cls, class_label(cls, known)), rows, mask, keys)
            for cls, rows in order.items()]


def class_label(class_no: str, classes: ClassList) -> str:
    """What a page calls the class: its 班级名称, else "20240101班"; nothing for rows without 班号
    (a whole-school print is not "（未填班号）班")."""
    if class_no == NO_CLASS:
        return ""
    return classes.names.get(class_no) or f"{class_no}班"


def book_classes(cb: CheckedBook) -> ClassList:
    """The class names a checked workbook knows (its 班级信息 sheet, else the settings)."""
    return class_list(cb.settings, [c.roster for c in cb.tables])


def row_keys(ctx: Context) -> list[str]:
    """Each row's ``student_key``, a repeated one told apart (#2) so that no row is lost; a row with
    neither 身份证件号 nor 姓名 nor 出生日期 is named by its row number."""
    keys = [student_key(*t) or f"（第 {r} 行：无证件号、姓名和出生日期）"
            for *t, r in zip(ctx.v("id_number"), ctx.v("name"), ctx.v("birth_date"), ctx.roster.rows)]
    return unique_keys(keys)


def _findings_by_cell(roster: Roster, findings: list[Finding]) -> dict[tuple[int, str], list[Finding]]:
    """(data index, profile key) → the findings at that cell a parent can act on (not the form of a value)."""
    index_of_row = {r: i for i, r in enumerate(roster.rows)}
    key_of_letter = {roster.letter(k): k for k in roster.profile.by_key}
    out: dict[tuple[int, str], list[Finding]] = {}
    for f in findings:
        i = index_of_row.get(f.row or 0)
        key = key_of_letter.get(f.column or "")
        if i is not None and key is not None and f.sheet == roster.sheet and f.code not in FORM_NOT_CONTENT:
            out.setdefault((i, key), []).append(f)
    return out


def _severity(found: list[Finding]) -> str | None:
    if not found:
        return None
    return "error" if any(f.severity is Severity.ERROR for f in found) else "warning"


def _text(ctx: Context, col: Column, i: int) -> str:
    return (ctx.names(col.key) if col.code_table else ctx.v(col.key))[i]


def _one_class(ctx: Context, by_cell: dict[tuple[int, str], list[Finding]], settings: Settings, heading: Heading,
               rows: list[int], mask: bool, keys: list[str]) -> ClassSheets:
    roster = ctx.roster
    profile = roster.profile
    title = _title(heading, "学生基本信息确认表")
    sections: dict[str, list[Column]] = {}
    for col in profile.columns:
        sections.setdefault(col.section, []).append(col)
    section_names = [s for s in SECTION_ORDER if s in sections] + [s for s in sections if s not in SECTION_ORDER]
    forms, table_rows, flagged = [], [], {}
    names, ids = [], []
    for n, i in enumerate(rows):
        problems: list[str] = []
        form_sections = []
        for s in section_names:
            items = []
            for col in sections[s]:
                found = by_cell.get((i, col.key), [])
                raw = _text(ctx, col, i)
                same = SAME_AS.get(col.key)
                if same and raw and not found and raw == _text(ctx, profile.by_key[same[0]], i):
                    text = same[1]
                else:
                    text = shown(col, raw, mask=mask)
                required = _is_required(col, settings.two_members_required)
                items.append(Item(_label(col), text, required, _severity(found), _min_slots(col, text, required)))
                problems += [parent_text(col, f) for f in found]
            form_sections.append(Section(s, tuple(items)))
        record = {k: _text(ctx, profile.by_key[k], i) for k in profile.by_key}
        seat = record.get("seat_no", "")
        subtitle = f"学生：{record['name']}" + (f"　班内学号：{seat}" if seat else "") + f"　（学籍表第 {roster.rows[i]} 行）"
        forms.append(StudentForm(title, subtitle, tuple(form_sections), tuple(dict.fromkeys(problems))))
        table_rows.append(_roster_row(ctx, record, n + 1, mask))
        for c, key in enumerate(ROSTER_KEYS, start=1):
            sev = _severity(by_cell.get((i, key), []))
            if sev:
                flagged[(n, c)] = sev
        names.append(record["name"])
        ids.append(shown(profile.by_key["id_number"], record["id_number"], mask=mask))
    roster_title = _title(heading, "学生基本信息核对名单")
    table = RosterTable(roster_title, ROSTER_HEADERS, ROSTER_WIDTHS, tuple(table_rows), flagged, ROSTER_RECORD)
    return ClassSheets(heading, tuple(forms), table, tuple(names), tuple(ids), tuple(keys[i] for i in rows), mask)


def _title(heading: Heading, what: str) -> str:
    return " ".join(p for p in (heading.school, heading.label, what) if p)


def _roster_row(ctx: Context, record: dict[str, str], number: int, mask: bool) -> tuple[str, ...]:
    cols = ctx.roster.profile.by_key
    cells = [str(number)]
    for key in ROSTER_KEYS:
        cells.append(shown(cols[key], record[key], mask=mask, with_code=False))
    cells.append(_guardian(record))
    cells += ["", "", ""]  # 确认码 and its QR (the writer computes them from the row), 签字
    return tuple(cells)


def _guardian(record: dict[str, str]) -> str:
    """The first family member marked as guardian (else member 1), with the relation."""
    members = [m for m in (1, 2) if record.get(f"m{m}_name")]
    guardians = [m for m in members if record.get(f"m{m}_is_guardian") == "是"] or members[:1]
    out = []
    for m in guardians:
        relation = record.get(f"m{m}_relation_note") if record.get(f"m{m}_relation") == "其他" else record.get(f"m{m}_relation")
        out.append(record[f"m{m}_name"] + (f"（{relation}）" if relation else ""))
    return "、".join(out)


# --- into a workbook --------------------------------------------------------------------------


_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\']")


def sheet_names(sheets: ClassSheets, layout: Layout, *, several: bool) -> list[tuple[str, str]]:
    """(kind, sheet name) of the sheets a class gets; the class is named only when there are several."""
    # Excel refuses some characters and more than 31 in a sheet name; a mistyped 班号 may hold them.
    prefix = _NOT_IN_SHEET_NAMES.sub("_", sheets.heading.label or "未填班号")[:25] if several else ""
    out = []
    if layout in ("form", "both"):
        out.append(("form", f"{prefix}{FORM_SHEET}"))
    if layout in ("roster", "both"):
        out.append(("roster", f"{prefix}{ROSTER_SHEET}"))
    return out


def builders(all_sheets: list[ClassSheets], layout: Layout) -> list[tuple[str, Callable[[Worksheet], None]]]:
    """(sheet name, function that lays the sheet out in a blank worksheet), in print order."""
    out: list[tuple[str, Callable[[Worksheet], None]]] = []
    several = len(all_sheets) > 1
    taken: set[str] = set()
    for s in all_sheets:
        for kind, name in sheet_names(s, layout, several=several):
            base, n = name, 2
            while name in taken:  # two 班号 that differ only in characters Excel refuses
                name, n = f"{base[:28]}({n})", n + 1
            taken.add(name)
            if kind == "form":
                out.append((name, lambda ws, s=s: write_form(ws, s.heading, s.forms)))
            else:
                out.append((name, lambda ws, s=s: write_roster(ws, s.heading, s.roster)))
    return out


def add_confirm_sheets(wb: Workbook, all_sheets: list[ClassSheets], layout: Layout, *, after: str | None = None) -> list[str]:
    """Lay the sheets out in ``wb`` (replacing sheets of the same names); returns their names."""
    names = []
    for name, build in builders(all_sheets, layout):
        ws = add_sheet(wb, name, after=after)
        build(ws)
        after = name
        names.append(name)
    return names


def write_confirm_file(path: str | Path, all_sheets: list[ClassSheets], layout: Layout, *,
                       protect: tuple[str | Path, ...] = ()) -> list[str]:
    """A new .xlsx holding only the confirmation sheets (and, hidden, the record of what they print)."""
    wb = Workbook()
    blank = wb.active
    names = add_confirm_sheets(wb, all_sheets, layout)
    wb.remove(blank)
    wb.active = 0
    rows = print_record.record_rows(print_record.printed_pages(all_sheets, layout))
    FileHost(wb).replace_sheet(print_record.RECORD_SHEET, rows, hidden=True)
    with atomic_path(path, protect=protect, kind=XLSX) as tmp:
        wb.save(tmp)
    return names


# --- the ribbon button ------------------------------------------------------------------------


@dataclass
class Printed:
    sheets: list[str]
    students: int
    errors: int

    def summary(self) -> str:
        if not self.sheets:
            return "这张表里没有学生，没有可打印的确认表。"
        tail = (f"表上还有 {self.errors} 处错误已用底色标出，请家长核对时一并改正后写回学籍表。"
                if self.errors else "家长核对无误后签字交回。")
        return (f"已生成“{'”“'.join(self.sheets)}”（{self.students} 名学生，每人一页），并已打开打印预览。{tail}")


def print_class(host: Host, sheet: str, settings: Settings | None = None, *, layout: Layout = "form",
                class_no: str | None = None, mask: bool = False) -> list[str]:
    """``print_sheets``, answering with the names of the sheets it built."""
    return print_sheets(host, sheet, settings, layout=layout, class_no=class_no, mask=mask).sheets


def print_sheets(host: Host, sheet: str, settings: Settings | None = None, *, layout: Layout = "form",
                 class_no: str | None = None, mask: bool = False) -> Printed:
    """Build the class's confirmation sheets beside ``sheet`` and open the first in print preview
    (the sheet's own students, or the workbook's student table when pressed on another table)."""
    cb = check_source(host, settings)
    # The students of this sheet; pressed on another sheet (班级信息 …), the workbook's student table.
    checked = next((c for c in cb.tables if c.roster.sheet == sheet and c.roster.profile.role is Role.STUDENTS),
                   None) or cb.students()
    findings = checked.findings
    all_sheets = class_sheets(checked.roster, findings, cb.settings, class_no=class_no, mask=mask,
                              classes=book_classes(cb))
    sheet = checked.roster.sheet
    names = []
    after = sheet
    for name, build in builders(all_sheets, layout):
        host.build_sheet(name, build, after=after)
        after = name
        names.append(name)
    if names:
        print_record.keep_record(host, print_record.printed_pages(all_sheets, layout))
        host.print_preview(names[0])
    students = sum(len(s.forms) for s in all_sheets)
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    return Printed(names, students, errors)


def print_active(host: Host, base: Settings | None = None) -> Printed:
    """打印本班确认表 (the ribbon button): the active sheet, with the workbook's own settings."""
    return print_sheets(host, host.active_sheet(), base)
