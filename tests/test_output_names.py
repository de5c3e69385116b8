"""Every output option checks its suffix against what it writes (xlsx bytes under 结果.csv cannot
be opened by a double click), before any work, and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_cli import xueji
from xueji_addin.samples import build_sample


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    return build_sample(tmp_path / "班.xlsx")


@pytest.mark.parametrize(("args", "name", "what"), [
    (("fix", "{src}", "--out", "{out}"), "x.csv", "Excel 工作簿"),
    (("validate", "{src}", "--marked", "{out}"), "m.txt", "Excel 工作簿"),
    (("validate", "{src}", "--json", "{out}"), "r.txt", "JSON 报告"),
    (("template", "--out", "{out}"), "模板.xls", "Excel 工作簿"),
    (("summary", "{src}", "--out", "{out}"), "统计.pdf", "Excel 工作簿"),
    (("dropdowns", "{src}", "--out", "{out}"), "d.txt", "Excel 工作簿"),
    (("print", "{src}", "--out", "{out}"), "确认表.pdf", "Excel 工作簿"),
    (("merge", "{src}", "--out", "{out}"), "全校.csv", "Excel 工作簿"),
])
def test_an_output_under_the_wrong_suffix_is_refused(sample, tmp_path, args, name, what):
    out = tmp_path / name
    code, _, err = xueji(*(a.format(src=sample, out=out) for a in args))
    assert code == 2, err
    assert f"“{name}”的扩展名不对：这里保存的是 {what}，文件名应以 ." in err and "Traceback" not in err
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["班.xlsx"]  # nothing else written either


def test_print_checks_the_pdf_before_saving_the_sheets(sample, tmp_path):
    """``print --pdf 没有/x.pdf`` saved the xlsx and then stopped with exit code 2."""
    out = tmp_path / "确认表.xlsx"
    code, _, err = xueji("print", str(sample), "--out", str(out), "--pdf", str(tmp_path / "没有" / "x.pdf"))
    assert code == 2 and "输出文件夹" in err and "不存在" in err
    assert not out.exists()
    code, _, err = xueji("print", str(sample), "--out", str(out), "--pdf", str(tmp_path / "x.xlsx"))
    assert code == 2 and "“x.xlsx”的扩展名不对：这里保存的是 PDF 文件" in err and not out.exists()
