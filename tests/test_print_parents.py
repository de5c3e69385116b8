"""xueji print for parents (issue 18): class names in titles, no "（未填班号）班", a parent's words for
what to check, and no ※ for the form of a value (a code where the page shows the name)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl

from xueji_addin.samples import write_roster_xlsx
from xueji_addin.synth import class_roster
from xueji_addin.spec.profiles import Role, profiles_of

REPO = Path(__file__).resolve().parents[1]


def xueji(*args: str) -> tuple[int, str, str]:
    p = subprocess.run([sys.executable, "-m", "xueji_addin", *args], capture_output=True, text=True, cwd=REPO,
                       env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "COLUMNS": "200", "HOME": "/tmp"})
    return p.returncode, p.stdout, p.stderr


def texts(path: Path) -> list[str]:
    wb = openpyxl.load_workbook(path)
    return [str(c.value) for ws in wb.worksheets if ws.sheet_state == "visible" for row in ws.iter_rows()
            for c in row if c.value is not None] + [ws.oddHeader.right.text or "" for ws in wb.worksheets]


def test_class_names_from_settings_title_the_pages(tmp_path):
    path = tmp_path / "c.xlsx"
    write_roster_xlsx(path, class_roster(3, 2, class_no="20240101"))
    toml = tmp_path / "xueji.toml"
    toml.write_text('school_name = "某某县实验小学"\n[class_names]\n"20240101" = "一年级1班"\n', "utf-8")
    out = tmp_path / "o.xlsx"
    code, stdout, stderr = xueji("print", str(path), "--out", str(out), "--settings", str(toml), "--layout", "both")
    assert code == 0, stderr
    wb = openpyxl.load_workbook(out)
    assert wb["确认表"]["A1"].value == "某某县实验小学 一年级1班 学生基本信息确认表"
    assert wb["核对名单"]["A1"].value == "某某县实验小学 一年级1班 学生基本信息核对名单"
    assert wb["确认表"].oddHeader.right.text.startswith("一年级1班　")
    assert "一年级1班" in stdout and "20240101班" not in stdout


def test_class_names_from_a_class_sheet_of_the_workbook(tmp_path):
    path = tmp_path / "c.xlsx"
    write_roster_xlsx(path, class_roster(4, 2, class_no="20240102"))
    wb = openpyxl.load_workbook(path)
    ws = wb.create_sheet("班级信息")
    prof = profiles_of(Role.CLASSES)[0]
    for c, col in enumerate(prof.columns, start=1):
        ws.cell(1, c, col.header)
        ws.cell(2, c, {"class_no": "20240102", "class_name": "一年级2班"}.get(col.key))
    wb.save(path)
    out = tmp_path / "o.xlsx"
    code, _, stderr = xueji("print", str(path), "--out", str(out))
    assert code == 0, stderr
    assert openpyxl.load_workbook(out)["确认表"]["A1"].value.endswith("一年级2班 学生基本信息确认表")


def test_a_school_without_class_numbers_is_not_called_未填班号班(tmp_path):
    path = tmp_path / "c.xlsx"
    write_roster_xlsx(path, class_roster(5, 2, class_no=""))
    out = tmp_path / "o.xlsx"
    code, stdout, stderr = xueji("print", str(path), "--out", str(out), "--layout", "both")
    assert code in (0, 1), stderr
    assert not [t for t in texts(out) + [stdout] if "未填班号）班" in t or "（未填班号）" in t]


def test_a_parent_reads_what_to_check_and_a_code_is_not_marked(tmp_path):
    recs = class_roster(6, 2, class_no="20240101")
    recs[0]["ethnicity"] = "01"  # the page shows 汉族: a matter for the registrar, not the parent
    recs[1]["birth_date"] = "2017-3-5"
    path = tmp_path / "c.xlsx"
    write_roster_xlsx(path, recs)
    out = tmp_path / "o.xlsx"
    code, _, stderr = xueji("print", str(path), "--out", str(out))
    assert code == 0, stderr
    ws = openpyxl.load_workbook(out)["确认表"]
    cells = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert "汉族" in cells and "民族 ※" not in cells and "民族" in cells
    problems = [t for t in cells if t.startswith("需核对")]
    assert len(problems) == 1 and "出生日期" in problems[0]
    assert "8位数字" not in problems[0] and "YYYY" not in problems[0] and "户口" in problems[0]
