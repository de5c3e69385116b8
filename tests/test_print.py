"""打印本班确认表 / xueji print: the sheets' layout and print setup, and the pages LibreOffice prints."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import SETTINGS
from xueji_addin.actions.class_pages import ROSTER_HEADERS, SECTION_ORDER, class_sheets
from xueji_addin.actions.print_class import print_class
from xueji_addin.actions.print_pages import add_confirm_sheets, write_confirm_file
from xueji_addin.actions.print_record import RECORD_SHEET
from xueji_addin.actions.pipeline import check_source
from xueji_addin.cli.app import run
from xueji_addin.rules.engine import check
from xueji_addin.samples import SAMPLE_NAME, build_sample, sample_records, write_roster_xlsx
from xueji_addin.spec.profiles import default_profile
from xueji_addin.synth import class_roster, school_roster
from hypothesis import given, strategies as hs

from xueji_addin.workbook.confirm_sheet import SIGN_LINE
from xueji_addin.workbook.form_layout import PROBLEM_MARK, form_grid, form_page_height
from xueji_addin.workbook.print_layout import page_ends, printable_height_pt
from xueji_addin.workbook.host import FileHost

REPO = Path(__file__).resolve().parents[1]
HAS_LO = shutil.which("soffice") is not None and shutil.which("pdftotext") is not None
needs_lo = pytest.mark.skipif(not HAS_LO, reason="LibreOffice / poppler not installed")


def xueji(*args: str, path: str = "/usr/bin:/bin") -> tuple[int, str, str]:
    """The real command in a subprocess, as a user runs it (used where the environment matters)."""
    p = subprocess.run([sys.executable, "-m", "xueji_addin", *args], capture_output=True, text=True, cwd=REPO,
                       env={"PYTHONPATH": str(REPO), "PATH": path, "COLUMNS": "200", "HOME": "/tmp"})
    return p.returncode, p.stdout, p.stderr


def xueji_here(capsys, *args: str) -> tuple[int, str, str]:
    """The same command in this process (no interpreter start-up: the suite stays fast)."""
    code = run(list(args))
    out = capsys.readouterr()
    return code, out.out.replace("\n", ""), out.err.replace("\n", "")  # rich wraps at the console width


def page_text(pdf: Path, n: int | None = None, *extra: str) -> str:
    pages = ["-f", str(n), "-l", str(n)] if n else []
    return subprocess.run(["pdftotext", "-layout", *pages, *extra, str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def page_count(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", out).group(1))


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    return build_sample(tmp_path_factory.mktemp("sample") / SAMPLE_NAME)


@pytest.fixture(scope="module")
def sample_sheets(sample):
    checked = check_source(sample, SETTINGS).students()
    return checked, class_sheets(checked.roster, checked.findings, SETTINGS)


@pytest.fixture(scope="module")
def sample_xlsx(sample_sheets, tmp_path_factory) -> openpyxl.Workbook:
    """The sample's sheets (both layouts) written to a file and read back."""
    _, sheets = sample_sheets
    out = tmp_path_factory.mktemp("xlsx") / "c.xlsx"
    assert write_confirm_file(out, sheets, "both") == ["确认表", "核对名单"]
    return openpyxl.load_workbook(out)


# --- the workbook itself -----------------------------------------------------------------------


def test_form_sheet_has_a_break_after_each_student_and_a4_fit_to_width(sample_sheets, sample_xlsx):
    checked, sheets = sample_sheets
    ws = sample_xlsx["确认表"]
    titles = [c.row for c in ws["A"] if c.value == "2161010001 20240101班 学生基本信息确认表"]
    assert len(titles) == 45 == len(checked.roster)
    breaks = [b.id for b in ws.row_breaks.brk]
    assert breaks == [t - 1 for t in titles[1:]]  # the break is on each page's last row
    signs = [c.row for c in ws["A"] if c.value == SIGN_LINE]
    codes = [c.row for c in ws["A"] if str(c.value or "").startswith("确认码：")]  # each page ends with its 确认码
    assert codes[:-1] == breaks and len(signs) == 45 and [s + 1 for s in signs] == codes
    ps = ws.page_setup
    assert (ps.paperSize, ps.orientation, ps.fitToWidth, ps.fitToHeight) == (9, "portrait", 1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.print_area == f"'确认表'!$A$1:$F${codes[-1]}"
    assert "2161010001" in ws.oddHeader.left.text and "20240101班" in ws.oddHeader.right.text
    # the sheet's own pages, numbered from 1 whatever prints before it (&N would count the whole file's)
    assert ws.oddFooter.center.text == "第 &P 页，共 45 页"
    assert (ws.page_setup.firstPageNumber, ws.page_setup.useFirstPageNumber) == (1, True)
    assert ws.page_margins.left == 0.5 and ws.page_margins.top == 0.6


def test_every_field_of_the_profile_is_on_each_form_grouped_by_section(sample_sheets):
    _, sheets = sample_sheets
    profile = default_profile()
    form = sheets[0].forms[0]
    assert [s.title for s in form.sections] == list(SECTION_ORDER)
    assert sum(len(s.items) for s in form.sections) == len(profile.columns) == 71
    for s in form.sections:
        headers = [c.header for c in profile.columns if c.section == s.title]
        labels = [i.label for i in s.items]
        # a member's section drops the "成员1" prefix its section already says
        assert labels == [h[3:] if h.startswith("成员") else h for h in headers]


def test_code_values_print_as_names_and_regions_by_name(tmp_path):
    recs = [dict(r) for r in class_roster(5, 3)]
    recs[0]["ethnicity"] = "01"  # a code typed instead of the name
    recs[1]["ethnicity"] = "汉"  # a known short form
    path = tmp_path / "c.xlsx"
    write_roster_xlsx(path, recs)
    checked = check_source(path, SETTINGS).students()
    sheets = class_sheets(checked.roster, checked.findings, SETTINGS)
    values = [{i.label: i.value for s in f.sections if s.title == "学生个人基础信息" for i in s.items} for f in sheets[0].forms]
    assert values[0]["民族"] == "汉族" and values[1]["民族"] == "汉族"
    assert values[0]["出生日期"] == "-".join((recs[0]["birth_date"][:4], recs[0]["birth_date"][4:6], recs[0]["birth_date"][6:]))
    assert values[0]["出生地行政区划代码"].endswith(f"（{recs[0]['birthplace_code']}）")
    assert "省" in values[0]["出生地行政区划代码"] or "市" in values[0]["出生地行政区划代码"]


def test_findings_are_marked_and_required_blanks_left_visible(sample_sheets, sample_xlsx):
    checked, sheets = sample_sheets
    ws = sample_xlsx["确认表"]
    _, mistakes = sample_records()
    # the student whose current address was left empty (sample row 31): a marked, empty box
    i = next(i for i, key, _, _ in mistakes if key == "current_address")
    page_start = [c.row for c in ws["A"] if c.value and str(c.value).endswith("学生基本信息确认表")][i]
    label = next(c for row in ws.iter_rows(min_row=page_start, max_row=page_start + 40) for c in row
                 if c.value == f"现住址 {PROBLEM_MARK}")
    value = ws.cell(label.row, label.column + 1)
    assert value.value is None and value.fill.fgColor.rgb.endswith("FFC7CE")
    assert ws.row_dimensions[label.row].height >= 30  # room to write the address in by hand
    problems = next(c.value for c in ws["A"][page_start:page_start + 45] if str(c.value or "").startswith("需核对"))
    assert "现住址：必填项为空" in problems or "现住址：" in problems
    # a clean student's page has no mark at all
    clean = next(n for n, f in enumerate(sheets[0].forms) if not f.problems)
    start = [c.row for c in ws["A"] if c.value and str(c.value).endswith("学生基本信息确认表")][clean]
    texts = [str(c.value) for row in ws.iter_rows(min_row=start, max_row=start + 38) for c in row if c.value]
    assert not any(PROBLEM_MARK in t for t in texts[:-3])


def test_roster_sheet_repeats_its_header_rows_and_has_a_signature_column(sample_xlsx):
    ws = sample_xlsx["核对名单"]
    assert ws.print_title_rows == "$1:$2"
    assert [c.value for c in ws[2]] == list(ROSTER_HEADERS) and ROSTER_HEADERS[-1] == "学生（监护人）签字"
    assert ws.max_row == 2 + 45 + 1 and ws.cell(ws.max_row, 1).value.startswith("以上名单已由学生（监护人）逐一核对")
    assert ws.print_area == f"'核对名单'!$A$1:$L${ws.max_row}"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    breaks = [b.id for b in ws.row_breaks.brk]
    assert breaks and breaks == sorted(breaks) and breaks[-1] < ws.max_row - 1  # the closing line has company
    assert ws.oddFooter.center.text == f"第 &P 页，共 {len(breaks) + 1} 页" and ws.page_setup.firstPageNumber == 1
    first = [c.value for c in ws[3]]
    assert first[0] == "1" and first[-1] is None
    assert "（" in first[8]  # 监护人: name (relation)
    assert not first[6].isdigit()  # 户口所在地 by name


def test_mask_hides_the_middle_of_ids_and_phones(tmp_path, capsys):
    recs = class_roster(11, 4)
    path = tmp_path / "c.xlsx"
    write_roster_xlsx(path, recs)
    out = tmp_path / "m.xlsx"
    code, _, err = xueji_here(capsys, "print", str(path), "--out", str(out), "--layout", "both", "--mask")
    assert code == 0, err
    wb = openpyxl.load_workbook(out)
    texts = " ".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value)
    for r in recs:
        for key in ("id_number", "m1_id_number", "phone", "m1_phone"):
            if r.get(key):
                assert r[key] not in texts
        assert r["id_number"][:6] + "********" + r["id_number"][-4:] in texts
        assert r["phone"][:3] + "****" + r["phone"][-4:] in texts


def test_class_option_keeps_one_class_and_names_the_missing_one(tmp_path, capsys):
    path = tmp_path / "school.xlsx"
    recs = school_roster(3, 2, 4)
    write_roster_xlsx(path, recs)
    classes = sorted({r["class_no"] for r in recs})
    out = tmp_path / "one.xlsx"
    code, stdout, err = xueji_here(capsys, "print", str(path), "--out", str(out), "--class", classes[0], "--layout", "roster")
    assert code == 0, err
    ws = openpyxl.load_workbook(out)["核对名单"]
    names = {c.value for c in ws["B"][2:-1]}  # below the header rows, above the signature line
    assert names == {r["name"] for r in recs if r["class_no"] == classes[0]}
    assert f"{classes[0]}班" in ws["A1"].value
    code, _, err = xueji_here(capsys, "print", str(path), "--out", str(tmp_path / "x.xlsx"), "--class", "99999999")
    assert code == 2 and "没有班号为 99999999 的学生" in err and classes[0] in err and "Traceback" not in err
    # without --class a school file gets one sheet per class
    code, _, err = xueji_here(capsys, "print", str(path), "--out", str(out), "--layout", "both")
    assert code == 0, err
    assert openpyxl.load_workbook(out).sheetnames[:-1] == [f"{c}班{k}" for c in [recs[0]["class_no"], recs[-1]["class_no"]]
                                                       for k in ("确认表", "核对名单")]


def test_odd_class_numbers_still_make_valid_sheet_names(tmp_path, capsys):
    recs = [dict(r) for r in class_roster(6, 4)]
    recs[0]["class_no"], recs[1]["class_no"] = "2024/01", "2024:01"  # mistyped: characters Excel refuses
    path = tmp_path / "c.xlsx"
    write_roster_xlsx(path, recs)
    out = tmp_path / "o.xlsx"
    code, _, err = xueji_here(capsys, "print", str(path), "--out", str(out))
    assert code == 0, err
    names = openpyxl.load_workbook(out).sheetnames
    assert names == ["2024_01班确认表", "2024_01班确认表(2)", "20240101班确认表", RECORD_SHEET]  # the record: hidden


def test_school_name_from_settings_titles_the_pages(tmp_path, capsys):
    path = tmp_path / "c.xlsx"
    write_roster_xlsx(path, class_roster(2, 2))
    toml = tmp_path / "xueji.toml"
    toml.write_text('school_name = "某某县实验小学"\n', "utf-8")
    out = tmp_path / "o.xlsx"
    assert xueji_here(capsys, "print", str(path), "--out", str(out), "--settings", str(toml))[0] == 0
    ws = openpyxl.load_workbook(out)["确认表"]
    assert ws["A1"].value == "某某县实验小学 20240101班 学生基本信息确认表"
    assert ws.oddHeader.left.text == "某某县实验小学"


def test_sheets_added_to_an_existing_workbook_through_the_host(tmp_path):
    sample = tmp_path / "class.xlsx"
    write_roster_xlsx(sample, class_roster(21, 6))
    host = FileHost.open(sample)
    names = print_class(host, "学生基础信息", SETTINGS, layout="both")
    assert names == ["确认表", "核对名单"]
    assert [n for n in host.sheet_names() if n not in {"行政区划", "代码表", "学校设置", RECORD_SHEET}] == ["学生基础信息", "确认表", "核对名单"]
    assert host.wb.active.title == "确认表"  # what the button shows in print preview
    host.save(tmp_path / "with.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "with.xlsx")
    original = openpyxl.load_workbook(sample)["学生基础信息"]
    assert [[c.value for c in r] for r in wb["学生基础信息"].iter_rows()] == [[c.value for c in r] for r in original.iter_rows()]
    assert len(wb["确认表"].row_breaks.brk) == 5
    # pressing the button again replaces the sheets rather than adding more
    print_class(FileHost(wb), "学生基础信息", SETTINGS, layout="form")
    assert [n for n in wb.sheetnames if n not in {"行政区划", "代码表", "学校设置", RECORD_SHEET}] == ["学生基础信息", "确认表", "核对名单"]


def test_add_confirm_sheets_places_them_after_a_given_sheet(tmp_path):
    recs = class_roster(8, 3)
    from xueji_addin.rules.roster import Roster

    roster = Roster.from_records(default_profile(), recs)
    sheets = class_sheets(roster, check(roster, SETTINGS), SETTINGS)
    wb = openpyxl.Workbook()
    wb.active.title = "学生基础信息"
    wb.create_sheet("说明")
    assert add_confirm_sheets(wb, sheets, "both", after="学生基础信息") == ["确认表", "核对名单"]
    assert [n for n in wb.sheetnames if n not in {"行政区划", "代码表", "学校设置", RECORD_SHEET}] == ["学生基础信息", "确认表", "核对名单", "说明"]


def test_every_sample_page_is_planned_to_fit_one_a4_page(sample_sheets):
    _, sheets = sample_sheets
    forms = sheets[0].forms
    grid = form_grid(forms)
    assert max(form_page_height(f, grid) for f in forms) <= printable_height_pt()


def test_a_page_with_long_values_widens_the_grid_so_it_still_fits():
    recs = [dict(r) for r in class_roster(9, 2)]
    long_address = "某某省某某市某某县某某镇某某村某某组" * 3
    for key in ("current_address", "mailing_address", "home_address", "m1_address", "m2_address", "specialty"):
        recs[0][key] = long_address + key  # all different, so none prints as "同现住址"
    from xueji_addin.rules.roster import Roster

    roster = Roster.from_records(default_profile(), recs)
    sheets = class_sheets(roster, check(roster, SETTINGS), SETTINGS)
    grid = form_grid(sheets[0].forms)
    assert grid.scale > 1
    assert form_page_height(sheets[0].forms[0], grid) <= printable_height_pt()


def test_bad_options_exit_2_with_one_chinese_sentence(tmp_path, capsys):
    path = tmp_path / "c.xlsx"
    write_roster_xlsx(path, class_roster(2, 2))
    code, _, err = xueji_here(capsys, "print", str(path), "--out", str(tmp_path / "o.xlsx"), "--layout", "poster")
    assert code == 2 and "--layout 只能是" in err
    code, _, err = xueji_here(capsys, "print", str(path), "--out", str(path))
    assert code == 2 and "不能与输入文件" in err
    code, _, err = xueji_here(capsys, "print", str(tmp_path / "none.xlsx"), "--out", str(tmp_path / "o.xlsx"))
    assert code == 2 and "找不到文件" in err


def test_pdf_without_libreoffice_says_so_and_keeps_the_xlsx(tmp_path, capsys, monkeypatch):
    path = tmp_path / "c.xlsx"
    write_roster_xlsx(path, class_roster(2, 2))
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    monkeypatch.setenv("PATH", str(empty_bin))
    monkeypatch.setattr("xueji_addin.workbook.pdf.MAC_SOFFICE", tmp_path / "none")
    out, pdf = tmp_path / "o.xlsx", tmp_path / "o.pdf"
    code, _, err = xueji_here(capsys, "print", str(path), "--out", str(out), "--pdf", str(pdf))
    assert code == 2 and "没有找到 LibreOffice" in err and "Traceback" not in err
    assert out.exists() and not pdf.exists()


def test_excel_values_that_look_like_formulas_stay_text(tmp_path, capsys):
    recs = [dict(r) for r in class_roster(4, 2)]
    recs[0]["specialty"] = "=HYPERLINK(\"http://x\")"
    path = tmp_path / "c.xlsx"
    write_roster_xlsx(path, recs)
    out = tmp_path / "o.xlsx"
    assert xueji_here(capsys, "print", str(path), "--out", str(out))[0] == 0
    ws = openpyxl.load_workbook(out)["确认表"]
    cell = next(c for row in ws.iter_rows() for c in row if c.value == recs[0]["specialty"])
    assert cell.data_type == "s"


# --- the printed pages (LibreOffice) ----------------------------------------------------------


@pytest.fixture(scope="module")
def sample_pdf(sample, tmp_path_factory) -> Path:
    if not HAS_LO:
        pytest.skip("LibreOffice / poppler not installed")
    d = tmp_path_factory.mktemp("pdf")
    code, _, err = xueji("print", str(sample), "--out", str(d / "c.xlsx"), "--pdf", str(d / "c.pdf"),
                         "--layout", "both", path="/usr/bin:/bin:/usr/local/bin")
    assert code == 0, err
    return d / "c.pdf"


@pytest.mark.libreoffice
@needs_lo
def test_one_page_per_student_each_with_its_name_and_id(sample_pdf, sample_sheets):
    _, sheets = sample_sheets
    s = sheets[0]
    total = page_count(sample_pdf)
    form_pages = [n for n in range(1, total + 1) if "班学生基本信息确认表" in page_text(sample_pdf, n).replace(" ", "")]
    assert len(form_pages) == len(s.forms) == 45
    assert form_pages == list(range(1, 46))
    for n, (name, id_number) in enumerate(zip(s.names, s.id_numbers), start=1):
        text = page_text(sample_pdf, n)
        assert name.replace(" ", "") in text.replace(" ", ""), n  # one sample name has stray spaces
        assert id_number in text, n
        assert "以上信息经核对无误" in text and "班主任签字" in text, n
        assert f"第 {n} 页，共 45 页" in text  # of this class's forms, not of the whole PDF


@pytest.mark.libreoffice
@needs_lo
def test_nothing_is_cut_at_the_right_edge(sample_pdf):
    bbox = page_text(sample_pdf, 1, "-bbox")
    width = float(re.search(r'<page width="([\d.]+)"', bbox).group(1))
    words = re.findall(r'xMax="([\d.]+)"[^>]*>([^<]*)</word>', bbox)
    assert max(float(x) for x, _ in words) <= width - 0.4 * 72  # inside the 0.5" right margin
    text = page_text(sample_pdf, 1).replace(" ", "")
    # the right-most column of the grid: 出生日期's value, 健康状况's, the family members' ID numbers
    for expected in ("出生日期", "健康状况", "健康或良好", "邮政编码", "710061", "班主任签字"):
        assert expected in text


@pytest.mark.libreoffice
@needs_lo
def test_roster_pages_repeat_their_header_rows(sample_pdf, sample_sheets):
    _, sheets = sample_sheets
    total = page_count(sample_pdf)
    roster_pages = list(range(46, total + 1))
    assert len(roster_pages) >= 2  # 45 signature rows do not fit one page
    seen = []
    for k, n in enumerate(roster_pages, start=1):
        text = page_text(sample_pdf, n)
        assert f"第 {k} 页，共 {len(roster_pages)} 页" in text, n  # the list's own pages: our breaks, no more
        flat = text.replace(" ", "")
        assert "学生基本信息核对名单" in flat and "身份证件号" in flat and "学生（监护人）签字" in flat, n
        seen += [name for name in sheets[0].names if name.replace(" ", "") in flat]
    assert sorted(set(seen)) == sorted(set(sheets[0].names))


@pytest.mark.libreoffice
@needs_lo
def test_masked_pdf_shows_no_full_number(tmp_path):
    recs = class_roster(13, 3)
    path = tmp_path / "c.xlsx"
    write_roster_xlsx(path, recs)
    pdf = tmp_path / "m.pdf"
    code, _, err = xueji("print", str(path), "--out", str(tmp_path / "m.xlsx"), "--pdf", str(pdf), "--mask",
                         "--layout", "both", path="/usr/bin:/bin:/usr/local/bin")
    assert code == 0, err
    text = page_text(pdf)
    assert page_count(pdf) == 3 + 1
    flat = text.replace(" ", "")
    for r in recs:
        for key in ("id_number", "phone", "m1_id_number", "m1_phone", "m2_id_number", "m2_phone"):
            assert not r.get(key) or r[key] not in flat
        assert r["id_number"][:6] + "********" + r["id_number"][-4:] in text


@pytest.mark.libreoffice
@needs_lo
def test_each_sheet_of_a_school_print_numbers_its_own_pages(tmp_path):
    path = tmp_path / "全校.xlsx"
    write_roster_xlsx(path, [dict(r) for r in school_roster(4, 2, 14)])
    pdf = tmp_path / "s.pdf"
    code, _, err = xueji("print", str(path), "--out", str(tmp_path / "s.xlsx"), "--pdf", str(pdf), "--layout", "both",
                         path="/usr/bin:/bin:/usr/local/bin")
    assert code == 0, err
    wb = openpyxl.load_workbook(tmp_path / "s.xlsx")
    planned = [(ws.title, len(ws.row_breaks.brk) + 1) for ws in wb.worksheets if ws.sheet_state == "visible"]
    assert [n for _, n in planned[::2]] == [14, 14] and all(n >= 2 for _, n in planned[1::2])
    footers = [re.search(r"第 (\d+) 页，共 (\d+) 页", page_text(pdf, n)).groups() for n in range(1, page_count(pdf) + 1)]
    expected = [(str(k), str(n)) for _, n in planned for k in range(1, n + 1)]
    assert footers == expected  # every sheet from 第 1 页, its total its own; no page LibreOffice added


@given(hs.lists(hs.floats(min_value=20, max_value=120), min_size=1, max_size=80), hs.floats(min_value=100, max_value=600))
def test_page_ends_fill_pages_in_order_and_never_leave_the_last_row_alone(heights, budget):
    ends = page_ends(heights, budget)
    assert ends == sorted(set(ends)) and ends[-1] == len(heights) - 1
    starts = [0] + [e + 1 for e in ends[:-1]]
    for s, e in zip(starts, ends):
        assert sum(heights[s:e + 1]) <= budget or s == e  # a page holds what fits (a giant row: alone)
    if len(ends) > 1 and starts[-1] == ends[-1]:  # the last row alone: only when the page before had one row
        assert starts[-2] == ends[-2] or heights[-2] + heights[-1] > budget
