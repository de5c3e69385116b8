"""An editable copy of an .xlsx whose data cells stay in the file (fix, validate --marked).

openpyxl builds an object for every cell it loads and writes each again: ~40 µs a cell, 30 s for a
school of 710,000 cells of which a fix changes a few hundred. ``open_light`` gives openpyxl the
package with each roster sheet cut down, in one streaming pass over its bytes (sheet_rows.py), to
its header rows and the cells the command will touch (findings' cells, cells with a note or a
formula, the last row, which says how far the sheet reaches). ``LightHost.save`` lets openpyxl
write its workbook, then streams the sheet's other rows from the original back in (light_merge.py):
each row as the bytes it was (shared strings keep pointing into the original's string table,
copied beside openpyxl's parts), the cells of the template's Text columns that hold text or
nothing given the Text style, as ``style_roster_sheet`` gives the cells it holds. Every other part
is openpyxl's, as before, but for the plain values of the helper sheets (the 行政区划 list, the
代码表 lists), which are streamed in by streamed_book's writer: the county list the template's help
builds never becomes openpyxl's cells (``Later``), the lists a sheet already held are taken out of
openpyxl's model (``plain_rows_plan``).

A sheet this cannot copy faithfully (rows without numbers, cells whose reference is not their first
attribute, merges below the header, rich-value metadata, XML a parser refuses) is loaded whole,
the slow way.
"""

from __future__ import annotations

import copy
import io
import logging
import posixpath
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path

from lxml import etree
from openpyxl import Workbook
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string, range_boundaries

from xueji_addin.spec.profiles import Profile
from xueji_addin.spec.settings import Settings
from xueji_addin.workbook.atomic import XLSX, atomic_path
from xueji_addin.workbook.deflate import open_part
from xueji_addin.workbook.host import FileHost
from xueji_addin.workbook.light_merge import assemble
from xueji_addin.workbook.light_sheet import PARSER, Slim, cells_cut, cells_of
from xueji_addin.workbook.package import _worksheets
from xueji_addin.workbook import names
from xueji_addin.workbook.region_picker import LIST_HEADER_ROW, Later
from xueji_addin.workbook.sheet_rows import MAIN, CannotSlim, SheetRows
from xueji_addin.workbook.streamed_book import DeferredRows, RowsPlan, plain_rows_plan
from xueji_addin.workbook.zip_parts import rels_of
from xueji_addin.workbook.styling import style_roster_sheet

_F = f"{{{MAIN}}}f"
_TEXT_FORMAT_ID = 49  # "@"
# The helper sheets' rows of plain values (the 行政区划 list, the 代码表 lists), streamed at save
_HELPER_ROWS = {names.REGION_SHEET: LIST_HEADER_ROW + 1, names.CODE_SHEET: 2}
SLOW_COPY = ("注意：这个文件的工作表有逐行复制不能如实保留的写法（如数据区的合并单元格、XML 注释或不常见的单元格写法），"
             "副本改为把整个工作簿读入后生成，大文件要多等一会儿。")


class LightHost(FileHost):
    """A FileHost whose roster sheets hold only what the command touches; ``save`` puts back the rest."""

    def __init__(self, wb: Workbook, path: Path, slims: dict[str, Slim], replaced: frozenset[str] = frozenset()) -> None:
        super().__init__(wb, path)
        self.source, self.slims, self.replaced = path, slims, replaced
        self._plans: dict[str, RowsPlan] | None = None
        self._later: Later = {}  # the helper sheets' long lists the template's help wrote, streamed at save

    def apply_template(self, sheet: str, profile: Profile, settings: Settings | None = None) -> None:
        # (the 2,849 counties as openpyxl cells, to be taken out again at save, cost 0.05 s of a fix)
        style_roster_sheet(self.wb, self.wb[sheet], profile, settings, later=self._later)
        if sheet in self.slims:
            cols = frozenset(c.order for c in profile.columns if c.kind.is_text_format)
            self.slims[sheet].text = (profile.header_row + 1, cols)

    def save(self, path: str | Path, *, protect: tuple[str | Path, ...] = ()) -> None:
        if self.replaced & set(self.wb.sheetnames):  # its rows were never loaded: saved, they would be lost
            raise ValueError("a sheet opened without its rows is still in the workbook")
        if self._plans is None:  # taken out of openpyxl's model once: a second save streams them again
            self._plans = {t: p for t, first in _HELPER_ROWS.items() if t in self.wb.sheetnames
                           and (p := self._helper_plan(t, first)) is not None}
        plans = self._plans
        # registered before openpyxl writes the styles
        as_text = _text_styles(self.wb) if any(s.text for s in self.slims.values()) else {}
        with atomic_path(path, protect=protect, kind=XLSX) as tmp:
            buf = io.BytesIO()
            self.wb.save(buf)
            with zipfile.ZipFile(buf) as ours, zipfile.ZipFile(self.source) as orig, \
                    zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
                assemble(ours, orig, out, self.slims, as_text, plans)


    def _helper_plan(self, title: str, first: int) -> RowsPlan | None:
        if title in self._later:  # a sheet the template's help made anew: no cell of openpyxl's among those rows
            start, rows = self._later[title]
            return RowsPlan(DeferredRows(start, rows), {})
        return plain_rows_plan(self.wb, title, first)


def open_light(path: Path, touch: dict[str, set[tuple[int, int]]], first_rows: dict[str, int], *,
               replaced: frozenset[str] = frozenset()) -> FileHost:
    """A copy of ``path`` whose sheets in ``touch`` hold their header rows (above ``first_rows``)
    and the touched (row, column) cells; the sheets ``replaced`` (which the command takes out of
    the copy: split --sheets puts a sheet per class in the roster's place) no row at all, their
    rows not even looked at; any other sheet whole. Falls back to the whole workbook."""
    try:
        with zipfile.ZipFile(path) as z:
            if any(n.startswith("xl/metadata") for n in z.namelist()):
                raise CannotSlim
            members = _worksheets(z)
            slims = {s: Slim(members[s], first_rows[s], set(cells) | _noted(z, members[s]))
                     for s, cells in touch.items() if s in members and s not in replaced}
            rowless = {members[s] for s in replaced if s in members}
            light = io.BytesIO()
            with zipfile.ZipFile(light, "w", zipfile.ZIP_STORED) as out:
                by_member = {s.member: s for s in slims.values()}
                for info in z.infolist():
                    slim = by_member.get(info.filename)
                    out.writestr(info.filename, _slimmed(z, info, slim) if slim
                                 else _rowless(z, info) if info.filename in rowless else z.read(info))
    except OSError:  # a fault of the file: the whole load meets (and tells) it as before
        return FileHost.open(path)
    except (CannotSlim, etree.LxmlError, ValueError):  # ValueError: a reference or a name that is not what it claims
        # Said on stderr (logging's last resort when nothing is configured): no name, no data of the file.
        logging.getLogger(__name__).warning(SLOW_COPY)
        return FileHost.open(path)
    return LightHost(FileHost.load(light, path).wb, path, slims, replaced)


def _rowless(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The sheet's XML without its rows: its head and tail, as the cut pass finds them."""
    with open_part(z, info) as fh:
        sheet = SheetRows(fh, check=False)  # (nothing of its rows reaches a file)
        sheet.skip_rows()
    return sheet.head + sheet.tail


def _noted(z: zipfile.ZipFile, member: str) -> set[tuple[int, int]]:
    """Cells of the sheet that carry a note (openpyxl hangs the note on the cell it loads)."""
    rels = rels_of(member)
    if rels not in z.namelist():
        return set()
    out: set[tuple[int, int]] = set()
    for rel in etree.fromstring(z.read(rels), etree.XMLParser(**PARSER)):
        if rel.get("Type", "").endswith("/comments"):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(member), rel.get("Target", "")))
            if target in z.namelist():
                root = etree.fromstring(z.read(target), etree.XMLParser(**PARSER))
                for c in root.iter(f"{{{MAIN}}}comment"):
                    out.add(_cell_of(c.get("ref", "A1")))
    return out


def _cell_of(ref: str) -> tuple[int, int]:
    letters, row = coordinate_from_string(ref)
    return row, column_index_from_string(letters)


def _slimmed(z: zipfile.ZipFile, info: zipfile.ZipInfo, slim: Slim) -> bytes:
    """The sheet's XML with its header rows, the touched and formula cells of the rows below, and
    the last row with cells (openpyxl's max_row stays true); the whole part checked by a parser.
    Where every row lies goes into ``slim.index`` for the save."""
    keep_rows: dict[int, list[int]] = {}
    for r, col in slim.keep:
        keep_rows.setdefault(r, []).append(col)
    index = slim.index
    with open_part(z, info) as fh:
        sheet = SheetRows(fh)
        p = sheet.prefix
        kept: list[tuple[int, bytes]] = []
        last: tuple[int, bytes] | None = None
        numbers, starts, ends = index.numbers.append, index.starts.append, index.ends.append
        for r, raw in sheet.rows():
            numbers(r)
            starts(sheet.start)
            ends(sheet.end)
            if r < slim.first:
                kept.append((r, raw))
                continue
            if sheet.own(raw):
                rp = p
            else:
                rp = raw[1:raw.index(b"row")]
                index.foreign.add(r)
            if r in keep_rows or ((sheet.formulas or rp != p) and b"<" + rp + b"f" in raw and _has_formula(raw, rp)):
                row = _trimmed(raw, r, slim.keep, sheet.decls, rp, keep_rows.get(r, ()))
                if row is not None:
                    kept.append((r, row))
            elif not raw.endswith(b"/>") and raw.find(b"<", 1) < raw.rfind(b"</"):
                last = (r, raw)  # nothing of it is touched: it streams back whole at save
        sheet.finish()
    index.data_start, index.data_end = len(sheet.head), sheet.data_end
    index.prefix, index.decls, index.namespaces, index.ignorable = p, sheet.decls, sheet.namespaces, sheet.ignorable
    index.crc = info.CRC
    if last is not None and (not kept or kept[-1][0] < last[0]):
        kept.append(last)
    merges = re.findall(rb"<" + re.escape(p) + rb'mergeCell\s+ref="([^"]+)"', sheet.tail)
    if any(range_boundaries(m.decode())[3] >= slim.first for m in merges):
        raise CannotSlim
    dim = re.search(rb"<" + re.escape(p) + rb'dimension\s+ref="([^"]+)"', sheet.head)
    if dim is not None and b":" in dim.group(1):
        _, _, right, bottom = range_boundaries(dim.group(1).decode())
        slim.reach = (bottom or 0, right or 0)
    return sheet.head + b"".join(raw for _, raw in kept) + sheet.tail


def _has_formula(raw: bytes, prefix: bytes) -> bool:
    """Whether a row holds a formula (an <f> element of the main namespace under ``prefix``):
    told from its bytes, as no text or attribute value holds "<"."""
    return any(b"<" + prefix + b"f" + end in raw for end in (b">", b" ", b"/"))


def _trimmed(raw: bytes, r: int, keep: set[tuple[int, int]], decls: bytes, prefix: bytes, columns: Iterable[int]) -> bytes | None:
    """A touched row with only its touched and formula cells (None when none is left). A row
    without a formula mark is cut down to its touched cells (``columns``) as bytes first: parsing
    a whole row of 71 cells cost 0.2 ms, 0.04 s a copy."""
    cut = cells_cut(raw, prefix, columns) if b"<" + prefix + b"f" not in raw else None
    return _trimmed_whole(raw if cut is None else cut, r, keep, decls, prefix)


def _trimmed_whole(raw: bytes, r: int, keep: set[tuple[int, int]], decls: bytes, prefix: bytes) -> bytes | None:
    row = etree.fromstring(b"<w" + decls + b">" + raw + b"</w>", etree.XMLParser(**PARSER))[0]
    formulas = _has_formula(raw, prefix)  # else no cell needs looking into (a look costs as much as the parse)
    for col, c in list(cells_of(row)):
        if (r, col) in keep or (formulas and c.find(_F) is not None):
            keep.add((r, col))
        else:
            row.remove(c)
    return etree.tostring(row) if len(row) else None


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
