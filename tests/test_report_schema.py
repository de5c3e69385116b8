"""The JSON report is one object for the whole run, described by the JSON Schema published in the
package (``xueji schema``); every report a command writes is validated against it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.reports import SCHEMA, report, validator
from tests.test_cli import REPO, xueji
from xueji_addin import __version__
from xueji_addin.actions.report import schema_text
from xueji_addin.samples import SAMPLE_NAME, build_sample, write_roster_xlsx
from xueji_addin.synth import class_roster


def test_the_published_schema_is_the_models_schema():
    assert SCHEMA.read_text("utf-8") == schema_text(), (
        "report.schema.json 已过时：运行 python -c 'from xueji_addin.actions.report import schema_text; "
        "open(\"xueji_addin/data/report.schema.json\", \"w\").write(schema_text())'")
    validator()  # a valid draft 2020-12 schema


def test_xueji_schema_prints_the_published_schema():
    code, out, err = xueji("schema")
    assert code == 0, err
    assert out == SCHEMA.read_text("utf-8")
    assert json.loads(out)["required"] == ["schema_version", "tool", "tool_version", "inputs", "totals"]


def test_the_version_is_the_packages():
    import tomllib

    assert tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]["version"] == __version__


def test_a_run_over_several_inputs_is_one_object_naming_each_input_as_given(tmp_path, monkeypatch):
    """Two files of the same name in two schools, an empty folder and a missing file: each is an
    input with its path as given and its status; stdout holds only the JSON, exit code 2."""
    monkeypatch.chdir(tmp_path)
    for school in ("甲校", "乙校"):
        (tmp_path / school).mkdir()
    build_sample(tmp_path / "甲校" / "一年级1班.xlsx")
    write_roster_xlsx(tmp_path / "乙校" / "一年级1班.xlsx", class_roster(3, 6))
    (tmp_path / "空").mkdir()
    args = ["甲校/一年级1班.xlsx", "乙校", "空", "没有.xlsx"]
    import subprocess
    import sys

    p = subprocess.run([sys.executable, "-m", "xueji_addin", "validate", *args, "--json", "-"], capture_output=True,
                       text=True, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "COLUMNS": "200"})
    assert p.returncode == 2
    data = report(p.stdout)  # all of stdout is the report
    assert (data["schema_version"], data["tool"], data["tool_version"]) == (1, "xueji-addin", __version__)
    assert [(i["path"], i["status"]) for i in data["inputs"]] == [
        ("甲校/一年级1班.xlsx", "errors"), ("乙校/一年级1班.xlsx", "ok"), ("空", "unusable"), ("没有.xlsx", "unusable")]
    assert data["inputs"][2]["reason"] == "文件夹“空”中没有表格文件（.xlsx/.xls/.csv）。"
    assert data["inputs"][3]["reason"] == "找不到文件“没有.xlsx”，请检查文件名和路径。"
    assert [[(t["sheet"], t["role"], t["version"], t["students"]) for t in i["tables"]] for i in data["inputs"]] == [
        [("学生基础信息", "student", "A", 45)], [("学生基础信息", "student", "A", 6)], [], []]
    first = data["inputs"][0]["tables"][0]
    assert data["totals"] == {"inputs": 4, "ok": 1, "with_errors": 1, "unusable": 2, "tables": 2, "students": 51,
                              "errors": first["summary"]["errors"], "warnings": first["summary"]["warnings"]}
    # what a person reads went to stderr: each table, each unusable input in one sentence, the totals
    assert "甲校/一年级1班.xlsx  工作表“学生基础信息”" in p.stderr and "乙校/一年级1班.xlsx" in p.stderr
    assert "无法检查：找不到文件“没有.xlsx”" in p.stderr and "Traceback" not in p.stderr
    assert "共 4 个文件：1 个没有错误，1 个有错误，2 个无法检查；51 名学生" in p.stderr.replace("\n", "")


@pytest.mark.parametrize(("make", "code", "status"), [("clean", 0, "ok"), ("sample", 1, "errors")])
def test_exit_codes_and_status_of_one_file(tmp_path, make, code, status):
    src = tmp_path / "班.xlsx"
    build_sample(src) if make == "sample" else write_roster_xlsx(src, class_roster(3, 4))
    out = tmp_path / "报告.json"
    got, _, err = xueji("validate", str(src), "--json", str(out))
    assert got == code, err
    data = report(out.read_text("utf-8"))
    assert data["inputs"][0]["status"] == status and data["inputs"][0]["reason"] is None


def test_a_json_report_must_be_named_json(tmp_path):
    src = tmp_path / "班.xlsx"
    write_roster_xlsx(src, class_roster(3, 4))
    code, out, err = xueji("validate", str(src), "--json", str(tmp_path / "报告.xlsx"))
    assert code == 2 and not (tmp_path / "报告.xlsx").exists()
    assert "“报告.xlsx”的扩展名不对：这里保存的是 JSON 报告，文件名应以 .json 结尾（如 报告.json）。" in err


def test_demo_writes_a_report_of_the_schema(tmp_path):
    code, _, err = xueji("demo", "--out-dir", str(tmp_path))
    assert code == 0, err
    data = report((tmp_path / "示例班级_20240101_报告.json").read_text("utf-8"))
    assert [i["path"] for i in data["inputs"]] == [SAMPLE_NAME]


def test_the_readme_example_is_a_report_of_the_schema():
    text = (REPO / "README.md").read_text("utf-8")
    block = text.split("## JSON 报告格式")[1].split("```json")[1].split("```")[0]
    report(block)


def test_a_folder_is_checked_as_its_files(tmp_path):
    """``validate`` accepts a folder as merge and summary do (it used to refuse it)."""
    folder = tmp_path / "各班"
    folder.mkdir()
    for name in ("1班.xlsx", "2班.xlsx"):
        write_roster_xlsx(folder / name, class_roster(3, 4))
    shutil.copy(folder / "1班.xlsx", folder / "~$1班.xlsx")  # Excel's lock file is not an input
    out = tmp_path / "r.json"
    code, _, err = xueji("validate", str(folder), "--json", str(out))
    assert code == 0, err
    assert [i["path"] for i in report(out.read_text("utf-8"))["inputs"]] == [str(folder / "1班.xlsx"), str(folder / "2班.xlsx")]
