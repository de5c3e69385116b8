"""xueji fix takes --classes and --profile as validate does; export refuses a table of no students (issue 18)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl

from xueji_addin.samples import write_roster_xlsx
from xueji_addin.spec.profiles import Role, profiles_of
from xueji_addin.synth import class_roster

REPO = Path(__file__).resolve().parents[1]


def xueji(*args: str) -> tuple[int, str, str]:
    p = subprocess.run([sys.executable, "-m", "xueji_addin", *args], capture_output=True, text=True, cwd=REPO,
                       env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "COLUMNS": "200", "HOME": "/tmp"})
    return p.returncode, p.stdout, p.stderr


def class_file(path: Path, class_no: str) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "班级信息"
    for c, col in enumerate(profiles_of(Role.CLASSES)[0].columns, start=1):
        ws.cell(1, c, col.header)
        ws.cell(2, c, {"class_no": class_no, "class_name": "一年级2班"}.get(col.key))
    wb.save(path)
    return path


def test_fix_checks_against_the_classes_file_and_takes_a_profile(tmp_path):
    src = tmp_path / "c.xlsx"
    write_roster_xlsx(src, class_roster(7, 3, class_no="20240101"))
    classes = class_file(tmp_path / "班级.xlsx", "20240102")  # the students' class is not one of the school's
    out = tmp_path / "o.xlsx"
    code, stdout, stderr = xueji("fix", str(src), "--out", str(out), "--classes", str(classes), "--profile", "学生")
    assert code == 1, stdout + stderr
    assert "仍有 3 个错误" in stdout.replace("\n", "")  # 班号 not in the class list, once per student
    code, stdout, _ = xueji("fix", str(src), "--out", str(tmp_path / "p.xlsx"))
    assert code == 0 and "仍有 0 个错误" in stdout.replace("\n", "")


def test_fix_refuses_an_unknown_profile_in_one_sentence(tmp_path):
    src = tmp_path / "c.xlsx"
    write_roster_xlsx(src, class_roster(8, 2))
    code, stdout, stderr = xueji("fix", str(src), "--out", str(tmp_path / "o.xlsx"), "--profile", "家长")
    assert code == 2 and "不认识的表种类“家长”" in stderr and "Traceback" not in stderr
    assert not (tmp_path / "o.xlsx").exists()


def test_export_of_an_empty_template_is_refused_in_one_sentence(tmp_path):
    """Issue 18: an empty template "succeeded" with 0 students; now nothing is written, exit 2."""
    template = tmp_path / "模板.xlsx"
    assert xueji("template", "--out", str(template))[0] == 0
    out = tmp_path / "导入.xlsx"
    code, stdout, stderr = xueji("export", str(template), "--out", str(out))
    assert code == 2, stdout + stderr
    assert "没有学生数据" in stderr and "0 名学生" not in stdout + stderr and "Traceback" not in stderr
    assert len([line for line in stderr.splitlines() if line.strip()]) == 1
    assert not out.exists()


def _school_workbook(path: Path, school_code: str) -> Path:
    """A school table whose 学校标识码 is ``school_code``, beside students who carry 2161010001."""
    from xueji_addin import synth_tables as st
    from xueji_addin.samples import write_tables_xlsx
    from xueji_addin.spec.profiles import load_profile

    write_tables_xlsx(path, [(load_profile("school"), [st.school(school_code=school_code)]),
                             (load_profile("student_A"), [dict(r) for r in class_roster(9, 3)])])
    return path


def test_fix_never_copies_a_school_code_the_same_run_flags_into_the_students(tmp_path):
    src = _school_workbook(tmp_path / "全校.xlsx", "9961010001")  # 99 is no school type: flagged in the school table
    out = tmp_path / "o.xlsx"
    code, stdout, stderr = xueji("fix", str(src), "--out", str(out))
    assert code == 1, stderr
    ws = openpyxl.load_workbook(out)["学生基础信息"]
    assert [ws.cell(r, 1).value for r in (2, 3, 4)] == ["2161010001"] * 3  # the students' right code kept
    assert "9961010001" not in stdout.split("共修正")[0].split("工作表“学生基础信息”")[1]
    code, report, _ = xueji("validate", str(src), "--json", "-")
    students = next(t for i in json.loads(report)["inputs"] for t in i["tables"] if t["sheet"] == "学生基础信息")
    differs = [f for f in students["findings"] if f["code"] == "XJ1502"]
    assert len(differs) == 3 and all(f["fix"] is None for f in differs)
    assert "学校基本信息表的学校标识码 9961010001 本身有误" in differs[0]["suggestion"]


def test_fix_copies_a_right_school_code_of_the_school_table(tmp_path):
    src = _school_workbook(tmp_path / "全校.xlsx", "2161010002")  # right, and what the students must carry
    out = tmp_path / "o.xlsx"
    code, stdout, stderr = xueji("fix", str(src), "--out", str(out))
    ws = openpyxl.load_workbook(out)["学生基础信息"]
    assert [ws.cell(r, 1).value for r in (2, 3, 4)] == ["2161010002"] * 3, stdout + stderr


def test_fix_never_copies_a_wrong_settings_code(tmp_path):
    src = tmp_path / "c.xlsx"
    write_roster_xlsx(src, class_roster(7, 3))
    toml = tmp_path / "xueji.toml"
    toml.write_text('school_code = "216101001"\n', "utf-8")  # 9 digits
    out = tmp_path / "o.xlsx"
    code, stdout, stderr = xueji("fix", str(src), "--out", str(out), "--settings", str(toml))
    ws = openpyxl.load_workbook(out)["学生基础信息"]
    assert [ws.cell(r, 1).value for r in (2, 3, 4)] == ["2161010001"] * 3, stdout + stderr
    code, report, _ = xueji("validate", str(src), "--settings", str(toml), "--json", "-")
    findings = [f for i in json.loads(report)["inputs"] for t in i["tables"] for f in t["findings"] if f["code"] == "XJ614"]
    assert len(findings) == 3 and "本身有误" in findings[0]["suggestion"]
