"""The byte-level rows of a worksheet part (workbook/sheet_rows.py), wherever its chunks are cut:
each row's bytes, number and place as a plain split of the whole part gives them, the formula mark
seen wherever it lies, and the refusals (markup, rows out of order, stray elements) kept."""

from __future__ import annotations

import io
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xueji_addin.workbook import sheet_rows
from xueji_addin.workbook.sheet_rows import MAIN, CannotSlim, SheetRows

# Text that is hard on a byte splitter: the rare bytes it looks for first (w, f), "row" and "/" in
# text, escaped markup.
_TEXT = st.text(alphabet="wf/row<>&!?x 学", max_size=12).map(lambda t: t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
_GAP = st.text(alphabet=" \n\t\r", max_size=3)


@st.composite
def _sheets(draw: st.DrawFn) -> tuple[bytes, list[tuple[int, bytes]], bytes]:
    """(the part, its rows as (number, bytes), the sheet's prefix)."""
    p = draw(st.sampled_from(["", "x:"]))
    ns = f'xmlns:x="{MAIN}"' if p else f'xmlns="{MAIN}"'
    head = f'<?xml version="1.0"?>\n<{p}worksheet {ns}><{p}dimension ref="A1"/><{p}sheetData>'
    rows: list[tuple[int, str]] = []
    r = 0
    for _ in range(draw(st.integers(0, 12))):
        r += draw(st.integers(1, 3))
        cells = []
        for c in range(draw(st.integers(0, 3))):
            ref = f"{'ABC'[c]}{r}"
            if draw(st.booleans()):
                cells.append(f'<{p}c r="{ref}" t="inlineStr"><{p}is><{p}t>{draw(_TEXT)}</{p}t></{p}is></{p}c>')
            elif draw(st.booleans()):
                cells.append(f'<{p}c r="{ref}"><{p}f>1+{r}</{p}f><{p}v>{1 + r}</{p}v></{p}c>')
            else:
                cells.append(f'<{p}c r="{ref}" s="1"/>')
        spans = draw(st.sampled_from(["", ' spans="1:3"', ' \n r2="w"']))
        row = f'<{p}row r="{r}"{spans}>{"".join(cells)}</{p}row>' if cells or draw(st.booleans()) else f'<{p}row r="{r}"{spans}/>'
        rows.append((r, row))
    body = "".join(draw(_GAP) + row for _, row in rows) + draw(_GAP)
    xml = f'{head}{body}</{p}sheetData><{p}pageMargins left="0.7"/></{p}worksheet>'
    return xml.encode(), [(n, row.encode()) for n, row in rows], p.encode()


class _Cut(io.BytesIO):
    """The part read as a worksheet part is: its first read holds the root tag (where the sheet's
    prefix and namespaces are read), every later one ``chunk`` bytes."""

    def __init__(self, xml: bytes, chunk: int) -> None:
        super().__init__(xml)
        self._first, self._chunk = xml.index(b">", xml.index(b"worksheet")) + 1, chunk

    def read(self, size: int | None = -1) -> bytes:
        first, self._first = self._first, 0
        return super().read(first + self._chunk)


def _split(xml: bytes, chunk: int, monkeypatch: pytest.MonkeyPatch) -> tuple[SheetRows, list[tuple[int, bytes]]]:
    monkeypatch.setattr(sheet_rows, "_CHUNK", chunk)  # (the buffer lets go of what is behind past a chunk)
    sheet = SheetRows(_Cut(xml, chunk))
    got = []
    for n, raw in sheet.rows():
        assert xml[sheet.start:sheet.end] == raw  # where it lies in the part, for the save's index
        got.append((n, raw))
    sheet.finish()
    return sheet, got


@settings(max_examples=150, deadline=None)
@given(sheet=_sheets(), chunk=st.integers(1, 300))
def test_rows_are_the_parts_rows_wherever_the_chunks_are_cut(sheet, chunk):
    xml, rows, p = sheet
    with pytest.MonkeyPatch.context() as mp:
        split, got = _split(xml, chunk, mp)
    assert got == rows
    assert split.formulas == (b"<" + p + b"f" in xml)
    assert split.tail.startswith(b"</" + p + b"sheetData>") and xml.endswith(split.tail)
    assert split.data_end == len(xml) - len(split.tail)


@settings(max_examples=150, deadline=None)
@given(sheet=_sheets(), chunk=st.integers(1, 300), where=st.floats(0, 1),
       bad=st.sampled_from(["<!-- x -->", "<?pi x?>", "<![CDATA[x]]>"]))
def test_markup_anywhere_in_the_rows_is_refused_wherever_the_chunks_are_cut(sheet, chunk, where, bad):
    """A comment, a processing instruction or CDATA after <sheetData> (between rows or inside a
    text): the rows are not copied as bytes, wherever the cut falls against "<!" or "<?"."""
    xml, rows, p = sheet
    open_at = xml.index(b"<" + p + b"sheetData>") + len(p) + 11
    places = [open_at] + [m.end() for m in re.finditer(rb"<(?:x:)?t>|</(?:x:)?row>|/>", xml[open_at:])]
    at = places[int(where * (len(places) - 1))] if xml[open_at:].find(b"<") >= 0 else open_at
    at = at if at >= open_at else open_at
    bad_xml = xml[:at] + bad.encode() + xml[at:]
    with pytest.MonkeyPatch.context() as mp, pytest.raises(CannotSlim):
        _split(bad_xml, chunk, mp)


@pytest.mark.parametrize("chunk", range(1, 90))
def test_refusals_hold_at_every_cut(chunk, monkeypatch):
    head = f'<worksheet xmlns="{MAIN}"><sheetData>'.encode()
    tail = b"</sheetData></worksheet>"
    for bad in (b'<row r="2"/><row r="1"/>',  # rows out of order
                b'<row r="1"/><col min="1"/><row r="2"/>',  # a stray element
                b'<row r="1"/><y:row xmlns:y="urn:other" r="2"/>',  # a prefix not of the main namespace
                b'<row r="1"/>x<row r="2"/>',  # text between rows
                b'<row r="1"/><!---->',
                b'<row r="1"><c r="A1"><v>1</v></c></row><?x?>'):
        with pytest.raises(CannotSlim):
            _split(head + bad + tail, chunk, monkeypatch)
    _, got = _split(head + b'<row r="1"/>\n<row r="3"><c r="A3"><v>w</v></c></row>' + tail, chunk, monkeypatch)
    assert got == [(1, b'<row r="1"/>'), (3, b'<row r="3"><c r="A3"><v>w</v></c></row>')]
