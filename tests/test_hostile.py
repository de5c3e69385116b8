"""Hostile files: XML bombs, external entities, zip bombs, and formulas smuggled in as text."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.rawxlsx import Error, Formula, sheet_xml, write_xlsx
from tests.robustness import cli, roster_rows  # noqa: F401 (fixture)
from xueji_addin.workbook import calamine_parse, limits, package, sheets
from xueji_addin.workbook.package import inspect_package
from xueji_addin.workbook.reader import ReadError, read_roster

LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(
    f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)) + "]>")


def refused_by_defusedxml(e: BaseException | None) -> bool:
    """openpyxl wraps the parser's error; defusedxml's refusal is somewhere in the chain."""
    while e is not None:
        if type(e).__module__.startswith("defusedxml"):
            return True
        e = e.__cause__ or e.__context__
    return False


def bomb_rows(value: str) -> list[list[object]]:
    rows = roster_rows(size=2)
    rows[1][1] = value
    return rows


def _with_entity(tmp_path: Path, name: str, doctype: str, entity: str) -> Path:
    rows = roster_rows(size=2)
    doc = "".join(sheet_xml(rows, doctype=doctype)).replace(f">{rows[1][1]}<", f">&{entity};<", 1)
    return write_xlsx(tmp_path / name, rows, sheet_doc=[doc])


def test_billion_laughs_is_refused_by_every_reader(cli, tmp_path):
    p = _with_entity(tmp_path, "laughs.xlsx", LAUGHS, "lol9")
    with pytest.raises(ReadError, match="不安全的 XML"):
        read_roster(p)
    code, _, err = cli("validate", p)
    assert code == 2 and "不安全的 XML" in err
    with pytest.raises(Exception) as e:  # openpyxl parses through defusedxml
        openpyxl.load_workbook(p)
    assert refused_by_defusedxml(e.value)
    # python-calamine on its own does not expand the entity either: harmless
    try:
        rows = CalamineWorkbook.from_path(str(p)).get_sheet_by_index(0).to_python()
        assert all(len(str(v)) < 1000 for r in rows for v in r)
    except Exception:
        pass


def test_external_entity_is_refused_and_never_read(cli, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-42")
    p = _with_entity(tmp_path, "xxe.xlsx", f'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file://{secret}">]>', "xxe")
    code, out, err = cli("validate", p, "--json", "-")
    assert code == 2 and "不安全的 XML" in err and "TOPSECRET" not in out + err
    with pytest.raises(Exception) as e:
        openpyxl.load_workbook(p)
    assert refused_by_defusedxml(e.value)
    try:
        rows = CalamineWorkbook.from_path(str(p)).get_sheet_by_index(0).to_python()
        assert "TOPSECRET" not in repr(rows)
    except Exception:
        pass


def test_dtd_in_the_workbook_part_is_refused(tmp_path):
    p = write_xlsx(tmp_path / "wb.xlsx", roster_rows(size=1), workbook_doctype='<!DOCTYPE x [<!ENTITY a "b">]>')
    with pytest.raises(ReadError, match="不安全的 XML"):
        read_roster(p)


@pytest.fixture
def no_calamine(monkeypatch):
    """Fail the test if the reader gets as far as parsing the sheet."""
    class Refuse:
        @staticmethod
        def from_path(*a, **k):
            raise AssertionError("the sheet was parsed before the checks")
        from_filelike = from_path

    monkeypatch.setattr(calamine_parse, "CalamineWorkbook", Refuse)


def test_zip_bomb_is_refused_before_reading(cli, tmp_path, no_calamine):
    rows = roster_rows(size=2)
    padding = " " * (40 * 1024**2)  # 40 MB of blanks inside the sheet XML: compresses ~1000×
    doc = "".join(sheet_xml(rows)).replace("<sheetData>", f"<sheetData>{padding}", 1)
    p = write_xlsx(tmp_path / "bomb.xlsx", rows, sheet_doc=[doc], compresslevel=9)
    assert p.stat().st_size < 1024**2
    code, _, err = cli("validate", p)
    assert code == 2 and "压缩炸弹" in err


def test_declared_total_and_cell_count_are_capped(tmp_path, monkeypatch, no_calamine):
    p = write_xlsx(tmp_path / "many.xlsx", roster_rows(size=50))
    monkeypatch.setattr(limits, "MAX_CELLS", 1000)
    with pytest.raises(ReadError, match="单元格超过 1,000 个"):
        read_roster(p)
    monkeypatch.setattr(limits, "MAX_CELLS", 10**9)
    monkeypatch.setattr(limits, "MAX_UNCOMPRESSED_BYTES", 10_000)
    with pytest.raises(ReadError, match="压缩炸弹"):
        read_roster(p)


HOSTILE = ["=HYPERLINK(\"http://evil\",\"点我\")", "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1+1", "=cmd|' /C calc'!A0"]


def _sheet_cells(path: Path) -> dict[str, str]:
    """Every worksheet XML of the output."""
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/sheet")}


def _assert_text_only(path: Path) -> None:
    sheets = _sheet_cells(path)
    # Our own helper sheets (the template's region picker) hold formulas; user text never becomes one.
    for name, xml in sheets.items():
        for formula in re.findall(r"<f(?: [^>]*)?>(.*?)</f>", xml, re.S):
            assert not any(t in formula for t in ("HYPERLINK", "+1+1", "-2+3", "@SUM", "=1+1", "cmd|")), (name, formula)
    joined = "".join(sheets.values())
    shared = ""
    with zipfile.ZipFile(path) as z:
        if "xl/sharedStrings.xml" in z.namelist():
            shared = z.read("xl/sharedStrings.xml").decode("utf-8")
    for text in ("HYPERLINK", "+1+1", "-2+3", "@SUM", "=1+1", "cmd|"):
        where = [m.start() for m in re.finditer(re.escape(text.replace('"', "&quot;")), joined)]
        assert where or text in shared.replace("&quot;", '"'), text
        for pos in where:  # the enclosing <c> is a string cell
            cell = joined[joined.rfind("<c ", 0, pos):pos]
            assert 't="inlineStr"' in cell or 't="s"' in cell or 't="str"' not in cell and "<is>" in cell, cell


@pytest.mark.parametrize("source", ["xlsx", "csv"])
def test_text_that_looks_like_a_formula_stays_text_in_every_writer(cli, tmp_path, source):
    rows = roster_rows(size=len(HOSTILE))
    from xueji_addin.spec.profiles import default_profile

    cols = [default_profile().headers.index(h) for h in ("现住址", "姓名", "通信地址")]
    for i, text in enumerate(HOSTILE, start=1):
        for c in cols:
            rows[i][c] = text
    if source == "xlsx":
        src = write_xlsx(tmp_path / "hostile.xlsx", rows)
    else:
        import csv

        src = tmp_path / "hostile.csv"
        with src.open("w", encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh).writerows(rows)
    marked, fixed = tmp_path / "marked.xlsx", tmp_path / "fixed.xlsx"
    code, _, err = cli("validate", src, "--marked", marked)
    assert code == 1, err
    cli("fix", src, "--out", fixed)
    for out in (marked, fixed):
        _assert_text_only(out)
        ws = openpyxl.load_workbook(out).worksheets[0]
        for i, text in enumerate(HOSTILE, start=2):
            assert ws.cell(i, cols[0] + 1).data_type == "s"


@settings(max_examples=40, deadline=None)
@given(chunk=st.integers(min_value=1, max_value=400))
def test_marks_split_between_chunks_are_found(chunk, tmp_path_factory):
    """The sheet XML is searched chunk by chunk: wherever a chunk ends (inside <f>, t="e", hidden=
    or a cell's tag), the facts and the cell count are those of a single read."""
    path = tmp_path_factory.getbasetemp() / "marks.xlsx"
    if not path.exists():
        rows = [["姓名", "性别", "出生日期"], ["张三", Formula("A2", "男"), "20150101"], ["李四", Error("#N/A"), "20150202"],
                ["王五", "女", "20150303"]]
        write_xlsx(path, rows, hidden_rows={4}, hidden_cols={3})
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(limits, "MAX_CELLS", 50)  # small enough that the cells are counted
        whole = inspect_package(path)
        mp.setattr(package, "_CHUNK", chunk)
        split = inspect_package(path)
    assert split == whole
    facts = next(iter(split.values()))
    assert facts.cells == 12
    assert facts.formulas == {(1, 1): True} and facts.errors == {(2, 1): "#N/A"}
    assert facts.hidden_rows == {3} and facts.hidden_cols == {2}


@settings(max_examples=30, deadline=None)
@given(chunk=st.integers(min_value=1, max_value=300))
def test_a_far_reference_split_between_chunks_is_found(chunk, tmp_path_factory):
    """The extent (how far a sheet reaches, checked before python-calamine builds its grid) is the
    same wherever the chunks of the sheet XML are cut."""
    path = tmp_path_factory.getbasetemp() / "far.xlsx"
    if not path.exists():
        doc = list(sheet_xml([["姓名", "性别"], ["张三", "男"]]))
        doc.insert(-2, '<row r="150000"><c r="DA150000" t="inlineStr"><is><t>x</t></is></c></row>'
                         '<row><c r="AAB150000" s="1"/></row>')
        write_xlsx(path, [], sheet_doc=doc)
    whole = next(iter(inspect_package(path).values())).extent
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(package, "_CHUNK", chunk)
        split = next(iter(inspect_package(path).values())).extent
    assert split == whole and (whole.rows, whole.cols) == (150000, 105)  # the empty AAB150000 holds no value



def test_lookup_sheets_are_measured_but_their_formulas_not_parsed(tmp_path, monkeypatch):
    """行政区划 and 代码表 are the template's lookups: nothing reads their formulas or error cells, so
    the reader does not parse their XML (four fifths of reading a class file); their size it checks."""
    parsed: list[str] = []
    details = package._details
    monkeypatch.setattr(package, "_details", lambda z, member, facts: (parsed.append(member), details(z, member, facts)))
    sample = Path(__file__).resolve().parents[1] / "workbook_template" / "示例班级_20240101.xlsx"
    got = {s.name: s for s in sheets.read_sheets(sample)}
    assert {"行政区划", "代码表"} <= got.keys() and got["行政区划"].rows, "the lookups are still read"
    assert parsed == [], "the template's picker formulas were parsed"
    rows = [["姓名", "身份证件号"], ["张三", Formula("1+1", 2)], ["李四", Error("#N/A")]]
    for name in ("行政区划", "代码表"):
        facts = inspect_package(write_xlsx(tmp_path / f"{name}.xlsx", rows, sheet=name))[name]
        assert not facts.formulas and not facts.errors
    facts = inspect_package(write_xlsx(tmp_path / "roster.xlsx", rows))["学生基础信息"]
    assert facts.formulas == {(1, 1): True} and facts.errors == {(2, 1): "#N/A"}  # a table's are still found
    far = [["姓名"]] + [[None]] * 3 + [[Formula("1+1", 2)]]
    doc = sheet_xml(far)
    doc = (piece.replace('<row r="5">', f'<row r="{limits.MAX_ROWS + 5}">').replace('r="A5"', f'r="A{limits.MAX_ROWS + 5}"') for piece in doc)
    with pytest.raises(ReadError, match="超过了 .* 行的上限"):
        inspect_package(write_xlsx(tmp_path / "far.xlsx", [], sheet="行政区划", sheet_doc=doc))


def test_a_county_of_200000_students_under_its_header_is_not_refused(tmp_path):
    """Issue 15's county file: 200,000 students below the header is 200,001 rows, within the limit."""
    doc = (piece.replace('<row r="2">', '<row r="200001">').replace('r="A2"', 'r="A200001"') for piece in sheet_xml([["姓名"], ["张三"]]))
    got = sheets.read_sheets(write_xlsx(tmp_path / "全县.xlsx", [], sheet_doc=doc))
    assert len(got[0].rows) == 200_001 and got[0].rows[-1] == ["张三"]
