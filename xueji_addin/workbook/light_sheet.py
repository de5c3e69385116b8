"""What the light copy knows of one roster sheet (light_copy.py cuts it, light_merge.py puts it back)."""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree
from openpyxl.utils.cell import column_index_from_string

PARSER = {"huge_tree": True, "resolve_entities": False, "no_network": True}


@dataclass
class RowIndex:
    """Where each row of the original sheet lies in its part, as the cutting pass found it: the
    save copies the rows nothing touches as the bytes between these offsets, without cutting the
    part into rows a second time."""

    numbers: array = field(default_factory=lambda: array("q"))  # ascending
    starts: array = field(default_factory=lambda: array("q"))
    ends: array = field(default_factory=lambda: array("q"))
    foreign: set[int] = field(default_factory=set)  # rows naming the main namespace by a prefix of their own
    data_start: int = 0  # just after <sheetData>
    data_end: int = 0  # where </sheetData> starts
    prefix: bytes = b""
    decls: bytes = b""  # the root's namespace declarations
    namespaces: dict[str, str] = field(default_factory=dict)
    ignorable: str | None = None
    crc: int = 0  # of the part as read: the save reads the same part again


@dataclass
class Slim:
    """One roster sheet of the copy: rows before ``first`` kept whole, below only ``keep``."""

    member: str
    first: int
    keep: set[tuple[int, int]]
    text: tuple[int, frozenset[int]] | None = None  # (first data row, Text columns) once the template is applied
    reach: tuple[int, int] = (0, 0)  # last row and column of the original sheet
    index: RowIndex = field(default_factory=RowIndex)


_COLUMNS: dict[str, int] = {}


def cells_of(row: etree._Element) -> Iterator[tuple[int, etree._Element]]:
    """The row's cells with their column numbers (a cell without a reference follows the one before)."""
    col = 0
    columns = _COLUMNS
    for c in row:
        ref = c.get("r")
        if ref:
            letters = ref.rstrip("0123456789")
            col = columns.get(letters) or columns.setdefault(letters, column_index_from_string(letters))
        else:
            col += 1
        yield col, c
