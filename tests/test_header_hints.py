"""Header findings a user can act on (issue 18): columns in another order are one XJ001 that says to use
``xueji import``, not one per column; a CSV file is not told to rename a sheet it does not have."""

from __future__ import annotations

import csv
import json
import random
import subprocess
import sys
from pathlib import Path

import openpyxl

from xueji_addin.samples import write_roster_xlsx
from xueji_addin.spec.profiles import default_profile
from xueji_addin.synth import class_roster

REPO = Path(__file__).resolve().parents[1]


def findings(path: Path) -> tuple[int, list[dict]]:
    p = subprocess.run([sys.executable, "-m", "xueji_addin", "validate", str(path), "--json", "-"], capture_output=True,
                       text=True, cwd=REPO, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "HOME": "/tmp"})
    report = json.loads(p.stdout)
    return p.returncode, [f for i in report["inputs"] for t in i["tables"] for f in t["findings"]]


def test_shuffled_columns_are_one_finding_that_says_to_import(tmp_path):
    profile = default_profile()
    cols = list(profile.columns)
    random.Random(1).shuffle(cols)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = profile.sheet_name
    ws.append([c.header for c in cols])
    for rec in class_roster(10, 3):
        ws.append([rec.get(c.key) or None for c in cols])
    src = tmp_path / "乱序.xlsx"
    wb.save(src)
    code, found = findings(src)
    header = [f for f in found if f["code"] == "XJ001"]
    assert code == 1 and len(header) == 1, header
    assert "不在模板规定的位置" in header[0]["message"]
    assert "xueji import 乱序.xlsx --out" in header[0]["suggestion"]


def test_one_moved_column_still_says_where_it_is(tmp_path):
    src = tmp_path / "c.xlsx"
    write_roster_xlsx(src, class_roster(11, 2))
    wb = openpyxl.load_workbook(src)
    ws = wb.active
    ws.move_range("A1:A3", cols=ws.max_column)  # 学校标识码 moved to the end
    ws.delete_cols(1)
    wb.save(src)
    _, found = findings(src)
    header = [f for f in found if f["code"] == "XJ001"]
    assert len(header) >= 1 and all("xueji import" in f["suggestion"] for f in header if "模板规定在" in f["message"])


def test_a_csv_is_not_told_to_rename_its_sheet_but_a_workbook_is(tmp_path):
    profile = default_profile()
    recs = class_roster(12, 2)
    src = tmp_path / "一年级1班.csv"
    with src.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow([c.header for c in profile.columns])
        for rec in recs:
            w.writerow([rec.get(c.key, "") for c in profile.columns])
    code, found = findings(src)
    assert code == 0 and not [f for f in found if f["code"] == "XJ003"], found
    book = tmp_path / "一年级1班.xlsx"
    write_roster_xlsx(book, recs)
    wb = openpyxl.load_workbook(book)
    wb.active.title = "Sheet1"
    wb.save(book)
    code, found = findings(book)
    assert [f["suggestion"] for f in found if f["code"] == "XJ003"] == ["把工作表改名为“学生基础信息”后再导入"]
