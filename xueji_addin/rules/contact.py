"""Contact fields and free text: phones, postcodes, e-mail, URLs, names, addresses (rules.md §6)."""

from __future__ import annotations

import re

from xueji_addin.rules.findings import ERROR, WARNING, Issue, rule

PHONE = rule("XJ501", ERROR, "cell", "联系电话不是手机号或固定电话")
MOBILE_ONLY = rule("XJ502", ERROR, "cell", "联系电话不是11位手机号（本地规则）")
POSTCODE = rule("XJ503", ERROR, "cell", "邮政编码不是6位数字")
EMAIL = rule("XJ504", WARNING, "cell", "电子信箱格式不对")
URL = rule("XJ505", WARNING, "cell", "主页地址格式不对")
ADDRESS = rule("XJ506", WARNING, "cell", "地址不够具体或超过本地字数限制")
NAME = rule("XJ507", ERROR, "cell", "姓名含有空格、字母、数字或符号")
DECIMAL = rule("XJ508", ERROR, "cell", "上下学距离不是非负数（公里）")
DECIMAL_ODD = rule("XJ509", WARNING, "cell", "上下学距离超过50公里或小数位过多")
DIGITS = rule("XJ510", WARNING, "cell", "编号应只含数字（或字母与数字）")
TOO_LONG = rule("XJ114", ERROR, "cell", "内容超过规定长度")
AS_NUMBER = rule("XJ115", WARNING, "cell", "代码类内容被存成了数字（应为文本）")

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_URL = re.compile(r"^(https?://)?[\w-]+(\.[\w-]+)+(:\d+)?(/\S*)?$", re.ASCII)
# Han ideographs (BMP, Ext A, Ext B and later) and the middle dot of minority and foreign names.
NAME_CHARS = "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f·•]"
_NAME = re.compile(f"^{NAME_CHARS}+$")
_DECIMAL = re.compile(r"^\d+(\.\d+)?$")
ADDRESS_DETAIL = "[0-9０-９一二三四五六七八九十百]|村|组|号|室|栋|幢|楼|屯|队|巷|弄|街|路|社区|小区|寨|庄"
_ADDRESS_DETAIL = re.compile(ADDRESS_DETAIL)
# The single characters among ADDRESS_DETAIL's alternatives: any one of them is a detail.
ADDRESS_DETAIL_CHARS = frozenset("0123456789０１２３４５６７８９一二三四五六七八九十百村组号室栋幢楼屯队巷弄街路寨庄")


def check_phone(text: str, *, mobile_only: bool) -> list[Issue]:
    if not text:
        return []
    compact = re.sub(r"[\s\-—－()（）]", "", text)
    if _MOBILE.match(compact):
        if compact != text:
            return [Issue(PHONE, "手机号中不要加空格或横线", f"改为 {compact}", fix=compact)]
        return []
    if mobile_only:
        return [Issue(MOBILE_ONLY, "本地要求填写11位手机号", "填写家长常用的11位手机号")]
    if _LANDLINE.match(text):
        return []
    if compact.startswith("0") and _LANDLINE.match(compact):
        return []
    if compact.isdigit() and len(compact) == 11 and compact.startswith("1"):
        return [Issue(PHONE, "手机号第2位应为3-9", "请核对手机号")]
    if compact.isdigit() and len(compact) in (7, 8):
        return [Issue(PHONE, "固定电话缺少区号", "写成“区号-号码”，如 029-88886666，或填写手机号")]
    return [Issue(PHONE, f"“{text}”不是11位手机号，也不是“区号-号码”的固定电话", "填写11位手机号，或如 029-88886666 的固定电话")]


def check_postcode(text: str, raw: object) -> list[Issue]:
    if not text:
        return []
    if len(text) == 6 and text.isdigit():
        return []
    if isinstance(raw, (int, float)) and text.isdigit() and len(text) == 5:
        fixed = text.zfill(6)
        return [Issue(POSTCODE, "邮政编码被存成了数字，开头的 0 丢了", f"改为文本 {fixed}", fix=fixed)]
    return [Issue(POSTCODE, "邮政编码应为6位数字", "填写现住址所在地的6位邮政编码")]


def check_email(text: str) -> list[Issue]:
    if not text or _EMAIL.match(text):
        return []
    return [Issue(EMAIL, "不像电子信箱地址", "形如 name@example.com；没有可不填")]


def check_url(text: str) -> list[Issue]:
    if not text or _URL.match(text):
        return []
    return [Issue(URL, "不像网址", "形如 www.example.com；没有可不填")]


def check_person_name(text: str) -> list[Issue]:
    if not text or _NAME.match(text):
        return []
    squeezed = "".join(text.split())
    if squeezed != text and _NAME.match(squeezed):
        return [Issue(NAME, "姓名中不能有空格", f"改为“{squeezed}”", fix=squeezed)]
    dotted = squeezed.replace(".", "·").replace("・", "·")
    if dotted != squeezed and _NAME.match(dotted):
        return [Issue(NAME, "少数民族或外国人姓名的间隔号应为“·”", f"改为“{dotted}”", fix=dotted)]
    return [Issue(NAME, "姓名只能用汉字（少数民族或外国人姓名可用“·”间隔）", "按户口簿或身份证填写汉字姓名；外国人填写证件上的正式汉字姓名")]


def check_address(text: str, *, max_length: int | None) -> list[Issue]:
    if not text:
        return []
    if max_length and len(text) > max_length:
        return [Issue(ADDRESS, f"地址有{len(text)}个字，超过本地限制的{max_length}个字", "适当精简地址")]
    if len(text) < 6 or not _ADDRESS_DETAIL.search(text):
        return [Issue(ADDRESS, "地址不够具体", "写到村庄（组）或街道门牌号，如 某某镇某某村3组")]
    return []


def check_decimal(text: str) -> list[Issue]:
    if not text:
        return []
    if not _DECIMAL.match(text):
        return [Issue(DECIMAL, "应填写数字（单位：公里），如 1.5", "只填数字，不要带“公里”“km”等字")]
    if float(text) > 50 or ("." in text and len(text.split(".")[1]) > 2):
        return [Issue(DECIMAL_ODD, f"距离 {text} 公里看起来不太对", "核对单位是否为公里，保留一到两位小数")]
    return []


def check_digits(text: str, *, letters: bool) -> list[Issue]:
    if not text:
        return []
    ok = text.isascii() and (text.isalnum() if letters else text.isdigit())
    if ok:
        return []
    return [Issue(DIGITS, "编号只能包含数字" + ("或字母" if letters else ""), "删除其中的空格、符号或汉字")]


def check_length(text: str, max_length: int | None) -> list[Issue]:
    if max_length and len(text) > max_length:
        return [Issue(TOO_LONG, f"内容有{len(text)}个字符，最多{max_length}个", "删去多余的字符")]
    return []


def check_stored_as_number(text: str, raw: object) -> list[Issue]:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and text:
        return [Issue(AS_NUMBER, "被存成了数字，Excel 可能去掉开头的 0 或改成科学计数法", "把该列设为文本格式，或使用自动修正", fix=text)]
    return []
