"""Sheets written as a copy of another sheet's finished part, with rows of their own (split --sheets).

``style_roster_sheet`` gives a class sheet ~100 conditional formats, 71 dropdowns with their
input messages, 71 header notes and its page setup; openpyxl built and wrote them at ~0.05 s a
sheet, 20 s for a school split into 207 class sheets. Class sheets of one layout over the same
rows get the same help, so it is built once, on a model sheet; each further sheet (a copy) is
the model's sheet XML — head, header rows, formats, page setup — around the copy's own data
rows, its relationships pointing at copies of the model's parts (the notes and their VML
drawing) under new names. Only the model is the workbook's selected tab.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field

from lxml import etree

from xueji_addin.workbook.zip_parts import Member, deflated_member, part_of, rels_of, stored_member

SHEET_DATA = re.compile(rb"<sheetData\s*/>|<sheetData>(.*?)</sheetData>", re.S)
_ROW = re.compile(rb'<row r="(\d+)"[^>]*?(?:/>|>.*?</row>)', re.S)  # a row as openpyxl writes it
_SELECTED = re.compile(rb'(<sheetView\b[^>]*?\stabSelected=)"(?:1|true)"')
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
CONTENT_TYPES = "[Content_Types].xml"


def copied_sheet(model: bytes, own: bytes, first_row: int) -> bytes:
    """The sheet XML of a copy: ``model``'s (openpyxl's part of the model sheet) with the rows from
    ``first_row`` on taken from ``own`` (openpyxl's part of the copy: the cells it wrote itself in
    the copy's data rows, a date say), and not the selected tab."""
    m, o = SHEET_DATA.search(model), SHEET_DATA.search(own)
    if m is None or o is None:  # pragma: no cover - openpyxl always writes sheetData
        raise ValueError("sheetData not found")
    header = [r.group(0) for r in _ROW.finditer(m.group(1) or b"") if int(r.group(1)) < first_row]
    data = [r.group(0) for r in _ROW.finditer(o.group(1) or b"") if int(r.group(1)) >= first_row]
    head = _SELECTED.sub(rb'\1"0"', model[: m.start()], count=1)
    return head + b"<sheetData>" + b"".join(header + data) + b"</sheetData>" + model[m.end():]


@dataclass
class SheetCopies:
    """The parts a package of copied sheets needs beyond openpyxl's: each copy's relationships and
    the parts they point at (the model's, copied as stored under new names), and their content types."""

    parts: dict[str, list[Member]] = field(default_factory=dict)  # copy's sheet part → the parts to write after it
    types: list[tuple[str, str]] = field(default_factory=list)  # (part, content type) the package must declare

    @classmethod
    def plan(cls, z: zipfile.ZipFile, copies: dict[str, str]) -> SheetCopies:
        """The copies' parts, named after the model's with the next free number (comment8.xml …)."""
        out = cls()
        if not copies:
            return out
        names = set(z.namelist())
        overrides = _overrides(z.read(CONTENT_TYPES))
        numbers: dict[tuple[str, str], int] = {}  # the last number given to a name and extension
        for copy, model in copies.items():
            if rels_of(copy) in names:
                raise ValueError(f"{copy} has relationships of its own; a copy takes its model's")
            if rels_of(model) not in names:
                continue
            rels = etree.fromstring(z.read(rels_of(model)))
            members: list[Member] = []
            for rel in rels.iter(f"{{{_RELS}}}Relationship"):
                if rel.get("TargetMode") == "External":
                    continue
                target = part_of(model, rel.get("Target", ""))
                if rels_of(target) in names:  # (a drawing with pictures: no roster sheet has one)
                    raise ValueError(f"{target} has relationships of its own")
                new = _free(target, names, numbers)
                names.add(new)
                info = z.getinfo(target)
                copied = zipfile.ZipInfo(new, info.date_time)
                copied.compress_type, copied.CRC = info.compress_type, info.CRC
                copied.compress_size, copied.file_size = info.compress_size, info.file_size
                members.append(Member(copied, stored_member(z, info).stored))
                rel.set("Target", "/" + new)
                if "/" + target in overrides:
                    out.types.append(("/" + new, overrides["/" + target]))
            rels_info = zipfile.ZipInfo(rels_of(copy), z.getinfo(rels_of(model)).date_time)
            out.parts[copy] = [*members, deflated_member(rels_info, etree.tostring(rels))]
        return out

    def content_types(self, xml: bytes) -> bytes:
        """The package's content types with the copied parts declared as their originals are."""
        if not self.types:
            return xml
        root = etree.fromstring(xml)
        for part, kind in self.types:
            etree.SubElement(root, f"{{{_TYPES}}}Override", PartName=part, ContentType=kind)
        return etree.tostring(root)


def _overrides(xml: bytes) -> dict[str, str]:
    root = etree.fromstring(xml)
    return {o.get("PartName", ""): o.get("ContentType", "") for o in root.iter(f"{{{_TYPES}}}Override")}


def _free(part: str, taken: set[str], numbers: dict[tuple[str, str], int]) -> str:
    """``part`` with the number before its extension the next that no part has (comment1.xml →
    comment8.xml); ``numbers`` remembers where the search for each name stopped."""
    stem, ext = posixpath.splitext(part)
    stem = stem.rstrip("0123456789")
    n = numbers.get((stem, ext), 0) + 1
    while f"{stem}{n}{ext}" in taken:
        n += 1
    numbers[(stem, ext)] = n
    return f"{stem}{n}{ext}"
