"""Writing cell values safely: text stays text, never a formula (a cell that begins with = + - @
or a tab in someone's data must not run as a formula in the registrar's Excel)."""

from __future__ import annotations

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def xml_safe(text: str) -> str:
    """Control characters XML cannot hold (a CSV may carry them) in Excel's own escape, ``_x0001_``,
    which Excel and python-calamine read back as the character: nothing is dropped, nothing crashes."""
    return ILLEGAL_CHARACTERS_RE.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def set_text(cell: Cell, value: object) -> None:
    """Put ``value`` into ``cell``; strings are always stored as strings."""
    if isinstance(value, str):
        cell.value = xml_safe(value)
        cell.data_type = "s"  # openpyxl would otherwise read a leading "=" as a formula
    else:
        cell.value = value
