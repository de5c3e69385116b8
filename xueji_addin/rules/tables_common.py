"""What the 学校/校区/班级/教师 tables share: required cells, one 学校标识码, unique keys, and the
school's stages (学段) read from 办学类型, 学校标识码, 年级 and 班级类型 (spec/tables/rules.md §1.9, §3.6)."""

from __future__ import annotations

from collections import Counter, defaultdict

from xueji_addin.rules.context import Context
from xueji_addin.rules.crossrow import MIXED_SCHOOL
from xueji_addin.rules.findings import Issue, Severity
from xueji_addin.rules.rows import REQUIRED
from xueji_addin.spec.codes import TABLES_PREFIX, code_table
from xueji_addin.spec.columns import Required
from xueji_addin.rules.registry import Scope, checks
from xueji_addin.spec.profiles import Role

PRIMARY, JUNIOR, SENIOR = "小学", "初中", "高中"
STAGES = (PRIMARY, JUNIOR, SENIOR)
# 学校标识码 type prefix → the stages a school of that type teaches (rules.md §1.9).
_PREFIX_STAGES = {"21": {PRIMARY}, "31": {JUNIOR}, "34": {SENIOR}}
# 办学类型 (BXLX) code → stages; 312 九年一贯制, 341 完全中学, 345 十二年一贯制 span several.
_TYPE_STAGES = {
    "211": {PRIMARY}, "218": {PRIMARY}, "219": {PRIMARY},
    "311": {JUNIOR}, "319": {JUNIOR}, "312": {PRIMARY, JUNIOR},
    "341": {JUNIOR, SENIOR}, "342": {SENIOR}, "349": {SENIOR}, "345": {PRIMARY, JUNIOR, SENIOR},
    "371": {JUNIOR},
}
YEARS_KEY = {PRIMARY: "primary_years", JUNIOR: "junior_years", SENIOR: "senior_years"}
ALLOWED_YEARS = {PRIMARY: (5, 6), JUNIOR: (3, 4), SENIOR: (3,)}


def school_type_code(name: str) -> str | None:
    return code_table(TABLES_PREFIX + "BXLX").code_of(name) if name else None


def stages_of_school(school_type: str, school_code: str) -> set[str]:
    """The stages a school teaches: from its 办学类型 when known, else from its 学校标识码 prefix."""
    code = school_type_code(school_type)
    if code in _TYPE_STAGES:
        return set(_TYPE_STAGES[code])
    return set(_PREFIX_STAGES.get(school_code[:2], set()))


def grade_stage(grade: str) -> tuple[str, int] | None:
    """(stage, index within the stage) of a 年级 name, from the T_NJ codes (stage digit + grade digit)."""
    code = code_table(TABLES_PREFIX + "NJ").code_of(grade) if grade else None
    if not code or len(code) != 2:
        return None
    stage = {"1": PRIMARY, "2": JUNIOR, "3": SENIOR}.get(code[0])
    return (stage, int(code[1])) if stage else None


def class_type_stage(class_type: str) -> str | None:
    """The stage of a 班级类型 (ZXXBJLX): codes 1x 小学, 2x 初中, 4x 高中."""
    code = code_table(TABLES_PREFIX + "ZXXBJLX").code_of(class_type) if class_type else None
    return {"1": PRIMARY, "2": JUNIOR, "4": SENIOR}.get(code[0]) if code else None


def number(text: str) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None


@checks(Scope.ROW, roles=(Role.CLASSES, Role.TEACHERS, Role.SCHOOL, Role.CAMPUS), emits=(REQUIRED,))
def required(ctx: Context) -> None:
    """Every always-required cell that is empty (conditional ones are the table's own rules)."""
    for col in ctx.roster.profile.columns:
        if col.required is not Required.YES or not ctx.has(col.key):
            continue
        issue = Issue(REQUIRED, "必填项为空", ("请填写：" + col.help) if col.help else "请填写此项")
        for i, text in enumerate(ctx.v(col.key)):
            if not text:
                ctx.add(issue, i, col.key)


@checks(Scope.ROSTER, roles=(Role.CLASSES, Role.SCHOOL, Role.CAMPUS), emits=(MIXED_SCHOOL,), reads=("school_code",))
def one_school(ctx: Context) -> None:
    """One 学校标识码 in the whole table (well-formed values only: others have their own finding)."""
    values = ctx.v("school_code")
    counts = Counter(v for v in values if len(v) == 10 and v.isdigit())
    if len(counts) < 2 or ctx.settings.school_code:
        return  # with the school's code in the settings each cell is compared with it (XJ614)
    majority, n = counts.most_common(1)[0]
    for i, v in enumerate(values):
        if v in counts and v != majority:
            ctx.add(Issue(MIXED_SCHOOL, f"本表大多数行（{n}行）的学校标识码是 {majority}，此行是 {v}",
                          "一所学校的表中学校标识码全部相同；核对学校标识码"), i, "school_code")


def unique(ctx: Context, key: str, code: str, what: str, severity: Severity | None = None) -> None:
    """Each value of ``key`` at most once in the table; every repeat is marked with the other rows."""
    if not ctx.has(key):
        return
    groups: defaultdict[str, list[int]] = defaultdict(list)
    for i, v in enumerate(ctx.v(key)):
        if v:
            groups[v].append(i)
    rows = ctx.roster.rows
    for v, idx in groups.items():
        if len(idx) < 2:
            continue
        for i in idx:
            others = "、".join(str(rows[j]) for j in idx if j != i)
            ctx.add(Issue(code, f"{what}“{v}”与第{others}行重复", f"本校的{what}不能重复；核对后改正", severity=severity), i, key)


def reword(ctx: Context, key: str, issue: Issue) -> None:
    """Say ``issue``'s message and suggestion in place of what the shared cell check wrote for the
    findings of the same code in ``key``'s column: the engine checks ID numbers for every table with
    the student template's words ("学生身份证号…"); a table whose rows are other people says so."""
    if not ctx.has(key):
        return
    letter = ctx.roster.letter(key)
    for n, f in enumerate(ctx.findings):
        if f.code == issue.code and f.column == letter:
            ctx.findings[n] = f.model_copy(update={"message": issue.message, "suggestion": issue.suggestion})
