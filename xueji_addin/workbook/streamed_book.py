"""A workbook saved with its big sheets' rows streamed: merged, imported and split files.

openpyxl holds what needs it — the template sheet's header, styling, dropdowns and conditional
formats, the marks' fills and notes, the small sheets — and saves that into memory. The package
is then written part by part: openpyxl's parts copied as they are stored, and each big sheet's
data rows streamed into its ``<sheetData>`` beside the few cells openpyxl wrote in those rows
(a marked cell keeps its fill's style id, a noted or dated cell is openpyxl's own), rows and cells
in order. No sheet's XML is ever whole in memory: the earlier save built every row's cells as
strings, then re-read and re-joined the sheet (about 1 GB for a county's 200,000 pupils).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from xueji_addin.spec.columns import column_index, column_letter
from xueji_addin.workbook.atomic import XLSX, atomic_path
from xueji_addin.workbook.cells import set_text
from xueji_addin.workbook.deflate import open_for_writing, write_part
from xueji_addin.workbook.fast_save import cell_xml, rows_xml
from xueji_addin.workbook.sheet_copies import CONTENT_TYPES, SHEET_DATA, SheetCopies, copied_sheet
from xueji_addin.workbook.zip_parts import ZIP64_CELLS, copy_member, stored_member

_DIMENSION = re.compile(rb'<dimension ref="[^"]*"\s*/>')
# openpyxl's own rows of a streamed sheet: the header rows and a few cells of the data rows
_ROW = re.compile(r'<row r="(\d+)"([^>]*?)(?:/>|>(.*?)</row>)', re.S)
_CELL = re.compile(r'<c r="([A-Z]+)\d+"[^>]*?(?:/>|>.*?</c>)', re.S)
_SPANS = re.compile(r'\s*spans="[^"]*"')  # the spans openpyxl computed no longer hold
_PLAIN = frozenset({str, int, float, bool, type(None)})  # values a streamed cell can hold


@dataclass
class DeferredRows:
    """Rows whose plain values are streamed in at save time (sheet row ``first_row`` onwards)."""

    first_row: int
    rows: list[list[object]]


@dataclass
class Book:
    """An openpyxl workbook plus the data rows that ``save`` streams into its sheets."""

    wb: Workbook
    deferred: dict[str, DeferredRows] = field(default_factory=dict)
    # sheet title → the title of the sheet whose finished part it copies (sheet_copies.py): the
    # model's help, notes, formats and page setup around its own deferred rows, the model's header
    # rows; openpyxl writes it bare
    copies: dict[str, str] = field(default_factory=dict)

    def save(self, path: str | Path, *, protect: tuple[str | Path, ...] = ()) -> None:
        titles = [ws.title for ws in self.wb.worksheets]
        # openpyxl names worksheet parts by their position among the worksheets
        part = {t: f"xl/worksheets/sheet{i}.xml" for i, t in enumerate(titles, start=1)}
        if not self.copies.keys() <= self.deferred.keys():
            raise ValueError("a copied sheet is written with rows of its own")
        for copy, model in self.copies.items():  # the names that are the sheet's in workbook.xml
            _print_titles(self.wb[model], self.wb[copy])
        plans = {part[t]: RowsPlan(d, _take_styles(self.wb, t, d)) for t, d in self.deferred.items()}
        copies = {part[t]: part[m] for t, m in self.copies.items()}
        with atomic_path(path, protect=protect, kind=XLSX) as tmp:  # (a disk that fills is one sentence)
            # openpyxl saves to the file it opens itself (a zip it leaves half-written on an error
            # closes without complaint), small without the rows; then the whole package is written
            self.wb.save(tmp)
            _write(io.BytesIO(tmp.read_bytes()), tmp, plans, copies)


def _print_titles(model: Worksheet, copy: Worksheet) -> None:
    """The copy prints as the model does: its rows and columns repeated on every page, its print area."""
    copy.print_title_rows, copy.print_title_cols = model.print_title_rows, model.print_title_cols
    if model.print_area:  # (openpyxl puts the copy's own name on the model's ranges)
        copy.print_area = model.print_area


def _write(buf: io.BytesIO, tmp: Path, plans: dict[str, RowsPlan], copies: dict[str, str]) -> None:
    """openpyxl's package in ``buf`` written to ``tmp``, the planned sheets' rows streamed in, each
    copy written from its model's part."""
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        extra = SheetCopies.plan(src, copies)
        for info in src.infolist():
            name = info.filename
            plan = plans.get(name)
            if name == CONTENT_TYPES and extra.types:
                write_part(dst, info, extra.content_types(src.read(info)))
            elif plan is None:
                copy_member(dst, stored_member(src, info))
            elif name in copies:
                plan.write(dst, info, copied_sheet(src.read(copies[name]), src.read(info), plan.d.first_row))
            else:
                plan.write(dst, info, src.read(info))
            for member in extra.parts.get(name, ()):
                copy_member(dst, member)


def _take_styles(wb: Workbook, title: str, d: DeferredRows) -> dict[int, dict[int, int]]:
    """Take openpyxl's cells of the data rows out of its model, keeping their style ids (row →
    column → id), except those openpyxl must write itself: a note, a link, or a value that is not
    plain text, number or truth value (a date, say), which go into the model instead."""
    ws = wb[title]
    model = ws._cells  # openpyxl's own map (row, column) → cell; reading it creates no cells
    last = d.first_row + len(d.rows) - 1
    for i, row in enumerate(d.rows):  # values that are not plain (dates …), in rows found at C speed
        if not _PLAIN.issuperset(map(type, row)):
            for c, v in enumerate(row, start=1):
                if v.__class__ not in _PLAIN:
                    set_text(ws.cell(d.first_row + i, c), v)
    styles: dict[int, dict[int, int]] = {}
    seen: dict[object, int] = {}  # cells of one column mostly share a style: its id looked up once
    for (r, c), cell in list(model.items()):
        if not d.first_row <= r <= last:
            continue
        row = d.rows[r - d.first_row]
        v = row[c - 1] if c <= len(row) else None
        if cell.comment is not None or cell.hyperlink is not None or cell.value is not None:
            if cell.value is None:
                set_text(cell, None if v == "" else v)  # type: ignore[arg-type]
            continue
        sid = seen.get(cell._style)
        if sid is None:
            sid = seen[cell._style] = cell.style_id
        styles.setdefault(r, {})[c] = sid
        del model[(r, c)]
    return styles


def plain_rows_plan(wb: Workbook, title: str, first_row: int) -> RowsPlan | None:
    """The plain values (text, numbers, truth values) of sheet ``title`` from ``first_row`` on,
    taken out of openpyxl's model to be streamed in at save like a deferred sheet's rows (the
    light copy's helper sheets: openpyxl wrote the 行政区划 list's 5,700 cells at ~15 µs each).
    A formula, a date, a note or a link stays openpyxl's; None when nothing is taken."""
    model = wb[title]._cells
    rows: list[list[object]] = []
    for (r, c), cell in sorted(model.items()):
        v = cell._value
        if r < first_row or v is None or v == "" or v.__class__ not in _PLAIN or cell.data_type not in ("s", "n", "b") \
                or cell.comment is not None or cell.hyperlink is not None:
            continue
        i = r - first_row
        rows += [[] for _ in range(i + 1 - len(rows))]
        rows[i] += [None] * (c - len(rows[i]))
        rows[i][c - 1] = v
        if cell.has_style:
            cell.value = None  # its style stays, for _take_styles
        else:
            del model[(r, c)]
    if not rows:
        return None
    d = DeferredRows(first_row, rows)
    return RowsPlan(d, _take_styles(wb, title, d))


@dataclass
class RowsPlan:
    d: DeferredRows
    styles: dict[int, dict[int, int]]  # row → column → style id of the cells taken out of openpyxl's model

    @property
    def big(self) -> bool:
        return len(self.d.rows) * max(map(len, self.d.rows[:1]), default=0) > ZIP64_CELLS

    def write(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo, written: bytes) -> None:
        """The part ``info`` that openpyxl ``written``, into ``zf`` with the rows streamed in."""
        # zip64 only where needed: some readers mind it on a small part
        with open_for_writing(zf, info.filename, info.date_time, zip64=self.big) as fh:
            for chunk in self.xml(written):
                fh.write(chunk)

    def xml(self, written: bytes) -> Iterator[bytes]:
        """The sheet ``written`` by openpyxl with the data rows streamed into its sheetData."""
        m = SHEET_DATA.search(written)
        if m is None:  # pragma: no cover - openpyxl always writes sheetData
            raise ValueError("sheetData not found")
        own = {int(rm.group(1)): (_SPANS.sub("", rm.group(2)), [(column_index(cm.group(1)), cm.group(0)) for cm in _CELL.finditer(rm.group(3) or "")])
               for rm in _ROW.finditer((m.group(1) or b"").decode("utf-8"))}
        head = written[: m.start()]
        last_row, last_col = self._extent(own)
        if last_row:
            head = _DIMENSION.sub(f'<dimension ref="A1:{column_letter(last_col)}{last_row}"/>'.encode(), head, count=1)
        yield head + b"<sheetData>"
        yield from self._rows(own)
        yield b"</sheetData>" + written[m.end():]

    def _extent(self, own: dict[int, tuple[str, list[tuple[int, str]]]]) -> tuple[int, int]:
        """The last row and column holding a cell, as the dimension says."""
        d = self.d
        rows = [r for r, (_, cells) in own.items() if cells] + list(self.styles)
        last = next((d.first_row + i for i in range(len(d.rows) - 1, -1, -1) if _filled(d.rows[i])), 0)
        last_col = max([c for _, cells in own.values() for c, _ in cells[-1:]] + [max(s) for s in self.styles.values()] + [0])
        width = max(map(len, d.rows), default=0)
        while width > last_col and not any(len(r) >= width and r[width - 1] not in (None, "") for r in d.rows):
            width -= 1
        return max([last, *rows], default=0), max(last_col, width)

    def _rows(self, own: dict[int, tuple[str, list[tuple[int, str]]]]) -> Iterator[bytes]:
        """Every row in order: runs of plain data rows as ``rows_xml`` writes them, the others merged
        with openpyxl's cells."""
        d = self.d
        done = 0  # data rows written
        for r in sorted(own.keys() | self.styles.keys()):
            i = r - d.first_row
            if i >= done:  # the plain rows before it
                yield from rows_xml(d.rows[done:min(i, len(d.rows))], d.first_row + done, {})
                done = max(done, min(i, len(d.rows)))
            values = d.rows[i] if 0 <= i < len(d.rows) else []
            yield _row(r, values, own.get(r, ("", [])), self.styles.get(r, {})).encode()
            if 0 <= i < len(d.rows):
                done = i + 1
        yield from rows_xml(d.rows[done:], d.first_row + done, {})


def _row(r: int, values: list[object], own: tuple[str, list[tuple[int, str]]], styles: dict[int, int]) -> str:
    attrs, written = own
    cells = dict(written)
    for c, v in enumerate(values, start=1):
        if c in cells:
            continue  # openpyxl wrote it (a note, a date …)
        sid = styles.get(c)
        style = f' s="{sid}"' if sid else ""
        if v is None or v == "":
            if style:
                cells[c] = f'<c r="{column_letter(c)}{r}"{style}/>'
            continue
        ref = f"{column_letter(c)}{r}"
        cells[c] = cell_xml(ref, style, v) or cell_xml(ref, style, str(v)) or ""  # (NaN as its text, as rows_xml writes it)
    for c, sid in styles.items():
        if c > len(values) and sid:
            cells[c] = f'<c r="{column_letter(c)}{r}" s="{sid}"/>'
    return f'<row r="{r}"{attrs}>{"".join(cells[c] for c in sorted(cells))}</row>' if cells or attrs else ""


def _filled(row: list[object]) -> bool:
    return len(row) > row.count(None) + row.count("")
