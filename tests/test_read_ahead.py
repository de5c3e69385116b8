"""Reading the next file ahead (workbook/read_ahead.py): the same sheets as a plain read, never stale,
the same errors, and no thread left behind."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from tests.rawxlsx import Error, Formula, write_xlsx
from tests.robustness import cli, roster_rows  # noqa: F401 (fixture)
from tests.reports import report
from xueji_addin.workbook import read_ahead as ahead
from xueji_addin.workbook.reader import ReadError
from xueji_addin.workbook.read_ahead import ahead_of, read_ahead, settle
from xueji_addin.workbook.sheets import Sheet, read_sheets

SAMPLE = Path(__file__).resolve().parents[1] / "workbook_template" / "示例班级_20240101.xlsx"


def ahead_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("read-ahead")]


@pytest.fixture(autouse=True)
def nothing_pending():
    yield
    settle()
    assert not ahead._AHEAD


def _sheets_read_ahead(path: Path) -> list[Sheet]:
    read_ahead(path)
    assert ahead._AHEAD, "the file was not taken to be read ahead"
    got = read_sheets(path)
    assert not ahead._AHEAD, "the read did not use the parse read ahead"
    return got


def _details_file(tmp_path: Path) -> Path:
    """Formulas, error cells, hidden rows and columns, merged cells: what the package scan notes."""
    rows = roster_rows(size=4)
    rows[1][2] = Formula("A2&B2", cached="算出的值")
    rows[2][3] = Error("#N/A")
    return write_xlsx(tmp_path / "细节.xlsx", rows, hidden_rows={3}, hidden_cols={5}, merged=["A6:B6"])


@pytest.mark.parametrize("make", [
    lambda tmp: SAMPLE,
    _details_file,
    lambda tmp: _csv(tmp),
], ids=["sample class (several sheets, hidden ones)", "formulas, errors, hidden rows, merged", "csv"])
def test_read_ahead_gives_the_sheets_a_plain_read_gives(make, tmp_path):
    path = make(tmp_path)
    plain = read_sheets(path)
    ahead = _sheets_read_ahead(path)
    assert [s.name for s in ahead] == [s.name for s in plain]
    assert ahead == plain  # rows, visibility, formulas, errors, hidden rows/columns, merged cells
    if path.suffix == ".xlsx" and path != SAMPLE:
        (s,) = ahead
        assert s.facts.errors and s.facts.formulas and s.facts.hidden_rows and s.facts.hidden_cols and s.merged


def _csv(tmp: Path) -> Path:
    p = tmp / "名单.csv"
    p.write_text("\n".join(",".join(str(v) for v in row) for row in roster_rows(size=3)), encoding="gbk")
    return p


def test_a_file_changed_after_it_was_read_ahead_is_read_anew(tmp_path):
    path = tmp_path / "班级.xlsx"
    write_xlsx(path, [["姓名"], ["张三"]])
    read_ahead(path)
    write_xlsx(path, [["姓名"], ["李四"], ["王五"]])  # saved again (in Excel) before the read
    (s,) = read_sheets(path)
    assert s.rows == [["姓名"], ["李四"], ["王五"]]


def test_a_broken_file_read_ahead_fails_as_a_plain_read_does(tmp_path):
    path = tmp_path / "坏.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)  # a zip's first bytes, then nothing of a zip
    with pytest.raises(ReadError) as plain:
        read_sheets(path)
    read_ahead(path)
    with pytest.raises(ReadError) as ahead:
        read_sheets(path)
    assert str(ahead.value) == str(plain.value)
    assert "已损坏" in str(ahead.value)


def test_ahead_of_gives_every_path_in_order_and_reads_the_next_ahead(tmp_path):
    paths = [write_xlsx(tmp_path / f"{i}班.xlsx", [["姓名"], [f"学生{i}"]]) for i in range(3)]
    seen = []
    for p in ahead_of(paths + [paths[0]]):  # a file named twice is read twice, correctly
        if p != paths[-1]:
            assert ahead._AHEAD, "the next file is not being read ahead"
        seen.append(p)
        assert read_sheets(p)[0].rows[1] == [f"学生{p.name[0]}"]
    assert seen == paths + [paths[0]]


def test_validating_many_files_gives_each_its_own_report_and_leaves_no_thread(cli, tmp_path):
    files = []
    for i, size in enumerate((3, 5, 4)):
        rows = roster_rows(size=size)
        rows[1][1] = f"学生{i}"
        files.append(write_xlsx(tmp_path / f"{i}班.xlsx", rows))
    code, _, _ = cli("validate", *files, "--json", tmp_path / "all.json")
    together = report((tmp_path / "all.json").read_text("utf-8"))
    assert [i["path"] for i in together["inputs"]] == [str(f) for f in files]
    for f, mine in zip(files, together["inputs"]):
        cli("validate", f, "--json", tmp_path / "one.json")
        assert [mine] == report((tmp_path / "one.json").read_text("utf-8"))["inputs"]
    assert code in (0, 1)
    assert not ahead._AHEAD
    for t in ahead_threads():
        t.join(timeout=10)
    assert not any(t.is_alive() for t in ahead_threads())


def test_a_loop_stopped_by_an_error_lets_its_parse_ahead_go(tmp_path):
    paths = [write_xlsx(tmp_path / f"{i}班.xlsx", [["姓名"], [f"学生{i}"]]) for i in range(3)]
    with pytest.raises(RuntimeError):
        for p in ahead_of(paths):
            assert ahead._AHEAD  # the second file is being parsed ahead
            raise RuntimeError("the caller fails on the first file")
    assert not ahead._AHEAD
