"""Family members (rules.md §8): guardianship, and member IDs that must make sense beside the student's."""

from __future__ import annotations

from xueji_addin.rules.context import Context
from xueji_addin.rules.findings import WARNING, Issue, rule
from xueji_addin.rules.registry import Scope, checks
from xueji_addin.spec.profiles import Role

NO_GUARDIAN = rule("XJ802", WARNING, "row", "没有一位家庭成员是监护人")
SAME_ID = rule("XJ315", WARNING, "row", "家庭成员的证件号与学生或另一成员相同")
PARENT_SEX = rule("XJ316", WARNING, "row", "父亲/母亲的身份证号性别位不符")
AGE_GAP = rule("XJ317", WARNING, "row", "家庭成员与学生的年龄差不合常理")


@checks(Scope.ROW, roles=(Role.STUDENTS,), emits=("XJ315", "XJ316", "XJ317", "XJ802"),
        reads=("id_number", "m1_id_number", "m1_is_guardian", "m2_is_guardian"))
def check(ctx: Context) -> None:
    g2 = ctx.names("m2_is_guardian")
    for i in ctx.rows_with("m1_is_guardian", {"否"}, names=True):
        if g2[i] != "是":
            ctx.add(Issue(NO_GUARDIAN, "两位家庭成员都不是监护人", "至少一位成员的“是否监护人”应为“是”"), i, "m1_is_guardian")
    student_ids = ctx.v("id_number")
    blank = [None] * len(ctx.roster)
    student_ric = ctx.ric.get("id_number") or blank
    m1_ids = ctx.v("m1_id_number")
    for n in (1, 2):
        key = f"m{n}_id_number"
        if not ctx.has(key):
            continue
        rows = zip(ctx.v(key), student_ids, m1_ids, ctx.ric.get(key) or blank, ctx.names(f"m{n}_relation"), student_ric)
        for i, (number, student_id, m1_id, info, rel, kid) in enumerate(rows):
            if not number:
                continue
            if number == student_id:
                ctx.add(Issue(SAME_ID, "与学生本人的证件号相同", "填写这位家庭成员自己的证件号"), i, key)
                continue
            if n == 2 and number == m1_id:
                ctx.add(Issue(SAME_ID, "与成员1的证件号相同", "填写成员2自己的证件号"), i, key)
                continue
            if info is None:
                continue
            parent = rel == "父亲" or rel == "母亲"
            if parent and info.male != (rel == "父亲"):
                ctx.add(Issue(PARENT_SEX, f"关系是“{rel}”，身份证号第17位却表示{'女' if rel == '父亲' else '男'}性", "核对关系和证件号"), i, key)
            if kid is not None and (parent or rel == "祖父母或外祖父母"):
                # Whole years from the member's birth to the student's, to the day (no date objects:
                # this runs for nearly every member of a school).
                a, b = info.born, kid.born
                gap = b // 10000 - a // 10000 - (b % 10000 < a % 10000)
                if gap <= 0:
                    ctx.add(Issue(AGE_GAP, f"“{rel}”的出生日期不早于学生", "核对成员证件号"), i, key)
                elif parent and not 14 <= gap <= 60:
                    ctx.add(Issue(AGE_GAP, f"“{rel}”比学生大{gap}岁", "核对成员证件号和关系"), i, key)
