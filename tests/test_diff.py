"""xueji diff: two versions of a realistic class compared student by student; and the 确认码 itself."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, strategies as hs

from tests.conftest import SETTINGS
from tests.robustness import cli  # noqa: F401 (fixture)
from xueji_addin.actions.diff import diff_rosters
from xueji_addin.cli.app import run
from xueji_addin.rules.records import canonical, confirm_code, student_key
from xueji_addin.samples import write_roster_xlsx
from xueji_addin.synth import class_roster, school_roster
from xueji_addin.workbook.reader import read_roster

CODE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")  # Crockford base32: no I L O U


# --- the 确认码 ------------------------------------------------------------------------------


def test_the_code_is_40_bits_of_sha256_in_crockford_base32():
    import hashlib

    fields = [("学生个人基础信息·姓名", "张三"), ("学生个人基础信息·性别", "男")]
    digest = hashlib.sha256(canonical(fields)).digest()[:5]
    bits = int.from_bytes(digest, "big")
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    expected = "".join(alphabet[(bits >> (35 - 5 * i)) & 31] for i in range(8))
    assert confirm_code(fields) == f"{expected[:4]}-{expected[4:]}"
    assert CODE.match(confirm_code(fields))


pairs = hs.lists(hs.tuples(hs.text(max_size=8), hs.text(max_size=12)), min_size=1, max_size=12)


@given(pairs, hs.data())
def test_same_record_same_code_and_any_changed_value_a_new_one(fields, data):
    assert confirm_code(list(fields)) == confirm_code([tuple(f) for f in fields])
    i = data.draw(hs.integers(0, len(fields) - 1))
    new_value = data.draw(hs.text(max_size=12).filter(lambda v: v != fields[i][1]))
    changed = list(fields)
    changed[i] = (fields[i][0], new_value)
    assert confirm_code(changed) != confirm_code(fields)
    # a value moved from one label to the next is a different record, not the same text
    if len(fields) > 1 and fields[0][1] + fields[1][1]:
        merged = [(fields[0][0], fields[0][1] + fields[1][1]), (fields[1][0], "")] + list(fields[2:])
        assert merged == list(fields) or confirm_code(merged) != confirm_code(fields)


def test_the_student_key_is_the_id_else_name_and_birth_date():
    assert student_key(" 11010120180101123x ", "张三", "20180101") == "11010120180101123X"
    assert student_key("", "张三", "20180101") == "张三（20180101）"
    assert student_key("", "", "") == ""


# --- xueji diff -------------------------------------------------------------------------------


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, Path, list[dict], list[dict]]:
    """A class of 30 and its next version: rows reordered, one student moved to another class,
    one added, one removed, two with changed fields, the rest as they were."""
    old = [dict(r) for r in class_roster(31, 30)]
    new = [dict(r) for r in reversed(old)]
    new[3]["class_no"] = "20240102"  # moved
    new[5]["current_address"] = "陕西省西安市雁塔区小寨东路1号"
    new[5]["phone"] = "13900001111"
    new[8]["ethnicity"] = "回族"
    removed = new.pop(10)
    new.append(dict(school_roster(77, 1, 1)[0], class_no=old[0]["class_no"]))  # a newcomer
    a, b = tmp_path / "旧.xlsx", tmp_path / "新.xlsx"
    write_roster_xlsx(a, old)
    write_roster_xlsx(b, new)
    return a, b, old, new + [removed]


def test_diff_of_a_realistic_class_finds_each_kind_of_change(versions):
    a, b, old, new = versions
    d = diff_rosters(read_roster(a), read_roster(b), SETTINGS)
    assert [s.name for s in d.added] == [new[-2]["name"]]
    assert [s.key for s in d.removed] == [new[-1]["id_number"]]
    assert [(m.name, m.old_class_no, m.class_no, m.fields) for m in d.moved] == [(new[3]["name"], "20240101", "20240102", [])]
    changed = {c.name: [(f.header, f.old, f.new) for f in c.fields] for c in d.changed}
    by_id = {r["id_number"]: r for r in old}
    assert set(changed) == {new[5]["name"], new[8]["name"]}
    assert changed[new[8]["name"]] == [("民族", by_id[new[8]["id_number"]]["ethnicity"], "回族")]
    five = dict((h, (o, n)) for h, o, n in changed[new[5]["name"]])
    assert five == {"现住址": (by_id[new[5]["id_number"]]["current_address"], "陕西省西安市雁塔区小寨东路1号"),
                    "联系电话": (by_id[new[5]["id_number"]]["phone"], "13900001111")}
    assert not d.equal


def test_the_command_writes_the_four_lists_and_exits_1(versions, tmp_path, cli):
    a, b, _, new = versions
    out = tmp_path / "变化.json"
    code, stdout, err = cli("diff", str(a), str(b), "--json", str(out))
    assert code == 1, err
    data = json.loads(out.read_text("utf-8"))
    assert set(data) == {"added", "removed", "moved", "changed"}
    assert [len(data[k]) for k in ("added", "removed", "moved", "changed")] == [1, 1, 1, 2]
    assert set(data["moved"][0]) == {"key", "name", "class_no", "old_class_no", "fields"}
    assert {"header", "old", "new"} == set(data["changed"][0]["fields"][0])
    assert "新增 1 人，删除 1 人，换班 1 人，信息有改动 2 人" in stdout.replace("\n", "")
    assert new[8]["name"] in stdout and "回族" in stdout


def test_reordered_reformatted_copy_with_our_own_sheets_is_equal(versions, tmp_path, cli):
    a, _, old, _ = versions
    # the same students in another order, the ID of one stored the way Excel types it, 汉 for 汉族,
    # spaces around a name, and the marked copy's 校验结果 sheet beside them
    recs = [dict(r) for r in reversed(old)]
    han = next(r for r in recs if r["ethnicity"] == "汉族")
    han["ethnicity"] = "汉"
    recs[0]["name"] = f" {recs[0]['name']} "
    b = tmp_path / "另一版.xlsx"
    write_roster_xlsx(b, recs)
    marked = tmp_path / "标记.xlsx"
    assert cli("validate", str(b), "--marked", str(marked))[0] in (0, 1)
    assert "校验结果" in openpyxl.load_workbook(marked).sheetnames
    code, stdout, err = cli("diff", str(a), str(marked))
    assert (code, err) == (0, ""), stdout
    assert "完全相同" in stdout


def test_students_without_an_id_are_matched_by_name_and_birth_date(tmp_path):
    old = [dict(r) for r in class_roster(5, 6)]
    for r in old[:2]:
        r["id_number"] = ""
        r["id_type"] = "护照"
    new = [dict(r) for r in old[::-1]]
    new[-1]["specialty"] = "书法"  # old[0], found by 姓名 + 出生日期
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_roster_xlsx(a, old)
    write_roster_xlsx(b, new)
    d = diff_rosters(read_roster(a), read_roster(b), SETTINGS)
    assert not d.added and not d.removed and not d.moved
    assert [(c.key, [f.header for f in c.fields]) for c in d.changed] == [(f"{old[0]['name']}（{old[0]['birth_date']}）", ["特长"])]


def test_mask_hides_numbers_on_screen_and_in_json(versions, tmp_path, cli):
    a, b, _, new = versions
    out = tmp_path / "m.json"
    code, stdout, _ = cli("diff", str(a), str(b), "--mask", "--json", str(out))
    assert code == 1
    text = out.read_text("utf-8") + stdout
    for r in new:
        assert r["id_number"] not in text
    gone = new[-1]["id_number"]  # the removed student, listed by key
    assert gone[:6] + "********" + gone[-4:] in text
    assert "13900001111" not in text and "139****1111" in text


def test_unusable_input_exits_2_with_one_sentence(versions, tmp_path, cli):
    a, _, _, _ = versions
    code, _, err = cli("diff", str(a), str(tmp_path / "没有.xlsx"))
    assert code == 2 and "找不到文件" in err and "Traceback" not in err
    other = tmp_path / "成绩.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["科目", "分数"])
    wb.save(other)
    code, _, err = cli("diff", str(other), str(a))
    assert code == 2 and "找不到学籍表的表头" in err
    code, _, err = cli("diff", "--signed", str(a), str(a))
    assert code == 2 and "没有打印记录" in err


def test_a_repeated_id_keeps_both_rows(tmp_path):
    old = [dict(r) for r in class_roster(7, 5)]
    new = [dict(r) for r in old]
    new.append(dict(new[1], name=new[1]["name"] + "乙"))  # the same ID typed for a second student
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_roster_xlsx(a, old)
    write_roster_xlsx(b, new)
    d = diff_rosters(read_roster(a), read_roster(b), SETTINGS)
    assert [(s.key, s.name) for s in d.added] == [(f"{old[1]['id_number']}#2", old[1]["name"] + "乙")]
    assert not d.removed and not d.changed


def test_a_printed_confirmation_file_is_not_a_version_but_a_signed_one(versions, tmp_path, cli):
    a, b, _, _ = versions
    printed = tmp_path / "确认表.xlsx"
    assert run(["print", str(a), "--out", str(printed), "--layout", "both"]) == 0
    code, _, err = cli("diff", str(printed), str(b))
    assert code == 2 and "xueji diff --signed 确认表.xlsx" in err.replace("\n", "")
    assert cli("diff", "--signed", str(printed), str(b))[0] == 1
