"""Extended-information fields that must agree with each other (rules.md §1.4 and §7)."""

from __future__ import annotations

from collections.abc import Collection

from xueji_addin.rules.context import Context
from xueji_addin.rules.findings import ERROR, WARNING, Issue, rule
from xueji_addin.rules.registry import Scope, checks
from xueji_addin.spec.profiles import Role

INCLUSIVE = rule("XJ701", ERROR, "row", "随班就读与残疾类型不符")
DISABLED_NOT_INCLUSIVE = rule("XJ702", WARNING, "row", "有残疾类型但选了非随班就读")
HEALTH_DISABILITY = rule("XJ703", WARNING, "row", "健康状况“残疾”与残疾类型不符")
LEFT_AND_MIGRANT = rule("XJ704", WARNING, "row", "留守儿童与进城务工人员随迁子女同时成立")
MIGRANT_HUKOU = rule("XJ705", WARNING, "row", "随迁子女通常是农业户口")
SCHOOL_BUS = rule("XJ706", WARNING, "row", "上下学方式“校车”与是否需要乘坐校车不符")
SUBSIDY_BOARDING = rule("XJ707", WARNING, "row", "享受一补（寄宿生生活补助）但就读方式是走读")
ENROLL_MODE_STAGE = rule("XJ708", WARNING, "row", "入学方式与学段不符")
ID_NATIONALITY = rule("XJ710", WARNING, "row", "身份证件类型与国籍/地区、港澳台侨外不符")

# 随班就读 → the 残疾类型 it allows (rules.md §7.1, Wuhan's table).
_INCLUSIVE = {
    "视力残疾随班就读": {"视力残疾"},
    "听力残疾随班就读": {"听力残疾"},
    "智力残疾随班就读": {"智力残疾"},
    "其他残疾随班就读": {"言语残疾", "肢体残疾", "精神残疾", "多重残疾", "其他残疾"},
}
_CITIZEN_GATQW = {"否", "归侨", "归侨子女", "侨眷", "归国留学人员", "非华裔中国人"}
_REGION_TYPES = {
    "香港特区护照/身份证明": ("香港", {"香港同胞", "香港同胞亲属"}),
    "澳门特区护照/身份证明": ("澳门", {"澳门同胞", "澳门同胞亲属"}),
    "台湾居民来往大陆通行证": ("台湾", {"台湾同胞", "台湾同胞亲属"}),
}
_COMPULSORY_MODES = {"就近入学", "其他"}
_HIGH_MODES = {"统一招生考试/普通入学", "体育特招", "艺术特招", "其他"}


@checks(Scope.ROW, roles=(Role.STUDENTS,), emits=("XJ701", "XJ702", "XJ703", "XJ704", "XJ705", "XJ706", "XJ707", "XJ708", "XJ710"),
        reads=("commute_mode", "disability_type", "enroll_mode", "gatqw", "health", "hukou_type", "id_type",
               "inclusive_class", "left_behind", "migrant_child", "nationality", "one_subsidy", "school_bus",
               "school_code", "study_mode"))
def check(ctx: Context) -> None:
    # Each rule visits only the rows where it can fire, found from the columns' distinct names (a
    # school is almost all 非随班就读 / 无残疾 / 否 …); on those rows it reads as it always did.
    _disability(ctx)
    _family_situation(ctx)
    _transport_and_boarding(ctx)
    _documents(ctx)


def _rows(ctx: Context, *where: tuple[str, Collection[str]]) -> list[int]:
    """The rows whose canonical name in ``key`` is one of ``wanted``, for any (key, wanted), in order."""
    found: set[int] = set()
    for key, wanted in where:
        found.update(ctx.rows_with(key, wanted, names=True))
    return sorted(found)


def _other_than(ctx: Context, key: str, *usual: str) -> set[str]:
    """The names a column holds besides ``usual`` and blanks."""
    return ctx.name_set(key) - {"", *usual}


def _disability(ctx: Context) -> None:
    if ctx.has("inclusive_class") and ctx.has("disability_type"):
        incs, diss = ctx.names("inclusive_class"), ctx.names("disability_type")
        for i in _rows(ctx, ("inclusive_class", _INCLUSIVE), ("disability_type", _other_than(ctx, "disability_type", "无残疾"))):
            inc, dis = incs[i], diss[i]
            if not inc or not dis:
                continue
            allowed = _INCLUSIVE.get(inc)
            if allowed is not None and dis not in allowed:
                ctx.add(Issue(INCLUSIVE, f"“{inc}”与残疾类型“{dis}”不符", f"残疾类型应为：{'、'.join(sorted(allowed))}"), i, "disability_type")
            elif inc == "非随班就读" and dis != "无残疾":
                ctx.add(Issue(DISABLED_NOT_INCLUSIVE, f"残疾类型为“{dis}”，随班就读却是“非随班就读”", "普通班就读的残疾学生请选对应的“…随班就读”；正常儿童选“非随班就读”和“无残疾”"), i, "inclusive_class")
    if ctx.has("health") and ctx.has("disability_type"):
        healths, diss = ctx.names("health"), ctx.names("disability_type")
        for i in _rows(ctx, ("health", {"残疾"}), ("disability_type", _other_than(ctx, "disability_type", "无残疾"))):
            h, dis = healths[i], diss[i]
            if not h or not dis:
                continue
            if (h == "残疾") != (dis != "无残疾"):
                msg = "健康状况为“残疾”，残疾类型却是“无残疾”" if h == "残疾" else f"残疾类型为“{dis}”，健康状况却不是“残疾”"
                ctx.add(Issue(HEALTH_DISABILITY, msg, "核对健康状况和残疾类型"), i, "health")


def _family_situation(ctx: Context) -> None:
    left, migrant, hukou = ctx.names("left_behind"), ctx.names("migrant_child"), ctx.names("hukou_type")
    for i in ctx.rows_with("migrant_child", {"是"}, names=True):
        lb, mc, hk = left[i], migrant[i], hukou[i]
        if lb in ("单亲留守儿童", "双亲留守儿童") and mc == "是":
            ctx.add(Issue(LEFT_AND_MIGRANT, "留守儿童在户籍地上学，随迁子女随父母在务工地上学，两者不能同时成立", "核对“是否留守儿童”和“是否进城务工人员随迁子女”"), i, "migrant_child")
        elif mc == "是" and hk == "非农业户口":
            ctx.add(Issue(MIGRANT_HUKOU, "进城务工人员随迁子女通常是农业户口", "核对户口性质和是否随迁子女"), i, "migrant_child")


def _transport_and_boarding(ctx: Context) -> None:
    modes, buses = ctx.names("commute_mode"), ctx.names("school_bus")
    for i in _rows(ctx, ("commute_mode", {"校车"}), ("school_bus", {"是"})):
        mode, bus = modes[i], buses[i]
        if mode and bus and (mode == "校车") != (bus == "是"):
            msg = "上下学方式是“校车”，是否需要乘坐校车却是“否”" if mode == "校车" else "需要乘坐校车，上下学方式却不是“校车”"
            ctx.add(Issue(SCHOOL_BUS, msg, "核对两项，使它们一致"), i, "school_bus")
    subs, studies = ctx.names("one_subsidy"), ctx.names("study_mode")
    for i in ctx.rows_with("one_subsidy", {"是"}, names=True):
        sub, study = subs[i], studies[i]
        if sub == "是" and study == "走读":
            ctx.add(Issue(SUBSIDY_BOARDING, "“一补”是寄宿生生活补助，走读生一般不享受", "核对是否享受一补和就读方式"), i, "one_subsidy")
    stage = ctx.settings.effective_stage(next((s for s in ctx.v("school_code") if s), None))
    if stage:
        allowed = _HIGH_MODES if stage == "高中" else _COMPULSORY_MODES
        enroll = ctx.names("enroll_mode")
        for i in ctx.rows_with("enroll_mode", _other_than(ctx, "enroll_mode", *allowed), names=True):
            mode = enroll[i]
            if mode and mode not in allowed:
                ctx.add(Issue(ENROLL_MODE_STAGE, f"“{mode}”不是{stage}的入学方式", f"{stage}可选：{'、'.join(sorted(allowed))}"), i, "enroll_mode")


def _documents(ctx: Context) -> None:
    types, nats, gatqws = ctx.names("id_type"), ctx.names("nationality"), ctx.names("gatqw")
    for i in _rows(ctx, ("id_type", _other_than(ctx, "id_type", "居民身份证")), ("nationality", _other_than(ctx, "nationality", "中国")),
                   ("gatqw", _other_than(ctx, "gatqw", *_CITIZEN_GATQW))):
        t, nat, g = types[i], nats[i], gatqws[i]
        if not t:
            continue
        msg = ""
        if t == "居民身份证":
            if nat and nat != "中国":
                msg = f"持居民身份证，国籍/地区应为“中国”，现为“{nat}”"
            elif g and g not in _CITIZEN_GATQW:
                msg = f"持居民身份证，港澳台侨外不应为“{g}”"
        elif t in _REGION_TYPES:
            place, gs = _REGION_TYPES[t]
            if nat and nat != place:
                msg = f"持“{t}”，国籍/地区应为“{place}”"
            elif g and g not in gs:
                msg = f"持“{t}”，港澳台侨外应为{'或'.join(sorted(gs))}"
        if not msg and g == "否" and t not in ("居民身份证", "其他"):
            msg = f"港澳台侨外为“否”（大陆学生），证件类型一般是居民身份证，现为“{t}”"
        if msg:
            ctx.add(Issue(ID_NATIONALITY, msg, "核对身份证件类型、国籍/地区和港澳台侨外"), i, "id_type")
