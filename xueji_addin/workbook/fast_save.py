"""Saving big roster sheets quickly: openpyxl writes the workbook (header, styles, validations,
marks, notes), and the plain data cells are streamed into its sheet XML afterwards.

openpyxl spends ~15 µs per cell building and serialising cell objects; a school file of 3000
pupils × 71 columns took 7 s. Here each data cell costs one formatted string. Every cell keeps the
style openpyxl gave it (text format, a mark's fill), and cells that need more than a value and a
style (a note, a hyperlink, a date, anything unusual) are left to openpyxl itself.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils.datetime import to_excel
from openpyxl.workbook.workbook import Workbook

from xueji_addin.spec.columns import column_letter
from xueji_addin.workbook.atomic import XLSX, atomic_path
from xueji_addin.workbook.cells import XML_ILLEGAL, set_text, xml_safe

_ROW = re.compile(r'<row r="(\d+)"([^>]*?)(?:/>|>(.*?)</row>)', re.S)
_CELL = re.compile(r'<c r="([A-Z]+)\d+"[^>]*?(?:/>|>.*?</c>)', re.S)


_NEEDS_ESCAPE = re.compile("[&<>\r" + XML_ILLEGAL.pattern[1:-1] + "]")


def _escape(text: str) -> str:
    """Text as XML content; a carriage return as a character reference, which an XML reader keeps
    (a literal one it reads as a line feed), as openpyxl writes it."""
    if _NEEDS_ESCAPE.search(text) is None:
        return text
    return xml_safe(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")).replace("\r", "&#13;")


def _value_xml(ref: str, style: str, v: object) -> str | None:
    """The <c> element of a plain value, or None when openpyxl should write it."""
    cls = v.__class__
    if cls is str:
        space = ' xml:space="preserve"' if v != v.strip() or "\n" in v else ""  # type: ignore[attr-defined]
        return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{_escape(v)}</t></is></c>'  # type: ignore[arg-type]
    if cls is int or (cls is float and v == v and v not in (float("inf"), float("-inf"))):
        return f'<c r="{ref}"{style}><v>{v!r}</v></c>'
    if cls is bool:
        return f'<c r="{ref}"{style} t="b"><v>{int(v)}</v></c>'  # type: ignore[call-overload]
    return None


# The number formats openpyxl gives these values, which a streamed cell takes by its style id.
TEMPORAL_FORMATS = {dt.datetime: "yyyy-mm-dd", dt.date: "yyyy-mm-dd", dt.time: "h:mm:ss", dt.timedelta: "[hh]:mm:ss"}


def rows_xml(rows: list[list[object]], first_row: int, styles: dict[type, int], chunk: int = 500) -> Iterator[str]:
    """The <row> elements of ``rows`` (sheet row ``first_row`` on), ``chunk`` rows per string.

    Values as openpyxl writes them in a cell with no style of its own: text as inline strings
    (never a formula), numbers and booleans as values, dates and times as Excel serials with the
    style id ``styles`` gives their type (see TEMPORAL_FORMATS); anything else as its text."""
    width = max((len(r) for r in rows), default=0)
    letters = [column_letter(c) for c in range(1, width + 1)]
    needs_escape = _NEEDS_ESCAPE.search
    out: list[str] = []
    for i, row in enumerate(rows):
        r = first_row + i
        cells = []
        append = cells.append
        for c, v in enumerate(row):
            if v.__class__ is str:
                if not v:
                    continue
                if v == v.strip() and needs_escape(v) is None:  # the common case, inlined
                    append(f'<c r="{letters[c]}{r}" t="inlineStr"><is><t>{v}</t></is></c>')
                    continue
            elif v is None:
                continue
            style = styles.get(v.__class__)
            if style is not None:
                append(f'<c r="{letters[c]}{r}" s="{style}"><v>{to_excel(v)!r}</v></c>')  # type: ignore[arg-type]
                continue
            append(_value_xml(f"{letters[c]}{r}", "", v) or _value_xml(f"{letters[c]}{r}", "", str(v)))  # type: ignore[arg-type]
        out.append(f'<row r="{r}">{"".join(cells)}</row>' if cells else "")
        if len(out) >= chunk:
            yield "".join(out)
            out = []
    if out:
        yield "".join(out)


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

    def save(self, path: str | Path, *, protect: tuple[str | Path, ...] = ()) -> None:
        cells_by_part = {}
        for title, d in self.deferred.items():
            # openpyxl names worksheet parts by their position among the worksheets
            index = [ws.title for ws in self.wb.worksheets].index(title) + 1
            cells_by_part[f"xl/worksheets/sheet{index}.xml"] = _take_cells(self.wb, title, d)
        with atomic_path(path, protect=protect, kind=XLSX) as tmp:
            self.wb.save(tmp)
            if cells_by_part:
                _inject(tmp, cells_by_part)


def _take_cells(wb: Workbook, title: str, d: DeferredRows) -> dict[int, list[tuple[int, str]]]:
    """The XML of every plain data cell (removed from the model), by row; the rest goes into the model."""
    ws = wb[title]
    model = ws._cells  # openpyxl's own map (row, column) → cell; reading it avoids creating cells
    get = model.get
    letters = [column_letter(c) for c in range(1, max((len(r) for r in d.rows), default=0) + 2)]
    out: dict[int, list[tuple[int, str]]] = {}
    # Cells of one column mostly share a style: compare the style arrays (cheap) before asking
    # openpyxl for the style's index (a hash and a lookup).
    last_style: dict[int, tuple[object, int]] = {}
    needs_escape = _NEEDS_ESCAPE.search
    for i, row in enumerate(d.rows):
        r = d.first_row + i
        parts: list[tuple[int, str]] = []
        append = parts.append
        for c, v in enumerate(row, start=1):
            cell = get((r, c))
            if cell is None:
                if v.__class__ is str and v and v == v.strip() and needs_escape(v) is None:
                    # the common case, inlined: a plain string in an unstyled cell
                    append((c, f'<c r="{letters[c - 1]}{r}" t="inlineStr"><is><t>{v}</t></is></c>'))
                    continue
                if v is None or v == "":
                    continue
                style = ""
            else:
                if cell.comment is not None or cell.hyperlink is not None:
                    set_text(cell, None if v == "" else v)  # type: ignore[arg-type]
                    continue
                seen = last_style.get(c)
                if seen is not None and seen[0] == cell._style:
                    sid = seen[1]
                else:
                    sid = cell.style_id
                    last_style[c] = (cell._style, sid)
                style = f' s="{sid}"' if sid else ""
                if v is None or v == "":
                    del model[(r, c)]
                    if style:
                        append((c, f'<c r="{letters[c - 1]}{r}"{style}/>'))
                    continue
            xml = _value_xml(f"{letters[c - 1]}{r}", style, v)
            if xml is None:  # a date or another type openpyxl knows how to format
                set_text(cell or ws.cell(r, c), v)
                continue
            if cell is not None:
                del model[(r, c)]
            append((c, xml))
        if parts:
            out[r] = parts
    return out


def _inject(path: Path, cells_by_part: dict[str, dict[int, list[tuple[int, str]]]]) -> None:
    src = zipfile.ZipFile(path)
    try:
        items = [(info, src.read(info)) for info in src.infolist()]
    finally:
        src.close()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        for info, data in items:
            if info.filename in cells_by_part:
                data = _merge_sheet(data.decode("utf-8"), cells_by_part[info.filename]).encode("utf-8")
            dst.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)


def _merge_sheet(xml: str, extra: dict[int, list[tuple[int, str]]]) -> str:
    """Put the streamed cells into the sheet's <sheetData>, rows and cells in order."""
    m = re.search(r"<sheetData\s*/>|<sheetData>(.*?)</sheetData>", xml, re.S)
    if m is None:  # pragma: no cover - openpyxl always writes sheetData
        raise ValueError("sheetData not found")
    rows: dict[int, tuple[str, list[tuple[int, str]]]] = {}
    for rm in _ROW.finditer(m.group(1) or ""):
        cells = [(_col(cm.group(1)), cm.group(0)) for cm in _CELL.finditer(rm.group(3) or "")]
        rows[int(rm.group(1))] = (rm.group(2), cells)
    body = []
    last_row, last_col = 0, 0
    for r in sorted(rows.keys() | extra.keys()):
        attrs, cells = rows.get(r, ("", []))
        if cells and r in extra:  # a row both wrote: openpyxl's special cells among the streamed ones
            cells = sorted(cells + extra[r], key=lambda t: t[0])
        elif r in extra:
            cells = extra[r]  # already in column order
        attrs = re.sub(r'\s*spans="[^"]*"', "", attrs)  # the spans openpyxl computed no longer hold
        if cells:
            last_row, last_col = r, max(last_col, cells[-1][0])
        body.append(f'<row r="{r}"{attrs}>{"".join(x for _, x in cells)}</row>')
    xml = xml[: m.start()] + "<sheetData>" + "".join(body) + "</sheetData>" + xml[m.end():]
    if last_row:
        xml = re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="A1:{column_letter(last_col)}{last_row}"/>', xml, count=1)
    return xml


def _col(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n
