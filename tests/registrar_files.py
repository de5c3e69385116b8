"""Building real class files for the registrar tests: the template layout with one thing changed."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from xueji_addin import synth
from xueji_addin.spec.profiles import default_profile
from xueji_addin.workbook.cells import set_text

PROFILE = default_profile()
HEADERS = PROFILE.headers
KEYS = [c.key for c in PROFILE.columns]


def records(seed: int, size: int, class_no: str = "20240101") -> list[dict[str, str]]:
    return [dict(r) for r in synth.class_roster(seed, size, class_no=class_no)]


def rows_of(recs: list[dict[str, str]]) -> list[list[object]]:
    return [[r.get(k, "") for k in KEYS] for r in recs]


def write_file(path: Path, headers: list[object], rows: list[list[object]], *, sheet: str = "学生基础信息",
               other_sheets: dict[str, list[list[object]]] | None = None) -> Path:
    """A real .xlsx: ``headers`` in row 1, ``rows`` below, then any other sheets."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for r, row in enumerate([headers, *rows], start=1):
        for c, v in enumerate(row, start=1):
            if v is not None and v != "":
                set_text(ws.cell(r, c), v)
    for name, content in (other_sheets or {}).items():
        extra = wb.create_sheet(name)
        for r, row in enumerate(content, start=1):
            for c, v in enumerate(row, start=1):
                set_text(extra.cell(r, c), v)
    wb.save(path)
    return path


def class_file(path: Path, seed: int, size: int, class_no: str = "20240101") -> tuple[Path, list[list[object]]]:
    rows = rows_of(records(seed, size, class_no))
    return write_file(path, HEADERS, rows), rows


def col(key: str) -> int:
    """0-based index of a key in the template."""
    return KEYS.index(key)
