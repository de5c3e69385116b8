"""Every mistake of the core issue, in a real workbook, found with its exact code, cell and severity."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import SETTINGS, cells, letter, roundtrip
from xueji_addin.spec.settings import Settings
from xueji_addin.synth import make_id

E, W = "error", "warning"


def at(code: str, key: str, sev: str, row: int = 2) -> tuple[str, str, str]:
    return (code, f"{letter(key)}{row}", sev)


def _id_with(rec, **change):
    """The record's ID number with the birth date or sex changed (valid check digit)."""
    import random

    birth = dt.datetime.strptime(change.get("birth", rec["birth_date"]), "%Y%m%d").date()
    male = change.get("male", rec["gender"] == "男")
    return make_id(random.Random(1), rec["id_number"][:6], birth, male)


def _id_ending_in_x() -> str:
    from stdnum.cn import ric

    for seq in range(1, 999, 2):
        body = f"11010120180101{seq:03d}"
        if ric.calc_check_digit(body + "0") == "X":
            return body + "x"
    raise AssertionError("no such number")


def _bad_check(n: str) -> str:
    return n[:-1] + ("0" if n[-1] != "0" else "1")


CASES = {
    # required and conditional
    "required empty": (lambda r: r[0].update(name=None), {at("XJ101", "name", E)}),
    "required spaces only": (lambda r: r[0].update(current_address="   "), {at("XJ101", "current_address", E)}),
    "id number missing": (lambda r: r[0].update(id_number=None), {at("XJ103", "id_number", E)}),
    "member 2 absent": (lambda r: r[0].update({k: None for k in list(r[0]) if k.startswith("m2_")}), {at("XJ102", "m2_name", W)}),
    "member 2 partial": (lambda r: r[0].update(m2_phone=None), {at("XJ102", "m2_phone", W)}),
    "relation other without note": (lambda r: r[0].update(m1_relation="其他"), {at("XJ103", "m1_relation_note", E)}),
    "member id type without number": (lambda r: r[0].update(m2_id_number=None), {at("XJ103", "m2_id_number", E)}),
    "member number without type": (lambda r: r[0].update(m2_id_type=None), {at("XJ103", "m2_id_type", E)}),
    "no-ID student, no member ID": (
        lambda r: r[0].update(id_type="其他", id_number=None, m1_id_type=None, m1_id_number=None, m2_id_type=None, m2_id_number=None),
        {at("XJ104", "m1_id_type", E), at("XJ104", "m1_id_number", E)},
    ),
    "no-ID student with member ID is fine": (lambda r: r[0].update(id_type="其他", id_number=None), set()),
    # code tables
    "code not in list": (lambda r: r[0].update(health="很好"), {at("XJ201", "health", E)}),
    "code typed instead of name": (lambda r: r[0].update(ethnicity="01"), {at("XJ202", "ethnicity", E)}),
    "alias": (lambda r: r[0].update(ethnicity="汉"), {at("XJ203", "ethnicity", E)}),
    "其它 for 其他": (lambda r: r[0].update(student_source="其它"), {at("XJ203", "student_source", E)}),
    "少先队员": (lambda r: r[0].update(political_status="少先队员"), {at("XJ201", "political_status", E)}),
    # ID numbers
    "id check digit": (lambda r: r[0].update(id_number=_bad_check(r[0]["id_number"])), {at("XJ303", "id_number", E)}),
    "id 17 chars": (lambda r: r[0].update(id_number=r[0]["id_number"][:17]), {at("XJ301", "id_number", E)}),
    "id with letter": (lambda r: r[0].update(id_number=r[0]["id_number"][:5] + "A" + r[0]["id_number"][6:]), {at("XJ302", "id_number", E)}),
    "id bad birth digits": (lambda r: r[0].update(id_number=(lambda b: b + __import__("stdnum.cn.ric", fromlist=["x"]).calc_check_digit(b + "0"))(r[0]["id_number"][:10] + "1340" + r[0]["id_number"][14:17])), {at("XJ304", "id_number", E)}),
    "id 15 digits (student)": (lambda r: r[0].update(id_number="110101110101123"), {at("XJ308", "id_number", E)}),
    "id 15 digits (member)": (lambda r: r[0].update(m1_id_number="110101800101123"), {at("XJ309", "m1_id_number", W)}),
    "id as Excel number": (lambda r: r[0].update(id_number=float(r[0]["id_number"][:17] + "1")), {at("XJ310", "id_number", E)}),
    "id in scientific notation": (lambda r: r[0].update(id_number="1.10101E+17"), {at("XJ310", "id_number", E)}),
    "id lower-case x": (lambda r: r[0].update(id_number=_id_ending_in_x(), birth_date="20180101", gender="男", birthplace_code="110101000000"), {at("XJ312", "id_number", E)}),
    "id full-width digits": (lambda r: r[0].update(id_number=r[0]["id_number"].translate(str.maketrans("0123456789", "０１２３４５６７８９"))), {at("XJ112", "id_number", E)}),
    "id vs birth date": (lambda r: r[0].update(birth_date=(lambda d: f"{d[:6]}{'15' if d[6:] != '15' else '16'}")(r[0]["birth_date"])), {at("XJ305", "birth_date", E)}),
    "id vs sex": (lambda r: r[0].update(gender="女" if r[0]["gender"] == "男" else "男"), {at("XJ306", "gender", E)}),
    "id unknown birthplace": (lambda r: r[0].update(id_number=(lambda b: b + __import__("stdnum.cn.ric", fromlist=["x"]).calc_check_digit(b + "0"))("619999" + r[0]["id_number"][6:17])), {at("XJ307", "id_number", W), at("XJ603", "birthplace_code", W)}),
    "passport letters and digits": (lambda r: r[0].update(id_type="护照", id_number="E1234-567", nationality="美国", gatqw="外国人"), {at("XJ313", "id_number", E)}),
    "passport fine": (lambda r: r[0].update(id_type="护照", id_number="E12345678", nationality="美国", gatqw="外国人"), set()),
    "duplicate id": (lambda r: r[1].update(id_number=r[0]["id_number"], birth_date=r[0]["birth_date"], gender=r[0]["gender"], birthplace_code=r[0]["birthplace_code"]),
                     {at("XJ901", "id_number", E, 2), at("XJ901", "id_number", E, 3)}),
    "member id equals student's": (lambda r: r[0].update(m1_id_number=r[0]["id_number"]), {at("XJ315", "m1_id_number", W)}),
    "father with a woman's id": (lambda r: r[0].update(m1_relation="母亲", m2_relation="父亲"), {at("XJ316", "m1_id_number", W), at("XJ316", "m2_id_number", W)}),
    # dates
    "birth date as Excel date": (lambda r: r[0].update(birth_date=dt.datetime.strptime(r[0]["birth_date"], "%Y%m%d")), {at("XJ401", "birth_date", E)}),
    "birth date 2011-1-1 style": (lambda r: r[0].update(birth_date=f"{r[0]['birth_date'][:4]}-{int(r[0]['birth_date'][4:6])}-{int(r[0]['birth_date'][6:])}"), {at("XJ401", "birth_date", E)}),
    "birth date impossible": (lambda r: r[0].update(birth_date=r[0]["birth_date"][:4] + "0230"), {at("XJ402", "birth_date", E)}),
    "birth date future": (lambda r: r[0].update(birth_date="20271201"), 
                          # a future date cannot be the ID's date, and school cannot begin before birth
                          {at("XJ403", "birth_date", E), at("XJ305", "birth_date", E), at("XJ408", "enroll_ym", E)}),
    "enroll ym style": (lambda r: r[0].update(enroll_ym="2024.09"), {at("XJ405", "enroll_ym", E)}),
    "enroll ym as date": (lambda r: r[0].update(enroll_ym=dt.datetime(2024, 9, 1)), {at("XJ405", "enroll_ym", E)}),
    "enroll month 13": (lambda r: r[0].update(enroll_ym="202413"), {at("XJ406", "enroll_ym", E)}),
    "enroll in the future": (lambda r: r[0].update(enroll_ym="202709"), {at("XJ407", "enroll_ym", E)}),
    "enroll before birth": (lambda r: r[0].update(enroll_ym=str(int(r[0]["birth_date"][:4]) - 1) + "09"), {at("XJ408", "enroll_ym", E)}),
    "enroll at age 3 (小学)": (lambda r: r[0].update(enroll_ym=str(int(r[0]["birth_date"][:4]) + 3) + "09"), {at("XJ404", "enroll_ym", W)}),
    "enroll in May": (lambda r: r[0].update(enroll_ym="202405"), {at("XJ409", "enroll_ym", W)}),
    "id validity backwards": (lambda r: r[0].update(id_validity="20200601-20100601"), {at("XJ410", "id_validity", W)}),
    # contacts and text
    "phone 10 digits": (lambda r: r[0].update(phone="1391234567"), {at("XJ501", "phone", E)}),
    "phone with dashes": (lambda r: r[0].update(phone="139-1234-5678"), {at("XJ501", "phone", E)}),
    "landline fine": (lambda r: r[0].update(phone="029-88886666"), set()),
    "postcode 5 digits": (lambda r: r[0].update(postcode="71006"), {at("XJ503", "postcode", E)}),
    "postcode lost its zero": (lambda r: r[0].update(postcode=10010), {at("XJ503", "postcode", E)}),
    "email": (lambda r: r[0].update(email="zhang.qq.com"), {at("XJ504", "email", W)}),
    "url": (lambda r: r[0].update(homepage="不是网址"), {at("XJ505", "homepage", W)}),
    "address too vague": (lambda r: r[0].update(current_address="西安"), {at("XJ506", "current_address", W)}),
    "name with space": (lambda r: r[0].update(name="王 小明"), {at("XJ507", "name", E)}),
    "name with latin": (lambda r: r[0].update(name="Tom"), {at("XJ507", "name", E)}),
    "minority name with dot": (lambda r: r[0].update(name="阿依古丽·买买提"), set()),
    "distance not a number": (lambda r: r[0].update(commute_km="3公里"), {at("XJ508", "commute_km", E)}),
    "distance 80 km": (lambda r: r[0].update(commute_km="80"), {at("XJ509", "commute_km", W)}),
    "surrounding spaces": (lambda r: r[0].update(native_place=" " + r[0]["native_place"] + "　"), {at("XJ110", "native_place", W)}),
    "invisible character": (lambda r: r[0].update(phone=r[0]["phone"][:5] + "\u200b" + r[0]["phone"][5:]), {at("XJ111", "phone", E)}),
    "tab inside text": (lambda r: r[0].update(specialty="绘画\t书法"), {at("XJ111", "specialty", E)}),
    "seat number with letter": (lambda r: r[0].update(seat_no="1号"), {at("XJ510", "seat_no", W)}),
    # regions, school, class
    "region name instead of code": (lambda r: r[0].update(birthplace_code="陕西省西安市"), {at("XJ601", "birthplace_code", E)}),
    "region 6 digits": (lambda r: r[0].update(hukou_region_code=r[0]["hukou_region_code"][:6]), {at("XJ601", "hukou_region_code", E)}),
    "region unknown county": (lambda r: r[0].update(m1_hukou_region_code="619999000000"), {at("XJ602", "m1_hukou_region_code", E)}),
    "school code 9 digits": (lambda r: r[0].update(school_code="216101000"), {at("XJ611", "school_code", E)}),
    "school code type": (lambda r: r[0].update(school_code="1161010001"), {at("XJ612", "school_code", E)}),
    "school code province": (lambda r: r[0].update(school_code="2199010001"), {at("XJ613", "school_code", E)}),
    "school code differs": (lambda r: r[0].update(school_code="2161010002"), {at("XJ903", "school_code", E)}),
    "class no 7 digits": (lambda r: r[0].update(class_no="2024010"), {at("XJ621", "class_no", E)}),
    "class no differs": (lambda r: r[0].update(class_no="20240102"), {at("XJ904", "class_no", W)}),
    # consistency and family
    "inclusive vs disability": (lambda r: r[0].update(inclusive_class="视力残疾随班就读"), {at("XJ701", "disability_type", E)}),
    "disabled not inclusive": (lambda r: r[0].update(disability_type="肢体残疾", health="残疾"), {at("XJ702", "inclusive_class", W)}),
    "health disabled, no disability": (lambda r: r[0].update(health="残疾"), {at("XJ703", "health", W)}),
    "left-behind and migrant": (lambda r: r[0].update(left_behind="单亲留守儿童", migrant_child="是", hukou_type="农业户口"), {at("XJ704", "migrant_child", W)}),
    "school bus mismatch": (lambda r: r[0].update(commute_mode="校车"), {at("XJ706", "school_bus", W)}),
    "subsidy for day pupil": (lambda r: r[0].update(one_subsidy="是", study_mode="走读"), {at("XJ707", "one_subsidy", W)}),
    "high-school entry mode in 小学": (lambda r: r[0].update(enroll_mode="体育特招"), {at("XJ708", "enroll_mode", W)}),
    "resident ID but foreign nationality": (lambda r: r[0].update(nationality="美国"), {at("XJ710", "id_type", W)}),
    "no guardian": (lambda r: r[0].update(m1_is_guardian="否", m2_is_guardian="否"), {at("XJ802", "m1_is_guardian", W)}),
    "duplicate name and birth date": (lambda r: r[1].update(name=r[0]["name"], birth_date=r[0]["birth_date"], id_number=_id_with(r[1], birth=r[0]["birth_date"])),
                                       {at("XJ902", "name", W, 2), at("XJ902", "name", W, 3)}),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_mistake_is_found_at_its_cell(tmp_path, clean_records, case):
    mutate, expected = CASES[case]
    mutate(clean_records)
    found = roundtrip(tmp_path, clean_records)
    assert cells(found) == expected, [f.text() for f in found]


def test_a_clean_class_has_no_finding_at_all(tmp_path, clean_records):
    assert roundtrip(tmp_path, clean_records) == []


def test_settings_raise_member_two_to_errors_and_check_school_and_classes(tmp_path, clean_records):
    clean_records[0]["m2_phone"] = None
    settings = Settings(today=SETTINGS.today, two_members_required=True, school_code="2161010009", classes=["20240102"])
    found = roundtrip(tmp_path, clean_records, settings)
    got = cells(found)
    assert at("XJ102", "m2_phone", E) in got
    assert at("XJ614", "school_code", E) in got and at("XJ622", "class_no", E) in got
    fixes = {f.fix for f in found if f.code == "XJ614"}
    assert fixes == {"2161010009"}


def test_mobile_only_rule_pack(tmp_path, clean_records):
    clean_records[0]["phone"] = "029-88886666"
    found = roundtrip(tmp_path, clean_records, Settings(today=SETTINGS.today, mobile_only=True))
    assert cells(found) == {at("XJ502", "phone", E)}


def test_fixes_offered_are_the_corrected_values(tmp_path, clean_records):
    r = clean_records
    birth = r[1]["birth_date"]
    r[0]["ethnicity"] = "01"
    r[1]["birth_date"] = f"{birth[:4]}-{int(birth[4:6])}-{int(birth[6:])}"
    r[2]["hukou_region_code"] = r[2]["hukou_region_code"][:6]
    r[3]["name"] = "王 小明"
    r[4]["phone"] = "１３９１２３４５６７８"
    r[5]["enroll_ym"] = "2024年9月"
    found = {f.cell: f.fix for f in roundtrip(tmp_path, r)}
    assert found == {
        f"{letter('ethnicity')}2": "汉族",
        f"{letter('birth_date')}3": birth,
        f"{letter('hukou_region_code')}4": r[2]["hukou_region_code"] + "000000",
        f"{letter('name')}5": "王小明",
        f"{letter('phone')}6": "13912345678",
        f"{letter('enroll_ym')}7": "202409",
    }


def test_messages_are_chinese_and_say_what_to_do(tmp_path, clean_records):
    clean_records[0]["id_number"] = _bad_check(clean_records[0]["id_number"])
    (f,) = roundtrip(tmp_path, clean_records)
    assert f.header == "身份证件号" and f.sheet == "学生基础信息"
    assert "校验" in f.message and "核对" in f.suggestion
    assert f.text().startswith("M2【身份证件号】")
