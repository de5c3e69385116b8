"""Writing cell values safely: text stays text, never a formula (a cell that begins with = + - @
or a tab in someone's data must not run as a formula in the registrar's Excel)."""

from __future__ import annotations

from openpyxl.cell.cell import Cell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def set_text(cell: Cell, value: object) -> None:
    """Put ``value`` into ``cell``; strings are always stored as strings."""
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # openpyxl would otherwise read a leading "=" as a formula
    else:
        cell.value = value
