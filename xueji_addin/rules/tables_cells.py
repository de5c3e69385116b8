"""Cell checks of the kinds only the 学校/校区/班级/教师 tables use (spec/tables/rules.md §1, §4)."""

from __future__ import annotations

import datetime as dt
import re

from stdnum.cn import uscc

from xueji_addin.rules import contact
from xueji_addin.rules.findings import ERROR, Issue, rule
from xueji_addin.spec import regions
from xueji_addin.spec.columns import Kind

NUMBER = rule("XJ1001", ERROR, "cell", "应填写数字（如学制 6、入学年龄 6）")
MOBILE = rule("XJ1002", ERROR, "cell", "不是11位手机号")
REGION = rule("XJ1003", ERROR, "cell", "行政区划代码不是6位或12位数字，或不是已知的县级代码")
ORG_CODE = rule("XJ1004", ERROR, "cell", "组织机构代码（或统一社会信用代码）格式不对或校验位不对")
DATE_ANY = rule("XJ1005", ERROR, "cell", "日期不是 YYYYMMDD 或 YYYY-MM-DD，或日期不存在")
YM_ANY = rule("XJ1006", ERROR, "cell", "年月不是 YYYYMM 或 YYYY-MM，或月份不在01-12之间")

KINDS = frozenset({Kind.NUMBER, Kind.MOBILE, Kind.REGION_ANY, Kind.ORG_CODE, Kind.DATE_ANY, Kind.DATE_PLANNED,
                   Kind.YEAR_MONTH_ANY})

_NUMBER = re.compile(r"^\d+(\.\d+)?$")
_DASH_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_LOOSE_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_DASH_YM = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
_LOOSE_YM = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_ORG = re.compile(r"^([0-9A-Z]{8})-?([0-9X])$")
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
NONE_WORD = "无"  # "无" is accepted where a school has no such certificate (local guidance)


def parse_date_any(text: str) -> dt.date | None:
    """YYYYMMDD or YYYY-MM-DD as a date, else None."""
    m = _DASH_DATE.match(text)
    y, mo, d = (m.groups() if m else (text[:4], text[4:6], text[6:]) if len(text) == 8 and text.isdigit() else (None,) * 3)
    if y is None:
        return None
    try:
        return dt.date(int(y), int(mo), int(d))
    except ValueError:
        return None


def parse_ym_any(text: str) -> tuple[int, int] | None:
    """YYYYMM, YYYY-MM or YYYY-MM-DD as (year, month), else None."""
    if len(text) == 6 and text.isdigit():
        y, m = int(text[:4]), int(text[4:])
    else:
        match = _DASH_YM.match(text)
        if not match:
            return None
        if match.group(3) and parse_date_any(text) is None:
            return None
        y, m = int(match.group(1)), int(match.group(2))
    return (y, m) if 1 <= m <= 12 else None


def org_check_char(body8: str) -> str:
    """The GB 11714 check character of an 8-character organisation code body."""
    total = sum(w * (int(c) if c.isdigit() else ord(c) - 55) for w, c in zip(_ORG_WEIGHTS, body8))
    c = 11 - total % 11
    return "X" if c == 10 else ("0" if c == 11 else str(c))


def check(kind: Kind, text: str, raw: object, today: dt.date) -> list[Issue]:
    if not text:
        return []
    if kind is Kind.NUMBER:
        if _NUMBER.match(text):
            return []
        digits = re.sub(r"[^\d.]", "", text)
        fix = digits if digits and _NUMBER.match(digits) else None
        return [Issue(NUMBER, f"“{text}”不是数字", f"只填数字，如 {fix or 6}", fix=fix)]
    if kind is Kind.MOBILE:
        issues = contact.check_stored_as_number(text, raw)
        compact = re.sub(r"[\s\-—－()（）]", "", text)
        if contact._MOBILE.match(compact):
            if compact != text:
                return [Issue(MOBILE, "手机号中不要加空格或横线", f"改为 {compact}", fix=compact)]
            return issues
        return [Issue(MOBILE, f"“{text}”不是11位手机号", "填写11位手机号，如 13912345678")]
    if kind is Kind.REGION_ANY:
        return contact.check_stored_as_number(text, raw) + _region(text)
    if kind is Kind.ORG_CODE:
        return _org_code(text)
    if kind in (Kind.DATE_ANY, Kind.DATE_PLANNED):
        return _date(kind, text, raw, today)
    if kind is Kind.YEAR_MONTH_ANY:
        if isinstance(raw, (dt.date, dt.datetime)) or parse_ym_any(text):
            return []
        m = _LOOSE_YM.match(text)
        fix = f"{m.group(1)}-{int(m.group(2)):02d}" if m and 1 <= int(m.group(2)) <= 12 else None
        return [Issue(YM_ANY, "年月应写成 YYYY-MM（如 2010-09）或 YYYYMM", f"例如 {fix or '2010-09'}", fix=fix)]
    return []


def _region(text: str) -> list[Issue]:
    if not text.isdigit() or len(text) not in (6, 12):
        return [Issue(REGION, "应填写6位或12位数字的行政区划代码", "如 陕西省西安市雁塔区 为 610113（或 610113000000）")]
    if not regions.is_known_county(text[:6]):
        return [Issue(REGION, f"前6位 {text[:6]} 不是已知的县级行政区划代码", "核对行政区划代码")]
    return []


def _org_code(text: str) -> list[Issue]:
    if text == NONE_WORD:
        return []
    up = text.upper()
    m = _ORG.match(up)
    if m:
        want = org_check_char(m.group(1))
        if m.group(2) != want:
            return [Issue(ORG_CODE, f"组织机构代码的校验位应为“{want}”，现为“{m.group(2)}”（有字符抄错）",
                          "对照组织机构代码证逐位核对")]
        return [] if up == text else [Issue(ORG_CODE, "字母应为大写", f"改为 {up}", fix=up)]
    if len(up) == 18:
        if uscc.is_valid(up):
            return [] if up == text else [Issue(ORG_CODE, "字母应为大写", f"改为 {up}", fix=up)]
        return [Issue(ORG_CODE, "统一社会信用代码校验不通过（有字符抄错）", "对照事业单位法人证书逐位核对")]
    return [Issue(ORG_CODE, "应为9位组织机构代码（如 12345678-9）或18位统一社会信用代码；没有时填“无”",
                  "对照组织机构代码证或事业单位法人证书填写")]


def _date(kind: Kind, text: str, raw: object, today: dt.date) -> list[Issue]:
    if isinstance(raw, (dt.date, dt.datetime)):
        return []  # an Excel date: the teacher system reads it as a date
    if kind is Kind.DATE_PLANNED:
        if len(text) == 8 and text.isdigit() and parse_date_any(text):
            return []
        m = _LOOSE_DATE.match(text)
        fix = None
        if m:
            try:
                fix = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).strftime("%Y%m%d")
            except ValueError:
                fix = None
        return [Issue(DATE_ANY, "应为8位数字的日期，如 20300630", f"例如 {fix or '20300630'}", fix=fix)]
    date = parse_date_any(text)
    if date is None:
        m = _LOOSE_DATE.match(text)
        fix = None
        if m:
            try:
                fix = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
            except ValueError:
                fix = None
        return [Issue(DATE_ANY, "日期应写成 YYYY-MM-DD（如 1985-03-02）或 YYYYMMDD，且日期要存在",
                      f"例如 {fix or '1985-03-02'}", fix=fix)]
    if date > today:
        return [Issue(DATE_ANY, "日期在今天之后", "对照身份证核对日期")]
    return []
