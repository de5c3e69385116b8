"""xueji template --profile: each table's template, and one 代码表 serving every table sheet."""

from __future__ import annotations

import openpyxl

from xueji_addin import synth, synth_tables as st
from xueji_addin.cli import run
from xueji_addin.samples import write_tables_xlsx
from xueji_addin.spec.codes import code_table
from xueji_addin.spec.profiles import load_profile
from xueji_addin.workbook.reader import read_roster


def _list_values(wb, name: str) -> list[str]:
    sheet, cells = list(wb.defined_names[name].destinations)[0]
    return [c.value for row in wb[sheet][cells.replace("$", "")] for c in row if c.value is not None]


def test_class_template_has_its_own_columns_dropdowns_and_text_formats(tmp_path):
    out = tmp_path / "班级.xlsx"
    assert run(["template", "--profile", "班级", "--out", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    p = load_profile("class")
    ws = wb[p.sheet_name]
    assert [c.value for c in ws[1]][: len(p.columns)] == p.headers
    grade = p.by_key["grade"].letter
    dv = [d for d in ws.data_validations.dataValidation if f"{grade}2" in d.sqref]
    assert dv and dv[0].formula1 == "XJ_CODE_T_NJ"
    assert _list_values(wb, "XJ_CODE_T_NJ") == code_table("T_NJ").names
    assert ws.column_dimensions[p.by_key["class_no"].letter].number_format == "@"  # the column's own format: typed cells are text
    assert read_roster(out).profile.id == "class"


def test_default_name_of_a_table_template(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run(["template", "--profile", "teacher"]) == 0
    assert (tmp_path / "教师基本信息导入模板.xlsx").exists()


def test_one_code_sheet_serves_every_table_of_a_workbook(tmp_path):
    path = tmp_path / "全校.xlsx"
    write_tables_xlsx(path, [(load_profile("class"), st.classes(2)), (load_profile("student_A"), synth.class_roster(3, 3))])
    wb = openpyxl.load_workbook(path)
    assert _list_values(wb, "XJ_CODE_T_NJ") == code_table("T_NJ").names  # the class sheet's lists survive
    assert _list_values(wb, "XJ_CODE_MZ") == code_table("MZ").names  # beside the student sheet's
