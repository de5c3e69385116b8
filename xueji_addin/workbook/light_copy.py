"""An editable copy of an .xlsx whose data cells stay in the file (fix, validate --marked).

openpyxl builds an object for every cell it loads and writes each again: ~40 µs a cell, 30 s for a
school of 710,000 cells of which a fix changes a few hundred. ``open_light`` gives openpyxl the
package with each roster sheet cut down, in one streaming pass (lxml iterparse), to its header
rows and the cells the command will touch (findings' cells, cells with a note or a formula, the
last row, which says how far the sheet reaches). ``LightHost.save`` lets openpyxl write its
workbook, then streams the sheet's other rows from the original back in: each cell as it was
(shared strings keep pointing into the original's string table, copied beside openpyxl's parts),
the cells of the template's Text columns that hold text or nothing given the Text style, as
``style_roster_sheet`` gives the cells it holds. Every other part is openpyxl's, as before.

A sheet this cannot copy faithfully (rows without numbers, merges below the header, rich-value
metadata) is loaded whole, the slow way.
"""

from __future__ import annotations

import copy
import io
import posixpath
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from lxml import etree
from openpyxl import Workbook
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string, get_column_letter, range_boundaries

from xueji_addin.spec.profiles import Profile
from xueji_addin.spec.settings import Settings
from xueji_addin.workbook.atomic import XLSX, atomic_path
from xueji_addin.workbook.host import FileHost
from xueji_addin.workbook.package import _worksheets
from xueji_addin.workbook.shared_strings import SST_PART, shared_strings, with_sst_rel, with_sst_type
from xueji_addin.workbook.zip_parts import copy_member, stored_member

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_ROW, _C, _F, _V, _IS = (f"{{{NS}}}{t}" for t in ("row", "c", "f", "v", "is"))
_DECL = f' xmlns="{NS}"'.encode()
_PLACE = "\u2063XUEJI-ROWS\u2063"  # where the rows go in openpyxl's sheet XML (an invisible separator: no cell holds it)
_TEXT_FORMAT_ID = 49  # "@"
_STRING_TYPES = {"s", "inlineStr", "str", "e"}  # cells openpyxl reads as str (an error as its text)
_PARSER = {"huge_tree": True, "resolve_entities": False, "no_network": True}


class CannotSlim(Exception):
    """The sheet has something the streaming copy does not handle: load it whole."""


@dataclass
class Slim:
    """One roster sheet of the copy: rows before ``first`` kept whole, below only ``keep``."""

    member: str
    first: int
    keep: set[tuple[int, int]]
    text: tuple[int, frozenset[int]] | None = None  # (first data row, Text columns) once the template is applied
    reach: tuple[int, int] = (0, 0)  # last row and column of the original sheet


class LightHost(FileHost):
    """A FileHost whose roster sheets hold only what the command touches; ``save`` puts back the rest."""

    def __init__(self, wb: Workbook, path: Path, slims: dict[str, Slim]) -> None:
        super().__init__(wb, path)
        self.source, self.slims = path, slims

    def apply_template(self, sheet: str, profile: Profile, settings: Settings | None = None) -> None:
        super().apply_template(sheet, profile, settings)
        if sheet in self.slims:
            cols = frozenset(c.order for c in profile.columns if c.kind.is_text_format)
            self.slims[sheet].text = (profile.header_row + 1, cols)

    def save(self, path: str | Path, *, protect: tuple[str | Path, ...] = ()) -> None:
        # registered before openpyxl writes the styles
        as_text = _text_styles(self.wb) if any(s.text for s in self.slims.values()) else {}
        with atomic_path(path, protect=protect, kind=XLSX) as tmp:
            buf = io.BytesIO()
            self.wb.save(buf)
            with zipfile.ZipFile(buf) as ours, zipfile.ZipFile(self.source) as orig, \
                    zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
                _assemble(ours, orig, out, self.slims, as_text)


def open_light(path: Path, touch: dict[str, set[tuple[int, int]]], first_rows: dict[str, int]) -> FileHost:
    """A copy of ``path`` whose sheets in ``touch`` hold their header rows (above ``first_rows``)
    and the touched (row, column) cells; any other sheet whole. Falls back to the whole workbook."""
    try:
        with zipfile.ZipFile(path) as z:
            if any(n.startswith("xl/metadata") for n in z.namelist()):
                raise CannotSlim
            members = _worksheets(z)
            slims = {s: Slim(members[s], first_rows[s], set(cells) | _noted(z, members[s]))
                     for s, cells in touch.items() if s in members}
            light = io.BytesIO()
            with zipfile.ZipFile(light, "w", zipfile.ZIP_STORED) as out:
                by_member = {s.member: s for s in slims.values()}
                for info in z.infolist():
                    slim = by_member.get(info.filename)
                    out.writestr(info.filename, _slimmed(z, info, slim) if slim else z.read(info))
    except (CannotSlim, OSError, etree.LxmlError):  # a fault of the file: the whole load meets (and tells) it as before
        return FileHost.open(path)
    return LightHost(FileHost.load(light, path).wb, path, slims)


def _noted(z: zipfile.ZipFile, member: str) -> set[tuple[int, int]]:
    """Cells of the sheet that carry a note (openpyxl hangs the note on the cell it loads)."""
    rels = posixpath.join(posixpath.dirname(member), "_rels", posixpath.basename(member) + ".rels")
    if rels not in z.namelist():
        return set()
    out: set[tuple[int, int]] = set()
    for rel in etree.fromstring(z.read(rels), etree.XMLParser(**_PARSER)):
        if rel.get("Type", "").endswith("/comments"):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(member), rel.get("Target", "")))
            if target in z.namelist():
                root = etree.fromstring(z.read(target), etree.XMLParser(**_PARSER))
                for c in root.iter(f"{{{NS}}}comment"):
                    out.add(_cell_of(c.get("ref", "A1")))
    return out


def _cell_of(ref: str) -> tuple[int, int]:
    letters, row = coordinate_from_string(ref)
    return row, column_index_from_string(letters)


def _rows(fh: IO[bytes]) -> Iterator[tuple[int, etree._Element]]:
    """Each <row> of a sheet with its number, freed from the tree once the caller is done with it."""
    for _, row in etree.iterparse(fh, events=("end",), tag=_ROW, **_PARSER):
        r = row.get("r")
        if r is None or not r.isdigit():
            raise CannotSlim
        yield int(r), row


def _slimmed(z: zipfile.ZipFile, info: zipfile.ZipInfo, slim: Slim) -> bytes:
    keep_rows = {r for r, _ in slim.keep}
    last: etree._Element | None = None
    root = None
    with z.open(info) as fh:
        for r, row in _rows(fh):
            root = row.getparent()
            if r < slim.first:
                continue
            if r in keep_rows or row.find(f"{_C}/{_F}") is not None:
                _keep_only(row, r, slim.keep)
            elif len(row):
                if last is not None:  # nothing of it is touched: it streams back whole at save
                    last.getparent().remove(last)
                last = row  # kept whole until a later row has cells: openpyxl's max_row stays true
                continue
            if not len(row):
                row.getparent().remove(row)
    if root is None:
        return z.read(info)
    sheet = root.getparent()
    merges = sheet.find(f"{{{NS}}}mergeCells")
    if merges is not None and any(range_boundaries(m.get("ref", "A1"))[3] >= slim.first for m in merges):
        raise CannotSlim
    dim = sheet.find(f"{{{NS}}}dimension")
    if dim is not None and ":" in dim.get("ref", ""):
        _, _, right, bottom = range_boundaries(dim.get("ref"))
        slim.reach = (bottom or 0, right or 0)
    return etree.tostring(sheet.getroottree(), xml_declaration=True, encoding="UTF-8", standalone=True)


_COLUMNS: dict[str, int] = {}


def _cells(row: etree._Element) -> Iterator[tuple[int, etree._Element]]:
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


def _keep_only(row: etree._Element, r: int, keep: set[tuple[int, int]]) -> None:
    for col, c in list(_cells(row)):
        if (r, col) in keep or c.find(_F) is not None:
            keep.add((r, col))
        else:
            row.remove(c)


def _text_styles(wb: Workbook) -> dict[int, int]:
    """Each cell style id → the id of the same style with the Text (@) number format."""
    styles = wb._cell_styles
    out: dict[int, int] = {}
    for sid in range(len(styles)):
        arr = copy.copy(styles[sid])
        if arr.numFmtId == _TEXT_FORMAT_ID:
            out[sid] = sid
            continue
        arr.numFmtId = _TEXT_FORMAT_ID
        out[sid] = styles.add(arr)
    return out


def _assemble(ours: zipfile.ZipFile, orig: zipfile.ZipFile, out: zipfile.ZipFile, slims: dict[str, Slim],
              as_text: dict[int, int]) -> None:
    """openpyxl's package with each slim sheet's rows streamed back and the original's shared strings."""
    sst = shared_strings(orig)
    sheets = _worksheets(ours)
    merged = {sheets[name]: slim for name, slim in slims.items() if name in sheets}
    for info in ours.infolist():
        name = info.filename
        if name in merged:
            with out.open(zipfile.ZipInfo(name, info.date_time), "w", force_zip64=True) as fh:
                _merge_sheet(ours.read(info), orig, merged[name], as_text, fh.write)
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
    """openpyxl's sheet XML (header rows, touched cells) with the original's other cells streamed in."""
    root = etree.fromstring(xml, etree.XMLParser(**_PARSER))
    data = root.find(f"{{{NS}}}sheetData")
    ours = {int(row.get("r")): row for row in data}
    for row in list(data):
        data.remove(row)
    data.text = _PLACE
    _widen_dimension(root, slim.reach)
    head, tail = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True).split(_PLACE.encode())
    write(head)
    restyle = _restyler(slim, as_text)
    pending = sorted(ours)  # openpyxl's rows, in order: each goes out before the first original row after it
    at = 0
    with orig.open(slim.member) as fh:
        for r, row in _rows(fh):
            while at < len(pending) and pending[at] < r:
                if pending[at] in ours:  # not yet out with an original row of its number
                    write(_plain(ours.pop(pending[at])))
                at += 1
            mine = ours.pop(r, None)
            if mine is not None and r < slim.first:
                write(_plain(mine))
            else:
                _drop_foreign(row)
                if mine is not None:
                    _take_ours(row, mine, r, slim.keep)
                restyle(r, row)
                write(_plain(row))
            row.clear()
            parent = row.getparent()
            if parent is not None:
                parent.remove(row)
    for n in sorted(ours):
        write(_plain(ours[n]))
    write(tail)


def _plain(el: etree._Element) -> bytes:
    """An element's XML without the namespace declaration the parent already makes."""
    return etree.tostring(el).replace(_DECL, b"", 1)


def _drop_foreign(row: etree._Element) -> None:
    """Attributes of other namespaces (x14ac:dyDescent …): openpyxl's sheet does not declare them."""
    for k in [k for k in row.attrib if k.startswith("{")]:
        del row.attrib[k]


def _take_ours(row: etree._Element, mine: etree._Element, r: int, keep: set[tuple[int, int]]) -> None:
    """The touched cells as openpyxl wrote them (fixed, painted, noted) in place of the original's."""
    theirs = {col: c for col, c in _cells(mine) if (r, col) in keep}
    for col, c in list(_cells(row)):
        if col in theirs:
            row.replace(c, theirs.pop(col))
    for col, c in sorted(theirs.items()):  # a cell openpyxl made that the original lacked
        at = next((i for i, (k, _) in enumerate(_cells(row)) if k > col), len(row))
        row.insert(at, c)
    for k, v in mine.attrib.items():
        row.set(k, v)


def _restyler(slim: Slim, as_text: dict[int, int]) -> Callable[[int, etree._Element], None]:
    if slim.text is None:
        return lambda r, row: None
    first, cols = slim.text

    def restyle(r: int, row: etree._Element) -> None:
        if r < first:
            return
        for col, c in _cells(row):
            if col in cols and (r, col) not in slim.keep and (c.get("t") in _STRING_TYPES or c.find(_V) is None):
                c.set("s", str(as_text[int(c.get("s", "0"))]))

    return restyle


def _widen_dimension(root: etree._Element, reach: tuple[int, int]) -> None:
    dim = root.find(f"{{{NS}}}dimension")
    if dim is None or not reach[0]:
        return
    _, _, right, bottom = range_boundaries(dim.get("ref", "A1"))
    dim.set("ref", f"A1:{get_column_letter(max(right or 1, reach[1]))}{max(bottom or 1, reach[0])}")

