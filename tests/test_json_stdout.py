"""``--json -`` of merge and diff, as a tool reads it: stdout is the JSON alone, the words a person
reads (tables, notes, totals) are on stderr. Run as subprocesses, stdout parsed whole."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl

from tests.test_cli import xueji
from xueji_addin.samples import write_roster_xlsx
from xueji_addin.spec.settings import Settings
from xueji_addin.synth import class_roster
from xueji_addin.workbook.settings_sheet import write_settings_sheet


def test_merge_json_to_stdout_is_json_alone_and_the_table_goes_to_stderr(tmp_path: Path):
    folder = tmp_path / "各班"
    folder.mkdir()
    write_roster_xlsx(folder / "一班.xlsx", [dict(r) for r in class_roster(5, 4, class_no="20240101")])
    write_roster_xlsx(folder / "二班.xlsx", [dict(r) for r in class_roster(6, 3, class_no="20240102")])
    code, out, err = xueji("merge", str(folder), "--out", str(tmp_path / "全校.xlsx"), "--json", "-")
    assert code in (0, 1), err
    data = json.loads(out)
    assert data["rows_read"] == data["rows_written"] == 7 and data["output"] == "全校.xlsx"
    assert [f["file"] for f in data["files"]] == ["一班.xlsx", "二班.xlsx"]
    assert "已保存" in err and "一班.xlsx" in err  # the human table and total, on stderr


def test_diff_json_to_stdout_is_json_alone_even_when_the_file_has_its_own_settings(tmp_path: Path):
    old, new = tmp_path / "旧.xlsx", tmp_path / "新.xlsx"
    rows = [dict(r) for r in class_roster(31, 6)]
    write_roster_xlsx(old, rows)
    rows[2]["ethnicity"] = "回族"
    write_roster_xlsx(new, rows)
    wb = openpyxl.load_workbook(new)  # a 学校设置 sheet: the run says it goes by it (a note for a person)
    write_settings_sheet(wb, Settings(school_name="雁塔区实验小学"))
    wb.save(new)
    code, out, err = xueji("diff", str(old), str(new), "--json", "-")
    assert code == 1, err
    data = json.loads(out)
    assert len(data["changed"]) == 1
    assert "学校设置" in err and "民族" in err  # the note and the screen table, on stderr


def test_merge_with_nothing_to_merge_still_gives_its_json_report_and_exit_2(tmp_path: Path):
    """A tool reading ``merge --json -`` learns why each file was refused, although no file is written."""
    folder = tmp_path / "各班"
    folder.mkdir()
    (folder / "通讯录.csv").write_text("姓名,电话\n张三,13800000000\n", encoding="utf-8")
    wb = openpyxl.Workbook()
    wb.active.append(["班级", "人数"])
    wb.save(folder / "统计.xlsx")
    out_file = tmp_path / "全校.xlsx"
    code, out, err = xueji("merge", str(folder), "--out", str(out_file), "--json", "-")
    assert code == 2, err
    data = json.loads(out)
    assert data["output"] is None and data["rows_written"] == 0
    assert sorted(f["file"] for f in data["files"]) == ["统计.xlsx", "通讯录.csv"]
    assert all(f["status"] != "已合并" for f in data["files"])
    assert "没有一个文件可以合并" in err and not out_file.exists()
