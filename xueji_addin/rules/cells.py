"""Per-cell checks by column kind: one function per column, applied to each distinct raw value."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from dataclasses import replace

from xueji_addin.rules import codes, contact, dates, places, tables_cells
from xueji_addin.rules.findings import WARNING, Issue
from xueji_addin.rules.normalize import _EXCEL_ERRORS, APOSTROPHE, CODE_BLANKS, NULLS, code_blanks, normalise
from xueji_addin.spec.codes import code_table
from xueji_addin.spec.columns import Column, Kind
from xueji_addin.spec.settings import Settings

CellCheck = Callable[[object], tuple[str, list[Issue]]]


def cell_checker(column: Column, settings: Settings) -> CellCheck:
    """The check of one column's cells (ID numbers are checked per row: they depend on the type)."""
    kind = column.kind
    today = settings.effective_today()
    blanks = column_blanks(column)

    def by_kind(text: str, raw: object) -> list[Issue]:
        if kind is Kind.CODE:
            table = code_table(column.code_table or "")
            issues = codes.check_code(text, table)
            # A value list reconstructed from memory (spec/tables codes marked LOW) only warns.
            return [replace(i, severity=WARNING) for i in issues] if table.low_confidence else issues
        if kind is Kind.DATE:
            return dates.check_date(text, raw, today)
        if kind is Kind.YEAR_MONTH:
            issues = dates.check_year_month(text, raw, today)
            return issues + dates.check_enroll_month(text) if column.key == "enroll_ym" else issues
        if kind is Kind.DATE_RANGE:
            return dates.check_date_range(text, raw)
        if kind is Kind.REGION:
            return contact.check_stored_as_number(text, raw) + places.check_region(text)
        if kind is Kind.SCHOOL_CODE:
            return contact.check_stored_as_number(text, raw) + places.check_school_code(text, settings.school_code)
        if kind is Kind.CLASS_NO:
            return contact.check_stored_as_number(text, raw) + places.check_class_no(text, settings.classes)
        if kind is Kind.PHONE:
            return contact.check_stored_as_number(text, raw) + contact.check_phone(text, mobile_only=settings.mobile_only)
        if kind is Kind.POSTCODE:
            issues = contact.check_postcode(text, raw)
            return issues or contact.check_stored_as_number(text, raw)
        if kind is Kind.EMAIL:
            return contact.check_email(text)
        if kind is Kind.URL:
            return contact.check_url(text)
        if kind is Kind.PERSON_NAME:
            return contact.check_person_name(text)
        if kind is Kind.ADDRESS:
            return contact.check_address(text, max_length=settings.address_max_length)
        if kind is Kind.DECIMAL:
            return contact.check_decimal(text)
        if kind is Kind.DIGITS:
            return (contact.check_stored_as_number(text, raw) + contact.check_digits(text, letters=False)
                    + contact.check_length(text, column.max_length))
        if kind is Kind.TEXT_CODE:
            return contact.check_digits(text, letters=True)
        if kind in tables_cells.KINDS:
            return tables_cells.check(kind, text, raw, today)
        return contact.check_length(text, column.max_length)

    def check(raw: object) -> tuple[str, list[Issue]]:
        text, issues = normalise(raw, kind, blanks)
        if kind is Kind.ID_NUMBER:
            return text, issues
        return text, issues + by_kind(text, raw)

    return check


def column_blanks(column: Column) -> frozenset[str]:
    """The placeholders of the column: its kind's, or for a code table the ones it has no option
    or alias for (残疾类型 reads 无 as 无残疾)."""
    if column.kind is Kind.CODE:
        table = code_table(column.code_table or "")
        return frozenset(b for b in CODE_BLANKS if table.match(b).name is None)
    return code_blanks(column.kind)


# --- fast path -------------------------------------------------------------------------------
# Most cells are already right. A cheap test that only a clean, valid text passes lets the engine
# skip the full check for them; anything it rejects goes through ``cell_checker`` for the message.
# Where the test is a pattern, the engine may run it once over a whole column joined by SEP (one
# regex pass at C speed instead of a Python call per value): no pattern may ever match SEP.

SEP = "\x00"
_CLEAN = re.compile(r"[^\s\x00-\x1f\x7f\u00a0\u200b-\u200f\u2028-\u202e\u2060\u3000\ufeff]"
                    r"(?:[^\x00-\x1f\x7f\u00a0\u200b-\u200f\u2028-\u202e\u2060\ufeff]*"
                    r"[^\s\x00-\x1f\x7f\u00a0\u200b-\u200f\u2028-\u202e\u2060\u3000\ufeff])?")


def _clean(text: str) -> bool:
    """``_CLEAN.fullmatch`` of a non-empty text, mostly without the regex (slow per character on long
    texts such as addresses): printable text (no control, format or separator character but the
    ASCII space) that neither starts nor ends with a space always passes it; the regex decides the
    rest (an inner 全角空格, a private-use character …)."""
    return (text.isprintable() and text[0] != " " != text[-1]) or _CLEAN.fullmatch(text) is not None


# Digit kinds are matched with re.ASCII: a str pattern's \d also matches full-width and other
# scripts' digits, which the full check reports (XJ112); the fast test must reject them.
# A database null in an exporter's words (NULL, None, nan) is made of letters: the letter kinds'
# patterns must not take it (it reads as the value's end in a joined column too).
_NOT_NULL = "(?!(?i:" + "|".join(sorted(NULLS)) + r")(?:\x00|$))"
_FAST_PATTERNS = {
    Kind.PERSON_NAME: contact.NAME_CHARS + "+",
    Kind.POSTCODE: r"\d{6}",
    Kind.DIGITS: r"\d+",
    Kind.TEXT_CODE: _NOT_NULL + r"[0-9A-Za-z]+",
    Kind.ID_NUMBER: _NOT_NULL + r"[0-9A-Za-z]+",  # clean text; the number itself is checked per row (engine._ids)
    Kind.DECIMAL: r"(?:[0-9]|[1-4][0-9])(?:\.\d{1,2})?|50(?:\.0{1,2})?",  # check_decimal: at most 50 km
}
_PLAIN_DATE = re.compile(r"(?!0000)\d{4}(?:0[1-9]|1[0-2])(?:0[1-9]|1\d|2[0-8])", re.ASCII)
_DIGIT_KINDS = {Kind.POSTCODE, Kind.DIGITS, Kind.DECIMAL, Kind.PHONE}


def fast_pattern(column: Column, settings: Settings) -> re.Pattern[str] | None:
    """The fast test of a column as a pattern (for ``fullmatch``), where it is one."""
    kind = column.kind
    if kind is Kind.PHONE:
        text = r"1[3-9]\d{9}" if settings.mobile_only else r"1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?"
    elif kind is Kind.DIGITS and column.max_length:
        text = rf"\d{{1,{column.max_length}}}"
    elif kind in _FAST_PATTERNS:
        text = _FAST_PATTERNS[kind]
    else:
        return None
    return re.compile(text, re.ASCII if kind in _DIGIT_KINDS else 0)


def column_pattern(one: re.Pattern[str], *, blanks: bool = True) -> re.Pattern[str]:
    """A ``fast_pattern`` over a column's values joined by SEP (with a SEP after the last): a match
    from a value's start ends at the start of the first value that fails (blanks pass unless
    ``blanks`` is False: the full check leaves them as they are)."""
    value = f"(?:{one.pattern})?" if blanks else f"(?:{one.pattern})"
    return re.compile(rf"(?:{value}\x00)*", one.flags)


@lru_cache(maxsize=None)
def _names(table: str) -> frozenset[str]:
    return frozenset(code_table(table).names)  # once per table: the live check builds checks per edit


def fast_check(column: Column, settings: Settings) -> Callable[[str], bool] | None:
    """A predicate true only for texts that ``cell_checker`` would pass unchanged, or None."""
    kind = column.kind
    if kind is Kind.CODE:
        return _names(column.code_table or "").__contains__
    pattern = fast_pattern(column, settings)
    if pattern is not None:
        return pattern.fullmatch  # type: ignore[return-value]
    clean = _CLEAN.fullmatch
    if kind is Kind.EMAIL:  # the e-mail pattern lets zero-width and other invisible characters through
        email = contact._EMAIL.match
        return lambda t: clean(t) is not None and _unmarked(t) and email(t) is not None
    if kind is Kind.ADDRESS:
        limit = settings.address_max_length or 10**9
        detail = contact._ADDRESS_DETAIL.search
        # Most addresses end in a detail (…号, …室, …组): their last character settles it, where a
        # search for one would start from the province.
        ends = contact.ADDRESS_DETAIL_CHARS
        return lambda t: 6 <= len(t) <= limit and (t[-1] in ends or detail(t) is not None) and _clean(t) and _unmarked(t)
    if kind is Kind.DATE:  # thousands of birth dates in a school
        # A real YYYYMMDD up to today; days 29-31 are left to the full check (their month decides).
        today = settings.effective_today().strftime("%Y%m%d")
        plain = _PLAIN_DATE.fullmatch
        return lambda t: t <= today and plain(t) is not None
    if kind is Kind.TEXT:
        limit = column.max_length or 10**9
        return lambda t: 0 < len(t) <= limit and _clean(t) and _unmarked(t)
    return None  # few distinct values (dates, codes of the school …): the full check is cheap enough


def _unmarked(text: str) -> bool:
    """A non-empty text that is neither an Excel error, a text mark (a leading ') nor a null placeholder."""
    return text[0] != APOSTROPHE and text not in _EXCEL_ERRORS and text.lower() not in NULLS
