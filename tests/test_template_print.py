"""The template printed as a registrar prints it (LibreOffice → PDF): blank, and with a class of 45
typed in. It printed as 83 pages, 4 columns each, the header on the first page only, then 64 pages
of the 行政区划 county list."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import openpyxl
import pytest

from tests.lo import convert, needs_libreoffice
from tests.test_cli import xueji
from xueji_addin.spec.profiles import default_profile
from xueji_addin.synth import class_roster

PROFILE = default_profile()
pytestmark = [needs_libreoffice, pytest.mark.libreoffice]


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def _typed(template: Path, out: Path, students: list[dict[str, str]]) -> Path:
    """The template as a teacher leaves it: the students typed under the header, nothing else touched."""
    wb = openpyxl.load_workbook(template)
    ws = wb[PROFILE.sheet_name]
    for r, rec in enumerate(students, start=PROFILE.header_row + 1):
        for c in PROFILE.columns:
            if rec.get(c.key):
                ws.cell(r, c.order).value = rec[c.key]
    wb.save(out)
    return out


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> tuple[dict[str, list[str]], int, list[dict[str, str]]]:
    d = tmp_path_factory.mktemp("print")
    template = d / "模板.xlsx"
    code, _, err = xueji("template", "--out", str(template))
    assert code == 0, err
    wide = openpyxl.load_workbook(template)[PROFILE.sheet_name].page_setup.fitToWidth
    students = [dict(r) for r in class_roster(3, 45)]
    files = [template, _typed(template, d / "一班.xlsx", students)]
    pdfs = convert(files, "pdf", d / "pdf")
    info = subprocess.run(["pdfinfo", str(pdfs[1])], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+841\.\d+ x 595\.\d+ pts \(A4\)", info)  # A4 landscape
    return {"blank": _pages(pdfs[0]), "class": _pages(pdfs[1])}, wide, students


def test_the_student_sheet_prints_few_pages_wide_with_the_header_and_name_on_each(printed):
    pages, wide, students = printed
    assert 4 <= wide <= 8  # derived from the column widths, at a readable scale
    for kind in ("blank", "class"):
        roster = pages[kind][:-1]
        assert len(roster) == wide, (kind, len(roster))  # a class of 45 is one band of pages tall
        for n, page in enumerate(roster, start=1):
            assert "姓名" in page and re.search(rf"第\s*{n}\s*页", page)
    headers = [h for h in PROFILE.headers if h != "姓名"]
    printed_headers = [h for page in pages["blank"][:-1] for h in headers if h in page]
    assert set(printed_headers) >= {"学校标识码", "身份证件号", "成员2职务"}  # first, middle and last columns
    for page in pages["class"][:-1]:  # every student's name on every page: each row can be followed across
        assert all(s["name"] in page for s in students)


def test_printing_the_workbook_gives_the_region_picker_not_the_county_list(printed):
    """The last page: the 行政区划 sheet's picker (its county list is for filtering on screen)."""
    pages, _, _ = printed
    for kind in ("blank", "class"):
        picker = pages[kind][-1]
        assert "行政区划代码查询" in picker and "北京市东城区" not in picker, kind
