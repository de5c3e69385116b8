"""An 18-digit ID that Excel turned into a number: every output shows the digits Excel shows (never
5.1322620180212e+17), marks it as damaged, and the fixed copy holds it as text in a Text cell."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, strategies as st

from tests.test_cli import xueji
from xueji_addin.rules.normalize import number_text
from xueji_addin.samples import write_roster_xlsx
from xueji_addin.synth import class_roster

SHOWN = "513226201802120000"  # what Excel shows for the number 5.1322620180212E+17


def test_the_number_is_shown_as_excel_shows_it():
    assert number_text(5.1322620180212e17) == SHOWN
    assert number_text(20110101.0) == "20110101" and number_text(1.5) == "1.5"


@given(st.integers(min_value=10**17, max_value=10**18 - 1))
def test_any_18_digit_number_shows_15_digits_then_zeros(n):
    shown = number_text(float(n))
    assert shown.isdigit() and len(shown) in (18, 19) and shown.endswith("000")  # 999…9553 rounds up, as in Excel
    assert abs(int(shown) - n) <= 500 + 64  # Excel keeps 15 significant digits (and a float's spacing)


@pytest.fixture
def damaged(tmp_path: Path) -> Path:
    path = tmp_path / "班.xlsx"
    write_roster_xlsx(path, [dict(r) for r in class_roster(3, 4)])
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws["M2"].value = 5.1322620180212e17
    ws["M2"].number_format = "General"
    wb.save(path)
    return path


def test_validate_shows_the_digits_and_marks_the_id_as_damaged(damaged):
    code, out, err = xueji("validate", str(damaged))
    assert code == 1, err
    text = out.replace("\n", "").replace(" ", "")
    assert f"证件号被Excel存成了数字（{SHOWN}），第16位以后已经变成0，无法还原" in text
    assert "e+17" not in out
    _, masked, _ = xueji("validate", str(damaged), "--mask")
    assert "e+17" not in masked and SHOWN not in masked


def test_fix_makes_it_text_in_a_text_cell_and_says_nothing_visible_changed(damaged, tmp_path):
    out = tmp_path / "已修正.xlsx"
    code, screen, err = xueji("fix", str(damaged), "--out", str(out))
    assert code == 1, err  # the lost digits still have to be typed from the document
    assert f"M2【身份证件号】数字 {SHOWN} → 文本 {SHOWN}（看起来一样：改成了文本格式" in screen.replace("\n", "")
    cell = openpyxl.load_workbook(out).active["M2"]
    assert (cell.value, cell.data_type, cell.number_format) == (SHOWN, "s", "@")


def test_print_shows_the_digits_and_the_mark(damaged, tmp_path):
    out = tmp_path / "确认表.xlsx"
    code, _, err = xueji("print", str(damaged), "--out", str(out), "--layout", "both")
    assert code == 0, err
    wb = openpyxl.load_workbook(out)
    cells = {c.value: c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None}
    assert "5.1322620180212e+17" not in cells and SHOWN in cells
    form = wb["确认表"]
    value = next(c for row in form.iter_rows() for c in row if c.value == SHOWN)
    assert form.cell(value.row, value.column - 1).value == "身份证件号 ※"


def test_the_roster_print_does_not_speak_of_a_form(damaged, tmp_path):
    """``--layout roster`` said "已在确认表上用 ※ 标出": the roster has no ※, only the fill."""
    code, out, err = xueji("print", str(damaged), "--out", str(tmp_path / "名单.xlsx"), "--layout", "roster")
    assert code == 0, err
    assert "已在核对名单上用底色标出" in out and "※" not in out
