"""Version B of the student template (the 学籍接续 layout: 学籍接续标识 first, 年级 + 班级号 instead of
班号), as the ThinkPHP 入学报名 system's importer reads it (shared/spec/variants.csv, B_学籍接续_PHP_71col):
recognised by its header row, checked with its own columns, and every command works on it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from xueji_addin import synth
from xueji_addin.actions.pipeline import check_source
from xueji_addin.spec.profiles import default_profile, load_profile
from xueji_addin.spec.settings import Settings
from xueji_addin.workbook.reader import read_roster

REPO = Path(__file__).resolve().parents[1]
B = load_profile("student_B")
SHEET = "学生基础信息"


def xueji(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xueji_addin", *map(str, args)], capture_output=True, text=True,
                          cwd=REPO, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "COLUMNS": "250"}, timeout=600)


def b_records(n: int = 8) -> list[dict[str, object]]:
    """Two classes of one grade, as the 学籍接续 export writes them: 年级 一年级, 班级号 01 / 02."""
    out = []
    for i, rec in enumerate(synth.class_roster(5, n)):
        rec = dict(rec)
        rec.update(continuation_id=f"J{2024000100 + i}", grade="一年级", class_code="01" if i < n // 2 else "02")
        out.append(rec)
    return out


def write_b(path: Path, records: list[dict[str, object]]) -> Path:
    """The file as the system exports it: its 71 headers in row 1, every value as text."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(B.headers)
    for rec in records:
        ws.append([str(rec.get(c.key) or "") or None for c in B.columns])
    wb.save(path)
    return path


@pytest.fixture
def b_file(tmp_path: Path) -> Path:
    return write_b(tmp_path / "学籍接续导出.xlsx", b_records())


def test_recognised_by_its_header_and_reported_as_version_b(b_file: Path, tmp_path: Path):
    out = tmp_path / "r.json"
    done = xueji("validate", b_file, "--json", out)
    assert done.returncode in (0, 1), done.stderr
    table = json.loads(out.read_text("utf-8"))["inputs"][0]["tables"][0]
    assert (table["role"], table["version"], table["students"]) == ("student", "B", 8)
    assert not any(f["code"] == "XJ001" for f in table["findings"])  # its header is its template's: no difference


def test_checked_with_its_own_columns(tmp_path: Path):
    recs = b_records()
    recs[3]["continuation_id"] = recs[1]["continuation_id"]  # the importer refuses a repeated 学籍接续标识
    recs[5]["grade"] = ""  # required in this version
    cb = check_source(write_b(tmp_path / "b.xlsx", recs), Settings())
    found = {(f.code, f.cell) for f in cb.students().findings}
    cid, grade = B.by_key["continuation_id"].letter, B.by_key["grade"].letter
    assert {("XJ905", f"{cid}3"), ("XJ905", f"{cid}5"), ("XJ101", f"{grade}7")} <= found
    # rules reading a column this version lacks (班号) do not run on it, and say nothing false
    assert not any(code in ("XJ904", "XJ622") for code, _ in found)
    # the same rule does not run on version A, which has no such column
    assert all(r.fn.__name__ != "continuation_ids" for r in __import__("xueji_addin.rules.registry", fromlist=["x"]).run_list(
        default_profile(), __import__("xueji_addin.rules.registry", fromlist=["x"]).Scope.ROSTER))


def test_every_command_works_on_it(b_file: Path, tmp_path: Path):
    fixed = tmp_path / "fixed.xlsx"
    assert xueji("fix", b_file, "--out", fixed).returncode in (0, 1)
    assert read_roster(fixed).profile.id == "student_B"

    split = xueji("split", b_file, "--out-dir", tmp_path / "split")
    assert split.returncode == 0, split.stderr
    files = sorted((tmp_path / "split").glob("*.xlsx"))
    assert len(files) == 2 and all(read_roster(f).profile.id == "student_B" for f in files)  # 一年级01, 一年级02
    assert sorted(len(read_roster(f)) for f in files) == [4, 4]

    merged = tmp_path / "merged.xlsx"
    done = xueji("merge", *files, "--out", merged)
    assert done.returncode in (0, 1), done.stderr
    assert "读入 8 行，写入 8 行" in done.stdout
    wb = openpyxl.load_workbook(merged)
    side = [[c.value for c in r] for r in wb["模板外的列"].iter_rows()]
    assert "学籍接续标识" in side[0] and len(side) == 9  # its own columns kept, nothing lost

    assert xueji("export", b_file, "--out", tmp_path / "上报.xlsx", "--force").returncode == 0
    assert openpyxl.load_workbook(tmp_path / "上报.xlsx")[SHEET].cell(1, 1).value == "学籍接续标识"

    printed = xueji("print", b_file, "--out", tmp_path / "确认表.xlsx")
    assert printed.returncode == 0, printed.stderr
    assert "8 名学生" in printed.stdout

    summary = xueji("summary", b_file, "--out", tmp_path / "统计.xlsx")
    assert summary.returncode == 0, summary.stderr

    marked = xueji("validate", b_file, "--marked", tmp_path / "marked.xlsx")
    assert marked.returncode in (0, 1), marked.stderr


def test_imported_into_version_a(b_file: Path, tmp_path: Path):
    out = tmp_path / "a.xlsx"
    done = xueji("import", b_file, "--out", out)
    assert done.returncode in (0, 1), done.stderr
    a = read_roster(out)
    assert a.profile.id == "student_A" and len(a) == 8
    src = read_roster(b_file)
    assert a.cells["id_number"] == src.cells["id_number"] and a.cells["name"] == src.cells["name"]
    side = openpyxl.load_workbook(out)["模板外的列"]
    assert any(str(c.value).startswith("学籍接续标识") for c in side[1])  # the version's own column is not lost


def test_xj_check_knows_the_columns_of_version_b():
    from xueji_addin.excel.udfs import XJ_CHECK

    assert XJ_CHECK("J2024000101", "学籍接续标识") == ""
    assert XJ_CHECK("J-2024", "学籍接续标识") != ""  # letters and digits only
    assert "不是学生基础信息模板中的列名" in XJ_CHECK("x", "没有这一列")
