"""边填边查 on the file host: an edit repaints only its rows, with the ID duplicates it makes or
ends, and leaves everything else as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SETTINGS, letter
from xueji_addin import synth
from xueji_addin.actions.check_sheet import validate_sheet
from xueji_addin.actions.mark import ERROR_FILL, MARKS_SHEET, RESULT_SHEET, marked_cells
from xueji_addin.excel.live import MAX_ROWS, on_change
from xueji_addin.samples import write_roster_xlsx
from xueji_addin.workbook.host import FileHost

SHEET = "学生基础信息"


@pytest.fixture
def host(tmp_path: Path) -> FileHost:
    recs = [dict(r) for r in synth.class_roster(5, 30)]
    recs[19]["phone"] = "12345"  # row 21: marked before the edits
    path = tmp_path / "class.xlsx"
    write_roster_xlsx(path, recs)
    return FileHost.open(path)


def test_an_edit_marks_its_cell_and_nothing_else(host: FileHost):
    g = letter("ethnicity")
    host.write(SHEET, {f"{g}7": "汉"})
    result = on_change(host, SHEET, f"${g}$7", base=SETTINGS, cache={})
    assert result is not None and result.rows == [7]
    assert [f.code for f in result.findings] == ["XJ203"]
    assert marked_cells(host, SHEET) == [f"{g}7"]
    ws = host.wb[SHEET]
    assert ws[f"{g}7"].fill.fgColor.rgb[-6:] == ERROR_FILL and "汉族" in ws[f"{g}7"].comment.text
    assert RESULT_SHEET not in host.sheet_names(), "the result list is 校验本表's, not every keystroke's"

    host.write(SHEET, {f"{g}7": "汉族"})
    result = on_change(host, SHEET, f"{g}7", base=SETTINGS, cache={})
    assert result is not None and result.findings == []
    assert marked_cells(host, SHEET) == [] and MARKS_SHEET not in host.sheet_names()
    assert ws[f"{g}7"].fill.fill_type is None and ws[f"{g}7"].comment is None


def test_a_duplicate_id_marks_both_rows_and_correcting_it_clears_both(host: FileHost):
    validate_sheet(host, base=SETTINGS)
    m, p = letter("id_number"), letter("phone")
    ws = host.wb[SHEET]
    original = ws[f"{m}5"].value
    host.write(SHEET, {f"{m}5": ws[f"{m}12"].value})
    result = on_change(host, SHEET, f"{m}5", base=SETTINGS, cache={})
    assert result is not None and set(result.rows) >= {5, 12}
    dup = {f.cell: f.message for f in result.findings if f.code == "XJ901"}
    assert dup == {f"{m}5": "与第12行的身份证件号重复", f"{m}12": "与第5行的身份证件号重复"}
    assert {f"{m}5", f"{m}12", f"{p}21"} <= set(marked_cells(host, SHEET))

    host.write(SHEET, {f"{m}5": original})
    result = on_change(host, SHEET, f"{m}5", base=SETTINGS, cache={})
    assert result is not None and 12 in result.rows and result.findings == []
    assert set(marked_cells(host, SHEET)) == {f"{p}21"}, "the other row's mark stays"
    assert ws[f"{m}12"].fill.fill_type is None and ws[f"{m}12"].comment is None


def test_a_cleared_row_loses_its_marks(host: FileHost):
    validate_sheet(host, base=SETTINGS)
    p = letter("phone")
    width = len(host.read(SHEET)[0])
    from xueji_addin.spec.columns import column_letter

    host.write(SHEET, {f"{column_letter(c)}21": None for c in range(1, width + 1)})
    result = on_change(host, SHEET, f"A21:{column_letter(width)}21", base=SETTINGS, cache={})
    assert result is not None and result.findings == []
    assert f"{p}21" not in marked_cells(host, SHEET)


def test_edits_outside_a_roster_are_ignored(host: FileHost):
    assert on_change(host, SHEET, "B1", base=SETTINGS, cache={}) is None  # the header row
    assert on_change(host, SHEET, f"A2:A{MAX_ROWS + 2}", base=SETTINGS, cache={}) is None  # a huge paste
    assert on_change(host, MARKS_SHEET, "A2", base=SETTINGS, cache={}) is None  # our own sheet
    other = FileHost.from_rows("成绩", [["学号", "语文"], ["1", 90]])
    assert on_change(other, "成绩", "B2", cache={}) is None


def test_the_header_is_looked_up_once_per_sheet(host: FileHost):
    cache: dict = {}
    on_change(host, SHEET, "B5", base=SETTINGS, cache=cache, book="class.xlsx")
    match = cache[("class.xlsx", SHEET)]
    assert match is not None and match.header_row == 1
    on_change(host, SHEET, "B6", base=SETTINGS, cache=cache, book="class.xlsx")
    assert cache[("class.xlsx", SHEET)] is match


def test_the_vba_hook_checks_an_edit_through_excel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """``sheet_change`` as the SheetChange handler calls it, on the Excel host over a stand-in Excel:
    the cell is painted and noted, the status bar says so, events are back on afterwards."""
    import openpyxl

    from tests.fake_excel import FakeBook
    from xueji_addin.excel import live
    from xueji_addin.excel.host import ExcelHost

    path = tmp_path / "class.xlsx"
    write_roster_xlsx(path, synth.class_roster(5, 10))
    book = FakeBook(openpyxl.load_workbook(path), path)
    monkeypatch.setattr(ExcelHost, "caller", classmethod(lambda cls: cls(book)))
    monkeypatch.setattr("xueji_addin.excel.ribbon.base_settings", lambda folder: SETTINGS)
    g = letter("ethnicity")
    book.sheets[SHEET].range(f"{g}4").value = "汉"  # the teacher types
    live.sheet_change(1, f"${g}$4")
    ws = book.wb[SHEET]
    assert ws[f"{g}4"].fill.fgColor.rgb[-6:] == ERROR_FILL and "汉族" in ws[f"{g}4"].comment.text
    assert str(book.app.status_bar).startswith("学籍助手：") and "1 个错误" in str(book.app.status_bar)
    assert book.app.enable_events and book.app.screen_updating
    book.sheets[SHEET].range(f"{g}4").value = "汉族"
    live.sheet_change(1, f"${g}$4")
    assert ws[f"{g}4"].comment is None and book.app.status_bar is False
