"""How far a sheet reaches (its last row and column from A1), found before any reader builds a grid
of it: python-calamine allocates rows × columns for a sheet at once, and aborts the process (not an
exception) when that is billions of cells, as one value at XFD1048576 asks for.

In .xlsx sheet XML only the few references far out are looked at: rows past 99,999 and columns past
CZ (the template has 71). Real rosters have none, so the scan is one pass of a regular expression
that fails at once on a near reference; without far ones a sheet's grid is at most ``<row>``
elements × 104 columns. A reference is found however the XML writes it, as python-calamine reads
it: in double or single quotes, with white space around ``=``, with character references
(``&#88;FD1``) and with any number of letters.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from xueji_addin.spec.columns import column_index
from xueji_addin.workbook import limits
from xueji_addin.workbook.errors import ReadError
from xueji_addin.workbook.rare_byte import count_by

NEAR_COLUMNS = 104  # A … CZ: columns of references the scan does not look at
_WS = b" \t\r\n"
# A candidate: an r, then = / white space / a quote, then a value that may be far (three letters or
# more, D–Z and a letter, six digits, or a character reference). A near reference (r="B12") fails
# on its first letters; the rare candidate is checked in full by ``_ATTRIBUTE``.
_FAR_CANDIDATE = re.compile(rb'r[= \t\r\n][ \t\r\n="\']*+(?:[A-Z]{3}|[D-Z][A-Z]|[A-Z]{0,2}+\d{0,5}+[&\d])')
_ATTRIBUTE = re.compile(rb'r[ \t\r\n]*=[ \t\r\n]*(["\'])([^"\'<]*)\1')
# The rest of a start tag after an attribute: more attributes, then > or /> (a self-closing cell
# holds no value: <c r="XFD9" s="1"/> is a format Excel keeps, nothing python-calamine reads).
_TAG_REST = re.compile(rb'(?:[ \t\r\n]+[^ \t\r\n=>/]+[ \t\r\n]*=[ \t\r\n]*(?:"[^"]*"|\'[^\']*\'))*[ \t\r\n]*(/?)>')
_START_TAG = re.compile(rb'</?[^ \t\r\n>/]+' + _TAG_REST.pattern)
_REF = re.compile(r"([A-Z]*)(\d+)")
# Markup left unfinished at a chunk's cut is carried into the next chunk; no spreadsheet's tag or
# text comes near this (Excel holds 32,767 characters in a cell).
MAX_CARRY = 4 << 20


@dataclass
class Extent:
    far_rows: int = 0  # the last row (1-based) seen past 99,999
    cols: int = 0  # the last column (1-based) seen in a far reference, else 0
    row_elements: int = 0  # <row> elements: rows without a reference follow one another
    _carry: bytes = field(default=b"", repr=False, compare=False)  # the unfinished markup at the last cut

    @property
    def rows(self) -> int:
        return max(self.far_rows, self.row_elements)

    def count(self, chunk: bytes, joint: bytes, edge: bytes, head: bytes) -> None:
        """Count the rows of one chunk of sheet XML, and those the cut before it split (in the
        ``joint`` of the last chunk's ``edge`` and this one's ``head``, but in neither)."""
        n = count_by(chunk, b"<row", 3) + joint.count(b"<row") - edge.count(b"<row") - head.count(b"<row")
        self.row_elements += n  # (and one <rowBreaks>: a row more is harmless)

    def feed(self, chunk: bytes) -> None:
        """Note the far references of the next chunk of sheet XML. The markup from a chunk's last
        ``<`` on may be cut: it is carried, and looked at with the next chunk up to that chunk's
        first ``<`` (a tag holds no ``<``), so no chunk is copied whole."""
        last = chunk.rfind(b"<")
        if last < 0:  # no markup starts in this chunk: it all goes on from what was carried
            self._carry = _trimmed(self._carry + chunk)
            return
        first = chunk.find(b"<")
        if self._carry:
            joint = self._carry + chunk[:first]
            self._scan(joint, 0, len(joint))
        self._scan(chunk, first, last)
        self._carry = _trimmed(chunk[last:])

    def close(self) -> None:
        """The end of the sheet XML: what was carried is looked at as it is."""
        body, self._carry = self._carry, b""
        self._scan(body, 0, len(body))

    def _scan(self, body: bytes, begin: int, end: int) -> None:
        for m in _FAR_CANDIDATE.finditer(body, begin, end):
            start = m.start()
            if start == 0 or body[start - 1] not in _WS:  # (an attribute follows white space)
                continue
            attr = _ATTRIBUTE.match(body, start)
            if attr is None:
                continue
            rest = _TAG_REST.match(body, attr.end())
            if rest is not None and rest.group(1):  # a self-closing element: no value
                continue
            value = attr.group(2).decode("latin-1")
            ref = _REF.fullmatch(html.unescape(value) if "&" in value else value)
            if ref:
                self.far_rows = max(self.far_rows, int(ref.group(2)))
                self.cols = max(self.cols, column_index(ref.group(1)))


def _trimmed(carry: bytes) -> bytes:
    """The carried markup, without the text after a finished tag (no reference is in text); white
    space runs of a long unfinished tag made one space. A tag longer still is no spreadsheet's (the
    package check calls the file damaged)."""
    if len(carry) <= 4096:
        return carry
    tag = _START_TAG.match(carry)
    if tag is not None:
        return carry[: tag.end()]
    carry = re.sub(rb"[ \t\r\n]+", b" ", carry)
    if len(carry) > MAX_CARRY:
        raise ValueError("a tag of more than MAX_CARRY bytes")
    return carry


def check_extent(file: str, sheet: str, rows: int, cols: int) -> None:
    """Refuse a sheet whose grid from A1 (``rows`` × ``cols``) no roster needs, before it is built."""
    if rows > limits.MAX_ROWS:
        raise ReadError(f"“{file}”的工作表“{sheet}”有内容一直到第 {rows:,} 行，超过了 {limits.MAX_ROWS:,} 行的上限，已拒绝读取；"
                        "请删除表格下方多余的行（或按学校、班级拆分）后另存再试。")
    if rows * cols > limits.MAX_GRID:
        raise ReadError(f"“{file}”的工作表“{sheet}”有内容远到第 {cols:,} 列、第 {rows:,} 行，整张表超过了 "
                        f"{limits.MAX_GRID:,} 个单元格的上限，已拒绝读取；请删除右侧和下方多余的内容后另存再试。")
