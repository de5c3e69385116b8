"""Checks across the tables of one collection, in real workbooks and through the command line."""

from __future__ import annotations

import json

import pytest

from tests.conftest import SETTINGS
from tests.reports import only_table, report, tables
from xueji_addin import synth, synth_tables as st
from xueji_addin.actions.collection import check_book, reference_rosters, write_marked_book
from xueji_addin.workbook.reader import read_book
from xueji_addin.cli import run
from xueji_addin.samples import write_roster_xlsx, write_tables_xlsx
from xueji_addin.spec.profiles import load_profile
from xueji_addin.spec.settings import Settings

E, W = "error", "warning"
TEACHERS = st.teachers(1, 10)
N_CLASSES = 6


def letter(pid: str, key: str) -> str:
    return load_profile(pid).by_key[key].letter


def collection(**change) -> dict[str, list[dict[str, object]]]:
    return {
        "school": [dict(st.school())],
        "campus": [dict(r) for r in st.campuses(2)],
        "class": [dict(r) for r in st.classes(N_CLASSES, teachers=TEACHERS)],
        "teacher": [dict(r) for r in TEACHERS],
        "student_A": [dict(r) for r in synth.school_roster(3, N_CLASSES, 4)],
    } | change


def book(tmp_path, tables: dict[str, list[dict[str, object]]], name: str = "全校.xlsx"):
    path = tmp_path / name
    write_tables_xlsx(path, [(load_profile(pid), recs) for pid, recs in tables.items()])
    return path


def found(checked) -> dict[str, set[tuple[str, str, str]]]:
    return {c.roster.profile.id: {(f.code, f.cell, f.severity.value) for f in c.findings} for c in checked}


def test_a_clean_collection_passes_every_check(tmp_path):
    checked = check_book(read_book(book(tmp_path, collection())), SETTINGS)
    assert [c.roster.profile.id for c in checked] == ["school", "campus", "class", "teacher", "student_A"]
    assert found(checked) == {pid: set() for pid in ("school", "campus", "class", "teacher", "student_A")}


def test_student_class_not_in_the_class_sheet_of_the_workbook(tmp_path):
    t = collection()
    t["student_A"][5]["class_no"] = "20240109"
    got = found(check_book(read_book(book(tmp_path, t)), SETTINGS))
    assert got["student_A"] == {("XJ1501", f"{letter('student_A', 'class_no')}7", E)}
    assert all(not v for k, v in got.items() if k != "student_A")


def test_student_class_checked_against_a_separate_class_file(tmp_path):
    students = [dict(r) for r in synth.school_roster(3, N_CLASSES, 4)]
    students[0]["class_no"] = "20240109"
    write_roster_xlsx(tmp_path / "学生.xlsx", students)
    write_roster_xlsx(tmp_path / "班级.xlsx", st.classes(N_CLASSES), load_profile("class"))
    without = check_book(read_book(tmp_path / "学生.xlsx"), SETTINGS)
    assert found(without)["student_A"] == set()  # no class list known: nothing to compare with
    checked = check_book(read_book(tmp_path / "学生.xlsx"), SETTINGS, references=reference_rosters((tmp_path / "班级.xlsx",)))
    assert [c.roster.profile.id for c in checked] == ["student_A"]  # the reference file is not reported on
    f = next(f for f in checked[0].findings if f.code == "XJ1501")
    assert (f.cell, f.severity.value) == (f"{letter('student_A', 'class_no')}2", E)
    assert "班号 20240109 不在班级信息表中" in f.message and "20240101（一年级（1）班）" in f.suggestion


def test_student_class_checked_against_the_settings(tmp_path):
    students = [dict(r) for r in synth.class_roster(7, 5)]
    write_roster_xlsx(tmp_path / "学生.xlsx", students)
    checked = check_book(read_book(tmp_path / "学生.xlsx"), Settings(today=SETTINGS.today, classes=["20240102"]))
    assert {(f.code, f.cell) for f in checked[0].findings} == {("XJ622", f"{letter('student_A', 'class_no')}{r}") for r in range(2, 7)}


def test_school_code_differs_between_tables(tmp_path):
    t = collection()
    t["class"][2]["school_code"] = "2161010002"
    got = found(check_book(read_book(book(tmp_path, t)), SETTINGS))
    a = letter("class", "school_code")
    assert got["class"] == {("XJ1502", f"{a}4", E), ("XJ903", f"{a}4", E)}
    f = next(f for c in check_book(read_book(book(tmp_path, t)), SETTINGS) for f in c.findings if f.code == "XJ1502")
    assert f.fix == "2161010001" and "学校基本信息表" in f.message


def test_school_code_differs_without_a_school_table(tmp_path):
    t = collection()
    del t["school"]
    for rec in t["class"]:
        rec["school_code"] = "2161010009"
    got = found(check_book(read_book(book(tmp_path, t)), SETTINGS))
    # 24 students and 2 campuses carry 2161010001, the 6 classes another code: the classes are marked
    a = letter("class", "school_code")
    assert got["class"] == {("XJ1502", f"{a}{r}", E) for r in range(2, 8)}
    assert got["student_A"] == set()


def test_head_teacher_not_in_the_teacher_roster(tmp_path):
    t = collection()
    t["class"][0]["head_teacher_staff_no"] = "T999"
    t["class"][1]["head_teacher_name"] = "欧阳修"
    t["class"][2].update(head_teacher_staff_no="", head_teacher_name="司马光")
    got = found(check_book(read_book(book(tmp_path, t)), SETTINGS))
    assert got["class"] == {("XJ1503", f"{letter('class', 'head_teacher_staff_no')}2", W),
                            ("XJ1508", f"{letter('class', 'head_teacher_name')}3", W),
                            ("XJ1503", f"{letter('class', 'head_teacher_name')}4", W)}


def test_class_years_and_stage_against_the_school(tmp_path):
    t = collection()
    t["class"][0]["class_years"] = "5"
    t["class"][1].update(grade="七年级", class_type="普通初中班", class_years="3")
    got = found(check_book(read_book(book(tmp_path, t)), SETTINGS))
    assert got["class"] == {("XJ1504", f"{letter('class', 'class_years')}2", W), ("XJ1505", f"{letter('class', 'grade')}3", W)}


def test_class_campus_must_be_a_campus(tmp_path):
    t = collection()
    t["class"][0]["campus_no"] = "09"
    t["class"][1]["campus_no"] = "02"
    got = found(check_book(read_book(book(tmp_path, t)), SETTINGS))
    # 校区号 of the class table has low confidence in the spec: a warning, never an error
    assert got["class"] == {("XJ1506", f"{letter('class', 'campus_no')}2", W)}


def test_teacher_with_a_student_id(tmp_path):
    t = collection()
    kid = t["student_A"][0]
    t["teacher"][0].update(id_number=kid["id_number"], gender=kid["gender"],
                           birth_date=f"{kid['birth_date'][:4]}-{kid['birth_date'][4:6]}-{kid['birth_date'][6:]}")
    got = found(check_book(read_book(book(tmp_path, t)), SETTINGS))
    assert ("XJ1507", f"{letter('teacher', 'id_number')}2", W) in got["teacher"]


def test_prefix_and_years_sum_in_a_collection(tmp_path):
    t = collection(school=[dict(st.school(), school_type="初级中学", junior_years="4", junior_entry_age="12")])
    got = found(check_book(read_book(book(tmp_path, t)), SETTINGS))
    assert got["school"] == {("XJ1201", f"{letter('school', 'school_type')}2", E),
                             ("XJ1203", f"{letter('school', 'junior_years')}2", E)}


def test_marked_copy_of_a_collection_paints_every_sheet(tmp_path):
    import openpyxl

    t = collection()
    t["student_A"][0]["class_no"] = "20240109"
    t["class"][0]["class_years"] = "4"
    src = book(tmp_path, t)
    checked = check_book(read_book(src), SETTINGS)
    n = write_marked_book(src, checked, tmp_path / "marked.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "marked.xlsx")
    assert n == 2
    student_cell = wb["学生基础信息"][f"{letter('student_A', 'class_no')}2"]
    class_cell = wb["班级信息"][f"{letter('class', 'class_years')}2"]
    assert student_cell.fill.fgColor.rgb.endswith("FFC7CE") and "班级信息表" in student_cell.comment.text
    assert class_cell.fill.fgColor.rgb.endswith("FFC7CE")
    results = [r for r in wb["校验结果"].iter_rows(min_row=2, values_only=True)]
    assert sorted(r[3] for r in results) == ["XJ1108", "XJ1501"]


# --- the command line -----------------------------------------------------------------------


def test_cli_validates_every_table_of_a_workbook(tmp_path, capsys):
    t = collection()
    t["class"][0]["class_type"] = "普通初中班"
    src = book(tmp_path, t)
    out = tmp_path / "r.json"
    code = run(["validate", str(src), "--json", str(out)])
    assert code == 1
    data = tables(report(out.read_text("utf-8")))
    assert [(d["role"], d["sheet"], d["students"], d["summary"]["errors"]) for d in data] == [
        ("school", "学校基本信息", 1, 0), ("campus", "校区基本信息", 2, 0), ("class", "班级信息", 6, 1),
        ("teacher", "教师基本信息", 10, 0), ("student", "学生基础信息", 24, 0)]
    text = capsys.readouterr().out
    assert "6 个班级" in text and "10 名教职工" in text


def test_cli_classes_option_and_profile_option(tmp_path):
    students = [dict(r) for r in synth.class_roster(7, 5)]
    students[1]["class_no"] = "20249999"
    write_roster_xlsx(tmp_path / "学生.xlsx", students)
    write_roster_xlsx(tmp_path / "班级.xlsx", st.classes(2), load_profile("class"))
    out = tmp_path / "r.json"
    assert run(["validate", str(tmp_path / "学生.xlsx"), "--classes", str(tmp_path / "班级.xlsx"), "--json", str(out)]) == 1
    data = only_table(report(out.read_text("utf-8")))
    # XJ904: one row of a class file with another 班号 (the student rules); XJ1501: not a class at all
    assert data["role"] == "student" and [f["code"] for f in data["findings"]] == ["XJ1501", "XJ904"]
    assert run(["validate", str(tmp_path / "班级.xlsx"), "--profile", "班级", "--json", str(out)]) == 0
    assert only_table(report(out.read_text("utf-8")))["role"] == "class"


@pytest.mark.parametrize("args,needle", [(["--profile", "成绩"], "不认识的表种类“成绩”"), (["--classes", "没有.xlsx"], "找不到文件“没有.xlsx”"),
                                         (["--profile", "班级"], "找不到班级信息表的表头")])
def test_cli_bad_table_options_are_one_sentence(tmp_path, capsys, args, needle):
    write_roster_xlsx(tmp_path / "学生.xlsx", synth.class_roster(7, 2))
    assert run(["validate", str(tmp_path / "学生.xlsx"), *args]) == 2
    err = capsys.readouterr().err
    assert needle in err and "Traceback" not in err
