"""The 班级/教师/学校/校区 tables: each in a real workbook, clean files pass, every rule's mistake is
found at its cell, and the header alone tells which table a sheet holds."""

from __future__ import annotations

import csv
import re
import datetime as dt
import random

import pytest

from tests.conftest import SETTINGS, SHARED, cells
from xueji_addin import synth, synth_tables as st
from xueji_addin.rules.engine import check
from xueji_addin.rules.tables_cells import org_check_char
from xueji_addin.samples import write_roster_xlsx, write_tables_xlsx
from xueji_addin.spec.codes import code_tables
from xueji_addin.spec.columns import Kind
from xueji_addin.spec.profiles import all_profiles, load_profile, resolve_profile
from xueji_addin.spec.headers import find_header
from xueji_addin.workbook.reader import read_book, read_roster

E, W = "error", "warning"
TEACHERS = st.teachers(1, 10)


def at(pid: str, code: str, key: str, sev: str, row: int = 2) -> tuple[str, str, str]:
    return (code, f"{load_profile(pid).by_key[key].letter}{row}", sev)


def records(pid: str) -> list[dict[str, object]]:
    if pid == "class":
        return [dict(r) for r in st.classes(12, teachers=TEACHERS)]
    if pid == "teacher":
        return [dict(r) for r in TEACHERS]
    if pid == "school":
        return [dict(st.school())]
    return [dict(r) for r in st.campuses(3)]


def roundtrip(tmp_path, pid: str, recs: list[dict[str, object]]):
    path = tmp_path / f"{pid}.xlsx"
    write_roster_xlsx(path, recs, load_profile(pid))
    roster = read_roster(path)
    assert roster.profile.id == pid  # recognised from the header row alone
    return check(roster, SETTINGS)


# --- the spec in the package ----------------------------------------------------------------


@pytest.mark.parametrize("pid,fname", [("class", "class_fields.csv"), ("teacher", "teacher_fields.csv"),
                                       ("school", "school_fields.csv"), ("campus", "campus_fields.csv")])
def test_profiles_agree_with_the_shared_spec(pid, fname):
    path = SHARED / "spec" / "tables" / fname
    if not path.exists():
        pytest.skip("../shared is not beside the repo")
    rows = list(csv.DictReader(path.open(encoding="utf-8-sig")))
    p = load_profile(pid)
    assert [(int(r["order"]), r["header"], r["key"]) for r in rows] == [(c.order, c.header, c.key) for c in p.columns]
    for r, c in zip(rows, p.columns):
        # low (or low-medium) for the column itself; "low for values" is the code table's confidence
        assert bool(re.search(r"confidence low(-medium)?(?! for values)", r["source"])) == c.low_confidence, c.header


def test_table_code_tables_do_not_clash_with_the_student_ones():
    tables = code_tables()
    assert tables["NJ"] is not tables["T_NJ"] and tables["T_NJ"].names[:3] == ["一年级", "二年级", "三年级"]
    assert "致公党党员" in tables["T_ZZMM"].names and "致公党党员" not in tables["ZZMM"].names
    assert "小学" not in tables["T_SZDCXLX"].names and "主城区" in tables["T_SZDCXLX"].names  # group rows left out
    assert tables["T_BXLX"].code_of("九年一贯制学校") == "312" and "职业初中" not in tables["T_BXLX"].names
    assert {t for t, v in tables.items() if v.low_confidence} == {"T_JZGLY", "T_YRXS", "T_QDHTQK", "T_XXJSYYNL", "T_RYZT", "T_WLLX"}
    for p in all_profiles():
        for c in p.columns:
            if c.kind is Kind.CODE:
                assert tables[c.code_table].names, (p.id, c.header)


# --- recognition ----------------------------------------------------------------------------


@pytest.mark.parametrize("pid", ["student_A", "class", "teacher", "school", "campus"])
def test_each_table_is_recognised_from_its_header(pid):
    p = load_profile(pid)
    m = find_header([["某某学校" + p.title], p.headers])
    assert m is not None and m.profile.id == pid and m.header_row == 2 and m.exact


def test_teacher_header_as_the_national_template_writes_it():
    headers = [("*" + h if c.required.value == "yes" else h) for h, c in zip(load_profile("teacher").headers, load_profile("teacher").columns)]
    headers[7] = "*出生日期(yyyy-MM-dd)"
    headers[14] = "*参加工作年月(yyyy-MM)"
    headers[31] = "*是否心里健康教育教师"
    m = find_header([headers])
    assert m.profile.id == "teacher" and m.exact  # the national spelling is not a rename


def test_teacher_sheet_with_the_leading_school_name_column(tmp_path):
    from openpyxl import Workbook

    p = load_profile("teacher")
    wb = Workbook()
    ws = wb.active
    ws.title = p.sheet_name
    ws.append(["学校名称", *p.headers])
    for rec in TEACHERS[:3]:
        ws.append(["雁塔区实验小学", *(rec[c.key] or None for c in p.columns)])
    wb.save(tmp_path / "教师.xlsx")
    roster = read_roster(tmp_path / "教师.xlsx")
    assert roster.profile.id == "teacher" and roster.header.exact and roster.letter("name") == "B"
    assert check(roster, SETTINGS) == []


def test_a_reordered_class_sheet_is_still_the_class_table():
    headers = load_profile("class").headers[::-1][:10]  # ten of the seventeen columns, backwards
    m = find_header([headers])
    assert m.profile.id == "class" and len(m.missing) == 7 and m.moved


@pytest.mark.parametrize("name,pid", [("班级", "class"), ("teacher", "teacher"), ("学校基本信息", "school"), ("校区", "campus"),
                                      ("学生", "student_A"), ("student", "student_A")])
def test_profile_names_for_the_command_line(name, pid):
    assert resolve_profile(name).id == pid


def test_a_workbook_with_every_table_is_read_sheet_by_sheet(tmp_path):
    path = tmp_path / "全部.xlsx"
    tables = [(load_profile("school"), records("school")), (load_profile("campus"), records("campus")),
              (load_profile("class"), records("class")[:6]), (load_profile("teacher"), records("teacher")),
              (load_profile("student_A"), [dict(r) for r in synth.school_roster(3, 6, 4)])]
    write_tables_xlsx(path, tables)
    rosters = read_book(path).rosters
    assert [(r.profile.id, r.sheet, len(r)) for r in rosters] == [
        ("school", "学校基本信息", 1), ("campus", "校区基本信息", 3), ("class", "班级信息", 6), ("teacher", "教师基本信息", 10),
        ("student_A", "学生基础信息", 24)]


# --- clean files pass -----------------------------------------------------------------------


@pytest.mark.parametrize("pid", ["class", "teacher", "school", "campus"])
def test_a_clean_table_passes(tmp_path, pid):
    assert roundtrip(tmp_path, pid, records(pid)) == []


# --- every rule's mistake, at its cell --------------------------------------------------------

def _set(i: int, **kw):
    return lambda r: r[i].update(kw)


def _teacher_birth_shift(r):
    born = dt.date.fromisoformat(r[0]["birth_date"])
    r[0]["birth_date"] = born.replace(year=born.year - 1).isoformat()


def _teacher_same_person_other_id(r):
    born = dt.date.fromisoformat(r[0]["birth_date"])
    other = r[0]["id_number"]
    rng = random.Random(5)
    while other == r[0]["id_number"]:
        other = synth.make_id(rng, r[0]["id_number"][:6], born, r[0]["gender"] == "男")
    r[1] = dict(r[0], id_number=other, staff_no="T099")


def _teacher_work_at(age_years: int):
    def change(r):
        born = dt.date.fromisoformat(r[0]["birth_date"])
        r[0]["work_start"] = f"{born.year + age_years}-{born.month:02d}"
    return change


def _org(body: str) -> str:
    return f"{body}-{org_check_char(body)}"


CASES = {
    # 班级信息表
    "class: required empty": ("class", _set(0, class_name=None), {at("class", "XJ101", "class_name", E)}),
    "class: 班号 twice": ("class", _set(6, class_no="20240101"), {at("class", "XJ1101", "class_no", E), at("class", "XJ1101", "class_no", E, 8)}),
    "class: 班级名称 twice": ("class", _set(6, class_name="一年级（1）班"), {at("class", "XJ1102", "class_name", W), at("class", "XJ1102", "class_name", W, 8)}),
    "class: type of another stage": ("class", _set(0, class_type="普通初中班"), {at("class", "XJ1103", "class_type", E)}),
    "class: bilingual without mode": ("class", _set(0, is_bilingual_class="是"), {at("class", "XJ1104", "bilingual_mode", E)}),
    "class: mode without bilingual": ("class", _set(0, bilingual_mode="一类模式"), {at("class", "XJ1104", "bilingual_mode", W)}),
    "class: minority class not bilingual": ("class", _set(0, class_type="少数民族小学班"), {at("class", "XJ1105", "is_bilingual_class", W)}),
    "class: 复式班 flag without the type": ("class", _set(0, is_multigrade="是"), {at("class", "XJ1106", "is_multigrade", W)}),
    "class: 文理 in a primary class (low-confidence list)": ("class", _set(0, arts_science="综合"),
                                                         {at("class", "XJ201", "arts_science", W), at("class", "XJ1107", "arts_science", W)}),
    "class: 学制 of another stage": ("class", _set(0, class_years="4"), {at("class", "XJ1108", "class_years", E)}),
    "class: 六年级 in a five-year class": ("class", _set(5, class_years="5", graduation_date="20240630"), {at("class", "XJ1109", "grade", E, 7)}),
    "class: 建班 in March": ("class", _set(0, class_start_ym="202403"), {at("class", "XJ1110", "class_start_ym", W)}),
    "class: 建班 year differs from 班号": ("class", _set(0, class_start_ym="202309"), {at("class", "XJ1110", "class_start_ym", W)}),
    "class: graduation before start": ("class", _set(0, graduation_date="20240101"), {at("class", "XJ1111", "graduation_date", W)}),
    "class: one head for three classes": ("class", lambda r: [x.update(head_teacher_staff_no="T099") for x in r[:3]],
                                         {at("class", "XJ1112", "head_teacher_staff_no", W, n) for n in (2, 3, 4)}),
    "class: two school codes": ("class", _set(1, school_code="2161010002"), {at("class", "XJ903", "school_code", E, 3)}),
    "class: grade not a 年级": ("class", _set(0, grade="初一"), {at("class", "XJ201", "grade", E)}),
    "class: low-confidence 校区号 too long only warns": ("class", _set(0, campus_no="123"), {at("class", "XJ114", "campus_no", W)}),
    "class: 毕业日期 not 8 digits": ("class", _set(0, graduation_date="2030-06-30"), {at("class", "XJ1005", "graduation_date", E)}),
    # 教师基本信息
    "teacher: required empty": ("teacher", _set(0, political_status=None), {at("teacher", "XJ101", "political_status", E)}),
    "teacher: same ID twice": ("teacher", lambda r: r.__setitem__(1, dict(r[0], name="赵敏", staff_no="T099")),
                               {at("teacher", "XJ1401", "id_number", E), at("teacher", "XJ1401", "id_number", E, 3)}),
    "teacher: same name and birth": ("teacher", _teacher_same_person_other_id,
                                     {at("teacher", "XJ1402", "name", W), at("teacher", "XJ1402", "name", W, 3)}),
    "teacher: birth differs from ID": ("teacher", _teacher_birth_shift, {at("teacher", "XJ1403", "birth_date", E)}),
    "teacher: sex differs from ID": ("teacher", lambda r: r[0].update(gender="女" if r[0]["gender"] == "男" else "男"),
                                     {at("teacher", "XJ1404", "gender", E)}),
    "teacher: working at 15": ("teacher", _teacher_work_at(15), {at("teacher", "XJ1405", "work_start", E)}),
    "teacher: working at 17": ("teacher", _teacher_work_at(17), {at("teacher", "XJ1405", "work_start", W)}),
    "teacher: joined before working": ("teacher", lambda r: r[0].update(joined_school=f"{int(r[0]['work_start'][:4]) - 1}-09"),
                                       {at("teacher", "XJ1406", "joined_school", E)}),
    "teacher: joined next year": ("teacher", _set(0, joined_school="2027-09"), {at("teacher", "XJ1406", "joined_school", E)}),
    "teacher: 基层服务 without start": ("teacher", _set(0, grassroots_service="是"), {at("teacher", "XJ1407", "grassroots_start", E)}),
    "teacher: 基层服务 dates but 否": ("teacher", _set(0, grassroots_start="2015-09"), {at("teacher", "XJ1407", "grassroots_start", W)}),
    "teacher: 基层服务 ends before it starts": ("teacher", _set(0, grassroots_service="是", grassroots_start="2015-09", grassroots_end="2014-09"),
                                           {at("teacher", "XJ1407", "grassroots_end", E)}),
    "teacher: not established, no form": ("teacher", _set(0, on_establishment="否"), {at("teacher", "XJ1408", "employment_form", E)}),
    "teacher: established with a form": ("teacher", _set(0, employment_form="合同制人员"), {at("teacher", "XJ1408", "employment_form", W)}),
    "teacher: 代课教师 in 编": ("teacher", _set(0, staff_category="代课教师"), {at("teacher", "XJ1408", "on_establishment", W)}),
    "teacher: resident ID, foreign nationality": ("teacher", _set(0, nationality="美国"), {at("teacher", "XJ1409", "nationality", W)}),
    "teacher: date with slashes": ("teacher", lambda r: r[0].update(birth_date=r[0]["birth_date"].replace("-", "/")),
                                   {at("teacher", "XJ1005", "birth_date", E)}),
    "teacher: year-month in words": ("teacher", _set(0, work_start="2010年9月", joined_school="2012-09"), {at("teacher", "XJ1006", "work_start", E)}),
    "teacher: Excel date cells are read as dates": ("teacher", lambda r: r[0].update(
        birth_date=dt.datetime.fromisoformat(r[0]["birth_date"]), work_start=dt.datetime.fromisoformat(r[0]["work_start"] + "-01")), set()),
    "teacher: low-confidence list only warns": ("teacher", _set(0, staff_source="外聘"), {at("teacher", "XJ201", "staff_source", W)}),
    "teacher: 已婚 is a group, not an option": ("teacher", _set(0, marital_status="已婚"), {at("teacher", "XJ201", "marital_status", E)}),
    # 学校基本信息表
    "school: required empty": ("school", _set(0, principal_name=None), {at("school", "XJ101", "principal_name", E)}),
    "school: code prefix vs 办学类型": ("school", _set(0, school_type="初级中学"),
                                      {at("school", "XJ1201", "school_type", E), at("school", "XJ1205", "junior_years", E),
                                       at("school", "XJ1205", "junior_entry_age", E)}),
    "school: 小学学制 7": ("school", _set(0, primary_years="7"), {at("school", "XJ1202", "primary_years", E)}),
    "school: 学制 sum not 9": ("school", _set(0, school_code="3161010001", school_type="九年一贯制学校", junior_years="4", junior_entry_age="12"),
                              {at("school", "XJ1203", "junior_years", E)}),
    "school: entry age 8": ("school", _set(0, primary_entry_age="8"), {at("school", "XJ1204", "primary_entry_age", W)}),
    "school: junior entry age off": ("school", _set(0, school_code="3161010001", school_type="九年一贯制学校", junior_years="3", junior_entry_age="14"),
                                     {at("school", "XJ1204", "junior_entry_age", W)}),
    "school: stage fields missing": ("school", _set(0, primary_years=None), {at("school", "XJ1205", "primary_years", E)}),
    "school: 民办 run by the county": ("school", _set(0, school_ownership="民办"), {at("school", "XJ1206", "school_ownership", W)}),
    "school: region in another province": ("school", _set(0, admin_division_code="110101"), {at("school", "XJ1207", "admin_division_code", W)}),
    "school: aux language = main": ("school", _set(0, aux_teaching_language="汉语"), {at("school", "XJ1208", "aux_teaching_language", W)}),
    "school: two rows": ("school", lambda r: r.append(dict(r[0])), {at("school", "XJ1209", "school_name", W, 3)}),
    "school: 学制 in words": ("school", _set(0, primary_years="六年"), {at("school", "XJ1001", "primary_years", E)}),
    "school: principal's landline": ("school", _set(0, principal_mobile="029-88886666"), {at("school", "XJ1002", "principal_mobile", E)}),
    "school: region of five digits": ("school", _set(0, admin_division_code="61011"), {at("school", "XJ1003", "admin_division_code", E)}),
    "school: 12-digit region is fine": ("school", _set(0, admin_division_code="610113000000"), set()),
    "school: organisation code with a wrong check": ("school", _set(0, org_code=_org("12345678")[:-1] + ("0" if _org("12345678")[-1] != "0" else "1")),
                                                     {at("school", "XJ1004", "org_code", E)}),
    "school: organisation code right": ("school", _set(0, org_code=_org("MA1B2C3D")), set()),
    "school: 统一社会信用代码 right": ("school", _set(0, org_code="91110000600037341L"), set()),
    "school: 统一社会信用代码 wrong": ("school", _set(0, org_code="91110000600037341A"), {at("school", "XJ1004", "org_code", E)}),
    "school: unknown-list column only warns": ("school", _set(0, land_ownership=None), {at("school", "XJ101", "land_ownership", W)}),
    # 校区基本信息表
    "campus: 校区号 twice": ("campus", _set(1, campus_no="01"), {at("campus", "XJ1301", "campus_no", E), at("campus", "XJ1301", "campus_no", E, 3)}),
    "campus: 校区名称 twice": ("campus", lambda r: r[1].update(campus_name=r[0]["campus_name"]),
                              {at("campus", "XJ1302", "campus_name", W), at("campus", "XJ1302", "campus_name", W, 3)}),
    "campus: 校区号 of three digits": ("campus", _set(0, campus_no="123"), {at("campus", "XJ114", "campus_no", E)}),
    "campus: region in another province": ("campus", _set(0, campus_admin_division_code="110101"),
                                           {at("campus", "XJ1207", "campus_admin_division_code", W)}),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_mistake_is_found_at_its_cell(tmp_path, case):
    pid, mutate, expected = CASES[case]
    recs = records(pid)
    mutate(recs)
    found = roundtrip(tmp_path, pid, recs)
    assert cells(found) == expected
    assert not [f.text() for f in found if "学生" in f.message + f.suggestion]  # these tables hold no students


@pytest.mark.parametrize("pid,key,value", [
    ("teacher", "id_number", "610113850302123"), ("teacher", "name", "Tom Lee"), ("class", "head_teacher_name", "Li Ming"),
    ("school", "principal_name", "W. Jianguo"), ("class", "class_start_ym", "202413"), ("class", "class_start_ym", "203009"),
    ("school", "founded_ym", "195613"),
])
def test_messages_of_the_other_tables_speak_of_their_own_people(tmp_path, pid, key, value):
    recs = records(pid)
    recs[0][key] = value
    found = [f for f in roundtrip(tmp_path, pid, recs) if f.cell == f"{load_profile(pid).by_key[key].letter}2"]
    assert found
    for f in found:
        assert not any(word in f.message + f.suggestion for word in ("学生", "入学年月")), f.text()


def test_a_teachers_15_digit_id_is_the_teachers(tmp_path):
    recs = records("teacher")
    recs[0]["id_number"] = "610113850302123"
    (f,) = [f for f in roundtrip(tmp_path, "teacher", recs) if f.code == "XJ308"]
    assert (f.cell, f.message, f.suggestion) == (
        at("teacher", "XJ308", "id_number", E)[1], "教职工身份证号应为18位，这是15位旧号码", "请对照户口簿或身份证填写教职工的18位身份证号")
    students = [dict(r) for r in synth.class_roster(7, 3)]
    students[0]["id_number"] = "610113100302123"
    path = tmp_path / "学生.xlsx"
    write_roster_xlsx(path, students)
    (g,) = [g for g in check(read_roster(path), SETTINGS) if g.code == "XJ308"]
    assert g.message == "学生身份证号应为18位，这是15位旧号码"


@pytest.mark.parametrize("pid,noun", [("teacher", "教职工"), ("class", "班级"), ("student_A", "学生")])
def test_hidden_rows_are_named_by_the_tables_own_noun(tmp_path, pid, noun):
    import openpyxl

    path = tmp_path / f"{pid}.xlsx"
    recs = records(pid) if pid != "student_A" else synth.class_roster(5, 4)
    write_roster_xlsx(path, recs, load_profile(pid))
    wb = openpyxl.load_workbook(path)
    wb.active.row_dimensions[3].hidden = True
    wb.save(path)
    hidden = [f for f in check(read_roster(path), SETTINGS) if f.code == "XJ118"]
    assert [(f.row, f.message) for f in hidden] == [(3, f"第3行被隐藏，其中有{noun}数据，导入时也会被导入")]
    assert hidden[0].suggestion == f"取消隐藏后核对这些行，不要的{noun}请删除整行"
