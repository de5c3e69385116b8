"""Writing cell values safely: text stays text, never a formula (a cell that begins with = + - @
or a tab in someone's data must not run as a formula in the registrar's Excel)."""

from __future__ import annotations

import re

from openpyxl.cell.cell import Cell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What XML 1.0 cannot hold: control characters, the non-characters U+FFFE and U+FFFF, and lone
# surrogates. openpyxl's own check misses the last two kinds and writes a file Excel cannot open.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Every string a writer puts into XML (cell values, notes, headers and footers, sheet names)
    goes through here: characters XML cannot hold become Excel's own escape, ``_x0001_``, which Excel
    and python-calamine read back as the character in a cell: nothing is dropped, no file is corrupt."""
    if XML_ILLEGAL.search(text) is None:
        return text
    return XML_ILLEGAL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def set_text(cell: Cell, value: object) -> None:
    """Put ``value`` into ``cell``; strings are always stored as strings."""
    if isinstance(value, str):
        cell.value = xml_safe(value)
        cell.data_type = "s"  # openpyxl would otherwise read a leading "=" as a formula
    else:
        cell.value = value


def needs_text_format(value: object) -> bool:
    """Text Excel would turn into something else if typed into a General cell: a formula ("=…",
    "+86…"), a number ("0101", "20240101") or a date ("2024-9-1")."""
    return isinstance(value, str) and bool(value) and (value.startswith(FORMULA_STARTS) or _looks_numeric(value))


def _looks_numeric(text: str) -> bool:
    t = text.strip()
    if not t:
        return False
    try:
        float(t.replace(",", "").rstrip("%"))
        return True
    except ValueError:
        return bool(re.fullmatch(r"\d{1,4}[-/.]\d{1,2}([-/.]\d{1,4})?|true|false|TRUE|FALSE", t))
