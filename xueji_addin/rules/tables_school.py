"""学校基本信息表 (one row per school) and 校区基本信息表 (one row per campus): spec/tables/rules.md §1–§2."""

from __future__ import annotations

from xueji_addin.rules import tables_common as tc
from xueji_addin.rules.context import Context
from xueji_addin.rules.findings import ERROR, WARNING, Issue, rule
from xueji_addin.spec import regions
from xueji_addin.rules.registry import Scope, checks
from xueji_addin.spec.profiles import Role

TYPE_PREFIX = rule("XJ1201", ERROR, "row", "学校标识码前2位的学校类别与学校办学类型不符")
YEARS = rule("XJ1202", ERROR, "cell", "学制不合规定（小学5或6，初中3或4，高中3）")
YEARS_SUM = rule("XJ1203", ERROR, "row", "小学学制与初中学制相加不等于9")
ENTRY_AGE = rule("XJ1204", WARNING, "row", "入学年龄不合常理（小学6或7岁；初中=小学入学年龄+小学学制）")
STAGE_FIELDS = rule("XJ1205", ERROR, "cell", "学校有这个学段，学制和入学年龄必须填写")
OWNER = rule("XJ1206", WARNING, "row", "学校办别与学校举办者不符（民办学校的举办者为民办）")
REGION_PROVINCE = rule("XJ1207", WARNING, "row", "行政区划的省份与学校标识码第3-4位不同")
AUX_LANGUAGE = rule("XJ1208", WARNING, "row", "辅教学语言与主教学语言相同")
ONE_SCHOOL_ROW = rule("XJ1209", WARNING, "roster", "学校基本信息表应只有一行")
DUP_CAMPUS_NO = rule("XJ1301", ERROR, "roster", "校区号重复")
DUP_CAMPUS_NAME = rule("XJ1302", WARNING, "roster", "校区名称重复")

_PRIVATE = {"民办", "民办公助"}
_EDUCATION_DEPTS = {"省级教育部门", "地级教育部门", "县级教育部门"}
_ENTRY_KEY = {tc.PRIMARY: "primary_entry_age", tc.JUNIOR: "junior_entry_age", tc.SENIOR: None}


@checks(Scope.ROW, roles=(Role.SCHOOL,), emits=(TYPE_PREFIX, YEARS, YEARS_SUM, ENTRY_AGE, STAGE_FIELDS),
        reads=("junior_entry_age", "junior_years", "primary_entry_age", "primary_years", "school_code", "school_type",
               "senior_years"))
def type_and_stages(ctx: Context) -> None:
    codes, types = ctx.v("school_code"), ctx.names("school_type")
    for i, (code, t) in enumerate(zip(codes, types)):
        type_code = tc.school_type_code(t)
        if type_code and len(code) == 10 and code.isdigit() and code[:2] != type_code[:2]:
            ctx.add(Issue(TYPE_PREFIX, f"学校标识码以 {code[:2]} 开头，办学类型“{t}”对应的类别是 {type_code[:2]}",
                          "核对学校办学类型（两者都由机构编码库下发，不一致请逐级上报）"), i, "school_type")
        stages = tc.stages_of_school(t, code)
        for stage in tc.STAGES:
            keys = [tc.YEARS_KEY[stage]] + ([_ENTRY_KEY[stage]] if _ENTRY_KEY[stage] else [])
            for key in keys:
                if stage in stages and ctx.has(key) and not ctx.v(key)[i]:
                    ctx.add(Issue(STAGE_FIELDS, f"本校有{stage}，此项必须填写", "学制按当地实际填写（即使本校未设六年级，当地六年制也填6）"), i, key)
        _years(ctx, i)


def _years(ctx: Context, i: int) -> None:
    primary, junior = tc.number(ctx.v("primary_years")[i]), tc.number(ctx.v("junior_years")[i])
    bad = False
    for stage, value in ((tc.PRIMARY, primary), (tc.JUNIOR, junior), (tc.SENIOR, tc.number(ctx.v("senior_years")[i]))):
        allowed = tc.ALLOWED_YEARS[stage]
        if value is not None and value not in allowed:
            bad = True
            ctx.add(Issue(YEARS, f"{stage}学制不能是 {ctx.v(tc.YEARS_KEY[stage])[i]}", f"填 {'或'.join(map(str, allowed))}"), i, tc.YEARS_KEY[stage])
    if primary is not None and junior is not None and not bad and primary + junior != 9:
        ctx.add(Issue(YEARS_SUM, f"小学学制 {primary:g} 年加初中学制 {junior:g} 年不等于九年义务教育的 9 年",
                      "六三制填 6 和 3，五四制填 5 和 4"), i, "junior_years")
    p_age, j_age = tc.number(ctx.v("primary_entry_age")[i]), tc.number(ctx.v("junior_entry_age")[i])
    if p_age is not None and p_age not in (6, 7):
        ctx.add(Issue(ENTRY_AGE, f"小学入学年龄是 {p_age:g} 岁，通常为6或7岁", "按当地规定填写"), i, "primary_entry_age")
    if p_age is not None and primary is not None and j_age is not None and abs(j_age - (p_age + primary)) > 1:
        ctx.add(Issue(ENTRY_AGE, f"初中入学年龄应约为 {p_age + primary:g} 岁（小学入学年龄 + 小学学制）", "核对初中入学年龄"), i, "junior_entry_age")


@checks(Scope.ROW, roles=(Role.SCHOOL,), emits=(OWNER, REGION_PROVINCE, AUX_LANGUAGE),
        reads=("admin_division_code", "aux_teaching_language", "main_teaching_language", "school_code", "school_founder",
               "school_ownership"))
def owner_region_language(ctx: Context) -> None:
    owners, founders = ctx.names("school_ownership"), ctx.names("school_founder")
    for i, (own, founder) in enumerate(zip(owners, founders)):
        if not (own and founder):
            continue
        if (founder == "民办") != (own in _PRIVATE) or (founder in _EDUCATION_DEPTS and own != "公办"):
            ctx.add(Issue(OWNER, f"学校办别“{own}”与举办者“{founder}”不符", "民办学校的举办者为“民办”；教育部门举办的学校办别为“公办”"), i, "school_ownership")
    _region_province(ctx, "admin_division_code")
    for i, (main, aux) in enumerate(zip(ctx.names("main_teaching_language"), ctx.names("aux_teaching_language"))):
        if main and aux == main:
            ctx.add(Issue(AUX_LANGUAGE, "辅教学语言与主教学语言相同", "没有第二种授课语言时不填"), i, "aux_teaching_language")


def _region_province(ctx: Context, key: str) -> None:
    for i, (code, region) in enumerate(zip(ctx.v("school_code"), ctx.v(key))):
        if len(code) == 10 and code.isdigit() and region[:2].isdigit() and len(region) in (6, 12) and region[:2] != code[2:4]:
            ctx.add(Issue(REGION_PROVINCE, f"行政区划在{regions.province_name(region[:2]) or region[:2]}，学校标识码第3-4位却是"
                          f"{regions.province_name(code[2:4]) or code[2:4]}", "核对行政区划代码"), i, key)


@checks(Scope.ROSTER, roles=(Role.SCHOOL,), emits=(ONE_SCHOOL_ROW,), reads=("school_name",))
def one_row(ctx: Context) -> None:
    for i in range(1, len(ctx.roster)):
        ctx.add(Issue(ONE_SCHOOL_ROW, "学校基本信息表每校只填一行", "删除多余的行；分校区填在校区基本信息表"), i, "school_name")


@checks(Scope.ROW, roles=(Role.CAMPUS,), emits=(REGION_PROVINCE,), reads=("campus_admin_division_code", "school_code"))
def campus_rows(ctx: Context) -> None:
    _region_province(ctx, "campus_admin_division_code")


@checks(Scope.ROSTER, roles=(Role.CAMPUS,), emits=(DUP_CAMPUS_NO, DUP_CAMPUS_NAME), reads=("campus_name", "campus_no"))
def campus_roster(ctx: Context) -> None:
    tc.unique(ctx, "campus_no", DUP_CAMPUS_NO, "校区号")
    tc.unique(ctx, "campus_name", DUP_CAMPUS_NAME, "校区名称")
