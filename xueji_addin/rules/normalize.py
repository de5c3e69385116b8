"""Turn a raw cell into the text a rule checks, noting what had to change on the way.

Excel numbers and dates become the text the template wants; surrounding spaces, invisible
characters and full-width digits are removed, each change reported as an issue with its fix.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from xueji_addin.rules.findings import ERROR, WARNING, Issue, rule
from xueji_addin.spec.columns import Kind

TRIMMED = rule("XJ110", WARNING, "cell", "内容前后有空格（导入时会被去掉）")
INVISIBLE = rule("XJ111", ERROR, "cell", "内容中含有看不见的字符（制表符、换行、零宽字符等）")
FULL_WIDTH = rule("XJ112", ERROR, "cell", "代码类内容使用了全角数字或字母")
EXCEL_ERROR = rule("XJ113", ERROR, "cell", "单元格是 Excel 错误值（#N/A、#REF! 等）")
TEXT_MARK = rule("XJ120", WARNING, "cell", "内容开头有导出程序标记文本用的英文单引号 '")
PLACEHOLDER = rule("XJ121", WARNING, "cell", "内容是表示“空”的占位符（NULL、None、NaN，代码类列中的 无、/）")

# Spaces the importer strips (it strips "\0\t\n\x0B\r " — rules.md §0.7) plus the full-width space.
_EDGE = " \t\r\n\x0b\x0c\x00\u3000\u00a0\ufeff\u200b"
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f\u00a0\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060\ufeff\t\r\n]")
_FULL_WIDTH = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}
_FULL_WIDTH["\u3000"] = " "
_HALF_WIDTH = str.maketrans(_FULL_WIDTH)  # made once: making it took 40 µs, on every call
_FULL_WIDTH_RE = re.compile("[\uff01-\uff5e]")
# Exporters (PHP, the 2013 collection app) write a 10+-digit string as '123…: Excel's way to type a
# text, which in a file's cell is a real character the national import would keep.
APOSTROPHE = "'"
# A database null as the exporters write it (PHP: NULL, Python: None / nan); in any column.
NULLS = frozenset({"null", "none", "nan"})
# What people type for "none" where a code is expected; in free text 无 is an answer (特长：无).
CODE_BLANKS = frozenset({"无", "/", "-"})
_EXCEL_ERRORS = {"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!", "#GETTING_DATA"}


class ErrorCell(str):
    """The text of a cell that holds an Excel error value (the reader saw it in the sheet's XML), as
    against the same text typed or exported into a text cell: #N/A there is a placeholder."""

    __slots__ = ()

    # Unequal to the typed text, so the engine's per-value caches give each its own verdict.
    def __eq__(self, other: object) -> bool:
        return other.__class__ is ErrorCell and str.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash((ErrorCell, str(self)))


def half_width(text: str) -> str:
    return text.translate(_HALF_WIDTH)


def number_text(value: float | int) -> str:
    """An Excel number as the digits a person typed (20110101.0 → "20110101")."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        if value.is_integer() and abs(value) < 1e30:
            # An 18-digit ID Excel turned into a number: the 15 significant digits Excel keeps and
            # shows in the cell and formula bar (513226201802120000), never 5.1322620180212e+17.
            return format(Decimal(f"{value:.15g}"), "f")
        return repr(value)
    return str(value)


def date_text(value: dt.date | dt.datetime, kind: Kind) -> str:
    if kind is Kind.YEAR_MONTH:
        return value.strftime("%Y%m")
    if kind is Kind.YEAR_MONTH_ANY:  # the teacher template writes YYYY-MM
        return value.strftime("%Y-%m")
    if kind is Kind.DATE_ANY:
        return value.strftime("%Y-%m-%d")
    return value.strftime("%Y%m%d")


def is_placeholder(text: str, blanks: frozenset[str] = frozenset()) -> bool:
    """Whether a clean text is a placeholder for "nothing" (``blanks``: the column's own, such as 无)."""
    return text.lower() in NULLS or text in blanks


def code_blanks(kind: Kind) -> frozenset[str]:
    """The placeholders of a column kind where a code is expected (a code table decides its own)."""
    return CODE_BLANKS if kind.is_text_format and kind is not Kind.ORG_CODE else frozenset()


def normalise(raw: object, kind: Kind, blanks: frozenset[str] | None = None) -> tuple[str, list[Issue]]:
    """(text to check, issues about the cell's form). Raw numbers and dates are handled by the kind's
    own check (they need the kind to know what went wrong); here they become plain text. ``blanks``:
    the texts that stand for "nothing" in this column beside the nulls (default: the kind's)."""
    if raw is None:
        return "", []
    if isinstance(raw, str):
        text = raw
    elif isinstance(raw, (dt.date, dt.datetime)):
        return date_text(raw, kind), []
    elif isinstance(raw, float) and raw != raw:  # NaN: a missing value from a data frame
        return "", [_placeholder("NaN")]
    elif isinstance(raw, (int, float)):
        return number_text(raw), []
    else:  # time, timedelta, or a reader's own type
        return str(raw), []
    issues: list[Issue] = []
    stripped = text.strip(_EDGE)
    if stripped == "#N/A" and raw.__class__ is not ErrorCell:  # exported as text (pandas' and R's "not available")
        return "", [_placeholder(stripped)]
    if stripped in _EXCEL_ERRORS:
        return "", [Issue(EXCEL_ERROR, f"单元格显示错误值 {stripped}，通常是公式出错或引用失效", "请删除公式，直接输入内容")]
    if stripped.startswith(APOSTROPHE):
        stripped = stripped[1:].strip(_EDGE)
        issues.append(Issue(TEXT_MARK, "开头的单引号 ' 是导出程序加的“文本”标记，不属于内容", "删除单引号（自动修正会去掉）",
                            fix=stripped))
    elif stripped != text and stripped:
        issues.append(Issue(TRIMMED, "内容前后有空格", "删除多余的空格", fix=stripped))
    if is_placeholder(half_width(stripped), code_blanks(kind) if blanks is None else blanks):
        return "", issues + [_placeholder(stripped)]
    text = stripped
    if _INVISIBLE.search(text):
        cleaned = " ".join(_INVISIBLE.sub(" ", text).split()) if kind in _FREE_TEXT else _INVISIBLE.sub("", text)
        issues.append(Issue(INVISIBLE, "含有看不见的字符（如换行、制表符或从网页复制带来的特殊空格）", "删除这些字符后重新输入", fix=cleaned))
        text = cleaned
    if kind.is_text_format and _FULL_WIDTH_RE.search(text):
        fixed = half_width(text)
        issues.append(Issue(FULL_WIDTH, "使用了全角（中文输入法）数字或字母", "切换到英文输入法重新输入，或使用自动修正", fix=fixed))
        text = fixed
    return text, issues


_FREE_TEXT = {Kind.TEXT, Kind.ADDRESS}


def _placeholder(text: str) -> Issue:
    why = ("是导出程序写给数据库空值的占位符" if text.lower() in NULLS or text == "#N/A"
           else "表示“没有”，但这一列要填代码或选项，不能填“无”“/”“-”")
    return Issue(PLACEHOLDER, f"“{text}”{why}，导入时会被当作内容",
                 "没有这项内容就留空，有就填写真实内容（自动修正会清空此格）", fix="")
