"""The template workbook, checked against the profile column by column, opened by LibreOffice,
its region picker worked through, and its help carried into every roster file the tool writes."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tests.conftest import SETTINGS, roundtrip
from tests.lo import convert, needs_libreoffice
from xueji_addin.cli.app import run
from xueji_addin.samples import SAMPLE_NAME, build_sample, write_roster_xlsx
from xueji_addin.spec.codes import code_table
from xueji_addin.spec.columns import Kind
from xueji_addin.spec.profiles import default_profile
from xueji_addin.spec.settings import Settings
from xueji_addin.workbook import names
from xueji_addin.workbook.conditional import cell_formulas, sheet_ref
from xueji_addin.workbook.reader import read_roster
from xueji_addin.workbook.region_picker import PICK_CITY, PICK_CODE, PICK_COUNTY, PICK_PROVINCE, SEARCH, SEARCH_CODE, SEARCH_NAME
from xueji_addin.workbook.styling import REQUIRED_FONT, is_required
from xueji_addin.workbook.template import DATA_ROWS, PREFILL_ROWS, TEMPLATE_NAME, write_template

REPO = Path(__file__).resolve().parents[1]
PROFILE = default_profile()


def xueji(*args: str) -> int:
    return run(list(args))


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return write_template(tmp_path_factory.mktemp("tpl") / TEMPLATE_NAME)


def _range_values(wb: openpyxl.Workbook, name: str) -> list[str]:
    dests = list(wb.defined_names[name].destinations)
    assert len(dests) == 1, name
    sheet, ref = dests[0]
    return [c.value for row in wb[sheet][ref.replace("$", "")] for c in row if c.value is not None]


def _validations(ws) -> dict[str, object]:
    """Column letter → the validation covering that column's data rows."""
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            out[rng.coord.split(":")[0].rstrip("0123456789")] = (dv, rng.coord)
    return out


def _conditional(ws) -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = {}
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            out.setdefault(str(cf.sqref), []).append(rule.formula[0])
    return out


def test_every_column_follows_the_profile(template):
    wb = openpyxl.load_workbook(template)
    assert wb.sheetnames[0] == PROFILE.sheet_name and wb.active.title == PROFILE.sheet_name
    ws = wb[PROFILE.sheet_name]
    assert [c.value for c in ws[1]][: len(PROFILE.columns)] == PROFILE.headers
    assert ws.max_column == len(PROFILE.columns) and ws.freeze_panes == "A2"
    dvs, cfs = _validations(ws), _conditional(ws)
    ref, span = sheet_ref(PROFILE, 2)
    expected_cf: dict[str, list[str]] = {}
    for cf in cell_formulas(PROFILE, Settings(), ref, span):
        letter = PROFILE.by_key[cf.key].letter
        expected_cf.setdefault(f"{letter}2:{letter}{DATA_ROWS + 1}", []).append(cf.formula)
    for col in PROFILE.columns:
        head = ws.cell(1, col.order)
        assert (head.font.color.rgb == REQUIRED_FONT.color.rgb) == is_required(col.required), col.header
        assert col.help in head.comment.text
        fmt = ws.column_dimensions[col.letter].number_format
        assert (fmt == "@") == col.kind.is_text_format, (col.header, fmt)
        dv, coord = dvs[col.letter]
        assert coord == f"{col.letter}2:{col.letter}{DATA_ROWS + 1}"
        assert dv.showInputMessage and dv.prompt and dv.promptTitle == col.header[:32]
        if col.kind is Kind.CODE:
            assert dv.type == "list" and dv.formula1 == names.code_list(col.code_table)
            assert dv.errorStyle == "warning" and dv.showErrorMessage
            sheet, _ = next(iter(wb.defined_names[dv.formula1].destinations))
            assert sheet == names.CODE_SHEET
            assert _range_values(wb, dv.formula1) == code_table(col.code_table).names
        else:
            assert dv.type is None, col.header  # input message only (班号 gets a list when classes are set)
        got = cfs.get(f"{col.letter}2:{col.letter}{DATA_ROWS + 1}", [])
        assert got == expected_cf.get(f"{col.letter}2:{col.letter}{DATA_ROWS + 1}", []), col.header
        if col.kind in (Kind.CODE, Kind.ID_NUMBER, Kind.DATE, Kind.REGION, Kind.PHONE, Kind.POSTCODE, Kind.YEAR_MONTH):
            assert any("AND(NOT(LEN(TRIM(" in f for f in got), f"{col.header} has no format rule"
    assert sum(len(v) for v in cfs.values()) == sum(len(v) for v in expected_cf.values())


def test_helper_sheets_hidden_protected_and_named(template):
    wb = openpyxl.load_workbook(template)
    assert wb.sheetnames == [PROFILE.sheet_name, names.REGION_SHEET, names.CODE_SHEET, names.SETTINGS_SHEET]
    assert wb[names.CODE_SHEET].sheet_state == "hidden" and wb[names.CODE_SHEET].protection.sheet
    assert wb[names.SETTINGS_SHEET].sheet_state == "hidden"
    assert wb[names.REGION_SHEET].sheet_state == "visible" and wb[names.REGION_SHEET].protection.sheet
    assert _range_values(wb, names.SCHOOL_TYPES) == list(code_table("XXLB").codes)
    assert _range_values(wb, names.PROVINCE_CODES) == list(code_table("XXBSM").codes)
    assert all(n.startswith(names.PREFIX) for n in wb.defined_names)
    # No inline list anywhere: Excel drops inline lists over 255 characters.
    for ws in wb.worksheets:
        for dv in ws.data_validations.dataValidation:
            assert not (dv.formula1 or "").startswith('"'), dv.formula1


def _signature(path: Path) -> dict[str, object]:
    """What a template means, independent of openpyxl's byte-level output."""
    wb = openpyxl.load_workbook(path)
    sig: dict[str, object] = {"sheets": [(ws.title, ws.sheet_state) for ws in wb.worksheets],
                              "names": sorted((n, d.attr_text) for n, d in wb.defined_names.items())}
    for ws in wb.worksheets:
        sig[ws.title] = {
            "values": [[c.value for c in row] for row in ws.iter_rows()],
            "formats": {k: d.number_format for k, d in sorted(ws.column_dimensions.items())},
            "validations": sorted((str(dv.sqref), dv.type or "", dv.formula1 or "", dv.errorStyle or "", dv.prompt or "")
                                  for dv in ws.data_validations.dataValidation),
            "conditional": sorted((str(cf.sqref), r.formula[0], r.dxf.fill.bgColor.rgb) for cf in ws.conditional_formatting
                                  for r in cf.rules),
            "notes": [c.comment.text for c in ws[1] if c.comment],
            "print": (ws.page_setup.orientation, ws.page_setup.paperSize, ws.page_setup.fitToWidth,
                      ws.print_title_rows, ws.print_title_cols, ws.print_area),
        }
    return sig


def test_committed_template_is_current(template):
    committed = REPO / "workbook_template" / TEMPLATE_NAME
    assert _signature(committed) == _signature(template), (
        "workbook_template 中的模板已过时：运行 xueji template --out workbook_template/学生基础信息导入模板.xlsx")


def test_template_with_settings_and_class(tmp_path):
    toml = tmp_path / "xueji.toml"
    toml.write_text('school_code = "2161010001"\nclasses = ["20240101", "20240102"]\n', "utf-8")
    out = tmp_path / "一年级1班.xlsx"
    assert xueji("template", "--out", str(out), "--settings", str(toml), "--class", "20240101") == 0
    wb = openpyxl.load_workbook(out)
    ws = wb[PROFILE.sheet_name]
    school, cls = PROFILE.by_key["school_code"], PROFILE.by_key["class_no"]
    assert [ws.cell(r, cls.order).value for r in range(2, PREFILL_ROWS + 2)] == ["20240101"] * PREFILL_ROWS
    assert ws.cell(2, school.order).value == "2161010001" and ws.cell(PREFILL_ROWS + 2, cls.order).value is None
    dv, _ = _validations(ws)[cls.letter]
    assert dv.type == "list" and dv.formula1 == names.CLASSES and _range_values(wb, names.CLASSES) == ["20240101", "20240102"]
    assert any('"2161010001"' in f for f in _conditional(ws)[f"{school.letter}2:{school.letter}{DATA_ROWS + 1}"])
    settings_rows = {r[0]: r[1] for r in wb[names.SETTINGS_SHEET].iter_rows(min_row=2, values_only=True)}
    assert settings_rows["school_code"] == "2161010001" and settings_rows["classes"] == "20240101、20240102"
    # Prefilled rows are not students: the empty template checks clean (only "no data").
    roster = read_roster(out)
    assert len(roster) == 0
    # A class not in the settings, or not 6/8 digits, is refused with one sentence and exit 2.
    assert xueji("template", "--out", str(tmp_path / "x.xlsx"), "--settings", str(toml), "--class", "20249999") == 2
    assert xueji("template", "--out", str(tmp_path / "x.xlsx"), "--class", "2024-1") == 2
    assert not (tmp_path / "x.xlsx").exists()


def _values(path: Path, sheet: str) -> list[list[object]]:
    return [[c.value for c in row] for row in openpyxl.load_workbook(path)[sheet].iter_rows()]


def test_dropdowns_gives_an_old_file_the_help_without_changing_values(tmp_path, clean_records):
    plain = tmp_path / "旧导出.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = PROFILE.sheet_name
    ws.append(PROFILE.headers)
    for rec in clean_records:
        ws.append([rec.get(c.key) for c in PROFILE.columns])
    ws["D3"] = 20170101  # a date typed as a number stays a number
    wb.save(plain)
    before = plain.read_bytes()
    out = tmp_path / "已加下拉.xlsx"
    assert xueji("dropdowns", str(plain), "--out", str(out)) == 0
    assert plain.read_bytes() == before
    assert _values(out, PROFILE.sheet_name) == _values(plain, PROFILE.sheet_name)
    got = openpyxl.load_workbook(out)
    ws = got[PROFILE.sheet_name]
    assert _validations(ws)[PROFILE.by_key["ethnicity"].letter][0].formula1 == names.code_list("MZ")
    assert ws["M2"].number_format == "@" and ws["D3"].number_format == "General"
    assert names.CODE_SHEET in got.sheetnames and names.REGION_SHEET in got.sheetnames
    # Run again on its own output: nothing doubles.
    again = tmp_path / "再刷新.xlsx"
    assert xueji("dropdowns", str(out), "--out", str(again)) == 0
    assert _signature(again) == _signature(out)


def test_dropdowns_refuses_a_header_that_differs(tmp_path, clean_records):
    path = tmp_path / "错列.xlsx"
    headers = PROFILE.headers[:]
    headers[2], headers[3] = headers[3], headers[2]
    wb = openpyxl.Workbook()
    wb.active.append(headers)
    wb.save(path)
    assert xueji("dropdowns", str(path), "--out", str(tmp_path / "o.xlsx")) == 2
    assert not (tmp_path / "o.xlsx").exists()


def test_marked_and_fixed_copies_carry_the_template(tmp_path):
    sample = build_sample(tmp_path / SAMPLE_NAME)
    marked, fixed = tmp_path / "已标记.xlsx", tmp_path / "已修正.xlsx"
    xueji("validate", str(sample), "--marked", str(marked))
    xueji("fix", str(sample), "--out", str(fixed))
    for path in (marked, fixed):
        wb = openpyxl.load_workbook(path)
        ws = wb[PROFILE.sheet_name]
        assert _validations(ws)[PROFILE.by_key["gender"].letter][0].formula1 == names.code_list("XB")
        assert len(_conditional(ws)) > 40 and names.CODE_SHEET in wb.sheetnames
    # The fixed postcode (was the number 710061) is now text in a Text cell.
    ws = openpyxl.load_workbook(fixed)[PROFILE.sheet_name]
    cell = ws[f"{PROFILE.by_key['postcode'].letter}33"]
    assert cell.value == "710061" and cell.number_format == "@"


def test_full_width_digits_in_digit_columns_are_reported(tmp_path, clean_records):
    recs = [dict(r) for r in clean_records]
    recs[0]["seat_no"] = "１2"
    recs[1]["postcode"] = "７10061"
    recs[2]["phone"] = "１39" + str(recs[2]["phone"])[3:]
    found = {(f.code, f.cell) for f in roundtrip(tmp_path, recs, SETTINGS)}
    for key, row in (("seat_no", 2), ("postcode", 3), ("phone", 4)):
        assert ("XJ112", f"{PROFILE.by_key[key].letter}{row}") in found


@pytest.mark.libreoffice
@needs_libreoffice
def test_libreoffice_opens_the_template_and_the_picker_finds_yanta(template, tmp_path):
    pdf = convert([template], "pdf", tmp_path / "pdf")[0]
    assert pdf.stat().st_size > 10_000
    wb = openpyxl.load_workbook(template)
    ws = wb[names.REGION_SHEET]
    ws[PICK_PROVINCE], ws[PICK_CITY], ws[PICK_COUNTY], ws[SEARCH] = "陕西省", "西安市", "陕西省西安市雁塔区", "雁塔"
    ws["F4"], ws["F5"] = f"=ROWS({names.REGION_CITIES})", f"=INDEX({names.REGION_COUNTIES},1)"
    ws["F6"] = f"=ROWS({names.REGION_COUNTIES})"
    picked = tmp_path / "picked.xlsx"
    wb.save(picked)
    out = convert([picked], "xlsx", tmp_path / "lo")[0]
    got = openpyxl.load_workbook(out, data_only=True)[names.REGION_SHEET]
    assert got[PICK_CODE].value == "610113000000"
    assert (got[SEARCH_NAME].value, got[SEARCH_CODE].value) == ("陕西省西安市雁塔区", "610113000000")
    assert got["F4"].value == 10 and got["F5"].value == "陕西省西安市新城区" and got["F6"].value == 13  # 西安's districts and counties
    # LibreOffice keeps the column's Text format (so cells typed later are text) and our rules.
    back = openpyxl.load_workbook(out)[PROFILE.sheet_name]
    assert back.column_dimensions[PROFILE.by_key["id_number"].letter].number_format == "@"
    assert len(back.data_validations.dataValidation) >= len(PROFILE.columns) - 5


def test_the_print_setup_adds_no_column_to_a_sheet_with_a_far_cell():
    """The print width is worked out from the sheet's columns without adding a <col> for each of
    them: a stray cell in column 3000 of a teacher's file does not give the copy 3,000 columns."""
    from xueji_addin.workbook.styling import style_roster_sheet

    wb = openpyxl.Workbook()
    ws = wb.active
    for c in PROFILE.columns:
        ws.cell(1, c.order).value = c.header
    ws.cell(2, 3000).value = "x"
    style_roster_sheet(wb, ws, PROFILE)
    assert len(ws.column_dimensions) == len(PROFILE.columns)
    assert ws.print_title_cols and ws.page_setup.fitToWidth > 100  # the far cell is printed, as it is there


def test_dropdowns_keeps_the_files_own_school_settings(tmp_path, clean_records):
    """``xueji dropdowns`` takes the file's 学校设置 over xueji.toml, as the 刷新下拉 button takes the
    workbook's: the copy keeps the school's code and class list (they were replaced by the defaults)."""
    from xueji_addin.actions.settings_sheet import read_settings, write_settings
    from xueji_addin.workbook.host import FileHost

    plain = tmp_path / "旧导出.xlsx"
    write_roster_xlsx(plain, clean_records)
    host = FileHost.open(plain)
    own = Settings(school_code="2161010001", classes=["20240101", "20240102"])
    write_settings(host, own, hidden=True)
    path = tmp_path / "带设置.xlsx"
    host.save(path)
    out = tmp_path / "已加下拉.xlsx"
    assert xueji("dropdowns", str(path), "--out", str(out)) == 0
    kept = read_settings(FileHost.open(out))
    assert kept.school_code == "2161010001" and kept.classes == ["20240101", "20240102"]
