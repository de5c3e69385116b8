"""Look inside an .xlsx/.xlsm/.ods zip before any reader parses it.

1. Refuse zip bombs: too many parts, too much declared uncompressed data, or a part that expands
   far more than real spreadsheets do (limits in ``limits.py``).
2. Refuse any XML part that declares a DTD (``<!DOCTYPE``/``<!ENTITY``): spreadsheets never need
   one, and it is how billion-laughs and external-entity attacks start. openpyxl parses through
   defusedxml as well; this check also covers python-calamine.
3. Stream each worksheet's XML once to count its cells (refusing more than ``MAX_CELLS``) and to
   note what python-calamine does not tell: formulas, error values (#N/A…), hidden rows and columns.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import ElementTree as SafeET

from xueji_addin.spec.columns import column_index
from xueji_addin.workbook import limits
from xueji_addin.workbook.deflate import open_part
from xueji_addin.workbook.errors import ReadError
from xueji_addin.workbook.extent import Extent, check_extent
from xueji_addin.workbook.names import LOOKUP_SHEETS
from xueji_addin.workbook.zip_parts import part_of

_DTD_MARKS = tuple(m.encode(enc) for m in ("<!DOCTYPE", "<!ENTITY") for enc in ("utf-8", "utf-16-le", "utf-16-be"))
_CELL_OPEN = (b"<c ", b"<c>", b"<c/")
_MIN_CELL_BYTES = len(b"<c/>")  # the shortest cell element
# What makes the XML worth parsing (formulas, error cells, hidden rows and columns), each with one
# of its bytes: a chunk without that byte cannot hold the marks, and looking for one byte (memchr)
# is ten times cheaper than looking for a string. Cell data seldom holds "f", "#" or "h"; an error
# cell's value always starts with "#" (#N/A, #REF! …), and a formula's error has its "f". Where the
# byte is there (text written as character references, &#23398;, has a "#" in every character),
# one expression looks for all the forms of the mark at once: a pass over the chunk each.
_MARK_FORMS = ((b"<f>", b"<f ", b"<f/"), (b't="e"', b"t='e'"), (b"hidden=",))
_DETAIL_MARKS = tuple((gate, re.compile(pattern).search) for gate, pattern in (
    (b"f", rb"<f[> /]"), (b"#", rb"""t=(?:"e"|'e')"""), (b"h", rb"hidden=")))
_REF = re.compile(r"([A-Z]+)(\d+)")
_CHUNK = 1 << 20
# A mark split between two chunks has at most this many bytes on either side of the cut.
_JOINT = max(len(m) for m in (*_CELL_OPEN, *(m for forms in _MARK_FORMS for m in forms))) - 1


@dataclass
class SheetFacts:
    """What the sheet XML says beyond the values (0-based row and column indexes)."""

    cells: int = 0  # counted only where the package is large enough to exceed limits.MAX_CELLS
    formulas: dict[tuple[int, int], bool] = field(default_factory=dict)  # → has a saved value
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # → "#N/A", "#REF!" …
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)
    extent: Extent = field(default_factory=Extent)  # how far the sheet reaches, for a check before any grid


def inspect_package(path: Path) -> dict[str, SheetFacts]:
    """Check the zip of ``path`` and return the facts of each worksheet by sheet name."""
    name = path.name
    try:
        with zipfile.ZipFile(path) as z:
            _check_sizes(z, name)
            if "xl/workbook.bin" in z.namelist():  # .xlsb: its grid cannot be measured before calamine builds it
                raise ReadError(f"“{name}”是 Excel 二进制工作簿（.xlsb），学籍助手不读这种格式；请在 Excel 中另存为 .xlsx 再试。")
            for info in z.infolist():
                if info.filename.lower().endswith((".xml", ".rels", ".vml")) and _has_dtd(z, info):
                    raise ReadError(f"“{name}”含有不安全的 XML 声明（DTD/实体），可能是恶意构造的文件，已拒绝读取。"
                                    "请用 Excel 打开后另存为新的 .xlsx 再试。")
            facts: dict[str, SheetFacts] = {}
            total = 0
            sheets = _worksheets(z)
            # zipfile never yields more than a part's declared size: sheets whose XML together could
            # not hold MAX_CELLS of the shortest cells cannot exceed the limit, and need no counting.
            count = sum(z.getinfo(m).file_size for m in sheets.values()) > _MIN_CELL_BYTES * limits.MAX_CELLS
            for sheet, member in sheets.items():
                f = _scan(z, member, name, total, count=count, details=sheet not in LOOKUP_SHEETS)
                check_extent(name, sheet, f.extent.rows, f.extent.cols)
                total += f.cells
                facts[sheet] = f
            return facts
    except ReadError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, KeyError, NotImplementedError,
            RuntimeError, OSError, SafeET.ParseError):
        raise ReadError(f"“{name}”不是有效的 Excel 文件或已损坏，请用 Excel 打开后另存一份再试。") from None
    except Exception as e:  # defusedxml's refusals (DTDForbidden, EntitiesForbidden …) and zlib errors
        if type(e).__module__.startswith("defusedxml"):
            raise ReadError(f"“{name}”含有不安全的 XML 声明（DTD/实体），已拒绝读取。") from None
        raise ReadError(f"“{name}”不是有效的 Excel 文件或已损坏（{type(e).__name__}），请用 Excel 打开后另存一份再试。") from None


def _check_sizes(z: zipfile.ZipFile, name: str) -> None:
    infos = z.infolist()
    too_big = ReadError(f"“{name}”解压后过大（可能是“压缩炸弹”），超出了学籍表的合理大小，已拒绝读取。")
    if len(infos) > limits.MAX_ZIP_MEMBERS:
        raise too_big
    if sum(i.file_size for i in infos) > limits.MAX_UNCOMPRESSED_BYTES:
        raise too_big
    for i in infos:
        if i.file_size > limits.RATIO_FLOOR_BYTES and i.file_size > limits.MAX_RATIO * max(i.compress_size, 1):
            raise too_big


def _has_dtd(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    with z.open(info) as fh:
        head = fh.read(limits.MAX_XML_HEAD).upper()
    return any(m in head for m in _DTD_MARKS)


def _worksheets(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → zip member of each worksheet (empty for .ods and unusual packages)."""
    names = set(z.namelist())
    if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
        return {}
    wb = SafeET.fromstring(z.read("xl/workbook.xml"), forbid_dtd=True)
    rels = SafeET.fromstring(z.read("xl/_rels/workbook.xml.rels"), forbid_dtd=True)
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        targets[rel.get("Id")] = part_of("xl/workbook.xml", target)
    out = {}
    for el in wb.iter():
        if el.tag.rsplit("}", 1)[-1] != "sheet":
            continue
        rid = next((v for k, v in el.attrib.items() if k.rsplit("}", 1)[-1] == "id"), None)
        member = targets.get(rid)
        if member in names and el.get("name") is not None:
            out[el.get("name")] = member
    return out


def _scan(z: zipfile.ZipFile, member: str, name: str, before: int, *, count: bool = True, details: bool = True) -> SheetFacts:
    """Count the cells (cheaply, on bytes; only when ``count``); parse the XML only when it holds
    something to note. Each chunk is searched where it lies: copying megabytes to join chunks cost
    as much as the searches. A mark split between two chunks is found in the joint (the last bytes
    of one chunk and the first of the next), which is as long as the longest mark. ``details``: False
    for a sheet whose formulas and error cells nobody reads (its size is checked all the same)."""
    facts = SheetFacts()
    found = False
    edge = b""
    with open_part(z, member) as fh:
        while chunk := fh.read(_CHUNK):
            head = chunk[:_JOINT]
            joint = edge + head
            if count:  # the chunk's own cells, and those the cut split (in the joint but in neither side)
                facts.cells += sum(chunk.count(m) + joint.count(m) - edge.count(m) - head.count(m) for m in _CELL_OPEN)
                if before + facts.cells > limits.MAX_CELLS:
                    raise ReadError(f"“{name}”的单元格超过 {limits.MAX_CELLS:,} 个，超出了学籍表的合理大小，已拒绝读取；"
                                    "请按学校或班级拆分后再检查。")
            found = found or (details and (_has_detail(chunk) or _has_detail(joint)))
            facts.extent.count(chunk, joint, edge, head)
            facts.extent.feed(chunk)
            edge = chunk[-_JOINT:] if len(chunk) >= _JOINT else (edge + chunk)[-_JOINT:]
    facts.extent.close()
    if found:
        _details(z, member, facts)
    return facts


def _has_detail(body: bytes) -> bool:
    return any(gate in body and find(body) is not None for gate, find in _DETAIL_MARKS)


def _details(z: zipfile.ZipFile, member: str, facts: SheetFacts) -> None:
    row = -1
    col = -1
    with open_part(z, member) as fh:
        for event, el in SafeET.iterparse(fh, events=("start", "end"), forbid_dtd=True):
            tag = el.tag.rsplit("}", 1)[-1]
            if event == "start":
                if tag == "row":
                    r = el.get("r")
                    row = int(r) - 1 if r and r.isdigit() else row + 1
                    col = -1
                    if el.get("hidden") in ("1", "true"):
                        facts.hidden_rows.add(row)
                continue
            if tag == "c":
                m = _REF.fullmatch(el.get("r") or "")
                if m:
                    col, row = column_index(m.group(1)) - 1, int(m.group(2)) - 1
                else:
                    col += 1
                children = {child.tag.rsplit("}", 1)[-1]: child for child in el}
                value = children.get("v")
                if el.get("t") == "e":
                    facts.errors[(row, col)] = (value.text or "#N/A") if value is not None else "#N/A"
                if "f" in children:
                    facts.formulas[(row, col)] = value is not None and value.text is not None
                el.clear()
            elif tag == "row":
                el.clear()
            elif tag == "col" and el.get("hidden") in ("1", "true"):
                lo, hi = int(el.get("min", "1")), int(el.get("max", el.get("min", "1")))
                facts.hidden_cols.update(range(lo - 1, min(hi, 16384)))
