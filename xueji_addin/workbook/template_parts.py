"""The template's finished package, built once per process, and roster files streamed from it.

A roster file we write (a split class file) is the template — header, notes, dropdowns, Text
columns, conditional formats, the helper sheets 代码表, 行政区划 and 学校设置 — plus data rows.
openpyxl builds and saves the template once per (profile, settings, rows covered, extra headers,
side table); every file then gets those parts' compressed bytes copied as they are, and the
roster sheet's XML (and the side table's: split's 模板外的列) written around its streamed rows.
Building the helper sheets with openpyxl for each of a school's 223 class files took ~0.1 s of
0.14 s per file (and 0.3 s a file where the pupils had a 备注 column, until the side table was
one of the parts).
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
from xueji_addin.workbook.region_picker import Later
from xueji_addin.workbook.styling import style_roster_sheet, table_sheet
from xueji_addin.workbook.streamed_book import DeferredRows, RowsPlan
from xueji_addin.workbook.zip_parts import ZIP64_CELLS, Member, copy_member, deflated_member, stored_member

MIN_ROWS = 100  # rows the help covers at least (a teacher adds pupils below the last one)


@dataclass(frozen=True)
class Table:
    """A plain sheet after the template's (模板外的列): its name, header row and column widths. Its
    rows are each file's own, streamed in under the header."""

    name: str
    header: tuple[str, ...]
    widths: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class Streamed:
    """A sheet of the package whose data rows each file streams in: its XML cut where they go."""

    info: zipfile.ZipInfo
    head: bytes  # the sheet's XML before the data rows, its dimension cut out
    middle: bytes  # between the dimension and the data rows (through the header rows)
    tail: bytes  # from </sheetData> on
    first_row: int
    width: int  # columns of the header

    def chunks(self, rows: list[list[object]], styles: dict[type, int]) -> Iterator[bytes]:
        last_row = self.first_row - 1 + len(rows)
        width = max([self.width, *(len(r) for r in rows)])
        yield self.head
        yield f'<dimension ref="A1:{column_letter(width)}{max(last_row, self.first_row - 1)}"/>'.encode()
        yield self.middle
        yield from rows_xml(rows, self.first_row, styles)
        yield self.tail


@dataclass(frozen=True)
class RosterParts:
    members: list[Member | Streamed]  # package order: the roster sheet streamed, then the table's if any
    styles: dict[type, int]  # the cell style id of a date, a time … (fast_save.TEMPORAL_FORMATS)

    @property
    def sheets(self) -> list[Streamed]:
        return [m for m in self.members if isinstance(m, Streamed)]


_CACHE: dict[tuple[str, str, int, tuple[str, ...], Table | None], RosterParts] = {}


def covered_rows(students: int) -> int:
    """Rows the help covers: at least MIN_ROWS, rounded up to a hundred so that files of similar
    size share one build."""
    return max(MIN_ROWS, 100 * math.ceil(students / 100))


def roster_parts(profile: Profile, settings: Settings, data_rows: int, extra_headers: tuple[str, ...] = (),
                 table: Table | None = None) -> RosterParts:
    """The template package for these rows and extra columns (and ``table`` after its sheets), built
    on first use in this process."""
    key = (profile.id, settings.model_dump_json(), data_rows, extra_headers, table)
    if key not in _CACHE:
        _CACHE[key] = _build(profile, settings, data_rows, extra_headers, table)
    return _CACHE[key]


def _build(profile: Profile, settings: Settings, data_rows: int, extra_headers: tuple[str, ...],
           table: Table | None) -> RosterParts:
    wb = Workbook()
    ws = wb.active
    ws.title = profile.sheet_name
    headers = [*profile.headers, *extra_headers]
    for c, h in enumerate(headers, start=1):
        set_text(ws.cell(profile.header_row, c), h)
    later: Later = {}  # the helper sheets' long lists, streamed into their parts below
    style_roster_sheet(wb, ws, profile, settings, data_rows=data_rows, later=later)
    if table is None:
        return sheet_parts(wb, ws, profile.header_row + 1, later=later)
    side = table_sheet(wb, table.name, dict(table.widths))
    for c, h in enumerate(table.header, start=1):
        set_text(side.cell(1, c), h)
    return sheet_parts(wb, ws, profile.header_row + 1, side, later)


def sheet_parts(wb: Workbook, ws: Worksheet, first: int, table: Worksheet | None = None, later: Later | None = None) -> RosterParts:
    """``wb`` saved once, as the parts of every file that holds ``ws`` with rows from ``first`` on
    (and ``table`` with rows under its header); the rows ``later`` holds streamed into their sheets."""
    styles = {}
    for kind, fmt in TEMPORAL_FORMATS.items():  # each format registered in the workbook's styles
        probe = ws.cell(first, 1)
        probe.number_format = fmt
        styles[kind] = probe.style_id
        del ws._cells[(first, 1)]
    streamed = {f"xl/worksheets/sheet{wb.worksheets.index(w) + 1}.xml": (w, start, w.max_column,
                                                                           f'<dimension ref="{w.calculate_dimension()}"/>'.encode())
                for w, start in ((ws, first), (table, 2)) if w is not None}
    # (no cell of openpyxl's is among those rows: no style of one to keep)
    filled = {f"xl/worksheets/sheet{wb.worksheets.index(wb[t]) + 1}.xml": RowsPlan(DeferredRows(start, rows), {})
              for t, (start, rows) in (later or {}).items()}
    buf = io.BytesIO()
    wb.save(buf)
    members: list[Member | Streamed] = []
    with zipfile.ZipFile(buf) as z:
        for info in z.infolist():
            if info.filename in filled:
                members.append(deflated_member(info, b"".join(filled[info.filename].xml(z.read(info)))))
                continue
            if info.filename not in streamed:
                members.append(stored_member(z, info))
                continue
            _, start, width, dimension = streamed[info.filename]
            head, _, rest = z.read(info).partition(dimension)
            middle, _, tail = rest.partition(b"</sheetData>")
            members.append(Streamed(info, head, middle, b"</sheetData>" + tail, start, width))
    return RosterParts(members, styles)


def write_roster_file(path: str | Path, profile: Profile, rows: list[list[object]], *,
                      settings: Settings | None = None, extra_headers: Iterable[str] = (),
                      table: Table | None = None, table_rows: list[list[object]] | None = None,
                      protect: tuple[str | Path, ...] = ()) -> None:
    """A roster file in the template's layout holding ``rows`` (template order, then extra columns),
    and ``table`` holding ``table_rows`` under its header, written atomically: the template's parts
    copied, the sheets' rows streamed."""
    parts = roster_parts(profile, settings or Settings(), covered_rows(len(rows)), tuple(extra_headers), table)
    with atomic_path(path, protect=protect, kind=XLSX) as tmp:
        write_parts(tmp, parts, rows, table_rows or [])


def write_parts(path: Path, parts: RosterParts, rows: list[list[object]], table_rows: list[list[object]] | None = None) -> None:
    """The file ``parts`` make with ``rows`` streamed into the roster sheet and ``table_rows`` into the
    table's (``path`` is the writer's temporary file)."""
    contents = dict(zip(map(id, parts.sheets), (rows, table_rows or [])))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for m in parts.members:
            if isinstance(m, Member):
                copy_member(zf, m)
                continue
            data = contents[id(m)]
            # zip64 only where needed: some readers mind it on a small part
            with open_for_writing(zf, m.info.filename, m.info.date_time, zip64=len(data) * m.width > ZIP64_CELLS) as fh:
                for chunk in m.chunks(data, parts.styles):
                    fh.write(chunk)
