"""Excel addresses and blocks of cells, the arithmetic the Excel host needs and tests exercise
without Excel: the rows an address covers, unions short enough for a Range, runs of adjacent
cells written in one go (text kept as text), and xlwings' colours as RRGGBB."""

from __future__ import annotations

import re
from typing import Any

from openpyxl.utils.cell import column_index_from_string, coordinate_from_string, range_boundaries

from xueji_addin.spec.columns import column_letter
from xueji_addin.workbook.cells import needs_text_format

MAX_REF = 250  # Excel refuses a Range address of more than 255 characters
_ABS = re.compile(r"\$")


def rows_of_address(address: str, max_row: int | None = None) -> list[int]:
    """The sheet rows an address covers: "$A$2:$C$4,$M$9" → [2, 3, 4, 9]. Whole columns ("$M:$M")
    stop at ``max_row``."""
    rows: set[int] = set()
    for part in _ABS.sub("", address).replace(";", ",").split(","):
        part = part.strip().split("!")[-1]
        if not part:
            continue
        _, top, _, bottom = range_boundaries(part if ":" in part or part[-1:].isdigit() else f"{part}:{part}")
        if top is None:  # whole columns: the rows in use
            top, bottom = 1, max_row or 1
        rows.update(range(top, (bottom or top) + 1))
    return sorted(rows)


def union_refs(addresses: list[str], limit: int = MAX_REF) -> list[str]:
    """Addresses joined into union references ("A2,C5,M9") no longer than Excel accepts."""
    out: list[str] = []
    current = ""
    for a in addresses:
        if current and len(current) + 1 + len(a) > limit:
            out.append(current)
            current = a
        else:
            current = f"{current},{a}" if current else a
    if current:
        out.append(current)
    return out


def blocks(cells: dict[str, object]) -> list[tuple[str, list[object]]]:
    """Cells grouped into runs of adjacent cells along a row: (ref, values) — one write per run."""
    by_row: dict[int, dict[int, object]] = {}
    for addr, value in cells.items():
        letters, row = coordinate_from_string(addr)
        by_row.setdefault(row, {})[column_index_from_string(letters)] = value
    out: list[tuple[str, list[object]]] = []
    for row in sorted(by_row):
        cols = sorted(by_row[row])
        start = prev = cols[0]
        values = [by_row[row][start]]
        for c in cols[1:]:
            if c == prev + 1:
                values.append(by_row[row][c])
            else:
                out.append((_ref(row, start, prev), values))
                start, values = c, [by_row[row][c]]
            prev = c
        out.append((_ref(row, start, prev), values))
    return out


def _ref(row: int, first: int, last: int) -> str:
    a = f"{column_letter(first)}{row}"
    return a if first == last else f"{a}:{column_letter(last)}{row}"


def write_cells(sh: Any, cells: dict[str, object]) -> None:
    """Values into a live sheet, one write per run of adjacent cells, text kept as text: such text
    goes into cells formatted Text (@) first and is written as it is. (Not with a leading apostrophe:
    a cell already formatted Text keeps the apostrophe as part of its value.) "" clears a cell."""
    texts = {a: v for a, v in cells.items() if needs_text_format(v)}
    others = {a: (None if v == "" else v) for a, v in cells.items() if a not in texts}
    for ref, values in blocks(texts):
        rng = sh.range(ref)
        rng.number_format = "@"
        rng.value = [values]
    for ref, values in blocks(others):
        sh.range(ref).value = [values]


def hex_colour(rgb: object) -> str | None:
    """xlwings' (r, g, b) as RRGGBB; None stays None."""
    if not rgb:
        return None
    if isinstance(rgb, str):
        return rgb.lstrip("#").upper()
    r, g, b = rgb  # type: ignore[misc]
    return f"{int(r):02X}{int(g):02X}{int(b):02X}"
