"""The xueji command as a user runs it: exit codes, printed summary, JSON report, marked copy, fixes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import letter
from tests.reports import only_table, report
from xueji_addin.cli.app import run
from xueji_addin.samples import SAMPLE_NAME, build_sample, sample_records, write_roster_xlsx
from xueji_addin.synth import class_roster

REPO = Path(__file__).resolve().parents[1]


def xueji(*args: str) -> tuple[int, str, str]:
    """Run the real command in a subprocess (as a user would)."""
    p = subprocess.run([sys.executable, "-m", "xueji_addin", *args], capture_output=True, text=True, cwd=REPO,
                       env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "COLUMNS": "200"})
    return p.returncode, p.stdout, p.stderr


@pytest.fixture
def clean_file(tmp_path: Path) -> Path:
    path = tmp_path / "clean.xlsx"
    write_roster_xlsx(path, class_roster(3, 8))
    return path


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    return build_sample(tmp_path / SAMPLE_NAME)


def test_clean_file_exits_0(clean_file):
    code, out, err = xueji("validate", str(clean_file))
    assert code == 0, err
    assert "0 个错误" in out and "没有发现问题" in out


def test_sample_exits_1_and_writes_the_report_schema(sample, tmp_path):
    report_path = tmp_path / "r.json"
    code, out, _ = xueji("validate", str(sample), "--json", str(report_path))
    assert code == 1
    run = report(report_path.read_text("utf-8"))
    assert [(i["path"], i["status"]) for i in run["inputs"]] == [(str(sample), "errors")]
    data = only_table(run)
    assert set(data) == {"sheet", "role", "version", "students", "findings", "summary"}
    assert data["sheet"] == "学生基础信息" and data["students"] == 45
    assert (data["role"], data["version"]) == ("student", "A")
    for f in data["findings"]:
        assert set(f) == {"code", "severity", "sheet", "row", "column", "header", "message", "suggestion", "fix"}
        assert f["severity"] in ("error", "warning")
    s = data["summary"]
    assert s["errors"] == sum(f["severity"] == "error" for f in data["findings"])
    assert sum(s["by_code"].values()) == len(data["findings"])
    assert "M3" in out and "身份证件号" in out


def test_json_to_stdout(clean_file):
    code, out, err = xueji("validate", str(clean_file), "--json", "-")
    assert code == 0
    assert only_table(report(out))["students"] == 8  # stdout is the JSON alone
    assert "没有发现问题" in err


def test_every_planted_mistake_of_the_sample_is_reported(sample):
    from xueji_addin.actions.pipeline import check_source

    _, mistakes = sample_records()
    found = {(f.row, f.column) for f in check_source(sample).students().findings}
    for i, key, _, what in mistakes:
        assert (i + 2, letter(key)) in found, what


def test_marked_copy_paints_cells_adds_notes_and_result_sheet(sample, tmp_path):
    marked = tmp_path / "marked.xlsx"
    before = sample.read_bytes()
    code, out, _ = xueji("validate", str(sample), "--marked", str(marked))
    assert code == 1 and marked.exists()
    assert sample.read_bytes() == before  # the input is never modified
    wb = openpyxl.load_workbook(marked)
    ws = wb["学生基础信息"]
    assert ws["M3"].fill.fgColor.rgb.endswith("FFC7CE")  # error: red
    assert "Excel" in ws["M3"].comment.text
    assert ws["X33"].fill.fgColor.rgb.endswith("FFEB9C")  # warning: yellow
    assert ws["A2"].fill.fill_type is None or not ws["A2"].fill.fgColor.rgb.endswith(("FFC7CE", "FFEB9C"))
    res = wb["校验结果"]
    assert [c.value for c in res[1]][:6] == ["序号", "单元格", "级别", "代码", "列名", "问题"]
    first = res["B2"]
    assert first.value == "M3" and first.hyperlink.location is None or "M3" in (first.hyperlink.target or first.hyperlink.location or "")
    assert wb["_xueji_marks"].sheet_state == "hidden"


def test_fix_applies_certain_fixes_into_a_copy(sample, tmp_path):
    out = tmp_path / "fixed.xlsx"
    before = sample.read_bytes()
    code, text, err = xueji("fix", str(sample), "--out", str(out))
    assert sample.read_bytes() == before
    ws = openpyxl.load_workbook(out)["学生基础信息"]
    assert ws["G9"].value == "汉族"
    assert ws["Q17"].value == "202409"
    assert ws["AZ19"].value.isascii() and ws["AZ19"].value.isdigit()
    assert ws["O25"].value.endswith("000000") and len(ws["O25"].value) == 12
    assert " " not in ws["B29"].value
    assert isinstance(ws["D13"].value, str) and len(ws["D13"].value) == 8
    assert "G9【民族】“汉” → “汉族”" in text
    assert f"D13【出生日期】日期 {ws['D13'].value[:4]}-" in text  # a date cell became text: said, not "2018-05-05 00:00:00"
    # what needs a person is still reported
    assert code == 1 and "人工处理" in text


def test_demo_writes_marked_copy_and_report(tmp_path):
    code, out, err = xueji("demo", "--out-dir", str(tmp_path / "d"))
    assert code == 0, err
    assert (tmp_path / "d" / "示例班级_20240101_已标记.xlsx").exists()
    data = report((tmp_path / "d" / "示例班级_20240101_报告.json").read_text("utf-8"))
    assert only_table(data)["summary"]["errors"] > 10 and data["totals"]["errors"] > 10


@pytest.mark.parametrize("content,name,expect", [
    (b"", "empty.xlsx", "空文件"),
    (b"PK\x03\x04 truncated zip", "broken.xlsx", "不是有效的 Excel 文件"),
    ("姓名,年龄\n张三,9\n".encode("gbk"), "other.csv", "找不到学籍表的表头"),
])
def test_unusable_input_is_one_sentence_and_exit_2(tmp_path, content, name, expect):
    p = tmp_path / name
    p.write_bytes(content)
    code, out, err = xueji("validate", str(p))
    assert code == 2
    assert expect in err and "Traceback" not in err + out


def test_missing_file_and_bad_settings(tmp_path, clean_file):
    code, _, err = xueji("validate", str(tmp_path / "nope.xlsx"))
    assert code == 2 and "找不到文件" in err
    bad = tmp_path / "xueji.toml"
    bad.write_text("school_code = 123\nunknown = 1\n", "utf-8")
    code, _, err = xueji("validate", str(clean_file), "--settings", str(bad))
    assert code == 2 and "设置文件" in err and "Traceback" not in err


def test_settings_file_is_applied(tmp_path, clean_file):
    s = tmp_path / "xueji.toml"
    s.write_text('school_code = "2161010009"\nclasses = ["20240101"]\n', "utf-8")
    code, out, _ = xueji("validate", str(clean_file), "--settings", str(s), "--json", "-")
    data = only_table(report(out))
    assert code == 1 and data["summary"]["by_code"] == {"XJ614": 8}


def test_csv_in_gbk_is_read(tmp_path):
    from xueji_addin.spec.profiles import default_profile

    p = default_profile()
    rec = class_roster(4, 3)
    lines = [",".join(p.headers)] + [",".join(str(r.get(k, "")) for k in p.by_key) for r in rec]
    path = tmp_path / "class.csv"
    path.write_bytes("\n".join(lines).encode("gbk"))
    code, out, err = xueji("validate", str(path))
    assert code == 0, out + err


def test_in_process_run_never_raises(tmp_path):
    assert run(["validate", str(tmp_path / "none.xlsx")]) == 2
    assert run(["no-such-command"]) == 2


def test_every_command_is_found_by_its_module():
    """Commands load on demand (app.COMMAND_MODULES): the table must name each command's module."""
    from xueji_addin.cli.app import COMMAND_MODULES, app, load_commands

    load_commands()
    registered = {c.name or c.callback.__name__ for c in app.registered_commands}
    assert registered == set(COMMAND_MODULES)
    code, out, _ = xueji("--help")
    assert code == 0 and all(name in out for name in COMMAND_MODULES)


def test_checking_a_file_loads_neither_openpyxl_nor_other_commands(clean_file, tmp_path):
    """A fresh ``xueji validate`` imports only what checking needs (start-up is much of its time):
    not openpyxl, not the other commands, not the help's formatting;
    a marked copy, which needs openpyxl, still works in the same way."""
    probe = ("import sys\nfrom xueji_addin.cli import run\ncode = run(sys.argv[1:])\n"
             "print(code, 'openpyxl' in sys.modules, 'xueji_addin.cli.registrar' in sys.modules or 'rich.progress' in sys.modules,"
             " 'typer.rich_utils' in sys.modules or 'rich.markdown' in sys.modules)")  # (the help's, not a check's)
    env = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}
    p = subprocess.run([sys.executable, "-c", probe, "validate", str(clean_file), "--json", str(tmp_path / "r.json")],
                       capture_output=True, text=True, cwd=REPO, env=env)
    assert p.stdout.split()[-4:] == ["0", "False", "False", "False"], p.stderr
    marked = tmp_path / "marked.xlsx"
    p = subprocess.run([sys.executable, "-c", probe, "validate", str(clean_file), "--marked", str(marked)],
                       capture_output=True, text=True, cwd=REPO, env=env)
    assert p.stdout.split()[-4:] == ["0", "True", "False", "False"], p.stderr
    assert openpyxl.load_workbook(marked).sheetnames[0] == "学生基础信息"


@pytest.mark.parametrize("args", [("nonsense",), ("validate",), ("validate", "a.xlsx", "--bogus")])
def test_usage_mistakes_exit_2_without_a_traceback(args):
    code, out, err = xueji(*args)
    assert code == 2
    assert "Traceback" not in err and "内部错误" not in err
    assert "用法：" in err and "Usage" not in err


def test_xueji_alone_prints_the_help_and_exits_0():
    code, out, err = xueji()
    assert code == 0 and "validate" in out and "Traceback" not in err


def _with_settings_sheet(path: Path, **values: object) -> Path:
    """The file with a 学校设置 sheet holding ``values`` (as the template or the 设置 button leaves it)."""
    from xueji_addin.spec.settings import Settings
    from xueji_addin.workbook.settings_sheet import write_settings_sheet

    wb = openpyxl.load_workbook(path)
    ws = write_settings_sheet(wb, Settings())
    for row in ws.iter_rows(min_row=2):
        if row[0].value in values:
            row[1].value = values[row[0].value]
    wb.save(path)
    return path


def test_validate_reads_the_files_own_settings_sheet(clean_file, tmp_path):
    """The 学校设置 sheet the add-in uses is also what the command checks against."""
    _with_settings_sheet(clean_file, school_code="2161010002")
    path = tmp_path / "r.json"
    code, out, _ = xueji("validate", str(clean_file), "--json", str(path))
    assert code == 1
    assert "按文件中“学校设置”表的设置检查：学校标识码 2161010002" in out
    findings = only_table(report(path.read_text("utf-8")))["findings"]
    assert {(f["code"], f["column"], f["fix"]) for f in findings} == {("XJ614", "A", "2161010002")}
    assert sorted(f["row"] for f in findings) == list(range(2, 10))


def test_a_bad_value_in_the_settings_sheet_is_one_sentence(clean_file):
    _with_settings_sheet(clean_file, two_members_required="也许")
    code, _, err = xueji("validate", str(clean_file))
    assert code == 2 and "只能填“是”或“否”" in err and "Traceback" not in err


def _texts(path: Path) -> str:
    wb = openpyxl.load_workbook(path)
    return "\n".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None)


def test_print_titles_the_sheets_with_the_school_name_of_the_files_settings_sheet(clean_file, tmp_path):
    out = tmp_path / "确认表.xlsx"
    code, stdout, _ = xueji("print", str(clean_file), "--out", str(out))
    assert code == 0 and "阳光小学" not in _texts(out)
    _with_settings_sheet(clean_file, school_name="阳光小学")
    code, stdout, err = xueji("print", str(clean_file), "--out", str(out))
    assert code == 0, err
    assert "按文件中“学校设置”表的设置打印：学校名称 阳光小学" in stdout
    assert "阳光小学" in _texts(out)


def test_export_checks_against_the_school_code_of_the_files_settings_sheet(clean_file, tmp_path):
    out = tmp_path / "上报.xlsx"
    assert xueji("export", str(clean_file), "--out", str(out))[0] == 0
    _with_settings_sheet(clean_file, school_code="2161010002")  # not the code the rows hold
    code, stdout, err = xueji("export", str(clean_file), "--out", str(tmp_path / "又一次.xlsx"))
    assert code == 1
    assert "按文件中“学校设置”表的设置导出：学校标识码 2161010002" in stdout
    assert "不能导出" in err and "学校标识码" in err
    assert not (tmp_path / "又一次.xlsx").exists()


def test_split_names_the_files_after_the_school_of_the_files_settings_sheet(clean_file, tmp_path):
    _with_settings_sheet(clean_file, school_name="阳光小学")
    code, stdout, err = xueji("split", str(clean_file), "--out-dir", str(tmp_path / "各班"))
    assert code == 0, err
    assert "按文件中“学校设置”表的设置拆分：学校名称 阳光小学" in stdout
    made = sorted(p.name for p in (tmp_path / "各班").iterdir())
    assert made and all(name.startswith("阳光小学_") for name in made)


def test_the_command_line_does_not_load_numpy_through_openpyxl():
    """openpyxl imports numpy when it is installed (0.2–0.3 s of every command's start); the command
    line keeps it out, and numpy stays importable afterwards."""
    code = ("import sys, xueji_addin.cli, openpyxl.compat.numbers as n; assert 'numpy' not in sys.modules and not n.NUMPY; "
            "import importlib.util; assert importlib.util.find_spec('numpy') is None or __import__('numpy')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
