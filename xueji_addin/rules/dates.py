"""出生日期 (YYYYMMDD), 入学年月 (YYYYMM) and 身份证件有效期: rules.md §2."""

from __future__ import annotations

import datetime as dt
import re

from xueji_addin.rules.findings import ERROR, WARNING, Issue, rule

DATE_FORMAT = rule("XJ401", ERROR, "cell", "日期不是8位数字（YYYYMMDD）")
DATE_INVALID = rule("XJ402", ERROR, "cell", "日期不存在（如2月30日）")
DATE_FUTURE = rule("XJ403", ERROR, "cell", "日期在今天之后")
YM_FORMAT = rule("XJ405", ERROR, "cell", "年月不是6位数字（YYYYMM）")
YM_INVALID = rule("XJ406", ERROR, "cell", "年月的月份不在01-12之间")
YM_FUTURE = rule("XJ407", ERROR, "cell", "年月在本月之后")
ENROLL_MONTH = rule("XJ409", WARNING, "cell", "入学月份通常是9月（春季入学为2、3月）")
RANGE_FORMAT = rule("XJ410", WARNING, "cell", "身份证件有效期格式不规范或结束早于开始")

_LOOSE_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_LOOSE_YM = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?(?:\s*[-/.]\s*\d{1,2}\s*日?|\s*\d{1,2}日)?$")
_LONG = "长期"


def parse_ymd(text: str) -> dt.date | None:
    """A strict YYYYMMDD as a date, else None."""
    if len(text) != 8 or not text.isdigit():
        return None
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def parse_ym(text: str) -> tuple[int, int] | None:
    if len(text) != 6 or not text.isdigit() or not 1 <= int(text[4:]) <= 12:
        return None
    return int(text[:4]), int(text[4:])


def check_enroll_month(text: str) -> list[Issue]:
    """入学年月 of a month when no school year starts (a cell's own verdict, so the live check and
    the XJ_CHECK function give it too)."""
    ym = parse_ym(text)
    if ym and ym[1] not in (2, 3, 8, 9):
        return [Issue(ENROLL_MONTH, f"入学月份是{ym[1]}月", "入学年月填写进入本学段一年级的年月，一般是9月")]
    return []


def _loose_date(text: str) -> dt.date | None:
    m = _LOOSE_DATE.match(text)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


_MIDNIGHT = re.compile(r"\s+0{1,2}:00(?::00(?:\.0+)?)?$")  # 2018-01-10 00:00:00, as databases export a date


def text_date(text: str, *, month: bool = False) -> str | None:
    """A date typed as text in a common form (2018-01-10, 2018/1/10, 2018.01.10, 2018年1月10日,
    with a midnight time or not) as the template's YYYYMMDD, or YYYYMM when ``month``; else None."""
    text = _MIDNIGHT.sub("", text.strip())
    if month:
        m = _LOOSE_YM.match(text)
        if m and 1 <= int(m.group(2)) <= 12:
            return f"{m.group(1)}{int(m.group(2)):02d}"
        return text[:6] if len(text) == 8 and text.isdigit() and parse_ymd(text) else None
    loose = _loose_date(text)
    return loose.strftime("%Y%m%d") if loose else None


def check_date(text: str, raw: object, today: dt.date) -> list[Issue]:
    if not text:
        return []
    if isinstance(raw, (dt.date, dt.datetime)):
        return [Issue(DATE_FORMAT, "单元格是 Excel 日期格式，导入要求8位数字文本", "改为文本格式的8位数字，如 20110101", fix=text)]
    if not (len(text) == 8 and text.isdigit()):
        fix = text_date(text)
        return [Issue(DATE_FORMAT, "应为8位数字的日期（年4位、月2位、日2位）", f"例如 {fix or '20110101'}", fix=fix)]
    date = parse_ymd(text)
    if date is None:
        return [Issue(DATE_INVALID, f"{text[:4]}年{text[4:6]}月{text[6:]}日不存在", "请对照户口簿或证件核对日期")]
    if date > today:
        return [Issue(DATE_FUTURE, "日期在今天之后", "请对照户口簿或证件核对日期")]
    return []


def check_year_month(text: str, raw: object, today: dt.date) -> list[Issue]:
    if not text:
        return []
    if isinstance(raw, (dt.date, dt.datetime)):
        return [Issue(YM_FORMAT, "单元格是 Excel 日期格式，导入要求6位数字文本", "改为文本格式的6位数字，如 201409", fix=text)]
    if not (len(text) == 6 and text.isdigit()):
        fix = text_date(text, month=True)
        return [Issue(YM_FORMAT, "应为6位数字的年月（年4位、月2位）", f"例如 {fix or '201409'}", fix=fix)]
    if parse_ym(text) is None:
        return [Issue(YM_INVALID, f"月份“{text[4:]}”不在01-12之间", "月份写两位（01-12），如2014年9月写 201409")]
    if (int(text[:4]), int(text[4:])) > (today.year, today.month):
        return [Issue(YM_FUTURE, "年月在本月之后", "核对年份和月份，不能填本月之后的年月")]
    return []


def _range_part(text: str) -> dt.date | None:
    return parse_ymd(text) or _loose_date(text)


def check_date_range(text: str, raw: object) -> list[Issue]:
    """身份证件有效期: YYYYMMDD-YYYYMMDD recommended; YYYY.MM.DD and …-长期 accepted."""
    if not text:
        return []
    parts = re.split(r"\s*[-－—~至]\s*(?=\d|长期)", text, maxsplit=1)
    start = _range_part(parts[0])
    end_text = parts[1] if len(parts) == 2 else ""
    end = _range_part(end_text) if end_text != _LONG else None
    if start is None or (end is None and end_text != _LONG):
        return [Issue(RANGE_FORMAT, "有效期建议写成“开始日期-结束日期”", "例如 20100601-20200601，长期有效写 20100601-长期")]
    if end is not None and end <= start:
        return [Issue(RANGE_FORMAT, "有效期的结束日期不晚于开始日期", "请对照证件核对有效期")]
    return []
