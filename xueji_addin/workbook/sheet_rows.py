"""A worksheet part as bytes: its head, its <row> elements one by one, its tail (light_copy.py).

A row that nothing changes is copied as the bytes it is: parsing a school's 48 MB of sheet XML into
elements cost a second a pass, copying it costs nothing per cell. The rows are split on their tags
(an XML attribute value cannot hold "<", text escapes it, and the part must hold no comment, CDATA
or processing instruction for this), and the whole part goes through lxml's parser as it streams,
building no tree: XML a real parser refuses (a raw control byte, an unknown entity, a tag left
open) is never copied, the sheet goes to the whole load instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO

from lxml import etree

from xueji_addin.workbook.rare_byte import find_by

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_CHUNK = 1 << 20  # (4 MB chunks cost 0.02 s more a 10,000-pupil sheet: each copy into the buffer falls out of the caches)
_PARSER = {"huge_tree": True, "resolve_entities": False, "no_network": True}
_ATTRS = rb"((?:\s+[\w.:-]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*"
_ROOT = re.compile(rb"<([\w.-]+:)?worksheet" + _ATTRS + rb">")
_NS_DECL = re.compile(rb"\s+xmlns(?::([\w.-]+))?\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_ROW_TAG = re.compile(rb"<([\w.-]+:)?row" + _ATTRS + rb"(/?)>")
_ROW_NUMBER = re.compile(rb"(?:^|\s)r\s*=\s*[\"'](\d+)[\"']")
_ENCODING = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([\w.-]+)[\"']")


def _markup(body: bytes) -> bool:
    """Whether ``body`` holds "<!" or "<?" (a comment, CDATA, a processing instruction): found by
    the rare second byte, as "<" is in every tag."""
    for mark in (b"!", b"?"):
        i = body.find(mark, 1)
        while i >= 0:
            if body[i - 1] == 0x3C:
                return True
            i = body.find(mark, i + 1)
    return False


class CannotSlim(Exception):
    """The sheet has something the streaming copy does not handle: load it whole."""


class _Validator:
    """lxml's parser with no tree and no callbacks: it only says whether the XML is well formed."""

    def close(self) -> None:
        return None


class SheetRows:
    """One worksheet part read in chunks: ``head`` (up to and with <sheetData>), then ``rows()``
    yields (row number, bytes of the whole <row> element), then ``tail`` (from </sheetData>)."""

    def __init__(self, fh: IO[bytes], *, check: bool = True) -> None:
        """``check``: feed the part to the parser (a second pass over a part checked once need not)."""
        self._fh = fh
        self._check = etree.XMLParser(target=_Validator(), **_PARSER) if check else None
        self._buf = b""
        self._base = 0  # where in the part the buffer starts (what is behind is dropped)
        self._at = 0  # where the next row starts
        self.start = self.end = 0  # where in the part the row ``rows`` gave last starts and ends
        self._done = False
        self.head = self.tail = b""
        # Whether any part read so far holds "<f" under the sheet's prefix: where none does, no row
        # can hold a formula, and looking into each row (5 µs, a pass over its bytes) is spared.
        self.formulas = False
        self._read_head()

    def _more(self) -> bool:
        """Append the next chunk (positions in the buffer stay valid); False at the end."""
        chunk = b"" if self._done else self._fh.read(_CHUNK)
        if not chunk:
            self._done = True
            return False
        try:
            if self._check is not None:
                self._check.feed(chunk)
        except etree.XMLSyntaxError:
            raise CannotSlim from None
        if self.head and (_markup(chunk) or (self._buf.endswith(b"<") and chunk.startswith((b"!", b"?")))):
            raise CannotSlim  # (the mark may begin in the chunk before)
        self._buf += chunk
        if self.head and not self.formulas:  # (as may "<f")
            self.formulas = find_by(self._buf, self._formula, len(self._formula) - 1, len(self._buf) - len(chunk) - len(self._formula) + 1) >= 0
        return True

    def _find(self, what: bytes, start: int) -> int:
        """Where ``what`` starts at or after ``start`` (reading on as needed), or -1."""
        while (i := self._buf.find(what, start)) < 0:
            if not self._more():
                return -1
        return i

    def _match(self, pattern: re.Pattern[bytes], at: int) -> re.Match[bytes] | None:
        """``pattern`` at ``at``, read on until the tag there is whole."""
        while (m := pattern.match(self._buf, at)) is None and self._buf.find(b">", at) < 0 and self._more():
            pass
        return m if m is not None else pattern.match(self._buf, at)

    def _read_head(self) -> None:
        self._more()
        if self._buf.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise CannotSlim  # UTF-16: the byte patterns below are UTF-8's
        enc = _ENCODING.match(self._buf.removeprefix(b"\xef\xbb\xbf"))
        if enc and enc.group(1).lower() not in (b"utf-8", b"utf8"):
            raise CannotSlim
        root = _ROOT.search(self._buf)
        if root is None:
            raise CannotSlim
        self.prefix = root.group(1) or b""
        self.namespaces = {(m.group(1) or b"").decode(): (m.group(2) or m.group(3) or b"").decode()
                           for m in _NS_DECL.finditer(root.group(2))}
        if self.namespaces.get(self.prefix[:-1].decode()) != MAIN:
            raise CannotSlim  # strict OOXML, or no main namespace: openpyxl's own reading decides
        self.decls = b"".join(m.group(0) for m in _NS_DECL.finditer(root.group(2)))
        mc = next((k for k, v in self.namespaces.items() if v == _MC and k), None)
        ignorable = re.search(rb"\s" + re.escape(mc.encode()) + rb":Ignorable\s*=\s*\"([^\"]*)\"", root.group(2)) if mc else None
        self.ignorable = ignorable.group(1).decode() if ignorable else None
        p = self.prefix
        self._row_open, self._row_close = b"<" + p + b"row", b"</" + p + b"row>"
        self._data_close = b"</" + p + b"sheetData>"
        opened = self._find(b"<" + p + b"sheetData", 0)
        end = self._find(b">", opened) if opened >= 0 else -1
        if end < 0:
            raise CannotSlim
        tag = self._buf[opened:end + 1]
        if tag not in (b"<" + p + b"sheetData>", b"<" + p + b"sheetData/>"):
            raise CannotSlim
        self.head = self._buf[:end + 1]
        self._formula = b"<" + p + b"f"
        self.formulas = self._formula in self._buf
        self._at = end + 1
        self.empty = tag.endswith(b"/>")

    def rows(self) -> Iterator[tuple[int, bytes]]:
        """Each row with its number, in the part's order (ascending, else CannotSlim). A row may
        name the main namespace by a prefix of its own (``own`` tells): openpyxl's rows in our
        earlier copies were written as <s:row xmlns:s=…>. A row is looked for in the buffer as it
        is; the methods that read on are called only where a search runs off its end (called for
        every row, they cost as much as the searches)."""
        if self.empty:
            self.data_end = self._at
            self.tail = self._rest(self._at)
            return
        if _markup(self._buf[len(self.head) - 1:]):
            raise CannotSlim
        last = 0
        prefix, data_close, own_close = self.prefix, self._data_close, self._row_close
        at = self._next(self._at)
        buf = self._buf
        while not buf.startswith(data_close, at):
            if at > _CHUNK:  # what is behind is out: the buffer holds a chunk or two
                self._buf, at, self._base = buf[at:], 0, self._base + at
                buf = self._buf
            m = _ROW_TAG.match(buf, at)
            if m is None:  # the tag may be cut by the buffer's end
                m = self._match(_ROW_TAG, at)
                buf = self._buf
                if m is None:
                    raise CannotSlim  # a stray element
            p, attrs, closed = m.groups()
            number = _ROW_NUMBER.search(attrs)
            if number is None or (r := int(number.group(1))) <= last:
                raise CannotSlim
            last = r
            close_tag = own_close
            if (p := p or b"") != prefix:
                if re.search(rb"\sxmlns:" + re.escape(p[:-1]) + rb'\s*=\s*"' + MAIN.encode() + b'"', attrs) is None:
                    raise CannotSlim
                close_tag = b"</" + p + b"row>"
            end = m.end()
            if not closed:  # nothing of this is used before ``finish`` has the part well formed: the first </row> closes it
                close = find_by(buf, close_tag, len(close_tag) - 2, end)
                if close < 0:
                    close = self._find(close_tag, end)
                    buf = self._buf
                    if close < 0:
                        raise CannotSlim
                end = close + len(close_tag)
            self.start, self.end = self._base + at, self._base + end
            yield r, buf[at:end]
            if buf.startswith(b"<", end) and len(buf) - end >= len(data_close):
                at = end  # the next tag follows at once, and the buffer holds enough of it to tell </sheetData>
            else:
                at = self._next(end)
                buf = self._buf
        self.data_end = self._base + at
        self.tail = self._rest(at)

    def skip_rows(self) -> None:
        """Read on past the rows without cutting them (a sheet whose rows nobody keeps): ``tail``
        as ``rows`` leaves it, the buffer never more than a chunk or two."""
        if self.empty:
            self.tail = self._rest(self._at)
            return
        close, at = self._data_close, self._at
        while (i := self._buf.find(close, at)) < 0:
            at = max(at, len(self._buf) - len(close) + 1)  # (the mark may begin in this chunk)
            self._buf, at, self._base = self._buf[at:], 0, self._base + at
            if not self._more():
                raise CannotSlim
        self.tail = self._rest(i)

    def own(self, raw: bytes) -> bool:
        """Whether a row from ``rows`` names the main namespace as the sheet does."""
        return raw.startswith(self._row_open) and raw[len(self._row_open):len(self._row_open) + 1] in (b" ", b">", b"/", b"\t", b"\n", b"\r")

    def _next(self, at: int) -> int:
        """The next tag after ``at``, with only white space before it."""
        nxt = self._find(b"<", at)
        if nxt < 0 or self._buf[at:nxt].strip():
            raise CannotSlim
        while len(self._buf) - nxt < len(self._data_close) and self._more():
            pass
        return nxt

    def _rest(self, at: int) -> bytes:
        while self._more():
            pass
        return self._buf[at:]

    def finish(self) -> None:
        """Read to the end and let the parser judge the whole part (CannotSlim if it refuses it)."""
        while self._more():
            pass
        try:
            if self._check is not None:
                self._check.close()
        except etree.XMLSyntaxError:
            raise CannotSlim from None
