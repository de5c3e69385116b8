"""How far a sheet reaches (its last row and column from A1), found before any reader builds a grid
of it: python-calamine allocates rows × columns for a sheet at once, and aborts the process (not an
exception) when that is billions of cells, as one value at XFD1048576 asks for.

In .xlsx sheet XML only the few references far out are looked at: rows past 99,999 and columns past
CZ (the template has 71). Real rosters have none or few, so the scan costs little beside the cell
count; without them a sheet's grid is at most ``<row>`` elements × 104 columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from xueji_addin.workbook import limits
from xueji_addin.workbook.errors import ReadError

FAR_JOINT = 256  # bytes of sheet XML kept on either side of a chunk's cut: more than a cell's start tag
NEAR_COLUMNS = 104  # A … CZ: columns of references the scan does not look at
# A reference past the near ones: of a cell (letters and row) or of a row (digits only), after a
# space, a literal start that the regex engine finds fast; another white space before r= is looked
# for only where the XML has one.
_FAR = rb'r="([A-Z]{3}\d+|[D-Z][A-Z]\d+|[A-Z]{0,3}\d{6,})"'
_FAR_REF = re.compile(b" " + _FAR)
_FAR_REF_ODD = re.compile(b"[\t\r\n]" + _FAR)
_REF = re.compile(r"([A-Z]*)(\d+)")


@dataclass
class Extent:
    far_rows: int = 0  # the last row (1-based) seen past 99,999
    cols: int = 0  # the last column (1-based) seen past NEAR_COLUMNS, else 0
    row_elements: int = 0  # <row> elements: rows without a reference follow one another

    @property
    def rows(self) -> int:
        return max(self.far_rows, self.row_elements)

    def count(self, chunk: bytes, joint: bytes, edge: bytes, head: bytes) -> None:
        """Count the rows of one chunk of sheet XML, and those the cut before it split (in the
        ``joint`` of the last chunk's ``edge`` and this one's ``head``, but in neither)."""
        n = chunk.count(b"<row") + joint.count(b"<row") - edge.count(b"<row") - head.count(b"<row")
        self.row_elements += n  # (and one <rowBreaks>: a row more is harmless)

    def feed(self, body: bytes) -> None:
        """Note the far references in a piece of sheet XML (pieces may overlap: only maxima are kept)."""
        odd = any(space in body and space + b'r="' in body for space in (b"\t", b"\n", b"\r"))
        for m in (m for p in ((_FAR_REF, _FAR_REF_ODD) if odd else (_FAR_REF,)) for m in p.finditer(body)):
            end = body.find(b">", m.end())
            if end < 0 and len(body) - m.start() < FAR_JOINT:  # cut before its end: seen whole in the next joint
                continue
            if end > 0 and body[end - 1: end + 1] == b"/>":  # <c r="XFD9" s="1"/>: a format, no value
                continue
            ref = _REF.fullmatch(m.group(1).decode("ascii"))
            if ref:
                self.far_rows = max(self.far_rows, int(ref.group(2)))
                self.cols = max(self.cols, column_number(ref.group(1)))


def column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def check_extent(file: str, sheet: str, rows: int, cols: int) -> None:
    """Refuse a sheet whose grid from A1 (``rows`` × ``cols``) no roster needs, before it is built."""
    if rows > limits.MAX_ROWS:
        raise ReadError(f"“{file}”的工作表“{sheet}”有内容一直到第 {rows:,} 行，超过了 {limits.MAX_ROWS:,} 行的上限，已拒绝读取；"
                        "请删除表格下方多余的行（或按学校、班级拆分）后另存再试。")
    if rows * cols > limits.MAX_GRID:
        raise ReadError(f"“{file}”的工作表“{sheet}”有内容远到第 {cols:,} 列、第 {rows:,} 行，整张表超过了 "
                        f"{limits.MAX_GRID:,} 个单元格的上限，已拒绝读取；请删除右侧和下方多余的内容后另存再试。")
