"""The template's finished package, built once per process, and roster files streamed from it.

A roster file we write (a split class file) is the template — header, notes, dropdowns, Text
columns, conditional formats, the helper sheets 代码表, 行政区划 and 学校设置 — plus data rows.
openpyxl builds and saves the template once per (profile, settings, rows covered, extra headers);
every file then gets those parts' compressed bytes copied as they are, and the roster sheet's
XML written around its streamed rows. Building the helper sheets with openpyxl for each of a
school's 223 class files took ~0.1 s of 0.14 s per file; compressing them again, a tenth more.
"""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

from xueji_addin.spec.columns import column_letter
from xueji_addin.spec.profiles import Profile
from xueji_addin.spec.settings import Settings
from xueji_addin.workbook.atomic import XLSX, atomic_path
from xueji_addin.workbook.cells import set_text
from xueji_addin.workbook.fast_save import TEMPORAL_FORMATS, rows_xml
from xueji_addin.workbook.styling import style_roster_sheet

MIN_ROWS = 100  # rows the help covers at least (a teacher adds pupils below the last one)
ZIP64_CELLS = 10_000_000  # a sheet of more cells may pass the 2 GB a plain zip entry can hold


@dataclass(frozen=True)
class Member:
    """One part of the package as it sits in the zip: compressed bytes and what the header says."""

    info: zipfile.ZipInfo
    deflated: bytes


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
    first = profile.header_row + 1
    styles = {}
    for kind, fmt in TEMPORAL_FORMATS.items():  # each format registered in the workbook's styles
        probe = ws.cell(first, 1)
        probe.number_format = fmt
        styles[kind] = probe.style_id
        del ws._cells[(first, 1)]
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
            members.append(Member(info, _stored_bytes(buf, info)))
    head, _, rest = xml.partition(dimension)
    middle, _, tail = rest.partition(b"</sheetData>")
    return RosterParts(members, sheet_info, head, middle, b"</sheetData>" + tail, first, len(headers), styles)


def _stored_bytes(buf: io.BytesIO, info: zipfile.ZipInfo) -> bytes:
    """The compressed bytes of ``info`` in the zip held by ``buf`` (after its local file header)."""
    data = buf.getbuffer()
    at = info.header_offset
    name_len = int.from_bytes(data[at + 26:at + 28], "little")
    extra_len = int.from_bytes(data[at + 28:at + 30], "little")
    start = at + 30 + name_len + extra_len
    return bytes(data[start:start + info.compress_size])


def _copy(zf: zipfile.ZipFile, m: Member) -> None:
    """Write a member whose compressed bytes are ready: its local header, then the bytes as they are.

    zipfile has no call for this; its own writer does the same steps (header at the offset, the
    data, the entry in the central directory), which ``close`` then writes."""
    info = zipfile.ZipInfo(m.info.filename, m.info.date_time)
    info.compress_type, info.CRC = m.info.compress_type, m.info.CRC
    info.compress_size, info.file_size = m.info.compress_size, m.info.file_size
    info.external_attr, info.create_system = m.info.external_attr, m.info.create_system
    fp = zf.fp
    assert fp is not None
    info.header_offset = fp.tell()
    fp.write(info.FileHeader(zip64=False))
    fp.write(m.deflated)
    zf.start_dir = fp.tell()  # type: ignore[attr-defined]
    zf.filelist.append(info)
    zf.NameToInfo[info.filename] = info


def _chunks(parts: RosterParts, rows: list[list[object]]) -> Iterator[bytes]:
    last_row = parts.first_row - 1 + len(rows)
    width = max([parts.width, *(len(r) for r in rows)])
    yield parts.head
    yield f'<dimension ref="A1:{column_letter(width)}{max(last_row, parts.first_row - 1)}"/>'.encode()
    yield parts.middle
    for text in rows_xml(rows, parts.first_row, parts.styles):
        yield text.encode("utf-8")
    yield parts.tail


def write_roster_file(path: str | Path, profile: Profile, rows: list[list[object]], *,
                      settings: Settings | None = None, extra_headers: Iterable[str] = (),
                      protect: tuple[str | Path, ...] = ()) -> None:
    """A roster file in the template's layout holding ``rows`` (template order, then extra columns),
    written atomically: the template's parts copied, the roster sheet streamed."""
    parts = roster_parts(profile, settings or Settings(), covered_rows(len(rows)), tuple(extra_headers))
    with atomic_path(path, protect=protect, kind=XLSX) as tmp:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            for m in parts.members:
                if m is not None:
                    _copy(zf, m)
                    continue
                info = zipfile.ZipInfo(parts.sheet_info.filename, parts.sheet_info.date_time)
                info.compress_type = zipfile.ZIP_DEFLATED
                # zip64 only where needed: some readers mind it on a small part
                with zf.open(info, "w", force_zip64=len(rows) * parts.width > ZIP64_CELLS) as fh:
                    for chunk in _chunks(parts, rows):
                        fh.write(chunk)
