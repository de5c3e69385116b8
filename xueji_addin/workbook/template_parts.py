"""The template's finished package, built once per process, and roster files streamed from it.

A roster file we write (a split class file) is the template — header, notes, dropdowns, Text
columns, conditional formats, the helper sheets 代码表, 行政区划 and 学校设置 — plus data rows.
openpyxl builds and saves the template once per (profile, settings, rows covered, extra headers);
every file then gets those parts' compressed bytes copied as they are, and the roster sheet's
XML written around its streamed rows. Building the helper sheets with openpyxl for each of a
school's 223 class files took ~0.1 s of 0.14 s per file.
"""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from xueji_addin.spec.columns import column_letter
from xueji_addin.spec.profiles import Profile
from xueji_addin.spec.settings import Settings
from xueji_addin.workbook.atomic import XLSX, atomic_path
from xueji_addin.workbook.cells import set_text
from xueji_addin.workbook.deflate import open_for_writing
from xueji_addin.workbook.fast_save import TEMPORAL_FORMATS, rows_xml
from xueji_addin.workbook.styling import style_roster_sheet
from xueji_addin.workbook.zip_parts import Member, copy_member, stored_member

MIN_ROWS = 100  # rows the help covers at least (a teacher adds pupils below the last one)
ZIP64_CELLS = 10_000_000  # a sheet of more cells may pass the 2 GB a plain zip entry can hold


@dataclass(frozen=True)
class RosterParts:
    members: list[Member | None]  # package order; None is where the roster sheet goes
    sheet_info: zipfile.ZipInfo
    head: bytes  # the roster sheet's XML before the data rows, its dimension cut out
    middle: bytes  # between the dimension and the data rows (through the header rows)
    tail: bytes  # from </sheetData> on
    first_row: int
    width: int  # columns of the header (template's and extra)
    styles: dict[type, int]  # the cell style id of a date, a time … (fast_save.TEMPORAL_FORMATS)


_CACHE: dict[tuple[str, str, int, tuple[str, ...]], RosterParts] = {}


def covered_rows(students: int) -> int:
    """Rows the help covers: at least MIN_ROWS, rounded up to a hundred so that files of similar
    size share one build."""
    return max(MIN_ROWS, 100 * math.ceil(students / 100))


def roster_parts(profile: Profile, settings: Settings, data_rows: int, extra_headers: tuple[str, ...] = ()) -> RosterParts:
    """The template package for these rows and extra columns, built on first use in this process."""
    key = (profile.id, settings.model_dump_json(), data_rows, extra_headers)
    if key not in _CACHE:
        _CACHE[key] = _build(profile, settings, data_rows, extra_headers)
    return _CACHE[key]


def _build(profile: Profile, settings: Settings, data_rows: int, extra_headers: tuple[str, ...]) -> RosterParts:
    wb = Workbook()
    ws = wb.active
    ws.title = profile.sheet_name
    headers = [*profile.headers, *extra_headers]
    for c, h in enumerate(headers, start=1):
        set_text(ws.cell(profile.header_row, c), h)
    style_roster_sheet(wb, ws, profile, settings, data_rows=data_rows)
    return sheet_parts(wb, ws, profile.header_row + 1)


def sheet_parts(wb: Workbook, ws: Worksheet, first: int) -> RosterParts:
    """``wb`` saved once, as the parts of every file that holds ``ws`` with rows from ``first`` on."""
    styles = {}
    for kind, fmt in TEMPORAL_FORMATS.items():  # each format registered in the workbook's styles
        probe = ws.cell(first, 1)
        probe.number_format = fmt
        styles[kind] = probe.style_id
        del ws._cells[(first, 1)]
    width = ws.max_column
    dimension = f'<dimension ref="{ws.calculate_dimension()}"/>'.encode()
    buf = io.BytesIO()
    wb.save(buf)
    sheet_part = f"xl/worksheets/sheet{wb.worksheets.index(ws) + 1}.xml"
    members: list[Member | None] = []
    with zipfile.ZipFile(buf) as z:
        for info in z.infolist():
            if info.filename == sheet_part:
                members.append(None)
                sheet_info, xml = info, z.read(info)
                continue
            members.append(stored_member(z, info))
    head, _, rest = xml.partition(dimension)
    middle, _, tail = rest.partition(b"</sheetData>")
    return RosterParts(members, sheet_info, head, middle, b"</sheetData>" + tail, first, width, styles)


def _chunks(parts: RosterParts, rows: list[list[object]]) -> Iterator[bytes]:
    last_row = parts.first_row - 1 + len(rows)
    width = max([parts.width, *(len(r) for r in rows)])
    yield parts.head
    yield f'<dimension ref="A1:{column_letter(width)}{max(last_row, parts.first_row - 1)}"/>'.encode()
    yield parts.middle
    yield from rows_xml(rows, parts.first_row, parts.styles)
    yield parts.tail


def write_roster_file(path: str | Path, profile: Profile, rows: list[list[object]], *,
                      settings: Settings | None = None, extra_headers: Iterable[str] = (),
                      protect: tuple[str | Path, ...] = ()) -> None:
    """A roster file in the template's layout holding ``rows`` (template order, then extra columns),
    written atomically: the template's parts copied, the roster sheet streamed."""
    with atomic_path(path, protect=protect, kind=XLSX) as tmp:
        write_parts(tmp, roster_parts(profile, settings or Settings(), covered_rows(len(rows)), tuple(extra_headers)), rows)


def write_parts(path: Path, parts: RosterParts, rows: list[list[object]]) -> None:
    """The file ``parts`` make with ``rows`` streamed into their sheet (``path`` is the writer's temporary file)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for m in parts.members:
            if m is not None:
                copy_member(zf, m)
                continue
            # zip64 only where needed: some readers mind it on a small part
            with open_for_writing(zf, parts.sheet_info.filename, parts.sheet_info.date_time,
                                  zip64=len(rows) * parts.width > ZIP64_CELLS) as fh:
                for chunk in _chunks(parts, rows):
                    fh.write(chunk)
