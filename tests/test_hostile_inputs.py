"""Round two of the hostile suite, inputs: no native abort, no live formula, no corrupt output, no
markup on the screen (issue 17). Every file is built here; a command that could abort the process
runs in a process of its own (``xueji``)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.rawxlsx import sheet_xml, write_xlsx
from tests.robustness import cli, roster_rows, xueji  # noqa: F401 (fixture)

ODS_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')


def _far_xlsx(path: Path, far: str = "XFD1048576") -> Path:
    """A good roster with one more value, far out: a 5 KB file whose grid is 17 billion cells."""
    rows = roster_rows(size=2)
    doc = list(sheet_xml(rows))
    row = "".join(ch for ch in far if ch.isdigit())
    doc.insert(-2, f'<row r="{row}"><c r="{far}" t="inlineStr"><is><t>x</t></is></c></row>')
    return write_xlsx(path, rows, sheet_doc=doc)


def _ods(path: Path, rows_repeated: int, cols_repeated: int) -> Path:
    """A 2 KB .ods: a value, rows repeated empty, then a value after columns repeated empty."""
    cell = '<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>'
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NS} office:version="1.2">'
               '<office:body><office:spreadsheet><table:table table:name="学生基础信息">'
               f'<table:table-row>{cell.format("姓名")}</table:table-row>'
               f'<table:table-row table:number-rows-repeated="{rows_repeated}"><table:table-cell/></table:table-row>'
               f'<table:table-row><table:table-cell table:number-columns-repeated="{cols_repeated}"/>{cell.format("x")}'
               '</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'))
    return path


def _one_sentence(done, *words: str) -> None:
    assert done.returncode == 2, (done.returncode, done.stderr[-2000:])
    assert "Traceback" not in done.stderr and "panicked" not in done.stderr and "memory allocation" not in done.stderr
    assert all(w in done.stderr for w in words), done.stderr


# --- 3. sparse sheets: the grid is measured before python-calamine builds it -------------------

@pytest.mark.parametrize("far", ["XFD1048576", "XFD2000", "A1048576"])
def test_one_far_cell_is_one_sentence_not_an_abort(tmp_path, far):
    p = _far_xlsx(tmp_path / "远.xlsx", far)
    assert p.stat().st_size < 6000
    _one_sentence(xueji("validate", p, timeout=120), "远.xlsx", "上限", "已拒绝读取")


def test_a_far_cell_in_one_class_file_does_not_abort_the_merge(tmp_path):
    folder = tmp_path / "各班"
    folder.mkdir()
    write_xlsx(folder / "1班.xlsx", roster_rows(seed=1, size=3))
    _far_xlsx(folder / "2班.xlsx")
    done = xueji("merge", folder, "--out", tmp_path / "全校.xlsx", timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr[-2000:]
    assert (tmp_path / "全校.xlsx").exists() and "2班.xlsx" in done.stdout and "上限" in done.stdout


@pytest.mark.parametrize("rows, cols", [(1_048_574, 1), (1_048_574, 16_000), (5000, 16_000)])
def test_ods_of_repeated_empty_rows_and_columns(tmp_path, rows, cols):
    p = _ods(tmp_path / "重复.ods", rows, cols)
    _one_sentence(xueji("validate", p, timeout=120), "重复.ods", "上限")


def test_a_million_rows_of_two_cells_is_refused_before_it_is_read(tmp_path):
    header = roster_rows(size=0)[0]
    body = (f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{r}</t></is></c><c r="B{r}"><v>1</v></c></row>'
            for r in range(2, 1_048_577))
    p = write_xlsx(tmp_path / "百万.xlsx", [header], sheet_doc=[*list(sheet_xml([header]))[:-2], *body, "</sheetData>", "</worksheet>"])
    done = xueji("validate", p, timeout=300)  # took 12 GB and ended in an internal error
    _one_sentence(done, "百万.xlsx", "1,048,576", "上限")


def test_xlsb_is_refused_with_a_sentence(tmp_path):
    p = tmp_path / "二进制.xlsb"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.bin", b"\x83\x01\x00")
        z.writestr("xl/worksheets/sheet1.bin", b"\x81\x01\x00")
    _one_sentence(xueji("validate", p, timeout=60), "xlsb", "另存为 .xlsx")
