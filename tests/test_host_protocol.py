"""The Host protocol is the one thing actions know of a spreadsheet: both hosts implement all of it,
and the protocol itself names no openpyxl or xlwings type (it imports neither)."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from tests.fake_excel import FakeBook
from xueji_addin.excel.host import ExcelHost
from xueji_addin.host import Host
from xueji_addin.samples import build_sample
from xueji_addin.workbook.host import FileHost

REPO = Path(__file__).resolve().parents[1]
MEMBERS = [name for name in dir(Host) if not name.startswith("_")]


def test_the_protocol_imports_neither_openpyxl_nor_xlwings():
    probe = "import sys, xueji_addin.host; print(sorted(m for m in sys.modules if m.split('.')[0] in ('openpyxl', 'xlwings')))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("kind", ["file", "excel"])
def test_both_hosts_implement_every_member_with_its_signature(tmp_path: Path, kind: str):
    path = build_sample(tmp_path / "样例.xlsx")
    host = FileHost.open(path) if kind == "file" else ExcelHost(FakeBook(openpyxl.load_workbook(path), path))
    assert isinstance(host, Host)
    assert {"save", "quiet", "folder", "read", "build_sheet"} <= set(MEMBERS)
    for name in MEMBERS:
        want = getattr(Host, name)
        have = getattr(type(host), name)
        if isinstance(want, property):
            assert isinstance(have, property), name
            continue
        wanted = [p.name for p in inspect.signature(want).parameters.values()]
        given = [p.name for p in inspect.signature(have).parameters.values()]
        assert given == wanted, (kind, name, given)


@pytest.mark.parametrize("kind", ["file", "excel"])
def test_quiet_batches_and_save_keeps_a_copy_never_over_the_input(tmp_path: Path, kind: str):
    path = build_sample(tmp_path / "样例.xlsx")
    host = FileHost.open(path) if kind == "file" else ExcelHost(FakeBook(openpyxl.load_workbook(path), path))
    with host.quiet():
        host.write("学生基础信息", {"B2": "王小明"})
    with pytest.raises(Exception, match="不会被覆盖|原文件|覆盖"):
        host.save(path, protect=(path,))
    out = tmp_path / "副本.xlsx"
    host.save(out, protect=(path,))
    assert openpyxl.load_workbook(out)["学生基础信息"]["B2"].value == "王小明"
    assert openpyxl.load_workbook(path)["学生基础信息"]["B2"].value != "王小明"
