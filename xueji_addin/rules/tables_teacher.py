"""教师基本信息: one row per staff member (spec/tables/rules.md §4)."""

from __future__ import annotations

from xueji_addin.rules import ids, tables_common as tc
from xueji_addin.rules.context import Context
from xueji_addin.rules.findings import ERROR, WARNING, Issue, rule
from xueji_addin.rules.tables_cells import parse_date_any, parse_ym_any
from xueji_addin.rules.registry import Scope, checks
from xueji_addin.spec.profiles import Role

DUP_ID = rule("XJ1401", ERROR, "roster", "教师表中身份证件号重复")
DUP_NAME_BIRTH = rule("XJ1402", WARNING, "roster", "教师表中姓名和出生日期都相同（可能重复录入）")
ID_BIRTH = rule("XJ1403", ERROR, "row", "教师出生日期与身份证号不一致")
ID_SEX = rule("XJ1404", ERROR, "row", "教师性别与身份证号第17位不一致")
WORK_AGE = rule("XJ1405", ERROR, "row", "参加工作时未满16周岁（未满18周岁为提示）")
WORK_ORDER = rule("XJ1406", ERROR, "row", "参加工作年月晚于进本校年月，或在本月之后")
GRASSROOTS = rule("XJ1407", ERROR, "row", "参加基层服务项目的起止年月与“是否参加”不符")
ESTABLISHMENT = rule("XJ1408", ERROR, "row", "不在编的教职工须填用人形式（代课、兼任教师一般不在编）")
NATIONALITY = rule("XJ1409", WARNING, "row", "有居民身份证的国籍/地区应为中国")

_NOT_ESTABLISHED = {"代课教师", "兼任（职）教师"}


@checks(Scope.ROW, roles=(Role.TEACHERS,), emits=(ID_BIRTH, ID_SEX, NATIONALITY),
        reads=("birth_date", "gender", "id_number", "id_type", "nationality"))
def identity(ctx: Context) -> None:
    tc.reword(ctx, "id_number", ids.old_15(ctx.roster.profile.noun))
    infos = ctx.ric.get("id_number") or []
    births, sexes = ctx.v("birth_date"), ctx.names("gender")
    for i, info in enumerate(infos):
        if info is None:
            continue
        born = parse_date_any(births[i])
        if born and f"{born:%Y%m%d}" != info.birth:
            want = f"{info.birth[:4]}-{info.birth[4:6]}-{info.birth[6:]}"
            ctx.add(Issue(ID_BIRTH, f"出生日期与身份证号中的 {want} 不一致", f"对照身份证核对；证号无误时改为 {want}"), i, "birth_date")
        sex = sexes[i]
        if sex in ("男", "女") and (sex == "男") != info.male:
            ctx.add(Issue(ID_SEX, f"身份证号第17位表示“{'男' if info.male else '女'}”，与性别“{sex}”不一致", "核对性别和身份证号"), i, "gender")
    for i, (t, nat) in enumerate(zip(ctx.names("id_type"), ctx.names("nationality"))):
        if t == "居民身份证" and nat and nat != "中国":
            ctx.add(Issue(NATIONALITY, f"持居民身份证，国籍/地区应为“中国”，现为“{nat}”", "核对国籍/地区和身份证件类型"), i, "nationality")


@checks(Scope.ROW, roles=(Role.TEACHERS,), emits=(WORK_AGE, WORK_ORDER), reads=("birth_date", "joined_school", "work_start"))
def career(ctx: Context) -> None:
    today = ctx.settings.effective_today()
    now = (today.year, today.month)
    births, starts, joins = ctx.v("birth_date"), ctx.v("work_start"), ctx.v("joined_school")
    for i, (b, s, j) in enumerate(zip(births, starts, joins)):
        born, start, joined = parse_date_any(b), parse_ym_any(s), parse_ym_any(j)
        for key, ym in (("work_start", start), ("joined_school", joined)):
            if ym and ym > now:
                ctx.add(Issue(WORK_ORDER, "年月在本月之后", "核对年月"), i, key)
        if start and joined and start > joined:
            ctx.add(Issue(WORK_ORDER, "参加工作年月晚于进本校年月", "进本校年月不能早于参加工作年月；核对两项"), i, "joined_school")
        if born and start:
            age = start[0] - born.year - (1 if start[1] < born.month else 0)
            if age < 18:
                sev = ERROR if age < 16 else WARNING
                ctx.add(Issue(WORK_AGE, f"按出生日期，参加工作时{age}岁", "核对参加工作年月和出生日期", severity=sev), i, "work_start")


@checks(Scope.ROW, roles=(Role.TEACHERS,), emits=(GRASSROOTS,), reads=("grassroots_end", "grassroots_service", "grassroots_start"))
def grassroots(ctx: Context) -> None:
    rows = zip(ctx.names("grassroots_service"), ctx.v("grassroots_start"), ctx.v("grassroots_end"))
    for i, (flag, s, e) in enumerate(rows):
        if flag == "是" and not s:
            ctx.add(Issue(GRASSROOTS, "参加了基层服务项目，须填写起始年月", "填写如 2012-09"), i, "grassroots_start")
        elif flag == "否":
            for key, v in (("grassroots_start", s), ("grassroots_end", e)):
                if v:
                    ctx.add(Issue(GRASSROOTS, "未参加基层服务项目，不填起止年月", "清空此项，或把是否参加基层服务项目改为“是”", severity=WARNING), i, key)
        start, end = parse_ym_any(s), parse_ym_any(e)
        if start and end and end < start:
            ctx.add(Issue(GRASSROOTS, "结束年月早于起始年月", "核对起止年月"), i, "grassroots_end")


@checks(Scope.ROW, roles=(Role.TEACHERS,), emits=(ESTABLISHMENT,), reads=("employment_form", "on_establishment", "staff_category"))
def establishment(ctx: Context) -> None:
    rows = zip(ctx.names("on_establishment"), ctx.v("employment_form"), ctx.names("staff_category"))
    for i, (est, form, category) in enumerate(rows):
        if est == "否" and not form:
            ctx.add(Issue(ESTABLISHMENT, "不在编的教职工须填写用人形式", "从下拉列表选择用人形式"), i, "employment_form")
        elif est == "是" and form:
            ctx.add(Issue(ESTABLISHMENT, "在编人员一般不填用人形式", "核对是否在编；在编时清空用人形式", severity=WARNING), i, "employment_form")
        if est == "是" and category in _NOT_ESTABLISHED:
            ctx.add(Issue(ESTABLISHMENT, f"教职工类别为“{category}”，一般不在编", "核对是否在编", severity=WARNING), i, "on_establishment")


@checks(Scope.ROSTER, roles=(Role.TEACHERS,), emits=(DUP_ID, DUP_NAME_BIRTH), reads=("birth_date", "id_number", "name"))
def duplicates(ctx: Context) -> None:
    if ctx.has("id_number"):
        upper = [v.upper() for v in ctx.v("id_number")]
        saved = ctx.values["id_number"]
        ctx.values["id_number"] = upper
        try:
            tc.unique(ctx, "id_number", DUP_ID, "身份证件号")
        finally:
            ctx.values["id_number"] = saved
    births = [f"{d:%Y%m%d}" if (d := parse_date_any(b)) else "" for b in ctx.v("birth_date")]
    pairs: dict[tuple[str, str], list[int]] = {}
    for i, (n, b) in enumerate(zip(ctx.v("name"), births)):
        if n and b:
            pairs.setdefault((n, b), []).append(i)
    rows = ctx.roster.rows
    for idx in pairs.values():
        for i in idx if len(idx) > 1 else ():
            others = "、".join(str(rows[j]) for j in idx if j != i)
            ctx.add(Issue(DUP_NAME_BIRTH, f"与第{others}行的姓名和出生日期都相同", "确认是否重复录入了同一位教职工"), i, "name")
