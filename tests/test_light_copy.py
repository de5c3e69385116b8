"""The light copy's byte-level rows (sheet_rows.py): sheets as other writers put them (Excel's
x14ac attributes, a prefixed main namespace, our own earlier copies' <s:row>) still take the fast
path and give what openpyxl's whole copy gives; XML it must not copy as bytes goes to the whole
load, and the copy is still right."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from tests.lo import needs_libreoffice
from tests.test_fast_writers import PROFILE, SETTINGS, _check, _roster_file, _significant, _whole, book_view
from xueji_addin.actions.collection import write_marked_book
from xueji_addin.actions.fix import fix_book
from xueji_addin.actions.validate import open_copy
from xueji_addin.workbook.light_copy import LightHost
from xueji_addin.workbook.sheet_rows import MAIN, CannotSlim, SheetRows

SHEET = "xl/worksheets/sheet1.xml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
X14AC = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"


def _rewrite(src: Path, dst: Path, change) -> Path:
    with zipfile.ZipFile(src) as z, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for info in z.infolist():
            data = z.read(info)
            out.writestr(info, change(data.decode()).encode() if info.filename == SHEET else data)
    return dst


def _excel_style(xml: str) -> str:
    """Rows as Excel writes them: x14ac:dyDescent, declared on the root and ignorable."""
    xml = xml.replace(f'<worksheet xmlns="{MAIN}"', f'<worksheet xmlns="{MAIN}" xmlns:mc="{MC}" mc:Ignorable="x14ac" xmlns:x14ac="{X14AC}"', 1)
    return re.sub(r'<row r="(\d+)"', r'<row r="\1" x14ac:dyDescent="0.25"', xml)


def _prefixed(xml: str) -> str:
    """The main namespace under a prefix (x:), as some .NET writers put it."""
    xml = re.sub(r"<(/?)([A-Za-z]\w*)(?=[\s/>])", r"<\1x:\2", xml)
    return xml.replace(f'xmlns="{MAIN}"', f'xmlns:x="{MAIN}"', 1)


def _old_copy(xml: str) -> str:
    """The header row as our earlier copies wrote it: <s:row xmlns:s=…> inside a default namespace."""
    def prefix(m: re.Match[str]) -> str:
        row = re.sub(r"<(/?)([A-Za-z]\w*)(?=[\s/>])", r"<\1s:\2", m.group(0))
        return row.replace("<s:row ", f'<s:row xmlns:s="{MAIN}" ', 1)
    return re.sub(r'<row r="1".*?</row>', prefix, xml, count=1, flags=re.S)


@pytest.mark.parametrize("change", [_excel_style, _prefixed, _old_copy])
@pytest.mark.parametrize("fix", [True, False])
def test_other_writers_rows_take_the_fast_path_and_copy_as_the_whole_load(tmp_path, change, fix):
    plain = tmp_path / "plain.xlsx"
    _roster_file(plain, 11, [(1, 1, " 张三 "), (2, 6, "汉"), (3, 12, 110101201701010012), (4, 3, "2017-3-5")], size=12)
    src = _rewrite(plain, tmp_path / "src.xlsx", change)
    checked = _check(src)
    assert isinstance(open_copy(src, PROFILE.sheet_name, touch=checked), LightHost)
    fast, whole = tmp_path / "fast.xlsx", tmp_path / "whole.xlsx"
    (fix_book if fix else write_marked_book)(src, checked, fast, SETTINGS)
    _whole(src, whole, fix=fix)
    assert _significant(book_view(fast)) == _significant(book_view(whole))
    with zipfile.ZipFile(fast) as z:
        root = etree.fromstring(z.read(SHEET))  # well formed, every prefix declared
    if change is _excel_style:
        assert root.nsmap.get("x14ac") == X14AC and root.get(f"{{{MC}}}Ignorable") == "x14ac"


@pytest.mark.parametrize("inside", ["<!-- a note --> ", '<![CDATA[</row><row r="99">]]>', "<?pi x?>"])
def test_markup_in_the_rows_goes_to_the_whole_load_and_the_copy_is_right(tmp_path, inside):
    plain = tmp_path / "plain.xlsx"
    _roster_file(plain, 3, [(1, 1, " 张三 ")], size=6)
    where = '<c r="C3"' if "CDATA" not in inside else '<c r="D3"'

    def change(xml: str) -> str:
        if "CDATA" in inside:  # inside a text: a parser reads it as text, a byte splitter must not cut there
            return re.sub(r'(<c r="D3"[^>]*><is><t[^>]*>)', lambda m: m.group(1) + inside, xml, count=1)
        return xml.replace(where, inside + where, 1)

    src = _rewrite(plain, tmp_path / "src.xlsx", change)
    checked = _check(src)
    assert not isinstance(open_copy(src, PROFILE.sheet_name, touch=checked), LightHost)
    fast, whole = tmp_path / "fast.xlsx", tmp_path / "whole.xlsx"
    write_marked_book(src, checked, fast, SETTINGS)
    _whole(src, whole, fix=False)
    assert _significant(book_view(fast)) == _significant(book_view(whole))


def _rows(xml: bytes) -> list[tuple[int, bytes]]:
    sheet = SheetRows(io.BytesIO(xml))
    rows = list(sheet.rows())
    sheet.finish()
    return rows


def test_rows_are_split_on_their_tags_and_refused_where_a_parser_refuses():
    head = f'<?xml version="1.0"?>\n<worksheet xmlns="{MAIN}"><sheetData>'.encode()
    tail = b"</sheetData><rowBreaks count=\"0\"/></worksheet>"
    body = b'<row r="1"/>\n<row r="2" spans="1:2"><c r="A2" t="inlineStr"><is><t>a&gt;b</t></is></c></row>'
    assert _rows(head + body + tail) == [(1, b'<row r="1"/>'), (2, body.split(b"\n")[1])]
    assert _rows(head + tail) == []
    for bad in (b'<row r="2"/><row r="1"/>',  # rows out of order
                b"<row/>",  # a row without its number
                b'<row r="1"><c r="A1" t="inlineStr"><is><t>\x01</t></is></c></row>',  # a raw control byte
                b'<row r="1"><c r="A1" t="inlineStr"><is><t>&nbsp;</t></is></c></row>',  # an entity XML does not know
                b'<row r="1"><c r="A1"><v>1</v></row>'):  # a tag left open
        with pytest.raises(CannotSlim):
            _rows(head + bad + tail)


def test_the_whole_load_is_said_in_one_sentence(tmp_path):
    """A sheet the fast path cannot copy faithfully takes the slow way, and the command says so."""
    import subprocess
    import sys

    from xueji_addin.workbook.light_copy import SLOW_COPY

    plain = tmp_path / "plain.xlsx"
    _roster_file(plain, 5, [(1, 1, " 张三 ")], size=4)
    src = _rewrite(plain, tmp_path / "注释.xlsx", lambda xml: xml.replace('<c r="C3"', '<!-- x --><c r="C3"', 1))
    repo = Path(__file__).resolve().parents[1]
    for path, slow in ((src, 1), (plain, 0)):  # the fast path says nothing
        for args in (["validate", str(path), "--marked", str(tmp_path / "m.xlsx")], ["fix", str(path), "--out", str(tmp_path / "f.xlsx")]):
            p = subprocess.run([sys.executable, "-m", "xueji_addin", *args], capture_output=True, text=True, cwd=repo)
            assert p.returncode in (0, 1), p.stderr
            assert p.stderr.count(SLOW_COPY) == slow and "Traceback" not in p.stderr, p.stderr


@pytest.mark.libreoffice
@needs_libreoffice
def test_libreoffice_opens_and_renders_copies_of_an_excel_style_file(tmp_path):
    """The rows copied as bytes (Excel's x14ac attributes, declared on our root) open in a second
    engine: LibreOffice reads the marked and the fixed copy back with their fills and values, and prints them."""
    import openpyxl

    from tests.lo import convert
    from xueji_addin.workbook.reader import read_sheets

    plain = tmp_path / "plain.xlsx"
    _roster_file(plain, 13, [(1, 1, " 张三 "), (2, 3, "2017-3-5")], size=20)
    src = _rewrite(plain, tmp_path / "src.xlsx", _excel_style)
    for fix in (True, False):
        out = tmp_path / ("fixed.xlsx" if fix else "marked.xlsx")
        (fix_book if fix else write_marked_book)(src, _check(src), out, SETTINGS)
        (back,) = convert([out], "xlsx:Calc MS Excel 2007 XML", tmp_path / f"back{fix}")
        assert [s.rows for s in read_sheets(back)][0] == [s.rows for s in read_sheets(out)][0]
        ws = openpyxl.load_workbook(back)[PROFILE.sheet_name]
        fills = {c.fill.fgColor.rgb for row in ws.iter_rows(min_row=2) for c in row if c.fill.fill_type == "solid"}
        assert fix or {"FFFFC7CE", "FFFFEB9C"} & fills, fills  # the marks' red or yellow survive the second engine
        (pdf,) = convert([out], "pdf", tmp_path / f"pdf{fix}")
        assert pdf.stat().st_size > 1000


@pytest.mark.parametrize("chunk", [997, 1499, 4096, 1 << 22])
def test_formulas_in_rows_nothing_touches_are_kept_wherever_the_chunks_are_cut(tmp_path, monkeypatch, chunk):
    """A row is looked into for a formula only once some chunk read so far holds "<f": wherever
    the chunks are cut (the mark in a later chunk, or split between two), a formula in a row the
    command does not touch still reaches openpyxl, and the copy is the whole load's: it holds the
    formula's value (copied as bytes, the row would keep the formula)."""
    from xueji_addin.workbook import sheet_rows

    plain = tmp_path / "plain.xlsx"
    _roster_file(plain, 5, [(1, 1, " 张三 ")], size=8)

    def formulas(xml: str) -> str:  # beyond the template's columns: no check reads them, no finding touches them
        for r in (6, 8):
            end = xml.index("</row>", xml.index(f'<row r="{r}"'))
            xml = xml[:end] + f'<c r="BZ{r}"><f>1+{r}</f><v>{1 + r}</v></c>' + xml[end:]
        return xml

    src = _rewrite(plain, tmp_path / "src.xlsx", formulas)
    monkeypatch.setattr(sheet_rows, "_CHUNK", chunk)
    checked = _check(src)
    assert isinstance(open_copy(src, PROFILE.sheet_name, touch=checked), LightHost)
    for fix in (True, False):
        fast, whole = tmp_path / f"fast{fix}.xlsx", tmp_path / f"whole{fix}.xlsx"
        (fix_book if fix else write_marked_book)(src, checked, fast, SETTINGS)
        _whole(src, whole, fix=fix)
        view = book_view(fast)
        assert _significant(view) == _significant(book_view(whole))
        cells = view[PROFILE.sheet_name]["cells"]
        assert cells["BZ6"][0] == 7 and cells["BZ8"][0] == 9


def test_dropdowns_copies_through_the_light_copy_and_gives_the_whole_load(tmp_path, monkeypatch):
    """刷新下拉 (``xueji dropdowns``) changes no value: its copy is the light one, and what a user
    sees of it is what openpyxl's whole load and save gave (27 s of a 10,000-pupil school)."""
    from xueji_addin.actions import dropdowns
    from xueji_addin.workbook.host import FileHost

    src = tmp_path / "src.xlsx"
    _roster_file(src, 9, [(1, 1, " 张三 "), (2, 12, 110101201701010012)], size=12)
    roster = _check(src)[0].roster
    whole = tmp_path / "whole.xlsx"
    host = FileHost.open(src)
    dropdowns.refresh(host, roster, SETTINGS)
    host.save(whole)

    def no_whole_load(*args, **kwargs):
        raise AssertionError("the whole workbook was loaded")

    monkeypatch.setattr(FileHost, "open", no_whole_load)
    light = tmp_path / "light.xlsx"
    dropdowns.refresh_file(src, light, SETTINGS)
    assert _significant(book_view(light)) == _significant(book_view(whole))
