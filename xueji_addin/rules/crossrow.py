"""Rules across rows of one roster: duplicates, and one school / one class per file (rules.md §0.2, §1.1, §4, §5)."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from xueji_addin.rules import places
from xueji_addin.rules.context import Context, positions
from xueji_addin.rules.findings import ERROR, WARNING, Issue, rule
from xueji_addin.rules.registry import Scope, checks
from xueji_addin.spec.profiles import Role

DUP_ID = rule("XJ901", ERROR, "roster", "身份证件号与其他行重复")
DUP_NAME_BIRTH = rule("XJ902", WARNING, "roster", "姓名和出生日期都与其他行相同（可能重复录入）")
MIXED_SCHOOL = rule("XJ903", ERROR, "roster", "同一文件中有不同的学校标识码")
MIXED_CLASS = rule("XJ904", WARNING, "roster", "同一班级文件中有不同的班号")
DUP_CONTINUATION = rule("XJ905", ERROR, "roster", "学籍接续标识与其他行重复（学籍接续版模板）")


def _groups(values: list) -> dict[object, list[int]]:
    """Each value (not blank) that occurs more than once → its row indexes."""
    counts = Counter(values)
    repeated = {v for v, n in counts.items() if n > 1 and v}
    groups: dict[object, list[int]] = {}
    for i in positions(values, repeated):
        groups.setdefault(values[i], []).append(i)
    return groups


def _repeated_pairs(first: list[str], second: list[str]) -> list[list[int]]:
    """The row indexes of each (first, second) pair, neither blank, that occurs more than once, in
    order of their first row. Only rows whose first value repeats can hold one, so the pairs are
    made for those alone (a school's names mostly differ: no tuple per student)."""
    found: list[list[int]] = []
    for idx in _groups(first).values():
        by_second: dict[str, list[int]] = {}
        for i in idx:
            if second[i]:
                by_second.setdefault(second[i], []).append(i)
        found.extend(rows for rows in by_second.values() if len(rows) > 1)
    return sorted(found)


@lru_cache(maxsize=1024)
def _SCHOOL_SHAPE(code: str) -> bool:
    return not places.check_school_code(code, None)

_CLASS_SHAPE = re.compile(r"\d{6}|\d{8}").fullmatch


@checks(Scope.ROSTER, roles=(Role.STUDENTS,), emits=(DUP_ID, DUP_NAME_BIRTH), reads=("id_number", "name", "birth_date"))
def duplicates(ctx: Context) -> None:
    rows = ctx.roster.rows
    for _, idx in _groups(list(map(str.upper, ctx.v("id_number")))).items():
        for i in idx:
            others = "、".join(str(rows[j]) for j in idx if j != i)
            ctx.add(Issue(DUP_ID, f"与第{others}行的身份证件号重复", "同一学生只能录入一次；若是不同学生，请核对证件号"), i, "id_number")
    for idx in _repeated_pairs(ctx.v("name"), ctx.v("birth_date")):
        for i in idx:
            others = "、".join(str(rows[j]) for j in idx if j != i)
            ctx.add(Issue(DUP_NAME_BIRTH, f"与第{others}行的姓名和出生日期都相同", "确认是否重复录入了同一学生"), i, "name")


@checks(Scope.ROSTER, roles=(Role.STUDENTS,), emits=(MIXED_SCHOOL, MIXED_CLASS), reads=("school_code", "class_no"))
def one_school_one_class(ctx: Context) -> None:
    checks = (("school_code", MIXED_SCHOOL, "学校标识码", _SCHOOL_SHAPE), ("class_no", MIXED_CLASS, "班号", _CLASS_SHAPE))
    for key, code, what, shape in checks:
        # Values of the wrong shape already have their own finding; compare only well-formed ones.
        raw = ctx.v(key)
        well_formed = {v for v in ctx.distinct(key) if v and shape(v)}
        values = [v if v in well_formed else "" for v in raw] if len(well_formed) > 1 else raw
        if len(well_formed) < 2:
            continue
        counts = Counter({v: n for v, n in Counter(raw).items() if v in well_formed})
        if key == "school_code" and ctx.settings.school_code:
            continue  # each row is already compared with the school's own code (XJ614)
        if key == "class_no" and ctx.settings.classes:
            continue  # a school file with many known classes: XJ622 checks each 班号
        majority, n = counts.most_common(1)[0]
        if key == "class_no" and n * 5 < sum(counts.values()) * 4:
            continue  # no class dominates: a school or grade file, where many classes are expected
        for i, v in enumerate(values):
            if v and v != majority:
                ctx.add(Issue(code, f"本文件大多数行（{n}行）的{what}是 {majority}，此行是 {v}", f"一个文件只放一个{'学校' if key == 'school_code' else '班级'}的学生；核对{what}"), i, key)


@checks(Scope.ROSTER, roles=(Role.STUDENTS,), emits=(DUP_CONTINUATION,), reads=("continuation_id",))
def continuation_ids(ctx: Context) -> None:
    """The 学籍接续 template's own key: its importer refuses a 学籍接续标识 that repeats (version B only:
    the rule reads a column version A does not have)."""
    rows = ctx.roster.rows
    for _, idx in _groups(list(map(str.upper, ctx.v("continuation_id")))).items():
        for i in idx:
            others = "、".join(str(rows[j]) for j in idx if j != i)
            ctx.add(Issue(DUP_CONTINUATION, f"与第{others}行的学籍接续标识重复", "每个学生的学籍接续标识不同；核对后改正"), i,
                    "continuation_id")
