"""The saving half of the light copy (light_copy.py): openpyxl's package, each light sheet's rows
streamed back from the original, and the original's shared strings beside them.

A row openpyxl holds (the header, a row with a touched cell) is merged element by element; every
other row goes out as the original's bytes, its Text-column cells given the Text style by one
regular expression over the row (attributes are matched whole, "r" first as every writer puts it:
light_copy refuses a sheet whose cells are written otherwise).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable

from lxml import etree
from openpyxl.utils.cell import get_column_letter, range_boundaries

from xueji_addin.spec.columns import column_letter
from xueji_addin.workbook.package import _worksheets
from xueji_addin.workbook.shared_strings import SST_PART, shared_strings, with_sst_rel, with_sst_type
from xueji_addin.workbook.sheet_rows import MAIN, SheetRows
from xueji_addin.workbook.light_sheet import PARSER, Slim, cells_of
from xueji_addin.workbook.zip_parts import copy_member, stored_member

_C, _V = f"{{{MAIN}}}c", f"{{{MAIN}}}v"
_DECL = f' xmlns="{MAIN}"'.encode()
_PLACE = "\u2063XUEJI-ROWS\u2063"  # where the rows go in openpyxl's sheet XML (an invisible separator: no cell holds it)
_STRING_TYPES = {"s", "inlineStr", "str", "e"}  # cells openpyxl reads as str (an error as its text)
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_FLUSH = 1 << 20


def assemble(ours: zipfile.ZipFile, orig: zipfile.ZipFile, out: zipfile.ZipFile, slims: dict[str, Slim],
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
    """openpyxl's sheet XML (header rows, touched cells) with the original's other rows streamed in."""
    root = etree.fromstring(xml, etree.XMLParser(**PARSER))
    data = root.find(f"{{{MAIN}}}sheetData")
    ours = {int(row.get("r")): row for row in data}
    ours_xml = {r: _plain(row) for r, row in ours.items()}  # while in the tree: a row taken out is written as <s:row xmlns:s=…>
    for row in list(data):
        data.remove(row)
    data.text = _PLACE
    _widen_dimension(root, slim.reach)
    with orig.open(slim.member) as fh:
        sheet = SheetRows(fh, check=False)  # open_light checked it
        root = _declaring(root, sheet.namespaces, sheet.ignorable)
        head, tail = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True).split(_PLACE.encode())
        out = [head]
        size = 0
        restyle = _restyler(slim, as_text)
        quick = _byte_restyler(slim, as_text, sheet.prefix)
        unnamed = re.compile(rb"<" + re.escape(sheet.prefix) + rb'c(?!\s+r=")[\s>/]')  # a cell whose reference is not first
        keep_rows = {r for r, _ in slim.keep}
        pending = sorted(ours)  # openpyxl's rows, in order: each goes out before the first original row after it
        at = 0
        for r, raw in sheet.rows():
            while at < len(pending) and pending[at] < r:
                if pending[at] in ours:  # not yet out with an original row of its number
                    out.append(ours_xml[pending[at]])
                    del ours[pending[at]]
                at += 1
            mine = ours.pop(r, None)
            if mine is not None and r < slim.first:
                out.append(ours_xml[r])
            elif mine is not None or r in keep_rows or not sheet.own(raw) or \
                    (quick is not None and r >= slim.first and unnamed.search(raw)):
                row = _parsed(raw, sheet.decls)
                _drop_foreign(row)
                if mine is not None:
                    _take_ours(row, mine, r, slim.keep)
                restyle(r, row)
                out.append(_plain(row))
            else:
                out.append(quick(raw) if quick is not None and r >= slim.first else raw)
            size += len(out[-1])
            if size > _FLUSH:
                write(b"".join(out))
                out, size = [], 0
    out += [ours_xml[n] for n in sorted(ours)]
    out.append(tail)
    write(b"".join(out))


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


def _take_ours(row: etree._Element, mine: etree._Element, r: int, keep: set[tuple[int, int]]) -> None:
    """The touched cells as openpyxl wrote them (fixed, painted, noted) in place of the original's."""
    theirs = {col: c for col, c in cells_of(mine) if (r, col) in keep}
    for col, c in list(cells_of(row)):
        if col in theirs:
            row.replace(c, theirs.pop(col))
    for col, c in sorted(theirs.items()):  # a cell openpyxl made that the original lacked
        at = next((i for i, (k, _) in enumerate(cells_of(row)) if k > col), len(row))
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
        for col, c in cells_of(row):
            if col in cols and (r, col) not in slim.keep and (c.get("t") in _STRING_TYPES or c.find(_V) is None):
                c.set("s", str(as_text[int(c.get("s", "0"))]))

    return restyle


_S = re.compile(rb'\ss="(\d+)"')
_T = re.compile(rb'\st="([^"]*)"')


def _byte_restyler(slim: Slim, as_text: dict[int, int], prefix: bytes) -> Callable[[bytes], bytes] | None:
    """What ``_restyler`` does, on a row's bytes: a cell of a Text column that holds text or no
    value takes the Text variant of its style. Only cells whose style changes are matched (none of
    a file already in the template's styles), so most rows pass through the expression untouched."""
    if slim.text is None:
        return None
    changing = sorted(sid for sid, new in as_text.items() if new != sid)
    if not changing:
        return None
    letters = b"|".join(column_letter(c).encode() for c in sorted(slim.text[1]))
    styles = b"|".join(str(s).encode() for s in changing)
    no_style = rb"|(?![^>]*\ss=)" if 0 in as_text and as_text[0] != 0 else b""
    cell = re.compile(rb"<" + re.escape(prefix) + rb'c\s+r="(?:' + letters + rb')\d+"'
                      rb'(?:(?=[^>]*\ss="(?:' + styles + rb')")' + no_style + rb")[^>]*>"
                      rb"(?P<v>(?=\s*<" + re.escape(prefix) + rb"v[\s>/]))?")

    def one(m: re.Match[bytes]) -> bytes:
        tag = m.group(0)
        t = _T.search(tag)
        if (t is None or t.group(1).decode() not in _STRING_TYPES) and m.group("v") is not None and not tag.endswith(b"/>"):
            return tag  # a number, a date or a truth value keeps its style
        s = _S.search(tag)
        new = f' s="{as_text[int(s.group(1)) if s else 0]}"'.encode()
        if s:
            return tag[:s.start()] + new + tag[s.end():]
        end = tag.index(b'"', tag.index(b'r="') + 3) + 1
        return tag[:end] + new + tag[end:]

    return lambda raw: cell.sub(one, raw)


def _widen_dimension(root: etree._Element, reach: tuple[int, int]) -> None:
    dim = root.find(f"{{{MAIN}}}dimension")
    if dim is None or not reach[0]:
        return
    _, _, right, bottom = range_boundaries(dim.get("ref", "A1"))
    dim.set("ref", f"A1:{get_column_letter(max(right or 1, reach[1]))}{max(bottom or 1, reach[0])}")

