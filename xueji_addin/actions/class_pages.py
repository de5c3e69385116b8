"""The print's pages of one class: from a checked roster to what each page says (``class_sheets``):
a form per student, with the findings a parent can act on in the parent's words, and the class's
roster with the cells to check flagged. Written against data (a Roster, its findings, the settings);
``print_pages`` lays it out."""

from __future__ import annotations

from dataclasses import dataclass

from xueji_addin.actions.class_list import ClassList, class_list
from xueji_addin.actions.parent_words import parent_text
from xueji_addin.actions.pipeline import CheckedBook
from xueji_addin.actions.printed_values import SAME_AS, guardian, field_label, is_required, min_slots, shown
from xueji_addin.rules.context import Context
from xueji_addin.rules.engine import normalised
from xueji_addin.rules.findings import FORM_NOT_CONTENT, Finding, Severity
from xueji_addin.rules.records import CODE_LABEL, student_key, unique_keys
from xueji_addin.rules.roster import Roster
from xueji_addin.spec.columns import Column
from xueji_addin.spec.settings import Settings
from xueji_addin.workbook.form_layout import Item, Section, StudentForm
from xueji_addin.workbook.print_layout import Heading
from xueji_addin.workbook.reader import ReadError
from xueji_addin.workbook.roster_sheet import QR_HEADER, ROSTER_SIGN_HEADER, RosterTable

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



def class_sheets(roster: Roster, findings: list[Finding], settings: Settings | None = None, *,
                 class_no: str | None = None, mask: bool = False, classes: ClassList | None = None,
                 context: Context | None = None) -> list[ClassSheets]:
    """The pages of each class in the roster (or only ``class_no``), students in file order; a class
    is called by its 班级名称 where ``classes`` (else the settings) knows it. ``context``: the check's
    normalised texts of ``roster`` under the same settings, when the caller kept them."""
    settings = settings or Settings()
    known = classes if classes is not None else class_list(settings)
    ctx = context if context is not None else normalised(roster, settings)
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
                required = is_required(col, settings.two_members_required)
                items.append(Item(field_label(col), text, required, _severity(found), min_slots(col, text, required)))
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
    cells.append(guardian(record))
    cells += ["", "", ""]  # 确认码 and its QR (the writer computes them from the row), 签字
    return tuple(cells)
