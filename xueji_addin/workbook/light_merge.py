"""The saving half of the light copy (light_copy.py): openpyxl's package, each light sheet's rows
streamed back from the original, and the original's shared strings beside them.

A row openpyxl holds (the header, a row with a touched cell) is merged element by element; every
other row goes out as the original's bytes, its Text-column cells given the Text style by one
regular expression over a run of rows (text_cells.py; a row with a cell whose reference is not its
first attribute, which no writer we know puts, cell by cell instead). The runs are read as the
bytes between the offsets the cutting pass found (``Slim.index``): cutting the sheet into rows a
second time cost a tenth of a second for 10,000 pupils.
"""

from __future__ import annotations

import re
import zipfile
from bisect import bisect_left
from collections.abc import Callable, Iterator
from typing import IO

from lxml import etree
from openpyxl.utils.cell import get_column_letter, range_boundaries

from xueji_addin.workbook.deflate import open_for_writing, open_part
from xueji_addin.workbook.errors import ReadError
from xueji_addin.workbook.package import _worksheets
from xueji_addin.workbook.shared_strings import SST_PART, shared_strings, with_sst_rel, with_sst_type
from xueji_addin.workbook.sheet_rows import MAIN
from xueji_addin.workbook.streamed_book import RowsPlan
from xueji_addin.workbook.text_cells import STRING_TYPES, UnnamedCell, text_restyler
from xueji_addin.workbook.light_sheet import PARSER, RowIndex, Slim, cells_of
from xueji_addin.workbook.zip_parts import copy_member, stored_member

_C, _V = f"{{{MAIN}}}c", f"{{{MAIN}}}v"
_DECL = f' xmlns="{MAIN}"'.encode()
_PLACE = "\u2063XUEJI-ROWS\u2063"  # where the rows go in openpyxl's sheet XML (an invisible separator: no cell holds it)
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_FLUSH = 1 << 20


def assemble(ours: zipfile.ZipFile, orig: zipfile.ZipFile, out: zipfile.ZipFile, slims: dict[str, Slim],
             as_text: dict[int, int], plans: dict[str, RowsPlan]) -> None:
    """openpyxl's package with each slim sheet's rows streamed back, each planned sheet's plain
    rows streamed in (streamed_book.py), and the original's shared strings."""
    sst = shared_strings(orig)
    sheets = _worksheets(ours)
    merged = {sheets[name]: slim for name, slim in slims.items() if name in sheets}
    planned = {sheets[name]: plan for name, plan in plans.items() if name in sheets}
    for info in ours.infolist():
        name = info.filename
        if name in merged:
            with open_for_writing(out, name, info.date_time, zip64=True) as fh:
                _merge_sheet(ours.read(info), orig, merged[name], as_text, fh.write)
        elif name in planned:
            planned[name].write(out, info, ours.read(info))
        elif sst and name == "[Content_Types].xml":
            out.writestr(info, with_sst_type(ours.read(info)))
        elif sst and name == "xl/_rels/workbook.xml.rels":
            out.writestr(info, with_sst_rel(ours.read(info)))
        else:
            copy_member(out, stored_member(ours, info))
    if sst:
        if SST_PART in ours.namelist():  # pragma: no cover - openpyxl 3.1 writes strings inline
            raise RuntimeError("openpyxl wrote shared strings of its own")
        member = stored_member(orig, orig.getinfo(sst))
        member.info.filename = SST_PART
        copy_member(out, member)


def _merge_sheet(xml: bytes, orig: zipfile.ZipFile, slim: Slim, as_text: dict[int, int],
                 write: Callable[[bytes], object]) -> None:
    """openpyxl's sheet XML (header rows, touched cells) with the original's other rows streamed in:
    the rows between the ones openpyxl holds copied as the bytes between their offsets."""
    root = etree.fromstring(xml, etree.XMLParser(**PARSER))
    data = root.find(f"{{{MAIN}}}sheetData")
    ours = {int(row.get("r")): row for row in data}
    ours_xml = {r: _plain(row) for r, row in ours.items()}  # while in the tree: a row taken out is written as <s:row xmlns:s=…>
    for row in list(data):
        data.remove(row)
    data.text = _PLACE
    _widen_dimension(root, slim.reach)
    idx = slim.index
    root = _declaring(root, idx.namespaces, idx.ignorable)
    head, tail = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True).split(_PLACE.encode())
    restyle = _restyler(slim, as_text)
    out = _Out(write, head, text_restyler(slim.text[1], as_text, idx.prefix) if slim.text else None, idx,
               lambda r, raw: _merged(raw, idx.decls, None, r, slim, restyle))
    keep_rows = {r for r, _ in slim.keep}
    numbers = idx.numbers
    header = numbers[:bisect_left(numbers, slim.first)]
    if orig.getinfo(slim.member).CRC != idx.crc:
        raise ReadError("原文件在生成副本的过程中被改动了：请等其他程序保存完、关闭它后重新运行。")
    with open_part(orig, slim.member) as fh:
        src = _Source(fh)
        src.read(idx.data_start)  # the original's head: openpyxl's is written
        for r in sorted({*ours, *keep_rows, *idx.foreign, *header}):
            i = bisect_left(numbers, r)
            there = i < len(numbers) and numbers[i] == r
            out.rows(src, idx.starts[i] if i < len(numbers) else idx.data_end)
            mine = ours.pop(r, None)
            if not there:
                if mine is not None:  # a row openpyxl made that the original lacked
                    out.add(ours_xml[r])
                continue
            raw = src.read(idx.ends[i] - src.at)
            if mine is None and r not in keep_rows and r not in idx.foreign:
                out.add(raw)  # a header row nothing touched
            elif mine is not None and r < slim.first:
                out.add(ours_xml[r])
            else:
                out.add(_merged(raw, idx.decls, mine, r, slim, restyle))
        out.rows(src, idx.data_end)
        src.read(-1)  # to the end: zipfile checks the part's CRC there
    out.add(tail)
    out.flush()


def _merged(raw: bytes, decls: bytes, mine: etree._Element | None, r: int, slim: Slim,
            restyle: Callable[[int, list[tuple[int, etree._Element]]], None]) -> bytes:
    """An original row with openpyxl's touched cells in it, restyled cell by cell."""
    row = _parsed(raw, decls)
    _drop_foreign(row)
    cells = list(cells_of(row))  # (the cells openpyxl's replace or add are touched ones: restyling passes them by)
    if mine is not None:
        _take_ours(row, mine, r, slim.keep, cells)
    restyle(r, cells)
    return _plain(row)


class _Source:
    """The original sheet part read in order, ``at`` bytes read so far."""

    def __init__(self, fh: IO[bytes]) -> None:
        self._fh, self.at = fh, 0

    def read(self, n: int) -> bytes:
        got = self._fh.read(n)
        self.at += len(got)
        return got


class _Out:
    """The sheet's bytes on their way to the zip: the untouched data rows as runs of a megabyte or
    so that one expression restyles, everything written in pieces of about that size."""

    def __init__(self, write: Callable[[bytes], object], head: bytes, quick: Callable[[bytes], bytes] | None,
                 index: RowIndex, slow: Callable[[int, bytes], bytes]) -> None:
        self._write, self._quick, self._slow, self._index = write, quick, slow, index
        self._unnamed = re.compile(rb"<" + re.escape(index.prefix) + rb'c(?! r=")[\s>/]')  # a cell whose reference is not first
        self._parts, self._size = [head], len(head)

    def add(self, xml: bytes) -> None:
        self._parts.append(xml)
        self._size += len(xml)
        if self._size > _FLUSH:
            self.flush()

    def rows(self, src: _Source, to: int) -> None:
        """The untouched data rows of ``src`` up to offset ``to``, restyled, in runs cut between rows."""
        starts = self._index.starts
        while src.at < to:
            i = bisect_left(starts, src.at + _FLUSH)
            at = src.at
            run = src.read((starts[i] if i < len(starts) and starts[i] < to else to) - at)
            if self._quick is None:
                self.add(run)
                continue
            try:
                self.add(self._quick(run))
            except UnnamedCell:  # a cell whose reference is not first (no writer we know): row by row, those cell by cell
                self.add(b"".join(self._one(raw, r) for r, raw in self._cut(run, at)))

    def _one(self, raw: bytes, r: int | None) -> bytes:
        if r is None:  # white space between rows
            return raw
        return self._slow(r, raw) if self._unnamed.search(raw) else self._quick(raw)  # type: ignore[misc]

    def _cut(self, run: bytes, at: int) -> Iterator[tuple[int | None, bytes]]:
        """``run`` (read from offset ``at``) as its rows and the white space between them."""
        idx = self._index
        i, pos = bisect_left(idx.starts, at), at
        while i < len(idx.starts) and idx.starts[i] < at + len(run):
            yield None, run[pos - at:idx.starts[i] - at]
            yield idx.numbers[i], run[idx.starts[i] - at:idx.ends[i] - at]
            pos = idx.ends[i]
            i += 1
        yield None, run[pos - at:]

    def flush(self) -> None:
        self._write(b"".join(self._parts))
        self._parts, self._size = [], 0


def _declaring(root: etree._Element, namespaces: dict[str, str], ignorable: str | None) -> etree._Element:
    """openpyxl's root, also declaring the original's namespaces (its rows go out as they are:
    Excel's carry x14ac:dyDescent) and its mc:Ignorable list (which names them)."""
    nsmap = {k or None: v for k, v in namespaces.items() if (k or None) not in root.nsmap}
    if not nsmap:
        return root
    new = etree.Element(root.tag, attrib=dict(root.attrib), nsmap={**root.nsmap, **nsmap})
    if ignorable and _MC in nsmap.values():
        new.set(f"{{{_MC}}}Ignorable", ignorable)
    new.text = root.text
    new.extend(list(root))
    return new


def _parsed(raw: bytes, decls: bytes) -> etree._Element:
    """A row of the original as an element (inside a wrapper declaring the sheet's namespaces)."""
    wrapper = etree.fromstring(b"<w" + decls + b">" + raw + b"</w>", etree.XMLParser(**PARSER))
    return wrapper[0]


def _plain(el: etree._Element) -> bytes:
    """An element's XML without the namespace declaration the parent already makes."""
    return etree.tostring(el).replace(_DECL, b"", 1)


def _drop_foreign(row: etree._Element) -> None:
    """Attributes of other namespaces (x14ac:dyDescent …) of a row rebuilt here: as openpyxl's."""
    for k in [k for k in row.attrib if k.startswith("{")]:
        del row.attrib[k]


def _take_ours(row: etree._Element, mine: etree._Element, r: int, keep: set[tuple[int, int]],
               cells: list[tuple[int, etree._Element]]) -> None:
    """The touched cells as openpyxl wrote them (fixed, painted, noted) in place of the original's."""
    theirs = {col: c for col, c in cells_of(mine) if (r, col) in keep}
    for col, c in cells:
        if col in theirs:
            row.replace(c, theirs.pop(col))
    for col, c in sorted(theirs.items()):  # a cell openpyxl made that the original lacked
        at = next((i for i, (k, _) in enumerate(cells_of(row)) if k > col), len(row))
        row.insert(at, c)
    for k, v in mine.attrib.items():
        row.set(k, v)


def _restyler(slim: Slim, as_text: dict[int, int]) -> Callable[[int, list[tuple[int, etree._Element]]], None]:
    if slim.text is None:
        return lambda r, cells: None
    first, cols = slim.text

    def restyle(r: int, cells: list[tuple[int, etree._Element]]) -> None:
        if r < first:
            return
        for col, c in cells:
            if col in cols and (r, col) not in slim.keep and (c.get("t") in STRING_TYPES or c.find(_V) is None):
                c.set("s", str(as_text[int(c.get("s", "0"))]))

    return restyle


def _widen_dimension(root: etree._Element, reach: tuple[int, int]) -> None:
    dim = root.find(f"{{{MAIN}}}dimension")
    if dim is None or not reach[0]:
        return
    _, _, right, bottom = range_boundaries(dim.get("ref", "A1"))
    dim.set("ref", f"A1:{get_column_letter(max(right or 1, reach[1]))}{max(bottom or 1, reach[0])}")

