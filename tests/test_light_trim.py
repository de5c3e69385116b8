"""A touched row cut down as bytes before it is parsed (light_sheet.cells_cut, light_copy._trimmed)
gives what parsing the whole row and dropping its untouched cells gives, for rows of every shape:
cells out of order or twice, without a reference or with it later, rich text, formulas, elements
that are no cells, white space between cells, a prefixed namespace."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from xueji_addin.workbook.light_copy import _trimmed, _trimmed_whole
from xueji_addin.workbook.sheet_rows import MAIN

R = 7
_WS = st.sampled_from(["", "", " ", "\n  ", "\t"])


# Every shape of child a row may hold ({p}: the prefix, {ref}: the reference, {text}: a text)
_SHAPES = [
    '<{p}c {ref} s="1"><{p}v>7</{p}v></{p}c>',
    '<{p}c {ref} t="inlineStr"><{p}is><{p}t xml:space="preserve">{text}</{p}t></{p}is></{p}c>',
    '<{p}c {ref} t="inlineStr"><{p}is><{p}r><{p}rPr><{p}color rgb="FF0000"/></{p}rPr><{p}t>a</{p}t></{p}r></{p}is></{p}c>',  # rich text
    '<{p}c {ref} s="2"/>',
    "<{p}c {ref}><{p}f>1+1</{p}f><{p}v>2</{p}v></{p}c>",
    '<{p}c s="1"><{p}v>5</{p}v></{p}c>',  # no reference: the column after the one before
    '<{p}c s="1" {ref}><{p}v>5</{p}v></{p}c>',  # the reference not first
    '<{p}c {ref} x="a>b/>"><{p}v>3</{p}v></{p}c>',
    '<{p}extLst><{p}ext uri="u"/></{p}extLst>',  # no cell
    '<{p}c {ref}><{p}c r="H7"><{p}v>1</{p}v></{p}c></{p}c>',  # a cell inside a cell: well formed, nothing we write
]


@st.composite
def _cell(draw: st.DrawFn, p: str) -> str:
    return draw(st.sampled_from(_SHAPES)).format(p=p, ref=f'r="{"ABCDEFGH"[draw(st.integers(0, 7))]}{R}"',
                                                 text=draw(st.sampled_from(["a", " b ", "&#23398;", "x&amp;y", "w f"])))


@st.composite
def _rows(draw: st.DrawFn) -> tuple[bytes, bytes, bytes]:
    p = draw(st.sampled_from(["", "x:"]))
    cells = draw(st.lists(_cell(p), max_size=8))
    body = draw(_WS) + "".join(c + draw(_WS) for c in cells)
    attrs = draw(st.sampled_from(["", ' spans="1:8"', ' ht="20" customHeight="1"']))
    raw = f'<{p}row r="{R}"{attrs}>{body}</{p}row>' if cells or draw(st.booleans()) else f'<{p}row r="{R}"{attrs}/>'
    decls = f' xmlns:x="{MAIN}"' if p else f' xmlns="{MAIN}"'
    return raw.encode(), decls.encode(), p.encode()


@settings(max_examples=600, deadline=None)
@given(row=_rows(), columns=st.sets(st.integers(1, 10), max_size=4), others=st.sets(st.tuples(st.integers(1, R - 1), st.integers(1, 9)), max_size=3))
@example(row=(f'<row r="{R}"><c r="C{R}"><v>3</v></c> <c r="A{R}"><v>1</v></c>\n<c r="B{R}"><v>2</v></c></row>'.encode(),
              f' xmlns="{MAIN}"'.encode(), b""), columns={1, 3}, others=set())  # out of order: kept in the row's order, tails with them
def test_a_row_cut_as_bytes_is_the_row_parsed_whole_and_cut(row, columns, others):
    raw, decls, p = row
    keep = {(R, c) for c in columns} | others  # (other rows' cells: as the sheet's keep holds them)
    cut, whole = set(keep), set(keep)
    assert _trimmed(raw, R, cut, decls, p, sorted(columns)) == _trimmed_whole(raw, R, whole, decls, p)
    assert cut == whole  # the formula cells it keeps are noted alike
