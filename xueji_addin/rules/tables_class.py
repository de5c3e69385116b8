"""班级信息表: one row per class (spec/tables/rules.md §3)."""

from __future__ import annotations

from collections import defaultdict

from xueji_addin.rules import tables_common as tc
from xueji_addin.rules.context import Context
from xueji_addin.rules.dates import parse_ym
from xueji_addin.rules.findings import ERROR, WARNING, Issue, rule
from xueji_addin.rules.tables_cells import parse_date_any
from xueji_addin.rules.registry import Scope, checks
from xueji_addin.spec.profiles import Role

DUP_CLASS_NO = rule("XJ1101", ERROR, "roster", "班级信息表中班号重复")
DUP_CLASS_NAME = rule("XJ1102", WARNING, "roster", "班级信息表中班级名称重复")
TYPE_STAGE = rule("XJ1103", ERROR, "row", "班级类型的学段与年级不符（如七年级选了普通小学班）")
BILINGUAL_MODE = rule("XJ1104", ERROR, "row", "双语教学班须填双语教学模式，非双语教学班不填")
MINORITY_BILINGUAL = rule("XJ1105", WARNING, "row", "少数民族班通常是少数民族双语教学班")
MULTIGRADE = rule("XJ1106", WARNING, "row", "是否复式班与班级类型（复式班）不符")
ARTS_SCIENCE = rule("XJ1107", WARNING, "row", "文理类型只用于高中班级")
YEARS_STAGE = rule("XJ1108", ERROR, "row", "班级学制不是该学段的学制（小学5或6，初中3或4，高中3）")
GRADE_YEARS = rule("XJ1109", ERROR, "row", "年级超出了班级的学制（如五年制的六年级）")
START_YEAR = rule("XJ1110", WARNING, "row", "建班年月与班号中的入学年份不符，或不是9月")
GRADUATION = rule("XJ1111", WARNING, "row", "毕业日期不晚于建班年月")
HEAD_MANY = rule("XJ1112", WARNING, "roster", "同一位班主任带了两个以上班级")


@checks(Scope.ROW, roles=(Role.CLASSES,), emits=(TYPE_STAGE, MULTIGRADE, ARTS_SCIENCE, YEARS_STAGE, GRADE_YEARS),
        reads=("arts_science", "class_type", "class_years", "grade", "is_multigrade"))
def stages(ctx: Context) -> None:
    """年级 ↔ 班级类型 ↔ 学制 ↔ 文理类型 ↔ 是否复式班, all about the class's stage."""
    grades, types, years = ctx.names("grade"), ctx.names("class_type"), ctx.v("class_years")
    arts, multi = ctx.v("arts_science"), ctx.names("is_multigrade")
    for i, (g, t, y) in enumerate(zip(grades, types, years)):
        gs = tc.grade_stage(g)
        ts = tc.class_type_stage(t)
        if gs and ts and gs[0] != ts:
            ctx.add(Issue(TYPE_STAGE, f"年级“{g}”是{gs[0]}，班级类型“{t}”却是{ts}的", f"选择{gs[0]}的班级类型，如 普通{gs[0]}班"), i, "class_type")
        stage = gs[0] if gs else ts
        n = tc.number(y)
        if stage and n is not None:
            allowed = tc.ALLOWED_YEARS[stage]
            if n not in allowed:
                ctx.add(Issue(YEARS_STAGE, f"{stage}班级的学制不能是 {y}", f"填 {'或'.join(map(str, allowed))}"), i, "class_years")
            elif gs and gs[1] > n:
                ctx.add(Issue(GRADE_YEARS, f"学制为{int(n)}年的班级没有“{g}”", "核对年级和学制（当地六年制时学制填6）"), i, "grade")
        if arts[i] and stage and stage != tc.SENIOR:
            ctx.add(Issue(ARTS_SCIENCE, f"{stage}班级不分文理", "清空文理类型"), i, "arts_science")
        if multi[i] in ("是", "否") and t:
            is_multi_type = "复式班" in t
            if (multi[i] == "是") != is_multi_type:
                msg = "是否复式班为“是”，班级类型却不是复式班" if multi[i] == "是" else f"班级类型是“{t}”，是否复式班却为“否”"
                ctx.add(Issue(MULTIGRADE, msg, "使两项一致"), i, "is_multigrade")


@checks(Scope.ROW, roles=(Role.CLASSES,), emits=(BILINGUAL_MODE, MINORITY_BILINGUAL),
        reads=("bilingual_mode", "class_type", "is_bilingual_class"))
def bilingual(ctx: Context) -> None:
    flags, modes, types = ctx.names("is_bilingual_class"), ctx.v("bilingual_mode"), ctx.names("class_type")
    for i, (flag, mode, t) in enumerate(zip(flags, modes, types)):
        if flag == "是" and not mode:
            ctx.add(Issue(BILINGUAL_MODE, "少数民族双语教学班须填写双语教学模式", "选择 一类模式、二类模式或三类模式"), i, "bilingual_mode")
        elif flag == "否" and mode:
            ctx.add(Issue(BILINGUAL_MODE, "不是双语教学班，不填双语教学模式", "清空此项，或把是否少数民族双语教学班改为“是”",
                          severity=WARNING), i, "bilingual_mode")
        if t.startswith("少数民族") and flag == "否":
            ctx.add(Issue(MINORITY_BILINGUAL, f"班级类型是“{t}”，却不是双语教学班", "核对是否少数民族双语教学班（确实不是时可忽略）"), i, "is_bilingual_class")


@checks(Scope.ROW, roles=(Role.CLASSES,), emits=(START_YEAR, GRADUATION), reads=("class_no", "class_start_ym", "graduation_date"))
def dates(ctx: Context) -> None:
    nos, starts, grads = ctx.v("class_no"), ctx.v("class_start_ym"), ctx.v("graduation_date")
    for i, (no, start, grad) in enumerate(zip(nos, starts, grads)):
        ym = parse_ym(start)
        if ym is None:
            continue
        if ym[1] != 9:
            ctx.add(Issue(START_YEAR, f"建班月份是{ym[1]}月，通常为9月", "建班年月一般是该班入学那年的9月"), i, "class_start_ym")
        elif no.isdigit() and len(no) in (6, 8) and 1990 <= int(no[:4]) <= 2100 and int(no[:4]) != ym[0]:
            ctx.add(Issue(START_YEAR, f"班号以入学年份 {no[:4]} 开头，建班年月却是{ym[0]}年", "核对建班年月和班号"), i, "class_start_ym")
        end = parse_date_any(grad)
        if end and (end.year, end.month) <= ym:
            ctx.add(Issue(GRADUATION, "毕业日期不晚于建班年月", "核对毕业日期"), i, "graduation_date")


@checks(Scope.ROSTER, roles=(Role.CLASSES,), emits=(DUP_CLASS_NO, DUP_CLASS_NAME, HEAD_MANY),
        reads=("class_no", "class_name", "head_teacher_staff_no"))
def roster_rules(ctx: Context) -> None:
    tc.unique(ctx, "class_no", DUP_CLASS_NO, "班号")
    tc.unique(ctx, "class_name", DUP_CLASS_NAME, "班级名称")
    heads: defaultdict[str, list[int]] = defaultdict(list)
    for i, staff in enumerate(ctx.v("head_teacher_staff_no")):
        if staff:
            heads[staff].append(i)
    for staff, idx in heads.items():
        if len(idx) > 2:
            for i in idx:
                ctx.add(Issue(HEAD_MANY, f"工号 {staff} 是{len(idx)}个班级的班主任", "核对班主任工号"), i, "head_teacher_staff_no")
