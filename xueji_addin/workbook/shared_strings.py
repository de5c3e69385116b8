"""The original's shared-string table carried into the package openpyxl writes (light_copy.py).

Cells streamed from the original keep their ``t="s"`` indexes into its table; openpyxl writes its
own cells' text inline, so the original table goes into the new package as it is, with the
relationship and content type that name it.
"""

from __future__ import annotations

import zipfile

from lxml import etree

from xueji_addin.workbook.zip_parts import part_of

_PARSER = etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True)
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_SST_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
_SST_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SST_PART = "xl/sharedStrings.xml"


def shared_strings(z: zipfile.ZipFile) -> str | None:
    """The original's shared-string part, if it has one."""
    rels = etree.fromstring(z.read("xl/_rels/workbook.xml.rels"), _PARSER)
    for rel in rels:
        if rel.get("Type") == _SST_TYPE:
            name = part_of("xl/workbook.xml", rel.get("Target", ""))
            return name if name in z.namelist() else None
    return None


def with_sst_type(xml: bytes) -> bytes:
    root = etree.fromstring(xml, _PARSER)
    ns = root.nsmap.get(None, "")
    etree.SubElement(root, f"{{{ns}}}Override", PartName="/" + SST_PART, ContentType=_SST_CONTENT)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def with_sst_rel(xml: bytes) -> bytes:
    root = etree.fromstring(xml, _PARSER)
    ids = {rel.get("Id") for rel in root}
    rid = next(f"rId{n}" for n in range(len(ids) + 1, len(ids) + 1000) if f"rId{n}" not in ids)
    etree.SubElement(root, f"{{{_REL_NS}}}Relationship", Id=rid, Type=_SST_TYPE, Target="sharedStrings.xml")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
