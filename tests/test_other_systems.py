"""Files as other systems write them: what comes in is read as the data it means, nothing is passed
silently, and no finding is false (issue 16). Each test says which system and what it writes."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from stdnum.cn import ric

from tests.conftest import SETTINGS, cells, letter
from tests.test_cli import xueji
from xueji_addin import synth
from xueji_addin.rules.engine import check
from xueji_addin.spec.profiles import default_profile
from xueji_addin.workbook.reader import read_roster

PROFILE = default_profile()
HEADERS = [c.header for c in PROFILE.columns]


def php_export(path: Path, records: list[dict[str, object]]) -> Path:
    """The 2013 PHP collection app's Export(): tab-separated GBK text named .xls, CRLF lines, every
    header followed by a tab; a database null written as NULL, a digit string of 10+ characters as
    '<digits> (Excel's mark for "text"), any other value as it is."""
    def cell(value: object) -> str:
        if value is None:
            return "NULL"
        text = str(value)
        return "'" + text if text.isdigit() and len(text) >= 10 else text

    lines = ["".join(h + "\t" for h in HEADERS)]
    lines += ["\t".join(cell(r.get(c.key)) for c in PROFILE.columns) + "\t" for r in records]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    return path


@pytest.fixture
def records() -> list[dict[str, object]]:
    return [dict(r) for r in synth.class_roster(16, 6)]


def test_php_export_apostrophes_are_text_marks_not_errors(tmp_path, records):
    """PHP export: IDs, 学校标识码, 班号, phones and region codes as '<digits>: a warning with its fix
    per cell, and none of the false errors (19位, not digits …) the apostrophe used to cause."""
    findings = check(read_roster(php_export(tmp_path / "export.xls", records)), SETTINGS)
    assert [f for f in findings if f.severity.value == "error"] == []
    marked = {(f.code, f.cell, f.fix) for f in findings if f.code == "XJ120"}
    expected = {("XJ120", f"{letter(c.key)}{i + 2}", str(r[c.key])) for i, r in enumerate(records)
                for c in PROFILE.columns if str(r.get(c.key) or "").isdigit() and len(str(r[c.key])) >= 10}
    assert marked == expected and len(expected) >= 6 * 6


def test_php_export_null_is_a_placeholder_and_a_required_null_is_empty(tmp_path, records):
    """PHP export: NULL for a database null. In 特长, 工作单位, 关系说明, 学籍辅号 it is a warning
    (fix: blank); in 曾用名 no name error; in the required 姓名 a warning and 必填项为空."""
    for key in ("specialty", "m1_employer", "m1_relation_note", "aux_roll_no", "former_name", "name"):
        records[0][key] = None
    found = cells(check(read_roster(php_export(tmp_path / "export.xls", records)), SETTINGS))
    row2 = {(code, cell) for code, cell, _ in found if cell.endswith("2") and cell[-2].isalpha()}
    for key in ("specialty", "m1_employer", "m1_relation_note", "aux_roll_no", "former_name", "name"):
        assert ("XJ121", f"{letter(key)}2") in row2, key
    assert ("XJ101", f"{letter('name')}2", "error") in found
    assert not any(code.startswith("XJ5") and cell == f"{letter('former_name')}2" for code, cell in row2)


def test_fix_drops_the_apostrophe_and_blanks_the_placeholder(tmp_path, records):
    """PHP export → xueji fix: the copy holds the digits without the apostrophe, NULL becomes blank."""
    records[1]["specialty"] = None
    src = php_export(tmp_path / "export.xls", records)
    out = tmp_path / "fixed.xlsx"
    code, _, err = xueji("fix", str(src), "--out", str(out))
    assert code in (0, 1), err
    wb = openpyxl.load_workbook(out)
    ws = wb[PROFILE.sheet_name] if PROFILE.sheet_name in wb.sheetnames else wb.worksheets[0]
    assert ws[f"{letter('id_number')}2"].value == records[0]["id_number"]
    assert ws[f"{letter('school_code')}3"].value == records[1]["school_code"]
    assert ws[f"{letter('specialty')}3"].value in (None, "")


def _roster_with(tmp_path: Path, records: list[dict[str, object]]) -> set[tuple[str, str, str]]:
    from xueji_addin.samples import write_roster_xlsx

    path = tmp_path / "class.xlsx"
    write_roster_xlsx(path, records)
    return {(f.code, f.cell, f.severity.value, f.fix) for f in check(read_roster(path), SETTINGS)}


@pytest.mark.parametrize(("key", "value", "expected"), [
    # dropdown labels of other systems for the template's own option: a warning with the certain fix
    ("enroll_mode", "义务教育阶段其他", ("XJ203", "warning", "其他")),  # 2013 PHP Step1.php, ASP form
    ("enroll_mode", "高中阶段其他", ("XJ203", "warning", "其他")),  # same dropdowns
    ("enroll_mode", "文艺特招", ("XJ203", "warning", "艺术特招")),  # a JS 学籍 stats page
    ("blood_type", "A型", ("XJ203", "warning", "A血型")),  # Vue and JS forms
    ("blood_type", "O型", ("XJ203", "warning", "O血型")),
    ("nationality", "北马其顿", ("XJ203", "warning", "前南马其顿")),  # renamed 2019, ISO MKD (pycountry)
    ("nationality", "大韩民国", ("XJ203", "error", "韩国")),  # ISO 3166 official name (pycountry)
    # values the national import refuses: an error, no fix, the nearest option named
    ("political_status", "少先队员", ("XJ201", "error", None)),  # 2013 PHP dropdown
    ("hukou_type", "居民户口", ("XJ201", "error", None)),  # hukou reform 2014
    ("hukou_type", "家庭户口", ("XJ201", "error", None)),
    ("nationality", "南苏丹", ("XJ201", "error", None)),  # 2011, not in the 2013 list
    ("nationality", "黑山", ("XJ201", "error", None)),
    # misspelt options of real dropdowns: errors with the certain fix
    ("health", "一般", ("XJ203", "error", "一般或较弱")),  # Vue kindergarten form
    ("ethnicity", "拉古族", ("XJ203", "error", "拉祜族")),  # ASP form's 民族 dropdown
    ("ethnicity", "么佬族", ("XJ203", "error", "仫佬族")),
    ("ethnicity", "哈巴族", ("XJ201", "error", None)),  # same dropdown; no such GB 3304 name
    # old names and 其它: errors with a fix, as before
    ("ethnicity", "毛难族", ("XJ203", "error", "毛南族")),
    ("ethnicity", "崩龙族", ("XJ203", "error", "德昂族")),
])
def test_real_dropdown_values(tmp_path, records, key, value, expected):
    records[0][key] = value
    code, sev, fix = expected
    found = {(c, s, f) for c, cell, s, f in _roster_with(tmp_path, records)
             if cell == f"{letter(key)}2" and c.startswith("XJ20")}
    assert found == {(code, sev, fix)}


def test_refused_values_name_the_nearest_option(tmp_path, records):
    from xueji_addin.rules.codes import check_code
    from xueji_addin.spec.codes import code_table

    assert "群众" in check_code("少先队员", code_table("ZZMM"))[0].suggestion
    assert "塞尔维亚" in check_code("黑山", code_table("GJDQ"))[0].suggestion
    assert "居民身份证" in check_code("户口簿", code_table("SFZJLX"))[0].suggestion


@pytest.mark.parametrize("book", ["户口簿", "户口薄"])
def test_hukou_book_with_a_resident_id_is_fixed_to_resident_id(tmp_path, records, book):
    """ASP form and the Alipay API list offer 户口薄 as an ID type: refused by the template, and with
    a valid 居民身份证号 the certain fix is 居民身份证 (for the student and for a member)."""
    records[0]["id_type"] = book
    records[1]["m1_id_type"] = book
    found = _roster_with(tmp_path, records)
    assert ("XJ203", f"{letter('id_type')}2", "error", "居民身份证") in found
    assert ("XJ203", f"{letter('m1_id_type')}3", "error", "居民身份证") in found
    records[0]["id_number"] = "E12345678"
    found = _roster_with(tmp_path, records)
    assert not any(f == "居民身份证" and cell == f"{letter('id_type')}2" for _, cell, _, f in found)


@pytest.mark.parametrize(("prefix", "doc", "gatqw"), [("81", "香港特区护照/身份证明", "香港同胞"),
                                                      ("82", "澳门特区护照/身份证明", "澳门同胞"),
                                                      ("83", "台湾居民来往大陆通行证", "台湾同胞")])
def test_residence_permit_numbers_typed_as_resident_id(tmp_path, records, prefix, doc, gatqw):
    """港澳台居民居住证 (2018): 18 digits from 810000/820000/830000, valid check digit."""
    body = f"{prefix}0000{records[0]['birth_date']}123"
    records[0]["id_number"] = body + ric.calc_check_digit(body + "0")
    from xueji_addin.samples import write_roster_xlsx

    path = tmp_path / "class.xlsx"
    write_roster_xlsx(path, records)
    found = [f for f in check(read_roster(path), SETTINGS) if f.cell == f"{letter('id_number')}2"]
    assert [f.code for f in found] == ["XJ318"]
    assert doc in found[0].suggestion and gatqw in found[0].suggestion


NEAR_HEADERS = {"nationality": "国籍／地区", "school_code": "学校标识码 ", "id_number": "身份证件号码",
                "commute_km": "上下学距离（公里）", "birthplace_code": "出生地行政规划代码"}


def _sheet_with_headers(path: Path, records: list[dict[str, object]], headers: dict[str, str]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = PROFILE.sheet_name
    ws.append([headers.get(c.key, c.header) for c in PROFILE.columns])
    for r in records:
        ws.append([r.get(c.key) for c in PROFILE.columns])
    wb.save(path)
    return path


def test_header_near_misses_are_read_with_a_warning_and_fixed(tmp_path, records):
    """Headers as web systems and hand-made copies write them: full-width ／, a trailing space, 身份证件号码,
    a unit in brackets, 规划 for 区划. Each column is read (no XJ001, no 必填项为空), its header cell
    gets a warning, and xueji fix writes the template's header."""
    src = _sheet_with_headers(tmp_path / "near.xlsx", records, NEAR_HEADERS)
    findings = check(read_roster(src), SETTINGS)
    assert not [f for f in findings if f.severity.value == "error"]
    assert {(f.code, f.cell, f.fix) for f in findings} == {
        ("XJ005", f"{letter(k)}1", PROFILE.by_key[k].header) for k in NEAR_HEADERS}
    out = tmp_path / "fixed.xlsx"
    code, _, err = xueji("fix", str(src), "--out", str(out))
    assert code == 0, err
    row1 = [c.value for c in openpyxl.load_workbook(out)[PROFILE.sheet_name][1]][:len(HEADERS)]
    assert row1 == HEADERS


def test_export_of_a_file_with_near_miss_headers_writes_the_templates(tmp_path, records):
    """xueji export: the import file's header row is the template's, and the PHP export's text marks
    and placeholders do not reach it."""
    records[0]["specialty"] = None
    src = php_export(tmp_path / "export.xls", records)
    near = _sheet_with_headers(tmp_path / "near.xlsx", records, NEAR_HEADERS)
    for n, path in enumerate((src, near)):
        out = tmp_path / f"import{n}.xlsx"
        code, _, err = xueji("export", str(path), "--out", str(out))
        assert code == 0, err
        ws = openpyxl.load_workbook(out).worksheets[0]
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        assert rows[0][:len(HEADERS)] == HEADERS
        by_key = dict(zip((c.key for c in PROFILE.columns), rows[1]))
        assert by_key["id_number"] == records[0]["id_number"] and by_key["specialty"] in (None, "")


def test_a_header_alias_that_is_another_layouts_name_stays_a_header_error(tmp_path, records):
    src = _sheet_with_headers(tmp_path / "alias.xlsx", records, {"id_number": "身份证号"})
    assert "XJ001" in {f.code for f in check(read_roster(src), SETTINGS)}


def wuhan_export(path: Path, records: list[dict[str, object]]) -> Path:
    """An enrolment system's export (the Wuhan JSP/JS 学生基本信息表 system): its own headers (班级 for
    班号, 成员1户口所在地 for the member's region code), dates as text 2018-01-10 and 2024-09, the
    other columns under the template's names; saved as .xlsx with every value a string."""
    own = {"class_no": "班级", "m1_hukou_region_code": "成员1户口所在地", "m2_hukou_region_code": "成员2户口所在地"}
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([own.get(c.key, c.header) for c in PROFILE.columns])
    for r in records:
        row = []
        for c in PROFILE.columns:
            v = r.get(c.key)
            if c.key == "birth_date":
                v = f"{v[:4]}-{v[4:6]}-{v[6:]}"
            elif c.key == "enroll_ym":
                v = f"{v[:4]}-{v[4:]}"
            row.append(v)
        ws.append(row)
    wb.save(path)
    return path


def _import(src: Path) -> tuple[Path, list[dict[str, object]]]:
    """xueji import of ``src``: the file written and its rows by column key."""
    out = src.with_name("imported.xlsx")
    code, _, err = xueji("import", str(src), "--out", str(out))
    assert code == 0, err
    ws = openpyxl.load_workbook(out)[PROFILE.sheet_name]
    rows = ws.iter_rows(min_row=2, max_col=len(HEADERS), values_only=True)
    return out, [dict(zip((c.key for c in PROFILE.columns), r)) for r in rows]


def test_import_of_the_wuhan_export_maps_its_headers_and_dates(tmp_path, records):
    out, rows = _import(wuhan_export(tmp_path / "wuhan.xlsx", records))
    for r, rec in zip(rows, records):
        for key in ("class_no", "m1_hukou_region_code", "birth_date", "enroll_ym"):
            assert r[key] == rec[key], key
    findings = check(read_roster(out), SETTINGS)
    assert not [f for f in findings if f.code == "XJ101"]


def test_import_takes_banji_only_when_it_holds_class_numbers(tmp_path, records):
    """An export whose 班级 holds class names (三年级2班), not 班号: it is not put into 班号."""
    for r in records:
        r["class_no"] = "三年级2班"
    src = wuhan_export(tmp_path / "wuhan.xlsx", records)
    out = tmp_path / "imported.xlsx"
    code, text, err = xueji("import", str(src), "--out", str(out), "--dry-run")
    assert code == 0, err
    assert "内容不像“班号”" in text


def test_import_drops_the_php_exports_marks(tmp_path, records):
    """PHP export through xueji import: '<digits> becomes the digits, NULL becomes blank."""
    records[0]["specialty"] = None
    _, rows = _import(php_export(tmp_path / "export.xls", records))
    assert rows[0]["id_number"] == records[0]["id_number"]
    assert rows[0]["specialty"] in (None, "")


def test_a_map_key_that_matches_no_column_is_an_error(tmp_path, records):
    src = wuhan_export(tmp_path / "wuhan.xlsx", records)
    mapping = tmp_path / "map.toml"
    mapping.write_text('[columns]\n"学生身份证" = "身份证件号"\n', "utf-8")
    code, out, err = xueji("import", str(src), "--out", str(tmp_path / "o.xlsx"), "--map", str(mapping))
    assert code == 2
    assert "学生身份证" in out + err and "Traceback" not in err


# --- files that are not what their name says ---------------------------------------------------

def _values(rec: dict[str, object]) -> list[str]:
    return ["" if rec.get(c.key) is None else str(rec[c.key]) for c in PROFILE.columns]


def html_xls(path: Path, records: list[dict[str, object]]) -> Path:
    """A web system's "导出Excel" (PHP/JSP): an HTML table sent as application/vnd.ms-excel and saved
    as .xls, GBK with a meta charset, text columns marked with mso-number-format:'\\@', indented markup."""
    text = "style=\"mso-number-format:'\\@';\""
    head = "".join(f"<th>{h}</th>" for h in HEADERS)
    body = "".join("<tr>\n" + "".join(f"  <td {text}>{v}</td>\n" for v in _values(r)) + "</tr>\n" for r in records)
    page = (f'<html xmlns:x="urn:schemas-microsoft-com:office:excel">\n<head>\n<meta http-equiv="Content-Type" '
            f'content="text/html; charset=gbk">\n</head>\n<body>\n<table border="1">\n<tr>{head}</tr>\n{body}</table>\n</body>\n</html>\n')
    path.write_bytes(page.encode("gbk"))
    return path


def spreadsheet_ml(path: Path, records: list[dict[str, object]]) -> Path:
    """SpreadsheetML 2003 ("XML 表格", what PHP/Java writers emit as .xls): UTF-8 XML, typed Data,
    a blank cell skipped by ss:Index on the next one."""
    def row(values: list[str]) -> str:
        out, skip = [], False
        for i, v in enumerate(values, start=1):
            if v == "":
                skip = True
                continue
            index = f' ss:Index="{i}"' if skip else ""
            skip = False
            out.append(f'<Cell{index}><Data ss:Type="String">{v}</Data></Cell>')
        return "<Row>" + "".join(out) + "</Row>\n"

    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<?mso-application progid="Excel.Sheet"?>\n'
           '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
           'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">\n'
           f'<Worksheet ss:Name="{PROFILE.sheet_name}"><Table>\n{row(HEADERS)}'
           + "".join(row(_values(r)) for r in records) + "</Table></Worksheet>\n</Workbook>\n")
    path.write_text(xml, "utf-8")
    return path


def unicode_text(path: Path, records: list[dict[str, object]]) -> Path:
    """Excel's 另存为“Unicode 文本”: UTF-16LE with its byte-order mark, tab-separated, CRLF lines."""
    lines = ["\t".join(HEADERS)] + ["\t".join(_values(r)) for r in records]
    path.write_bytes("\r\n".join(lines).encode("utf-16"))
    return path


def cr_only_csv(path: Path, records: list[dict[str, object]]) -> Path:
    """Excel for Mac's "CSV (Macintosh)" and old Mac exports: lines ended by CR alone (here in GBK)."""
    lines = [",".join(HEADERS)] + [",".join(_values(r)) for r in records]
    path.write_bytes(("\r".join(lines) + "\r").encode("gbk"))
    return path


@pytest.mark.parametrize("build", [html_xls, spreadsheet_ml, unicode_text, cr_only_csv])
def test_text_files_under_a_spreadsheet_name_are_read(tmp_path, records, build):
    """Each is read as the roster it holds: every student, every value, no finding but the sheet name
    (a text file's one sheet is named after the file)."""
    name = {"unicode_text": "学生.txt", "cr_only_csv": "学生.csv"}.get(build.__name__, "学生.xls")
    roster = read_roster(build(tmp_path / name, records))
    assert len(roster.rows) == len(records)
    assert roster.cells["id_number"] == [r["id_number"] for r in records]
    assert roster.cells["name"] == [r["name"] for r in records]
    assert {f.code for f in check(roster, SETTINGS)} <= {"XJ003"}


def test_a_web_page_without_a_table_says_what_it_is(tmp_path):
    page = tmp_path / "导出.xls"
    page.write_text("<html><body><p>登录已过期，请重新登录</p></body></html>", "utf-8")
    code, out, err = xueji("validate", str(page))
    assert code == 2 and "网页（HTML）" in out + err and "另存为" in out + err and "Traceback" not in err


def test_a_single_file_web_page_says_what_it_is(tmp_path):
    """Excel's or a browser's 单个文件网页 (.mht: MIME, the page base64 or quoted-printable) renamed .xls."""
    mht = tmp_path / "学生.xls"
    mht.write_bytes(b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="----=_NextPart"\r\n\r\n'
                    b'------=_NextPart\r\nContent-Type: text/html; charset="gb2312"\r\n\r\n<html></html>\r\n')
    code, out, err = xueji("validate", str(mht))
    assert code == 2 and "单个文件网页" in out + err and "另存为" in out + err


def test_spreadsheet_ml_with_a_dtd_is_refused_not_expanded(tmp_path):
    bomb = tmp_path / "bomb.xls"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">]>'
                    '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet/>&a;</Workbook>', "utf-8")
    code, out, err = xueji("validate", str(bomb))
    assert code == 2 and "XML" in out + err and "Traceback" not in err


def test_biff5_xls_in_gbk_is_read_in_its_code_page(tmp_path, records):
    """An Excel 5.0/95 .xls (BIFF5, code page 936) as old 学籍/教务 programs write it: python-calamine
    garbles its Chinese text; it is read in the code page the file declares."""
    from tests.biff5 import write_biff5

    path = write_biff5(tmp_path / "学生.xls", PROFILE.sheet_name, [HEADERS] + [_values(r) for r in records])
    roster = read_roster(path)
    assert roster.sheet == PROFILE.sheet_name
    assert roster.cells["name"] == [r["name"] for r in records]
    assert roster.cells["current_address"] == [r["current_address"] for r in records]
    assert check(roster, SETTINGS) == []


def test_spreadsheet_ml_that_skips_to_a_far_row_is_refused_before_the_rows_are_made(tmp_path):
    far = tmp_path / "far.xls"
    far.write_text('<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
                   'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="S"><Table>'
                   '<Row ss:Index="900000000"><Cell><Data ss:Type="String">x</Data></Cell></Row></Table></Worksheet></Workbook>', "utf-8")
    code, out, err = xueji("validate", str(far))
    assert code == 2 and "上限" in out + err and "Traceback" not in err


def test_na_text_from_a_csv_saved_by_excel_is_a_placeholder(tmp_path, records):
    """Excel's 另存为 CSV writes a failed lookup's error value as the text #N/A: a placeholder (the
    fix blanks it), while an error cell of a workbook stays XJ113 (tests/test_bad_inputs.py)."""
    records[0]["specialty"] = "#N/A"
    found = {(f.code, f.cell, f.fix) for f in check(read_roster(cr_only_csv(tmp_path / "学生.csv", records)), SETTINGS)}
    assert ("XJ121", f"{letter('specialty')}2", "") in found
    assert not any(code == "XJ113" for code, _, _ in found)


def test_unicode_text_without_its_byte_order_mark_is_read(tmp_path, records):
    """Some exporters write UTF-16LE text without the mark Excel puts first."""
    lines = ["\t".join(HEADERS)] + ["\t".join(_values(r)) for r in records]
    path = tmp_path / "学生.txt"
    path.write_bytes("\r\n".join(lines).encode("utf-16-le"))
    assert read_roster(path).cells["name"] == [r["name"] for r in records]


def test_spreadsheet_ml_typed_cells_are_read_as_excel_values(tmp_path, records):
    """SpreadsheetML Data ss:Type="DateTime" and "Number" (a Java writer's 出生日期 and 班号) are read
    as Excel's dates and numbers: the rules say so with the fix, as for an .xlsx."""
    xml = spreadsheet_ml(tmp_path / "学生.xls", records).read_text("utf-8")
    birth, cls = records[0]["birth_date"], records[0]["class_no"]
    xml = xml.replace(f'<Data ss:Type="String">{birth}</Data>',
                      f'<Data ss:Type="DateTime">{birth[:4]}-{birth[4:6]}-{birth[6:]}T00:00:00.000</Data>', 1)
    xml = xml.replace(f'<Data ss:Type="String">{cls}</Data>', f'<Data ss:Type="Number">{cls}</Data>', 1)
    (tmp_path / "学生.xls").write_text(xml, "utf-8")
    found = {(f.code, f.cell, f.fix) for f in check(read_roster(tmp_path / "学生.xls"), SETTINGS)}
    assert ("XJ401", f"{letter('birth_date')}2", birth) in found
    assert any(code == "XJ115" and cell == f"{letter('class_no')}2" for code, cell, _ in found)
