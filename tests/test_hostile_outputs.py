"""Round two of the hostile suite, outputs: nothing lost, nothing overwritten (issue 17).

Every file is built here, every command run as a user runs it (``cli``, or a subprocess where a
signal or a crash is the point), and what is on disk afterwards is what is asserted.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import openpyxl
import pytest

from tests.robustness import cli, digest, roster_rows, xueji  # noqa: F401 (fixture)
from tests.rawxlsx import write_xlsx
from xueji_addin.spec.profiles import default_profile
from xueji_addin.workbook.reader import read_roster

CLASS_COL = default_profile().by_key["class_no"].order - 1


def _roster(tmp_path: Path, classes: list[str], name: str = "全校.xlsx") -> Path:
    """A school roster of two pupils per 班号 in ``classes``."""
    rows = roster_rows(seed=5, size=2 * len(classes))
    for i, no in enumerate(classes):
        for r in rows[1 + 2 * i: 3 + 2 * i]:
            r[CLASS_COL] = no
    return write_xlsx(tmp_path / name, rows)


# --- 1. split: classes whose names collide once safe for a file --------------------------------

COLLIDING = ["2024/01", "2024_01", "2024:01", "20240101.", "20240101", "ABC", "abc", "2024*01"]


def test_split_never_writes_two_classes_into_one_file(cli, tmp_path):
    src = _roster(tmp_path, COLLIDING)
    out = tmp_path / "班级"
    code, stdout, err = cli("split", src, "--out-dir", out)
    assert code == 0, err
    files = sorted(out.glob("*.xlsx"))
    assert len({f.name.casefold() for f in files}) == len(COLLIDING) == len(files)  # none replaced another
    found = sorted(str(v) for f in files for v in read_roster(f).cells["class_no"])
    assert found == sorted(c for c in COLLIDING for _ in range(2))  # every pupil, in a file of his own class
    assert f"拆成 {len(COLLIDING)} 个文件（{2 * len(COLLIDING)} 行" in stdout


# --- 8. split --sheets: 班号 that share their first 31 characters ------------------------------

def test_split_sheets_with_31_shared_characters_ends(cli, tmp_path):
    long = "2024" + "0" * 27
    src = _roster(tmp_path, [long + "1", long + "2", long.lower() + "3"])
    done = xueji("split", src, "--out-dir", tmp_path / "o", "--sheets", timeout=120)  # looped forever before
    assert done.returncode == 0, done.stderr
    wb = openpyxl.load_workbook(next((tmp_path / "o").glob("*.xlsx")), read_only=True)
    titles = [t for t in wb.sheetnames if t.startswith("2024")]
    assert len(titles) == 3 and len({t.casefold() for t in titles}) == 3 and all(len(t) <= 31 for t in titles)


# --- 2. no output over an input or over another output ----------------------------------------

def _two_classes(tmp_path: Path) -> tuple[Path, Path]:
    return _roster(tmp_path, ["20240101"], "a.xlsx"), _roster(tmp_path, ["20240102"], "b.xlsx")


CASES = ["merge --json=input", "merge --out=input", "validate --json=--classes", "validate --json=--settings",
         "print --pdf=input", "fix --out=--settings", "export --out=input"]


@pytest.mark.parametrize("case", CASES)
def test_no_option_names_an_output_over_an_input_or_another_output(cli, tmp_path, case):
    """Files are read by their content, whatever their names: a roster named b.json, settings named
    xueji.xlsx, a class list named c.json. No output replaces one, whichever option names it."""
    a, b = _two_classes(tmp_path)
    b_json = tmp_path / "b.json"
    b_json.write_bytes(b.read_bytes())
    toml = tmp_path / "xueji.json"
    toml.write_text('[xueji]\nschool_name = "测试小学"\n', "utf-8")
    toml_x = tmp_path / "xueji.xlsx"
    toml_x.write_bytes(toml.read_bytes())
    m = tmp_path / "m.xlsx"
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(a.read_bytes())
    args = {
        "merge --json=input": ("merge", a, b_json, "--out", m, "--json", b_json),
        "merge --out=input": ("merge", a, b, "--out", b),
        "validate --json=--classes": ("validate", a, "--classes", b_json, "--json", b_json),
        "validate --json=--settings": ("validate", a, "--settings", toml, "--json", toml),
        "print --pdf=input": ("print", pdf, "--out", m, "--pdf", pdf),
        "fix --out=--settings": ("fix", a, "--settings", toml_x, "--out", toml_x),
        "export --out=input": ("export", a, "--out", a, "--force"),
    }[case]
    files = (a, b, b_json, toml, toml_x, pdf)
    before = {p: digest(p) for p in files}
    code, _, err = cli(*args)
    assert code == 2 and ("不能与输入文件" in err or "另一个输出文件" in err), err
    assert {p: digest(p) for p in files} == before
    if m.exists():  # an output written before the refused one is whole
        assert m.read_bytes().startswith(b"PK")


def test_template_never_replaces_a_filled_roster(cli, tmp_path):
    a, _ = _two_classes(tmp_path)
    before = digest(a)
    code, _, err = cli("template", "--out", a)
    assert code == 2 and "已有学生数据" in err and digest(a) == before
    blank = tmp_path / "模板.xlsx"
    assert cli("template", "--out", blank)[0] == 0
    assert cli("template", "--out", blank)[0] == 0  # an empty template may be made anew
