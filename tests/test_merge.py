"""xueji merge on real files: every header difference, extra sheets, duplicates, empty and foreign files.

Each case asserts the exact sentence the registrar reads and that rows are conserved.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from tests.registrar_files import HEADERS, KEYS, class_file, col, records, rows_of, write_file
from xueji_addin.actions.merge import MERGED, NOT_ROSTER, REFUSED, Merger, write_merged
from xueji_addin.spec.settings import Settings
from xueji_addin.workbook.reader import read_roster, read_sheets

REPO = Path(__file__).resolve().parents[1]
SETTINGS = Settings(today=dt.date(2026, 11, 28))


def merge(*paths: Path, out: Path | None = None):
    m = Merger()
    for p in paths:
        m.add(p.name, read_sheets(p))
    res = m.finish(SETTINGS)
    if out is not None:
        write_merged(res, out, settings=SETTINGS)
    return res


def merged_rows(path: Path) -> list[list[object]]:
    r = read_roster(path)
    return [[r.cells[k][i] for k in KEYS] for i in range(len(r))]


def xueji(*args: str) -> tuple[int, str, str]:
    p = subprocess.run([sys.executable, "-m", "xueji_addin", *args], capture_output=True, text=True, cwd=REPO,
                       env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "COLUMNS": "250"})
    return p.returncode, p.stdout, p.stderr


def test_renamed_column_is_mapped_by_its_synonym(tmp_path):
    a, rows_a = class_file(tmp_path / "a.xlsx", 1, 4)
    headers = list(HEADERS)
    headers[col("id_number")] = "身份证号"
    rows_b = rows_of(records(2, 3, "20240102"))
    b = write_file(tmp_path / "b.xlsx", headers, rows_b)
    res = merge(a, b, out=tmp_path / "m.xlsx")
    rep = res.files[1]
    assert rep.status == MERGED and (rep.rows_read, rep.rows_written) == (3, 3)
    assert rep.remapped == ["M列“身份证号”是模板列“身份证件号”的另一种写法，已按“身份证件号”合并"]
    assert merged_rows(tmp_path / "m.xlsx") == rows_a + rows_b


def test_moved_column_goes_back_to_its_template_place(tmp_path):
    rows = rows_of(records(3, 4))
    i = col("name")
    headers = HEADERS[:i] + HEADERS[i + 1:] + [HEADERS[i]]  # 姓名 moved to the end
    moved = [r[:i] + r[i + 1:] + [r[i]] for r in rows]
    f = write_file(tmp_path / "moved.xlsx", headers, moved)
    res = merge(f, out=tmp_path / "m.xlsx")
    assert res.files[0].remapped == ["列“姓名”在BS列（模板在B列），已按列名合并到B列"]
    assert merged_rows(tmp_path / "m.xlsx") == rows


def test_extra_column_is_kept_in_a_side_sheet(tmp_path):
    rows = rows_of(records(4, 3))
    f = write_file(tmp_path / "extra.xlsx", HEADERS + ["备注"], [r + [f"备注{n}"] for n, r in enumerate(rows)])
    res = merge(f, out=tmp_path / "m.xlsx")
    assert res.files[0].remapped == ["BT列“备注”不是模板中的列，其内容放在“模板外的列”表中"]
    assert merged_rows(tmp_path / "m.xlsx") == rows
    side = openpyxl.load_workbook(tmp_path / "m.xlsx")["模板外的列"]
    names = [r[col("name")] for r in rows]
    assert [[c.value for c in r] for r in side.iter_rows()] == [
        ["输出行", "文件", "原行号", "姓名", "备注"],
        [2, "extra.xlsx", 2, names[0], "备注0"], [3, "extra.xlsx", 3, names[1], "备注1"], [4, "extra.xlsx", 4, names[2], "备注2"],
    ]


def test_side_sheet_of_a_class_file_goes_back_by_row_and_a_row_without_a_pupil_is_said(tmp_path):
    rows = rows_of(records(4, 3))
    side = [["输出行", "文件", "原行号", "备注"], [3, "全校.xlsx", 17, "转入"], [9, "全校.xlsx", 30, "休学"]]  # no 姓名: by row
    f = write_file(tmp_path / "一班.xlsx", HEADERS, rows, other_sheets={"模板外的列": side})
    res = merge(f, out=tmp_path / "m.xlsx")
    assert res.rows_written == 3 and res.files[0].remapped == []
    assert res.files[0].notes == ["“模板外的列”表中输出行9的值在工作表“学生基础信息”中找不到对应的学生（行号和姓名都对不上），没有合并，请核对"]
    back = openpyxl.load_workbook(tmp_path / "m.xlsx")["模板外的列"]
    assert [[c.value for c in r] for r in back.iter_rows()] == [
        ["输出行", "文件", "原行号", "姓名", "备注"], [3, "一班.xlsx", 3, rows[1][col("name")], "转入"]]


def test_side_sheet_values_follow_their_pupil_when_the_rows_were_sorted(tmp_path):
    rows = rows_of(records(4, 4))
    names = [r[col("name")] for r in rows]
    assert len(set(names)) == 4
    side = [["输出行", "文件", "原行号", "姓名", "备注"], [2, "全校.xlsx", 7, names[0], "转入"], [5, "全校.xlsx", 9, names[3], "休学"],
            [4, "全校.xlsx", 8, "不在本班", "走读"]]
    sorted_rows = [rows[3], rows[1], rows[2], rows[0]]  # the teacher sorted: the first and last pupils swapped
    f = write_file(tmp_path / "一班.xlsx", HEADERS, sorted_rows, other_sheets={"模板外的列": side})
    res = merge(f, out=tmp_path / "m.xlsx")
    assert res.files[0].notes == ["“模板外的列”表中输出行4的值在工作表“学生基础信息”中找不到对应的学生（行号和姓名都对不上），没有合并，请核对"]
    back = openpyxl.load_workbook(tmp_path / "m.xlsx")["模板外的列"]
    assert [[c.value for c in r][3:] for r in back.iter_rows(min_row=2)] == [[names[3], "休学"], [names[0], "转入"]]


def test_missing_column_is_left_empty_and_every_other_value_stays_in_its_column(tmp_path):
    rows = rows_of(records(5, 4))
    i = col("native_place")
    f = write_file(tmp_path / "missing.xlsx", HEADERS[:i] + HEADERS[i + 1:], [r[:i] + r[i + 1:] for r in rows])
    res = merge(f, out=tmp_path / "m.xlsx")
    rep = res.files[0]
    assert rep.remapped == ["缺少列“籍贯”（模板F列），合并结果中该列为空"]
    assert (rep.rows_read, rep.rows_written) == (4, 4)
    assert rep.errors == 4  # 籍贯 is required: one error per row, marked in the file
    expected = [r[:i] + [""] + r[i + 1:] for r in rows]
    assert merged_rows(tmp_path / "m.xlsx") == expected


def test_missing_and_unknown_column_together_refuse_the_file_with_the_differences(tmp_path):
    a, rows_a = class_file(tmp_path / "a.xlsx", 6, 3)
    headers = list(HEADERS)
    headers[col("id_number")] = "学生证件"
    b = write_file(tmp_path / "b.xlsx", headers, rows_of(records(7, 2)))
    res = merge(a, b, out=tmp_path / "m.xlsx")
    rep = res.files[1]
    assert rep.status == REFUSED and (rep.rows_read, rep.rows_written) == (2, 0)
    assert rep.problems == ["缺少模板列“身份证件号”，同时有模板中没有的列M列“学生证件”：无法确定后者是不是前者改了名"]
    assert res.rows_written == 3 and res.rows_not_merged == 2
    assert merged_rows(tmp_path / "m.xlsx") == rows_a


def test_column_without_header_but_with_data_is_refused(tmp_path):
    rows = rows_of(records(8, 2))
    headers = list(HEADERS)
    headers[col("phone")] = None
    f = write_file(tmp_path / "nohead.xlsx", headers, rows)
    res = merge(f)
    assert res.files[0].status == REFUSED
    assert res.files[0].problems == ["W列没有列名，却有内容（从第2行起），无法确定它属于模板的哪一列"]


def test_extra_sheet_is_reported_and_not_merged(tmp_path):
    rows = rows_of(records(9, 3))
    f = write_file(tmp_path / "sheets.xlsx", HEADERS, rows, other_sheets={"备注": [["本班三人转学"]]})
    res = merge(f, out=tmp_path / "m.xlsx")
    assert [r.sheet for r in res.files] == ["学生基础信息"]
    assert res.files[0].notes == ["工作表“备注”不是学籍表，未合并"]
    assert (res.files[0].rows_read, res.files[0].rows_written) == (3, 3)
    assert merged_rows(tmp_path / "m.xlsx") == rows


def test_duplicate_id_across_two_class_files_names_files_and_rows(tmp_path):
    a, rows_a = class_file(tmp_path / "一班.xlsx", 10, 3, "20240101")
    rows_b = rows_of(records(11, 2, "20240102"))
    rows_b[1][col("id_number")] = rows_a[0][col("id_number")]
    b = write_file(tmp_path / "二班.xlsx", HEADERS, rows_b)
    out = tmp_path / "全校.xlsx"
    code, stdout, _ = xueji("merge", str(a), str(b), "--out", str(out), "--json", str(tmp_path / "r.json"))
    assert code == 1
    number = rows_a[0][col("id_number")]
    masked = number[:6] + "********" + number[-4:]
    assert (f"同一学生出现在不同班级：{masked} 出现在 一班.xlsx 第2行（合并后第2行）、二班.xlsx 第3行（合并后第6行），"
            "班号 20240101、20240102") in stdout
    assert "读入 5 行，写入 5 行（一行不少）" in stdout
    report = json.loads((tmp_path / "r.json").read_text("utf-8"))
    assert report["rows_read"] == report["rows_written"] == 5
    assert report["duplicate_ids"] == [{
        "id_number": number, "classes": ["20240101", "20240102"],
        "places": [{"file": "一班.xlsx", "sheet": "学生基础信息", "row": 2, "output_row": 2},
                   {"file": "二班.xlsx", "sheet": "学生基础信息", "row": 3, "output_row": 6}],
    }]
    assert report["same_student_two_classes"] == [number]
    xueji("merge", str(a), str(b), "--out", str(out), "--json", str(tmp_path / "masked.json"), "--mask")
    masked_report = json.loads((tmp_path / "masked.json").read_text("utf-8"))
    assert masked_report["same_student_two_classes"] == [masked] and number not in (tmp_path / "masked.json").read_text("utf-8")
    # Both rows are kept and marked as duplicates in the school file.
    ws = openpyxl.load_workbook(out)["学生基础信息"]
    assert ws["M2"].value == ws["M6"].value == number
    assert "重复" in ws["M2"].comment.text and "重复" in ws["M6"].comment.text


def test_empty_class_file_merges_zero_rows_and_says_so(tmp_path):
    a, rows_a = class_file(tmp_path / "a.xlsx", 12, 2)
    empty = write_file(tmp_path / "empty.xlsx", HEADERS, [])
    res = merge(a, empty, out=tmp_path / "m.xlsx")
    rep = res.files[1]
    assert (rep.status, rep.rows_read, rep.rows_written) == (MERGED, 0, 0)
    assert rep.notes == ["没有学生数据（只有表头），合并了 0 行"]
    assert merged_rows(tmp_path / "m.xlsx") == rows_a


def test_file_that_is_not_a_roster_is_named_and_skipped(tmp_path):
    a, rows_a = class_file(tmp_path / "a.xlsx", 13, 2)
    scores = write_file(tmp_path / "成绩.xlsx", ["姓名", "语文", "数学"], [["张三", 90, 95]], sheet="成绩")
    res = merge(a, scores, out=tmp_path / "m.xlsx")
    rep = res.files[1]
    assert (rep.status, rep.rows_read, rep.rows_written) == (NOT_ROSTER, 0, 0)
    assert rep.problems == ["“成绩.xlsx”中没有学籍表：没有一个工作表的前10行含有足够多的模板列名（如“姓名”“身份证件号”）"]
    assert merged_rows(tmp_path / "m.xlsx") == rows_a


def test_source_sheet_traces_every_output_row_and_school_codes_are_compared(tmp_path):
    a, rows_a = class_file(tmp_path / "a.xlsx", 14, 2)
    rows_b = rows_of(records(15, 2, "20240102"))
    for r in rows_b:
        r[col("school_code")] = "2161010002"
    b = write_file(tmp_path / "b.xlsx", HEADERS, rows_b)
    out = tmp_path / "m.xlsx"
    res = merge(a, b, out=out)
    assert res.school_codes == {"2161010001": ["a.xlsx"], "2161010002": ["b.xlsx"]}
    src = openpyxl.load_workbook(out)["来源"]
    assert [[c.value for c in r] for r in src.iter_rows()] == [
        ["输出行", "文件", "工作表", "原行号"],
        [2, "a.xlsx", "学生基础信息", 2], [3, "a.xlsx", "学生基础信息", 3],
        [4, "b.xlsx", "学生基础信息", 2], [5, "b.xlsx", "学生基础信息", 3],
    ]
    code, stdout, _ = xueji("merge", str(a), str(b), "--out", str(tmp_path / "m2.xlsx"))
    assert code == 1
    assert "合并的文件中有2个不同的学校标识码（2161010001：a.xlsx；2161010002：b.xlsx），一个学校文件只能有一个" in stdout


def test_rows_with_errors_are_kept_marked_and_counted_per_file(tmp_path):
    rows = rows_of(records(16, 3))
    rows[1][col("ethnicity")] = "汉"
    f = write_file(tmp_path / "a.xlsx", HEADERS, rows)
    out = tmp_path / "m.xlsx"
    res = merge(f, out=out)
    assert res.files[0].errors == 1 and res.rows_written == 3
    ws = openpyxl.load_workbook(out)["学生基础信息"]
    assert ws["G3"].value == "汉" and ws["G3"].fill.fgColor.rgb.endswith("FFC7CE")
    assert merged_rows(out) == rows


def test_folder_input_merges_its_files_in_name_order_and_inputs_are_untouched(tmp_path):
    folder = tmp_path / "classes"
    folder.mkdir()
    b, rows_b = class_file(folder / "学校_20240102.xlsx", 17, 2, "20240102")
    a, rows_a = class_file(folder / "学校_20240101.xlsx", 18, 2, "20240101")
    (folder / "~$学校_20240101.xlsx").write_bytes(b"lock")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    code, stdout, err = xueji("merge", str(folder), "--out", str(tmp_path / "全校.xlsx"))
    assert code == 0, stdout + err
    assert merged_rows(tmp_path / "全校.xlsx") == rows_a + rows_b
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    # Saving the school file inside the class folder and merging again does not merge it into itself.
    for _ in range(2):
        code, stdout, _ = xueji("merge", str(folder), "--out", str(folder / "全校.xlsx"))
        assert code == 0 and "读入 4 行，写入 4 行（一行不少）" in stdout


def test_unreadable_output_name_is_one_sentence(tmp_path):
    a, _ = class_file(tmp_path / "a.xlsx", 19, 1)
    code, _, err = xueji("merge", str(a), "--out", str(tmp_path / "m.csv"))
    assert code == 2 and "的扩展名不对：这里保存的是 Excel 工作簿，文件名应以 .xlsx 或 .xlsm 结尾" in err and "Traceback" not in err


@pytest.mark.parametrize("n_files", [6])
def test_progress_on_many_files_does_not_disturb_the_summary(tmp_path, n_files):
    paths = [class_file(tmp_path / f"c{i}.xlsx", 20 + i, 1, f"2024010{i + 1}")[0] for i in range(n_files)]
    code, stdout, _ = xueji("merge", *map(str, paths), "--out", str(tmp_path / "m.xlsx"))
    assert code == 0 and f"读入 {n_files} 行，写入 {n_files} 行（一行不少）" in stdout
