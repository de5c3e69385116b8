"""Checks across the tables of one collection (spec/tables/rules.md §5): each table is a Context of
normalised values; a finding is placed at the cell of the table that has to change."""

from __future__ import annotations

from collections import Counter

from xueji_addin.rules import tables_common as tc
from xueji_addin.rules.context import Context
from xueji_addin.rules.findings import ERROR, WARNING, Issue, rule
from xueji_addin.rules.places import CLASS_UNKNOWN, check_school_code
from xueji_addin.rules.registry import Scope, book_rules, checks
from xueji_addin.spec.profiles import Role

CLASS_MISSING = rule("XJ1501", ERROR, "roster", "学生的班号不在班级信息表中")
SCHOOL_DIFFERS = rule("XJ1502", ERROR, "roster", "各表的学校标识码不一致")
HEAD_NOT_TEACHER = rule("XJ1503", WARNING, "roster", "班主任不在教师基本信息表中")
CLASS_YEARS = rule("XJ1504", WARNING, "roster", "班级学制与学校基本信息表中该学段的学制不同")
CLASS_STAGE = rule("XJ1505", WARNING, "roster", "班级的年级不属于本校的学段")
CAMPUS_MISSING = rule("XJ1506", ERROR, "roster", "班级的校区号不在校区基本信息表中")
TEACHER_IS_STUDENT = rule("XJ1507", WARNING, "roster", "教师的身份证件号与本校某位学生相同")
HEAD_NAME = rule("XJ1508", WARNING, "roster", "班主任姓名与教师表中该工号的姓名不同")

Tables = dict[Role, Context]  # the first table of each role in the book


def check(tables: list[Context]) -> None:
    """Add the cross-table findings to each table's own Context (the first table of each role counts)."""
    by_role: Tables = {}
    for ctx in tables:
        by_role.setdefault(ctx.roster.profile.role, ctx)
    for record in book_rules():
        record.fn(by_role)


@checks(Scope.BOOK, roles=tuple(Role), emits=(SCHOOL_DIFFERS,), reads=("school_code",))
def school_codes(tables: Tables) -> None:
    _school_codes(list(tables.values()), tables.get(Role.SCHOOL))


@checks(Scope.BOOK, roles=(Role.STUDENTS, Role.CLASSES), emits=(CLASS_MISSING,), reads=("class_no",),
        supersedes=(CLASS_UNKNOWN,))  # the class table, where there is one, is the school's class list
def student_classes(tables: Tables) -> None:
    students, classes = tables.get(Role.STUDENTS), tables.get(Role.CLASSES)
    if students and classes:
        _student_classes(students, classes)


@checks(Scope.BOOK, roles=(Role.CLASSES, Role.TEACHERS), emits=(HEAD_NOT_TEACHER, HEAD_NAME),
        reads=("head_teacher_staff_no", "head_teacher_name", "staff_no", "name"))
def heads(tables: Tables) -> None:
    classes, teachers = tables.get(Role.CLASSES), tables.get(Role.TEACHERS)
    if classes and teachers:
        _heads(classes, teachers)


@checks(Scope.BOOK, roles=(Role.CLASSES, Role.SCHOOL), emits=(CLASS_YEARS, CLASS_STAGE), reads=("grade", "class_years"))
def class_vs_school(tables: Tables) -> None:
    classes, school = tables.get(Role.CLASSES), tables.get(Role.SCHOOL)
    if classes and school:
        _class_vs_school(classes, school)


@checks(Scope.BOOK, roles=(Role.CLASSES, Role.CAMPUS), emits=(CAMPUS_MISSING,), reads=("campus_no",))
def campuses(tables: Tables) -> None:
    classes, campus = tables.get(Role.CLASSES), tables.get(Role.CAMPUS)
    if not (classes and campus):
        return
    known = {v for v in campus.v("campus_no") if v}
    for i, v in enumerate(classes.v("campus_no")):
        if v and known and v not in known:
            classes.add(Issue(CAMPUS_MISSING, f"校区号 {v} 不在校区基本信息表中", f"已有校区号：{'、'.join(sorted(known))}"), i, "campus_no")


@checks(Scope.BOOK, roles=(Role.TEACHERS, Role.STUDENTS), emits=(TEACHER_IS_STUDENT,), reads=("id_number",))
def teacher_ids(tables: Tables) -> None:
    teachers, students = tables.get(Role.TEACHERS), tables.get(Role.STUDENTS)
    if not (teachers and students):
        return
    student_ids = {v.upper() for v in students.v("id_number") if v}
    for i, v in enumerate(teachers.v("id_number")):
        if v and v.upper() in student_ids:
            teachers.add(Issue(TEACHER_IS_STUDENT, "与本校一位学生的身份证件号相同", "核对教师的身份证件号"), i, "id_number")


def _school_codes(tables: list[Context], school: Context | None) -> None:
    """The school table's 学校标识码 is the reference; without one, the code most rows carry."""
    fix: str | None = None
    if school is not None:
        reference = next((v for v in school.v("school_code") if v), "")
        where = "学校基本信息表"
        # Only a code this run finds right in the school table is a model for the other tables'
        # (fix would copy a wrong one into every row); else the suggestion says to mend it first.
        wrong = check_school_code(reference, school.settings.school_code)
        fix = None if wrong else reference
        advice = (f"改为 {reference}" if fix else
                  f"学校基本信息表的学校标识码 {reference} 本身有误（{wrong[0].message}），请先改正它，再统一各表")
    else:
        counts = Counter(v for ctx in tables for v in ctx.v("school_code") if v)
        if len(counts) < 2:
            return
        reference = counts.most_common(1)[0][0]
        where, advice = "其他各表", f"改为 {reference}"
    if not reference:
        return
    for ctx in tables:
        if ctx is school or not ctx.has("school_code"):
            continue
        for i, v in enumerate(ctx.v("school_code")):
            if v and v != reference:
                ctx.add(Issue(SCHOOL_DIFFERS, f"学校标识码 {v} 与{where}的 {reference} 不同", advice, fix=fix), i, "school_code")


def _student_classes(students: Context, classes: Context) -> None:
    known = list(dict.fromkeys(v for v in classes.v("class_no") if v))  # a class listed twice is shown once
    if not known:
        return
    names = dict(zip(classes.v("class_no"), classes.v("class_name")))
    shown = "、".join(f"{no}（{names[no]}）" if names.get(no) else no for no in known[:8]) + ("……" if len(known) > 8 else "")
    known_set = set(known)
    for i, v in enumerate(students.v("class_no")):
        if v and v not in known_set:
            students.add(Issue(CLASS_MISSING, f"班号 {v} 不在班级信息表中（学籍系统按班号自动入班）",
                               f"先在班级信息表中建班，或改为已建班级的班号：{shown}"), i, "class_no")


def _heads(classes: Context, teachers: Context) -> None:
    staff = {no: name for no, name in zip(teachers.v("staff_no"), teachers.v("name")) if no}
    names = {n for n in teachers.v("name") if n}
    for i, (no, name) in enumerate(zip(classes.v("head_teacher_staff_no"), classes.v("head_teacher_name"))):
        if no and staff and no not in staff:
            classes.add(Issue(HEAD_NOT_TEACHER, f"工号 {no} 不在教师基本信息表中", "核对班主任工号，或把这位教师补进教师表"), i, "head_teacher_staff_no")
        elif no and staff.get(no) and name and staff[no] != name:
            classes.add(Issue(HEAD_NAME, f"教师表中工号 {no} 是“{staff[no]}”", f"核对班主任姓名或工号（工号 {no} 对应“{staff[no]}”）"), i, "head_teacher_name")
        elif not no and name and names and name not in names:
            classes.add(Issue(HEAD_NOT_TEACHER, f"“{name}”不在教师基本信息表中", "核对班主任姓名，或把这位教师补进教师表"), i, "head_teacher_name")


def _class_vs_school(classes: Context, school: Context) -> None:
    school_code = next((v for v in school.v("school_code") if v), "")
    school_type = next((v for v in school.names("school_type") if v), "")
    stages = tc.stages_of_school(school_type, school_code)
    years = {stage: tc.number(next((v for v in school.v(key) if v), "")) for stage, key in tc.YEARS_KEY.items()}
    for i, (grade, y) in enumerate(zip(classes.names("grade"), classes.v("class_years"))):
        gs = tc.grade_stage(grade)
        if gs is None:
            continue
        stage = gs[0]
        if stages and stage not in stages:
            classes.add(Issue(CLASS_STAGE, f"“{grade}”是{stage}，本校（{school_type or school_code[:2]}）没有{stage}",
                              "核对年级，或学校基本信息表中的办学类型"), i, "grade")
            continue
        want, n = years.get(stage), tc.number(y)
        if want is not None and n in tc.ALLOWED_YEARS[stage] and n != want:  # an impossible 学制 is XJ1108's
            classes.add(Issue(CLASS_YEARS, f"学校基本信息表中{stage}学制是 {want:g} 年，此班是 {y} 年",
                              f"班级学制应与学校一致，改为 {want:g}", fix=f"{want:g}"), i, "class_years")
