"""The fast writers produce what the openpyxl path did: the same cells (values, types, number
formats, fills, fonts, notes), the same dropdowns, conditional formats, column widths and frozen
header, on random rosters; and LibreOffice opens what they write."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.lo import convert, needs_libreoffice
from xueji_addin.actions.merge import merge_files, merged_book, write_merged
from xueji_addin.spec.profiles import default_profile
from xueji_addin.spec.settings import Settings
from xueji_addin.workbook.reader import read_sheets
from xueji_addin.workbook.cells import set_text
from xueji_addin.workbook.roster_file import roster_workbook
from xueji_addin.workbook.streamed_book import Book
from xueji_addin.workbook.template_parts import write_roster_file

PROFILE = default_profile()
SETTINGS = Settings(school_name="示例小学", school_code="2161010001")


def as_openpyxl_writes(v: object) -> object:
    """A float to the 16 digits openpyxl writes (the streaming writers write every digit, as before)."""
    return float("%.16g" % v) if isinstance(v, float) else v


def _cell(c) -> tuple:
    return (as_openpyxl_writes(c.value), c.data_type, c.number_format, c.fill.fill_type, c.fill.fgColor.rgb, c.font.b, c.font.color and c.font.color.rgb,
            c.comment.text if c.comment else None, c.hyperlink.location if c.hyperlink else None)


def book_view(path: Path) -> dict:
    """What a user sees of a workbook, sheet by sheet, as openpyxl reads it back."""
    wb = openpyxl.load_workbook(path)
    out: dict = {"sheets": wb.sheetnames, "names": sorted((n, d.attr_text) for n, d in wb.defined_names.items())}
    for ws in wb.worksheets:
        out[ws.title] = {
            "state": ws.sheet_state,
            "cells": {c.coordinate: _cell(c) for row in ws.iter_rows() for c in row if c.value is not None or c.has_style},
            "columns": {k: (d.width, d.number_format) for k, d in ws.column_dimensions.items()},
            "freeze": ws.freeze_panes,
            "validations": sorted((str(v.sqref), v.type, v.formula1 or "", v.errorStyle or "") for v in ws.data_validations.dataValidation),
            "conditional": sorted((str(cf.sqref), r.type, tuple(r.formula), r.dxf.fill.fgColor.rgb if r.dxf and r.dxf.fill else None)
                                  for cf in ws.conditional_formatting for r in cf.rules),
        }
    return out


def sheet_values(path: Path) -> list[list[list[object]]]:
    """Every sheet's values as the reader gets them."""
    return [[[as_openpyxl_writes(v) for v in row] for row in s.rows] for s in read_sheets(path)]


def openpyxl_save(book: Book, path: Path) -> None:
    """The openpyxl path: every value of the book's streamed rows put into openpyxl's cells, saved by it."""
    for title, d in book.deferred.items():
        ws = book.wb[title]
        for i, row in enumerate(d.rows):
            for c, v in enumerate(row, start=1):
                if v is not None and v != "":
                    set_text(ws.cell(d.first_row + i, c), v)
    book.wb.save(path)


def _openpyxl_path(path: Path, rows: list[list[object]], extra: list[str]) -> None:
    n = len(PROFILE.columns)
    book = roster_workbook(PROFILE, [r[:n] for r in rows], settings=SETTINGS, extra_headers=extra or None,
                           extra_rows=[r[n:] for r in rows] if extra else None)
    openpyxl_save(book, path)


values = st.one_of(
    st.none(), st.just(""),
    st.text(max_size=12),  # every character: controls, &<>, spaces at the ends, a leading =
    st.sampled_from(["=1+1", "+86 138", "-3", "@x", " 两边 ", "a\nb", "110101201701010012", "汉族"]),
    st.integers(-10**15, 10**15), st.floats(allow_nan=False, allow_infinity=False, width=32), st.booleans(),
    st.datetimes(dt.datetime(1901, 1, 1), dt.datetime(2099, 12, 31)).map(lambda d: d.replace(microsecond=0)),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data(), extra=st.lists(st.sampled_from(["备注", "家访记录", "座号2"]), max_size=2, unique=True))
def test_class_file_as_the_openpyxl_path_wrote_it(tmp_path, data, extra):
    width = len(PROFILE.columns) + len(extra)
    rows = data.draw(st.lists(st.lists(values, min_size=width, max_size=width), max_size=12))
    fast, slow = tmp_path / "fast.xlsx", tmp_path / "slow.xlsx"
    write_roster_file(fast, PROFILE, rows, settings=SETTINGS, extra_headers=extra)
    _openpyxl_path(slow, rows, extra)
    assert book_view(fast) == book_view(slow)
    assert sheet_values(fast) == sheet_values(slow)
    fast.unlink(), slow.unlink()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data(), headers=st.lists(st.sampled_from(["备注", "家访记录", "=座号", " 备 注 "]), min_size=1, max_size=3, unique=True))
def test_class_file_with_a_side_sheet_as_the_openpyxl_path_wrote_it(tmp_path, data, headers):
    """split's class file whose pupils have columns outside the template: the roster sheet and its
    模板外的列 sheet streamed into the template's parts, as openpyxl wrote the whole book."""
    from xueji_addin.workbook.extra_sheet import KEY, WIDTHS, add_extra_sheet, extra_rows
    from xueji_addin.workbook.names import EXTRA_SHEET
    from xueji_addin.workbook.template_parts import Table

    n = len(PROFILE.columns)
    rows = data.draw(st.lists(st.lists(values, min_size=n, max_size=n), max_size=12))
    extra = [data.draw(st.lists(values, min_size=len(headers), max_size=len(headers))) for _ in rows]
    places = [(2 + i, "全校.xlsx", 5 + 2 * i, row[1]) for i, row in enumerate(rows)]
    fast, slow = tmp_path / "fast.xlsx", tmp_path / "slow.xlsx"
    write_roster_file(fast, PROFILE, rows, settings=SETTINGS, table=Table(EXTRA_SHEET, (*KEY, *headers), tuple(WIDTHS.items())),
                      table_rows=extra_rows(places, extra))
    book = roster_workbook(PROFILE, rows, settings=SETTINGS)
    add_extra_sheet(book, headers, places, extra)
    openpyxl_save(book, slow)
    assert book_view(fast) == book_view(slow)
    assert sheet_values(fast) == sheet_values(slow)
    fast.unlink(), slow.unlink()


def test_split_with_a_side_sheet_builds_the_template_once_not_once_per_class_file(tmp_path, monkeypatch):
    """Class files with a 模板外的列 sheet were each built and saved by openpyxl, the template's helper
    sheets and all: 68 s of CPU for a school of 10,000 with a 备注 column, against 3.5 s without."""
    from xueji_addin.actions.split import roster_layout, split_to_files
    from xueji_addin.workbook import roster_file, template_parts

    calls = []
    for module in (roster_file, template_parts):
        real = module.style_roster_sheet
        monkeypatch.setattr(module, "style_roster_sheet", lambda *a, real=real, **k: calls.append(1) or real(*a, **k))
    monkeypatch.setattr(template_parts, "_CACHE", {})
    rows = [[None] * len(PROFILE.columns) + [f"备注{i}"] for i in range(6)]
    for i, row in enumerate(rows):
        row[1], row[15] = f"学生{i}", f"2024010{i % 3}"  # 姓名, 班号: three classes
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = PROFILE.sheet_name
    for r in [[*PROFILE.headers, "备注"], *rows]:
        ws.append(r)
    book.save(tmp_path / "全校.xlsx")
    layout = roster_layout(read_sheets(tmp_path / "全校.xlsx"), "全校.xlsx")
    (tmp_path / "o").mkdir()
    written = split_to_files(layout, tmp_path / "o", settings=SETTINGS, source="全校.xlsx")
    assert [f.rows for f in written] == [2, 2, 2]
    assert len(calls) == 1
    side = openpyxl.load_workbook(written[0].path)["模板外的列"]
    assert [[c.value for c in r] for r in side.iter_rows()] == [
        ["输出行", "文件", "原行号", "姓名", "备注"], [2, "全校.xlsx", 2, "学生0", "备注0"], [3, "全校.xlsx", 5, "学生3", "备注3"]]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data(), files=st.integers(1, 3), extra=st.lists(st.sampled_from(["备注", "家访记录"]), max_size=2, unique=True))
def test_merged_file_as_the_openpyxl_path_wrote_it(tmp_path, data, files, extra):
    """merge's school file (marks, notes, 校验结果, 来源, 模板外的列) streamed as openpyxl wrote it whole."""
    width = len(PROFILE.columns) + len(extra)
    paths = []
    for n in range(files):
        rows = data.draw(st.lists(st.lists(values, min_size=width, max_size=width), max_size=8))
        paths.append(tmp_path / f"班{n}.xlsx")
        write_roster_file(paths[-1], PROFILE, rows, settings=SETTINGS, extra_headers=extra)
    res = merge_files(paths, SETTINGS)
    fast, slow = tmp_path / "fast.xlsx", tmp_path / "slow.xlsx"
    write_merged(res, fast, settings=SETTINGS)
    openpyxl_save(merged_book(res, SETTINGS), slow)
    assert book_view(fast) == book_view(slow)
    assert sheet_values(fast) == sheet_values(slow)
    for p in (*paths, fast, slow):
        p.unlink()


def test_a_big_class_is_covered_by_the_help_and_every_part_is_sound(tmp_path):
    rows = [[f"学生{i}", 20240101, dt.datetime(2017, 3, 5)] + [None] * (len(PROFILE.columns) - 3) for i in range(150)]
    path = tmp_path / "big.xlsx"
    write_roster_file(path, PROFILE, rows, settings=SETTINGS)
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
    ws = openpyxl.load_workbook(path)[PROFILE.sheet_name]
    assert ws.max_row == 151 and ws["A151"].value == "学生149" and ws["C2"].number_format == "yyyy-mm-dd"
    assert any("A2:A200" in str(v.sqref) or "2:" in str(v.sqref) for v in ws.data_validations.dataValidation)
    assert all(int(str(v.sqref).split(":")[-1].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) >= 151
               for v in ws.data_validations.dataValidation)


@pytest.mark.libreoffice
@needs_libreoffice
def test_libreoffice_opens_a_fast_class_file(tmp_path):
    rows = [["2161010001", "张三", "男", "20170305"] + [None] * (len(PROFILE.columns) - 4), ["=1+1", "李四"]]
    path = tmp_path / "班级.xlsx"
    from xueji_addin.workbook.template_parts import Table

    side = Table("模板外的列", ("输出行", "文件", "原行号", "姓名", "备注"), (("B", 36),))
    write_roster_file(path, PROFILE, rows, settings=SETTINGS, table=side, table_rows=[[3, "全校.xlsx", 9, "李四", "=转学"]])
    (back,) = convert([path], "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo")
    ws = openpyxl.load_workbook(back)[PROFILE.sheet_name]
    assert [ws.cell(2, c).value for c in range(1, 5)] == ["2161010001", "张三", "男", "20170305"]
    assert ws["A3"].value == "=1+1" and ws["A3"].data_type == "s"  # text, never a formula
    assert ws.data_validations.dataValidation  # (a headless conversion keeps no view: the frozen header is checked above)
    assert {"代码表", "行政区划", "学校设置"} <= set(openpyxl.load_workbook(back).sheetnames)
    assert [[c.value for c in r] for r in openpyxl.load_workbook(back)["模板外的列"].iter_rows()] == [
        ["输出行", "文件", "原行号", "姓名", "备注"], [3, "全校.xlsx", 9, "李四", "=转学"]]
    (pdf,) = convert([path], "pdf", tmp_path / "pdf")
    assert pdf.stat().st_size > 1000


@pytest.mark.libreoffice
@needs_libreoffice
def test_libreoffice_opens_and_renders_a_merged_file(tmp_path):
    """The streamed school file (a mark, its note, 来源) round-trips through LibreOffice and prints."""
    width = len(PROFILE.columns)
    a, b = tmp_path / "一班.xlsx", tmp_path / "二班.xlsx"
    write_roster_file(a, PROFILE, [["2161010001", "张三", "男", "2017-3-5"] + [None] * (width - 4)], settings=SETTINGS)
    write_roster_file(b, PROFILE, [["2161010001", "李四", "女", "20170305"] + [None] * (width - 4), ["=1+1", "王五"]], settings=SETTINGS)
    merged = tmp_path / "合并.xlsx"
    write_merged(merge_files([a, b], SETTINGS), merged, settings=SETTINGS)
    (back,) = convert([merged], "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo")
    wb = openpyxl.load_workbook(back)
    ws = wb[PROFILE.sheet_name]
    assert [ws.cell(r, 2).value for r in (2, 3, 4)] == ["张三", "李四", "王五"]
    assert ws["A4"].value == "=1+1" and ws["A4"].data_type == "s"  # text, never a formula
    assert ws["D2"].fill.fgColor.rgb.endswith("FFC7CE") and "8位数字" in ws["D2"].comment.text
    assert [c.value for c in wb["来源"]["B"]][1:] == ["一班.xlsx", "二班.xlsx", "二班.xlsx"]
    (pdf,) = convert([merged], "pdf", tmp_path / "pdf")
    assert pdf.stat().st_size > 1000


# --- fix and validate --marked: the light copy against openpyxl's whole copy --------------------

from xueji_addin import synth  # noqa: E402
from xueji_addin.actions.collection import check_book, mark_book, write_marked_book  # noqa: E402
from xueji_addin.actions.dropdowns import refresh_if_fits  # noqa: E402
from xueji_addin.actions.fix import apply_fixes, fix_book  # noqa: E402
from xueji_addin.samples import write_roster_xlsx  # noqa: E402
from xueji_addin.actions.validate import open_copy  # noqa: E402
from xueji_addin.workbook.host import FileHost  # noqa: E402
from xueji_addin.workbook.reader import read_book  # noqa: E402
from xueji_addin.workbook.light_copy import LightHost  # noqa: E402

KEYS = [c.key for c in PROFILE.columns]


def _check(path: Path):
    return check_book(read_book(path), SETTINGS)
mistakes = st.sampled_from([" 张三 ", "汉", "０１２３", "2017-3-5", "男 ", None, "", "=1+1", 12.5, "NULL", "a\x01b"])


def _roster_file(path: Path, seed: int, changes: list[tuple[int, int, object]], size: int = 8) -> None:
    recs = [dict(r) for r in synth.class_roster(seed, size)]
    for row, col, v in changes:
        recs[row % size][KEYS[col % len(KEYS)]] = v
    write_roster_xlsx(path, recs)


def _whole(path: Path, out: Path, *, fix: bool) -> None:
    """What fix and --marked did before the light copy: the whole workbook in openpyxl."""
    checked = _check(path)
    host = FileHost.open(path)
    if fix:
        apply_fixes(host, [f for c in checked for f in c.findings])
        for c in checked:
            refresh_if_fits(host, c.roster, SETTINGS)
    else:
        mark_book(host, checked, SETTINGS)
    host.save(out)


def _significant(view: dict) -> dict:
    """A cell that holds nothing and shows nothing takes its column's format: openpyxl's copy gave
    such cells of the grid a style of their own once a read had created them."""
    for sheet in view["sheets"]:
        cells = view[sheet]["cells"]
        for ref in [k for k, v in cells.items() if v[0] is None and v[3] is None and v[7] is None]:
            del cells[ref]
    return view


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 500), fix=st.booleans(), again=st.booleans(),
       changes=st.lists(st.tuples(st.integers(0, 50), st.integers(0, 70), mistakes), max_size=10))
def test_fix_and_marked_copy_as_the_whole_copy_wrote_them(tmp_path, seed, fix, again, changes):
    src = tmp_path / "班级.xlsx"
    _roster_file(src, seed, changes)
    if again:  # a file marked before: its old marks are restored first, then painted anew
        write_marked_book(src, _check(src), tmp_path / "marked0.xlsx", SETTINGS)
        src = tmp_path / "marked0.xlsx"
    fast, whole = tmp_path / "fast.xlsx", tmp_path / "whole.xlsx"
    checked = _check(src)
    assert isinstance(open_copy(src, PROFILE.sheet_name, touch=checked), LightHost)  # not the fallback
    if fix:
        fix_book(src, checked, fast, SETTINGS)
    else:
        write_marked_book(src, checked, fast, SETTINGS)
    _whole(src, whole, fix=fix)
    assert _significant(book_view(fast)) == _significant(book_view(whole))
    assert [s.rows for s in read_sheets(fast)] == [s.rows for s in read_sheets(whole)]


@pytest.mark.libreoffice
@needs_libreoffice
def test_an_excel_style_file_keeps_its_shared_strings(tmp_path):
    """A file as Excel or WPS save it (shared strings, its own styles): the copy opens in LibreOffice
    and holds the same as openpyxl's whole copy."""
    plain = tmp_path / "plain.xlsx"
    _roster_file(plain, 7, [(1, 1, " 张三 "), (2, 4, "汉"), (3, 12, "123")], size=30)
    (src,) = convert([plain], "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo")
    with zipfile.ZipFile(src) as z:
        assert "xl/sharedStrings.xml" in z.namelist()
    assert isinstance(open_copy(src, PROFILE.sheet_name, touch=_check(src)), LightHost)  # not the fallback
    for fix in (True, False):
        fast, whole = tmp_path / f"fast{fix}.xlsx", tmp_path / f"whole{fix}.xlsx"
        checked = _check(src)
        (fix_book if fix else write_marked_book)(src, checked, fast, SETTINGS)
        _whole(src, whole, fix=fix)
        assert _significant(book_view(fast)) == _significant(book_view(whole))
        (back,) = convert([fast], "xlsx:Calc MS Excel 2007 XML", tmp_path / f"back{fix}")
        assert [s.rows for s in read_sheets(back)][0] == [s.rows for s in read_sheets(whole)][0]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
# (U+FFFE, U+FFFF and lone surrogates are written as Excel's escape, which python-calamine reads back as its text)
@given(rows=st.lists(st.lists(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\ufffe\uffff"), max_size=8),
                              min_size=len(PROFILE.columns), max_size=len(PROFILE.columns)), max_size=6))
def test_the_import_file_holds_every_value_as_the_text_it_is(tmp_path, rows):
    from xueji_addin.workbook.import_file import write_import_file

    path = write_import_file(tmp_path / "导入.xlsx", PROFILE, rows)
    (sheet,) = read_sheets(path)
    assert sheet.name == PROFILE.sheet_name and sheet.rows[0] == PROFILE.headers
    width = len(PROFILE.columns)
    back = [(r + [""] * width)[:width] for r in sheet.rows[1:]]
    while rows and not any(rows[-1]):  # a last row of nothing is no row at all
        rows = rows[:-1]
    assert back == rows
    ws = openpyxl.load_workbook(path)[PROFILE.sheet_name]
    assert all(c.data_type == "s" for row in ws.iter_rows(min_row=2) for c in row if c.value is not None)
