"""What the light copy knows of one roster sheet (light_copy.py cuts it, light_merge.py puts it back)."""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from lxml import etree
from openpyxl.utils.cell import column_index_from_string, get_column_letter

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


_PLAIN_ROWS: dict[bytes, re.Pattern[bytes]] = {}
_CELLS_OF: dict[tuple[bytes, str], re.Pattern[bytes]] = {}


def _plain_row(prefix: bytes) -> re.Pattern[bytes]:
    """A row whose every child is a cell with its reference first and no cell inside it (the
    first </c> after a cell's start closes it)."""
    if prefix not in _PLAIN_ROWS:
        q = re.escape(prefix)
        cell = (b"<" + q + rb'c r="[A-Z]{1,3}\d+"[^>]*(?:(?<=/)>|>[^<]*+(?:<(?!/?' + q + rb"c[ \t\r\n>/])[^<]*+)*+</" + q
                + b"c>)[ \t\r\n]*")
        _PLAIN_ROWS[prefix] = re.compile(b"<" + q + rb"row[^>]*>[ \t\r\n]*(?:" + cell + b")*+</" + q + b"row>")
    return _PLAIN_ROWS[prefix]


def cells_cut(raw: bytes, prefix: bytes, columns: Iterable[int]) -> bytes | None:
    """A row's bytes with only its cells in ``columns``, each with the white space after it (as
    an element's tail goes with it), in their order; None where the row is not one of cells with
    their references first (then it is parsed whole), or a column's cell is there twice."""
    if _plain_row(prefix).fullmatch(raw) is None:
        return None
    opening = b"<" + prefix + b'c r="'
    close = len(raw) - len(prefix) - len(b"</row>")
    first = raw.find(opening)
    pieces = []
    for col in columns:
        key = (prefix, get_column_letter(col))
        if key not in _CELLS_OF:
            _CELLS_OF[key] = re.compile(re.escape(opening + key[1].encode()) + rb'\d+"')
        found = [m.start() for m in _CELLS_OF[key].finditer(raw)]
        if len(found) > 1:
            return None
        if found:
            end = raw.find(opening, found[0] + 1)
            pieces.append((found[0], close if end < 0 else end))
    pieces.sort()
    return raw[:close if first < 0 else first] + b"".join(raw[a:b] for a, b in pieces) + raw[close:]
