"""xueji fix takes --classes and --profile as validate does; export refuses a table of no students (issue 18)."""

from __future__ import annotations

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
