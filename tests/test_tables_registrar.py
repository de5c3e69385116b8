"""The class table feeds the registrar tools: split names files and sheets by 班级名称, merge reports
the classes of the table that sent no file."""

from __future__ import annotations

import json

import openpyxl

from xueji_addin import synth, synth_tables as st
from xueji_addin.cli import run
from xueji_addin.samples import write_roster_xlsx, write_tables_xlsx
from xueji_addin.spec.profiles import load_profile
from tests.robustness import cli  # noqa: F401 (fixture)

CLASS = load_profile("class")


def test_split_names_files_by_class_name_from_a_class_file(tmp_path):
    write_roster_xlsx(tmp_path / "全校.xlsx", [dict(r) for r in synth.school_roster(5, 3, 3)])
    write_roster_xlsx(tmp_path / "班级.xlsx", st.classes(3), CLASS)
    assert run(["split", str(tmp_path / "全校.xlsx"), "--out-dir", str(tmp_path / "o"), "--classes", str(tmp_path / "班级.xlsx")]) == 0
    assert sorted(f.name for f in (tmp_path / "o").iterdir()) == [
        "2161010001_一年级（1）班.xlsx", "2161010001_三年级（1）班.xlsx", "2161010001_二年级（1）班.xlsx"]


def test_split_into_sheets_uses_the_class_sheet_of_the_workbook(tmp_path):
    path = tmp_path / "全校.xlsx"
    write_tables_xlsx(path, [(CLASS, st.classes(3)), (load_profile("student_A"), [dict(r) for r in synth.school_roster(5, 3, 3)])])
    assert run(["split", str(path), "--out-dir", str(tmp_path / "o"), "--sheets"]) == 0
    wb = openpyxl.load_workbook(tmp_path / "o" / "全校_按班号分表.xlsx")
    visible = [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"]
    # the class table stays as it was; the student sheet became one sheet per class, named by 班级名称
    assert visible[0] == "班级信息" and {"一年级（1）班", "二年级（1）班", "三年级（1）班"} <= set(visible)
    assert wb["班级信息"].max_row == 4


def test_two_classes_of_one_name_keep_their_class_numbers(tmp_path):
    classes = st.classes(2)
    classes[1]["class_name"] = classes[0]["class_name"]
    write_roster_xlsx(tmp_path / "班级.xlsx", classes, CLASS)
    write_roster_xlsx(tmp_path / "全校.xlsx", [dict(r) for r in synth.school_roster(5, 2, 2)])
    assert run(["split", str(tmp_path / "全校.xlsx"), "--out-dir", str(tmp_path / "o"), "--classes", str(tmp_path / "班级.xlsx")]) == 0
    assert sorted(f.name for f in (tmp_path / "o").iterdir()) == [
        "2161010001_一年级（1）班_20230101.xlsx", "2161010001_一年级（1）班_20240101.xlsx"]


def test_merge_reports_classes_that_sent_no_file(tmp_path, capsys):
    folder = tmp_path / "各班"
    folder.mkdir()
    recs = [dict(r) for r in synth.school_roster(5, 4, 3)]
    for no in ("20240101", "20220101"):  # classes 20230101 and 20210101 have not sent their files
        write_roster_xlsx(folder / f"{no}.xlsx", [r for r in recs if r["class_no"] == no])
    write_roster_xlsx(tmp_path / "班级.xlsx", st.classes(4), CLASS)
    out, report = tmp_path / "全校.xlsx", tmp_path / "r.json"
    run(["merge", str(folder), "--out", str(out), "--classes", str(tmp_path / "班级.xlsx"), "--json", str(report)])
    data = json.loads(report.read_text("utf-8"))
    assert data["classes_without_file"] == [{"class_no": "20230101", "class_name": "二年级（1）班"},
                                            {"class_no": "20210101", "class_name": "四年级（1）班"}]
    assert "班级信息表中有 2 个班级没有交文件：二年级（1）班（20230101）、四年级（1）班（20210101）" in capsys.readouterr().out.replace("\n", "")


def test_merge_takes_the_class_list_from_a_class_table_among_the_inputs(tmp_path):
    folder = tmp_path / "各班"
    folder.mkdir()
    recs = [dict(r) for r in synth.school_roster(5, 2, 3)]
    write_roster_xlsx(folder / "20240101.xlsx", [r for r in recs if r["class_no"] == "20240101"])
    write_roster_xlsx(folder / "班级信息.xlsx", st.classes(2), CLASS)
    report = tmp_path / "r.json"
    run(["merge", str(folder), "--out", str(tmp_path / "全校.xlsx"), "--json", str(report)])
    data = json.loads(report.read_text("utf-8"))
    assert data["classes_without_file"] == [{"class_no": "20230101", "class_name": "二年级（1）班"}]
    assert data["rows_written"] == 3
    notes = [n for f in data["files"] for n in f["notes"]] + [p for f in data["files"] for p in f["problems"]]
    assert any("班级信息表，用作班级名单" in n for n in notes)


def test_fix_fixes_every_table_of_the_workbook(tmp_path, cli):
    school, teachers = [st.school()], st.teachers(5, 3)
    school[0]["principal_mobile"] = "139 1234 5678"
    teachers[1]["work_start"] = "2010.9"
    students = [dict(r) for r in synth.school_roster(3, 2, 3)]
    students[0]["ethnicity"] = "汉"
    students[1]["name"] = ""  # needs a person: still reported after the fix
    path, out = tmp_path / "全校.xlsx", tmp_path / "已修正.xlsx"
    write_tables_xlsx(path, [(load_profile("school"), school), (CLASS, st.classes(2)),
                             (load_profile("teacher"), teachers), (load_profile("student_A"), students)])
    before = path.read_bytes()
    code, text, err = cli("fix", path, "--out", out)
    assert path.read_bytes() == before and code == 1, err
    wb = openpyxl.load_workbook(out)
    assert wb["学校基本信息"]["O2"].value == "13912345678"
    assert wb["教师基本信息"]["O3"].value == "2010-09"
    assert wb["学生基础信息"]["G2"].value == "汉族"
    lines = text.splitlines()
    assert lines[:7] == [
        "工作表“学校基本信息”：修正 1 处（还剩 0 个错误、0 个提示）", "  O2【校长手机号码】“139 1234 5678” → “13912345678”",
        "工作表“班级信息”：没有可自动修正的问题（还剩 0 个错误、0 个提示）",
        "工作表“教师基本信息”：修正 1 处（还剩 0 个错误、0 个提示）", "  O3【参加工作年月】“2010.9” → “2010-09”",
        "工作表“学生基础信息”：修正 1 处（还剩 1 个错误、0 个提示）", "  G2【民族】“汉” → “汉族”"]
    assert lines[-1] == f"共修正 3 处，已保存到 {out}；仍有 1 个错误、0 个提示需要人工处理。"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["全校.xlsx", "已修正.xlsx"]  # no temporary file left
