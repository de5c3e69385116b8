"""The README's rule catalogue is the one the code declares; the committed sample is current."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from xueji_addin.cli.rules_cmd import catalogue_markdown
from xueji_addin.samples import SAMPLE_NAME, build_sample

REPO = Path(__file__).resolve().parents[1]


def test_readme_catalogue_matches_the_rules():
    text = (REPO / "README.md").read_text("utf-8")
    block = text.split("<!-- rules:start -->")[1].split("<!-- rules:end -->")[0].strip()
    assert block == catalogue_markdown(), "README 规则目录已过时：运行 xueji rules --markdown 更新"


def test_the_command_in_a_fresh_process_prints_the_whole_catalogue():
    """``xueji rules`` loads only its own module: every rules module must still register."""
    import subprocess
    import sys

    text = (REPO / "README.md").read_text("utf-8")
    block = text.split("<!-- rules:start -->")[1].split("<!-- rules:end -->")[0].strip()
    out = subprocess.run([sys.executable, "-m", "xueji_addin", "rules", "--markdown"], cwd=REPO, capture_output=True,
                         text=True, check=True, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}).stdout
    assert out.strip() == block


def test_readme_states_the_two_commands():
    text = (REPO / "README.md").read_text("utf-8")
    assert "xueji demo" in text and "bash .ci/run" in text


def test_committed_sample_is_current(tmp_path):
    fresh = build_sample(tmp_path / SAMPLE_NAME)
    committed = REPO / "workbook_template" / SAMPLE_NAME
    a = [[c.value for c in r] for r in openpyxl.load_workbook(committed)["学生基础信息"].iter_rows()]
    b = [[c.value for c in r] for r in openpyxl.load_workbook(fresh)["学生基础信息"].iter_rows()]
    assert a == b, "workbook_template 中的示例文件已过时：运行 python -c 'from xueji_addin.samples import build_sample; build_sample(\"workbook_template/示例班级_20240101.xlsx\")'"


def test_the_licence_is_an_spdx_string():
    """A ``license = { text = … }`` table makes every ``pip install`` warn that it is deprecated."""
    import tomllib

    meta = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
    assert meta["project"]["license"] == "MIT"
    assert any(r.startswith("setuptools>=77") for r in meta["build-system"]["requires"])  # reads SPDX strings
