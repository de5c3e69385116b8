"""Region codes, 学校标识码 and 班号 (rules.md §3–§5, DECISIONS.md §5–§7)."""

from __future__ import annotations

from xueji_addin.rules.findings import ERROR, Issue, rule
from xueji_addin.spec import regions
from xueji_addin.spec.codes import code_table

REGION_FORMAT = rule("XJ601", ERROR, "cell", "行政区划代码不是12位数字")
REGION_UNKNOWN = rule("XJ602", ERROR, "cell", "行政区划代码的前6位不是已知的县级代码")
SCHOOL_FORMAT = rule("XJ611", ERROR, "cell", "学校标识码不是10位数字")
SCHOOL_TYPE = rule("XJ612", ERROR, "cell", "学校标识码前2位不是中小学学校类别")
SCHOOL_PROVINCE = rule("XJ613", ERROR, "cell", "学校标识码第3-4位不是省份代码")
SCHOOL_SETTINGS = rule("XJ614", ERROR, "cell", "学校标识码与本校设置不同")
CLASS_FORMAT = rule("XJ621", ERROR, "cell", "班号不是6位或8位数字")
CLASS_UNKNOWN = rule("XJ622", ERROR, "cell", "班号不在本校已建班级中")


def check_region(text: str) -> list[Issue]:
    if not text:
        return []
    if not text.isdigit():
        return [Issue(REGION_FORMAT, "应填写12位数字的行政区划代码，不是地名", "在“行政区划”表中查找，如 陕西省西安市雁塔区 为 610113000000")]
    if len(text) == 6:
        fixed = text + "000000"
        known = regions.is_known_county(text)
        return [Issue(REGION_FORMAT, "这是6位县级代码，模板要求12位", f"改为 {fixed}", fix=fixed if known else None)]
    if len(text) != 12:
        return [Issue(REGION_FORMAT, f"行政区划代码应为12位数字，现在是{len(text)}位", "在“行政区划”表中查找正确的代码")]
    if not regions.is_known_county(text[:6]):
        return [Issue(REGION_UNKNOWN, f"前6位 {text[:6]} 不是已知的县级行政区划代码", "在“行政区划”表中查找正确的代码")]
    return []


def check_school_code(text: str, expected: str | None) -> list[Issue]:
    if not text:
        return []
    if not (len(text) == 10 and text.isdigit()):
        return [Issue(SCHOOL_FORMAT, "学校标识码应为10位数字", "向学籍管理员索取本校的10位学校标识码")]
    types = code_table("XXLB")
    if text[:2] not in types.codes:
        allowed = "、".join(f"{c}（{n}）" for c, n in types.codes.items())
        return [Issue(SCHOOL_TYPE, f"前2位“{text[:2]}”不是中小学学校类别", f"中小学的标识码以 {allowed} 开头")]
    if text[2:4] not in code_table("XXBSM").codes:
        return [Issue(SCHOOL_PROVINCE, f"第3-4位“{text[2:4]}”不是省份代码", "请核对学校标识码")]
    if expected and text != expected:
        if check_school_code(expected, None):  # the settings' own code is wrong: never copied into a row
            return [Issue(SCHOOL_SETTINGS, f"与本校设置的学校标识码 {expected} 不同",
                          f"设置中的学校标识码 {expected} 本身有误，请先改正设置（xueji.toml 或“学校设置”表）")]
        return [Issue(SCHOOL_SETTINGS, "与本校设置的学校标识码不同", f"改为本校的 {expected}", fix=expected)]
    return []


def check_class_no(text: str, classes: list[str]) -> list[Issue]:
    if not text:
        return []
    if not (text.isdigit() and len(text) in (6, 8)):
        return [Issue(CLASS_FORMAT, "班号应为6位或8位数字", "按学籍系统“班级信息管理”中已建班级的班号填写")]
    if classes and text not in classes:
        shown = "、".join(classes[:10]) + ("……" if len(classes) > 10 else "")
        return [Issue(CLASS_UNKNOWN, "本校没有这个班号", f"本校已建班级：{shown}")]
    return []
