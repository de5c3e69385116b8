"""The extent scan (workbook/extent.py): how far a sheet reaches, found in its XML before
python-calamine builds a grid. Whatever way the XML writes a cell reference that python-calamine
reads — double or single quotes, white space around ``=``, character references, four letters —
and wherever the chunks are cut, the scan finds the far row and column a parser finds."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from defusedxml import ElementTree as SafeET
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.rawxlsx import NS, sheet_xml, write_xlsx
from tests.robustness import roster_rows
from tests.test_hostile_inputs import _one_sentence, xueji
from xueji_addin.spec.columns import column_letter
from xueji_addin.workbook.extent import NEAR_COLUMNS, Extent

FAR_ROW = 99_999


@st.composite
def cells(draw: st.DrawFn) -> tuple[str, int, int, bool]:
    """One <c> element: its XML, row, column, and whether it holds a value."""
    row = draw(st.one_of(st.integers(1, 60), st.integers(FAR_ROW - 5, 1_048_576)))
    col = draw(st.one_of(st.integers(1, 110), st.integers(NEAR_COLUMNS - 2, 20_000)))
    ref = f"{column_letter(col)}{row}"  # (past XFD too: python-calamine reads ZZZZ1)
    if draw(st.booleans()):  # a character reference for one character of it
        i = draw(st.integers(0, len(ref) - 1))
        ref = ref[:i] + f"&#{ord(ref[i])};" + ref[i + 1:]
    quote = draw(st.sampled_from(['"', "'"]))
    before, after = (draw(st.sampled_from(["", " ", "\t", "\n  ", " " * 300])) for _ in range(2))
    r = f"r{before}={after}{quote}{ref}{quote}"
    others = draw(st.sampled_from(["", ' s="1"', " t='inlineStr'", ' x="a/>b"']))
    attrs = f"{r}{others}" if draw(st.booleans()) else f"{others} {r}"
    if draw(st.booleans()):
        return f"<c {attrs.strip()}/>", row, col, False  # a format, no value: calamine reads nothing
    return f'<c {attrs.strip()}><v>1</v></c>', row, col, True


def _scan(xml: bytes, chunk: int) -> Extent:
    extent = Extent()
    for i in range(0, len(xml), chunk):
        extent.feed(xml[i:i + chunk])
    extent.close()
    return extent


@settings(max_examples=300, deadline=None)
@given(st.lists(cells(), min_size=1, max_size=8), st.integers(1, 400))
def test_the_scan_finds_the_far_row_and_column_a_parser_finds(drawn, chunk):
    body = "".join(f"<row>{xml}</row>" for xml, *_ in drawn)
    xml = f'<worksheet xmlns="{NS}"><sheetData>{body}</sheetData></worksheet>'.encode()
    parsed = SafeET.fromstring(xml)  # the XML is well formed, and its references are these
    values = [(row, col) for _, row, col, has_value in drawn if has_value]
    assert len(parsed.findall(f".//{{{NS}}}v")) == len(values)
    extent = _scan(xml, chunk)
    far_row = max((row for row, _ in values if row > FAR_ROW), default=0)
    far_col = max((col for _, col in values if col > NEAR_COLUMNS), default=0)
    if far_row:
        assert extent.far_rows == far_row
    if far_col:
        assert extent.cols == far_col
    assert extent.far_rows <= max((row for row, _ in values), default=0)
    assert extent.cols <= max((col for _, col in values), default=0)


def test_a_real_rosters_references_are_all_near():
    """A roster's references are all near: the scan finds nothing in them."""
    rows = roster_rows(size=30)
    xml = "".join(sheet_xml(rows)).encode()
    assert _scan(xml, 1 << 20) == Extent()


# --- through the command: a file python-calamine would abort on is one sentence ---------------

FAR_CELLS = {
    "single quotes": "<row r='1048576'><c r='XFD1048576' t=\"inlineStr\"><is><t>x</t></is></c></row>",
    "spaces around =": '<row r = "1048576"><c r = "XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>',
    "character references": ('<row><c r="&#88;&#70;&#68;&#49;&#48;&#52;&#56;&#53;&#55;&#54;" t="inlineStr">'
                             "<is><t>x</t></is></c></row>"),
    "four letters": '<row><c r="ZZZZ1048576" t="inlineStr"><is><t>x</t></is></c></row>',
}


@pytest.mark.parametrize("far", FAR_CELLS.values(), ids=FAR_CELLS.keys())
def test_a_far_cell_written_any_way_is_one_sentence_not_an_abort(tmp_path: Path, far: str):
    rows = roster_rows(size=2)
    doc = list(sheet_xml(rows))
    doc.insert(-2, far)
    p = write_xlsx(tmp_path / "远.xlsx", rows, sheet_doc=doc)
    _one_sentence(xueji("validate", p, timeout=120), "远.xlsx", "上限", "已拒绝读取")


def test_white_space_in_a_tag_is_read_and_a_tag_longer_than_any_spreadsheet_writes_is_refused(tmp_path: Path):
    """A tag is carried over a chunk's cut whole; megabytes of white space in it shrink to one
    space, megabytes of anything else are no spreadsheet's (and copying them on would be quadratic)."""
    rows = roster_rows(size=2)
    doc = list(sheet_xml(rows))
    doc.insert(-2, f'<row><c{" " * (5 << 20)}r="XFD1048576"><v>1</v></c></row>')
    p = write_xlsx(tmp_path / "空白.xlsx", rows, sheet_doc=doc)
    _one_sentence(xueji("validate", p, timeout=120), "空白.xlsx", "上限")
    doc[-3] = f'<row><c r="A3" x="{secrets.token_hex(3 << 20)}"><v>1</v></c></row>'
    p = write_xlsx(tmp_path / "长.xlsx", rows, sheet_doc=doc)
    _one_sentence(xueji("validate", p, timeout=120), "长.xlsx", "损坏")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(['<row r="1"/>', '<row>', "</row>", '<c r="A1"><v>1</v></c>', "<is><t>wow</t></is>", "w" * 9,
                                 '<rowBreaks count="1"/>', "\n"]), max_size=60),
       st.integers(4, 300))
def test_the_rows_are_counted_wherever_the_chunks_are_cut(tmp_path_factory, pieces, chunk):
    """Rows without a reference follow one another: the grid is at least as tall as their count,
    counted in each chunk and across each cut (a sheet of "w" included, whose count is the plain one)."""
    import zipfile

    from xueji_addin.workbook import package

    xml = f'<worksheet xmlns="{NS}"><sheetData>{"".join(pieces)}</sheetData></worksheet>'.encode()
    path = tmp_path_factory.mktemp("rows") / "rows.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("xl/worksheets/sheet1.xml", xml)
    with pytest.MonkeyPatch.context() as mp, zipfile.ZipFile(path) as z:
        mp.setattr(package, "_CHUNK", chunk)
        facts = package._scan(z, "xl/worksheets/sheet1.xml", "rows.zip", 0)
    assert facts.extent.row_elements == xml.count(b"<row")
