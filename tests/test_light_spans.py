"""The light copy's save copies the rows nothing touches as the bytes between the offsets the
cutting pass found (light_merge.py), without cutting the sheet into rows again: rows with white
space between them, runs cut into pieces of any size, a row openpyxl makes that the original
lacks, and an input that changed between the two passes; and the helper sheets' plain rows,
streamed in instead of written by openpyxl."""

from __future__ import annotations

import re
import shutil
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_fast_writers import PROFILE, SETTINGS, _check, _roster_file, _significant, _whole, book_view, mistakes
from tests.test_light_copy import _rewrite
from xueji_addin.actions.collection import write_marked_book
from xueji_addin.actions.fix import fix_book
from xueji_addin.actions.mark import remembered_cells
from xueji_addin.actions.validate import open_copy
from xueji_addin.workbook import light_merge
from xueji_addin.workbook.errors import ReadError
from xueji_addin.workbook.light_copy import LightHost
from xueji_addin.workbook.reader import read_sheets


def _spaced(xml: str) -> str:
    """Rows on lines of their own, indented, as a pretty-printing writer puts them."""
    xml = re.sub(r"(</row>|<row [^>]*/>)", r"\1\n  ", xml)
    return xml.replace("<sheetData>", "<sheetData>\n  ", 1)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 500), fix=st.booleans(), spaced=st.booleans(), piece=st.integers(1, 3000),
       changes=st.lists(st.tuples(st.integers(0, 50), st.integers(0, 70), mistakes), max_size=8))
def test_rows_copied_by_their_offsets_in_pieces_of_any_size_as_the_whole_copy(tmp_path, monkeypatch, seed, fix, spaced, piece, changes):
    monkeypatch.setattr(light_merge, "_FLUSH", piece)  # a run of untouched rows ends at the first row start past it
    plain = tmp_path / "plain.xlsx"
    _roster_file(plain, seed, changes, size=12)
    src = _rewrite(plain, tmp_path / "src.xlsx", _spaced) if spaced else plain
    checked = _check(src)
    assert isinstance(open_copy(src, PROFILE.sheet_name, touch=checked), LightHost)  # not the fallback
    fast, whole = tmp_path / "fast.xlsx", tmp_path / "whole.xlsx"
    (fix_book if fix else write_marked_book)(src, checked, fast, SETTINGS)
    _whole(src, whole, fix=fix)
    assert _significant(book_view(fast)) == _significant(book_view(whole))
    assert [s.rows for s in read_sheets(fast)] == [s.rows for s in read_sheets(whole)]


def test_a_remembered_mark_on_a_row_the_file_no_longer_has(tmp_path):
    """A copy marked before, whose marked row another tool then removed: the mark's cell is
    restored into a row the original lacks, which goes in between the original's rows."""
    plain = tmp_path / "plain.xlsx"
    _roster_file(plain, 5, [(3, 1, " 张三 "), (6, 6, "汉")], size=9)
    marked = tmp_path / "marked0.xlsx"
    write_marked_book(plain, _check(plain), marked, SETTINGS)
    row = min(r for r, _ in remembered_cells(marked)[PROFILE.sheet_name])
    src = _rewrite(marked, tmp_path / "src.xlsx", lambda xml: re.sub(rf'<row r="{row}"[^>]*>.*?</row>', "", xml, count=1, flags=re.S))
    checked = _check(src)
    assert isinstance(open_copy(src, PROFILE.sheet_name, touch=checked), LightHost)
    fast, whole = tmp_path / "fast.xlsx", tmp_path / "whole.xlsx"
    write_marked_book(src, checked, fast, SETTINGS)
    _whole(src, whole, fix=False)
    assert _significant(book_view(fast)) == _significant(book_view(whole))


def test_an_input_changed_between_reading_and_saving_is_refused(tmp_path):
    """The save reads the original's rows again by the offsets of the first reading: another
    file in its place would be copied in pieces that are not rows. It is said, nothing is written."""
    src, other = tmp_path / "班级.xlsx", tmp_path / "other.xlsx"
    _roster_file(src, 3, [(1, 1, " 张三 ")], size=6)
    _roster_file(other, 4, [(2, 1, " 李四 ")], size=7)
    host = open_copy(src, PROFILE.sheet_name, touch=_check(src))
    assert isinstance(host, LightHost)
    shutil.copyfile(other, src)
    out = tmp_path / "out.xlsx"
    with pytest.raises(ReadError, match="被改动"):
        host.save(out)
    assert not out.exists()


def test_plain_rows_streamed_in_are_what_openpyxl_wrote(tmp_path):
    """``plain_rows_plan`` (the light copy's helper sheets): the plain values stream in; a formula,
    a date, a note, a link and a value with a style of its own are still openpyxl's to write."""
    import datetime as dt
    import io

    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    from xueji_addin.workbook import streamed_book
    from xueji_addin.workbook.cells import set_text

    wb = Workbook()
    ws = wb.active
    ws.title = "表"
    ws["A1"] = "标题"
    ws["A1"].font = Font(bold=True)
    for r in range(2, 12):
        set_text(ws.cell(r, 1), f"县{r} ")
        ws.cell(r, 2, r * 10)
        ws.cell(r, 3, r % 2 == 0)
    ws["D3"] = "=A3&B3"
    ws["E4"] = dt.datetime(2020, 1, 2)
    ws["B5"].font = Font(bold=True)
    ws["A6"].comment = Comment("注", "我")
    ws["A7"].hyperlink = "#表!A1"
    set_text(ws["C8"], "=不是公式")
    ws["F9"] = ""
    ws["G10"].number_format = "@"
    whole, fast = tmp_path / "whole.xlsx", tmp_path / "fast.xlsx"
    wb.save(whole)
    plan = streamed_book.plain_rows_plan(wb, "表", 2)
    assert plan is not None and (2, 1) not in ws._cells  # taken out of openpyxl's model
    buf = io.BytesIO()
    wb.save(buf)
    streamed_book._write(buf, fast, {"xl/worksheets/sheet1.xml": plan}, {})
    assert book_view(fast) == book_view(whole)


def test_a_light_copy_saved_twice_is_the_same_copy(tmp_path):
    """The helper sheets' rows leave openpyxl's model at the first save: a second save streams them again."""
    src = tmp_path / "班级.xlsx"
    _roster_file(src, 8, [(1, 1, " 张三 "), (2, 6, "汉")], size=6)
    checked = _check(src)
    host = open_copy(src, PROFILE.sheet_name, touch=checked)
    assert isinstance(host, LightHost)
    from xueji_addin.actions.collection import mark_book

    mark_book(host, checked, SETTINGS)
    host.save(tmp_path / "a.xlsx")
    host.save(tmp_path / "b.xlsx")
    assert book_view(tmp_path / "a.xlsx") == book_view(tmp_path / "b.xlsx")
    assert len(book_view(tmp_path / "b.xlsx")["行政区划"]["cells"]) > 5000  # the county list is there


@pytest.mark.parametrize("fix", [True, False])
def test_a_cell_whose_reference_is_not_first_is_restyled_cell_by_cell(tmp_path, fix):
    """The restyling pass over the untouched rows meets a cell written <c t=… r=…> (no writer we
    know puts one): its rows are restyled cell by cell, and the copy is the whole copy's."""
    plain = tmp_path / "plain.xlsx"
    _roster_file(plain, 7, [(1, 1, " 张三 ")], size=12)

    def reordered(xml: str) -> str:  # Text columns' cells (A 学校标识码, D 出生日期) without a style, and another, in untouched rows
        for ref in ("A9", "B9", "D10"):
            xml = re.sub(rf'<c r="{ref}"(?: s="\d+")?([^>]*?)( t="[^"]*")', rf'<c\2 r="{ref}"\1', xml, count=1)
        return xml

    src = _rewrite(plain, tmp_path / "src.xlsx", reordered)
    with zipfile.ZipFile(src) as z:
        assert re.search(rb'<c t="[^"]*" r="A9"', z.read("xl/worksheets/sheet1.xml"))
    checked = _check(src)
    assert isinstance(open_copy(src, PROFILE.sheet_name, touch=checked), LightHost)
    fast, whole = tmp_path / "fast.xlsx", tmp_path / "whole.xlsx"
    (fix_book if fix else write_marked_book)(src, checked, fast, SETTINGS)
    _whole(src, whole, fix=fix)
    view = _significant(book_view(fast))
    assert view == _significant(book_view(whole))
    cells = view[PROFILE.sheet_name]["cells"]
    assert cells["A9"][2] == cells["D10"][2] == "@"  # given the Text format, as the whole copy gives them
