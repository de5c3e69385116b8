"""xueji split / import / export and the inputs they read (.xls, .csv in GBK or UTF-8, WPS-saved .xlsx)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.reports import only_table, report
from tests.registrar_files import HEADERS, KEYS, class_file, col, records, rows_of, write_file
from xueji_addin import synth
from xueji_addin.workbook.reader import read_roster, read_sheets

REPO = Path(__file__).resolve().parents[1]


def xueji(*args: str) -> tuple[int, str, str]:
    p = subprocess.run([sys.executable, "-m", "xueji_addin", *args], capture_output=True, text=True, cwd=REPO,
                       env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "COLUMNS": "250"})
    return p.returncode, p.stdout, p.stderr


def roster_rows(path: Path) -> list[list[object]]:
    r = read_roster(path)
    return [[r.cells[k][i] for k in KEYS] for i in range(len(r))]


@pytest.fixture
def school(tmp_path: Path) -> tuple[Path, list[list[object]]]:
    rows = rows_of([dict(r) for r in synth.school_roster(5, 3, 3)])
    return write_file(tmp_path / "全校.xlsx", HEADERS, rows), rows


# --- split ------------------------------------------------------------------------------------


def test_split_writes_one_styled_template_file_per_class_named_by_school(tmp_path, school):
    path, rows = school
    settings = tmp_path / "xueji.toml"
    settings.write_text('school_name = "实验小学"\n', "utf-8")
    code, out, err = xueji("split", str(path), "--out-dir", str(tmp_path / "班级"), "--settings", str(settings))
    assert code == 0, err
    files = sorted((tmp_path / "班级").iterdir())
    assert [f.name for f in files] == ["实验小学_20220101.xlsx", "实验小学_20230101.xlsx", "实验小学_20240101.xlsx"]
    assert "共 9 名学生，拆成 3 个文件（9 行，一行不少）" in out
    cls = col("class_no")
    for f in files:
        want = [r for r in rows if r[cls] == f.stem.split("_")[1]]
        assert roster_rows(f) == want
        ws = openpyxl.load_workbook(f)["学生基础信息"]
        assert [c.value for c in ws[1]] == HEADERS
        assert ws.freeze_panes == "A2"
        assert ws.cell(1, 1).font.color.rgb.endswith("C00000")  # red required header, from the styling
        id_letter = openpyxl.utils.get_column_letter(col("id_number") + 1)
        # Text format, set on the column by the template styling (new cells typed there stay text)
        assert ws.column_dimensions[id_letter].number_format == "@"
        assert isinstance(ws.cell(2, col("id_number") + 1).value, str)


def test_split_without_settings_names_files_by_school_code_and_keeps_rows_without_class(tmp_path):
    rows = rows_of(records(1, 3))
    rows[1][col("class_no")] = ""
    path = write_file(tmp_path / "s.xlsx", HEADERS, rows)
    code, _, err = xueji("split", str(path), "--out-dir", str(tmp_path / "o"))
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == ["2161010001_20240101.xlsx", "2161010001_未填班号.xlsx"]
    assert roster_rows(tmp_path / "o" / "2161010001_未填班号.xlsx") == [rows[1]]


def test_split_by_grade_uses_the_entry_year_of_the_class_number(tmp_path, school):
    path, rows = school
    code, _, err = xueji("split", str(path), "--out-dir", str(tmp_path / "o"), "--by", "年级")
    assert code == 0, err
    names = sorted(p.name for p in (tmp_path / "o").iterdir())
    assert names == ["2161010001_2022级.xlsx", "2161010001_2023级.xlsx", "2161010001_2024级.xlsx"]


def test_split_keeps_columns_outside_the_template_in_a_side_sheet_and_merge_brings_them_back(tmp_path, school):
    """A 备注 column: the class files keep the template's columns only (each validates with no XJ001),
    their 模板外的列 sheet holds 备注 by row, and merging them gives every 备注 back to its pupil."""
    path, rows = school
    notes = {r[col("id_number")]: (f"备注{n}" if n % 3 else "") for n, r in enumerate(rows)}
    path = write_file(tmp_path / "全校备注.xlsx", HEADERS + ["备注"], [r + [notes[r[col("id_number")]]] for r in rows])
    code, _, err = xueji("split", str(path), "--out-dir", str(tmp_path / "o"))
    assert code == 0, err
    files = sorted((tmp_path / "o").iterdir())
    assert len(files) == 3
    for f in files:
        wb = openpyxl.load_workbook(f)
        assert wb["学生基础信息"].max_column == len(HEADERS)
        side = [[c.value for c in r] for r in wb["模板外的列"].iter_rows()]
        assert side[0] == ["输出行", "文件", "原行号", "姓名", "备注"] and all(r[1] == "全校备注.xlsx" for r in side[1:])
        code, stdout, err = xueji("validate", str(f), "--json", "-")
        assert code in (0, 1), err
        assert not [x for x in only_table(report(stdout))["findings"] if x["code"] == "XJ001"]
    # A head teacher sorts a class file (last row first): each 备注 still goes back to its pupil.
    wb = openpyxl.load_workbook(files[0])
    ws = wb["学生基础信息"]
    body = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    for r, values in enumerate(reversed(body), start=2):
        for c, v in enumerate(values, start=1):
            ws.cell(r, c).value = v
    wb.save(files[0])
    code, _, err = xueji("merge", str(tmp_path / "o"), "--out", str(tmp_path / "合并.xlsx"))
    assert code in (0, 1), err
    merged = openpyxl.load_workbook(tmp_path / "合并.xlsx")
    ids = {r[0].row: r[col("id_number")].value for r in merged["学生基础信息"].iter_rows(min_row=2)}
    back = {ids[r[0]]: r[4] for r in merged["模板外的列"].iter_rows(min_row=2, values_only=True)}
    assert len(ids) == len(rows)
    assert {i: n for i, n in notes.items() if n} == back


def test_a_merged_school_file_splits_again_with_its_side_sheet_and_merges_back_the_same(tmp_path, school):
    """Next term: the registrar splits the school file merge wrote. Its 模板外的列 (备注 by 输出行 and
    姓名) goes on into each class file's own 模板外的列, and merging those gives every 备注 back."""
    path, rows = school
    notes = {r[col("id_number")]: (f"备注{n}" if n % 2 else "") for n, r in enumerate(rows)}
    path = write_file(tmp_path / "全校备注.xlsx", HEADERS + ["备注"], [r + [notes[r[col("id_number")]]] for r in rows])

    def merged_notes(merged_path: Path) -> dict[object, object]:
        wb = openpyxl.load_workbook(merged_path)
        ids = {r[0].row: r[col("id_number")].value for r in wb["学生基础信息"].iter_rows(min_row=2)}
        assert len(ids) == len(rows)
        return {ids[r[0]]: r[4] for r in wb["模板外的列"].iter_rows(min_row=2, values_only=True)}

    wanted = {i: n for i, n in notes.items() if n}
    for step, source in enumerate([path, tmp_path / "合并1.xlsx"], start=1):
        code, _, err = xueji("split", str(source), "--out-dir", str(tmp_path / f"班{step}"))
        assert code == 0 and "注意" not in err, err
        for f in (tmp_path / f"班{step}").iterdir():
            assert openpyxl.load_workbook(f)["学生基础信息"].max_column == len(HEADERS)
        code, _, err = xueji("merge", str(tmp_path / f"班{step}"), "--out", str(tmp_path / f"合并{step}.xlsx"))
        assert code in (0, 1), err
        assert merged_notes(tmp_path / f"合并{step}.xlsx") == wanted


def test_split_into_sheets_keeps_the_other_sheets_and_every_row(tmp_path, school):
    path, rows = school
    wb = openpyxl.load_workbook(path)
    wb.create_sheet("说明")["A1"] = "本表由教导处维护"
    wb.save(path)
    code, out, err = xueji("split", str(path), "--out-dir", str(tmp_path / "o"), "--sheets")
    assert code == 0, err
    copy = tmp_path / "o" / "全校_按班号分表.xlsx"
    wb = openpyxl.load_workbook(copy)
    assert [n for n in wb.sheetnames if n not in {"行政区划", "代码表", "学校设置"}] == ["说明", "20240101", "20230101", "20220101"]
    assert wb["说明"]["A1"].value == "本表由教导处维护"
    got = [[("" if v is None else v) for v in r] for name in ("20240101", "20230101", "20220101")
           for r in wb[name].iter_rows(min_row=2, values_only=True) if any(v is not None for v in r)]
    cls = col("class_no")
    assert got == [r for c in ("20240101", "20230101", "20220101") for r in rows if r[cls] == c]


def test_split_into_sheets_gives_every_class_sheet_the_template_help_over_one_set_of_helpers(tmp_path, school):
    """Each class sheet of the copy has the template's dropdowns, red-while-typing formats, header
    notes, frozen header and print titles; the helper sheets are there once, and every name a
    dropdown or format reads is defined (the helpers are built for the first sheet only)."""
    path, _ = school
    code, _, err = xueji("split", str(path), "--out-dir", str(tmp_path / "o"), "--sheets")
    assert code == 0, err
    wb = openpyxl.load_workbook(tmp_path / "o" / "全校_按班号分表.xlsx")
    assert sorted(n for n in wb.sheetnames if n in {"行政区划", "代码表", "学校设置"}) == ["代码表", "学校设置", "行政区划"]
    defined = set(wb.defined_names.keys())
    shapes = set()
    for name in ("20240101", "20230101", "20220101"):
        ws = wb[name]
        lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
        assert lists and all(dv.formula1.lstrip("=") in defined or dv.formula1.startswith('"') for dv in lists), name
        formulas = " ".join(f for cf in ws.conditional_formatting for r in cf.rules for f in r.formula)
        assert formulas and set(re.findall(r"XJ_[A-Z0-9_]+", formulas)) <= defined, name
        assert all(ws.cell(1, c).comment is not None for c in range(1, len(HEADERS) + 1)), name
        assert ws.freeze_panes == "A2" and ws.print_title_rows == "$1:$1", name
        shapes.add((len(lists), len(list(ws.conditional_formatting))))
    assert len(shapes) == 1  # the same help on every class sheet


def test_split_into_sheets_says_how_it_mapped_the_columns_as_split_into_files_does(tmp_path, school):
    """A roster whose columns are not where the template has them: both ways of splitting say which
    column went where, in the same words."""
    _, rows = school
    order = [1, 0, *range(2, len(HEADERS))]  # 姓名 before 学校标识码
    path = write_file(tmp_path / "换列.xlsx", [HEADERS[i] for i in order], [[r[i] for i in order] for r in rows])
    said = []
    for how in ([], ["--sheets"]):
        code, out, err = xueji("split", str(path), "--out-dir", str(tmp_path / f"o{len(how)}"), *how)
        assert code == 0, err
        said.append([line for line in out.splitlines() if line.startswith("按列名对应")])
    assert said[0] and said[1] == said[0]
    assert any("学校标识码" in line for line in said[0])


def test_split_into_sheets_then_merge_the_sheets_on_a_host_gives_back_the_roster(tmp_path, school):
    """The ribbon's path: 拆分班级 and 合并班级文件 on an open workbook, through the Host interface."""
    from xueji_addin.actions.merge import Merger, host_sheets, write_merged
    from xueji_addin.actions.split import split_to_sheets
    from xueji_addin.workbook.host import FileHost

    path, rows = school
    host = FileHost.open(path)
    made = split_to_sheets(host, "学生基础信息")
    assert [(s.name, s.rows) for s in made] == [("20240101", 3), ("20230101", 3), ("20220101", 3)]
    merger = Merger()
    merger.add("全校.xlsx", host_sheets(host))
    res = merger.finish()
    assert [(f.sheet, f.rows_read, f.rows_written) for f in res.files] == [(s.name, 3, 3) for s in made]
    write_merged(res, tmp_path / "m.xlsx")
    cls = col("class_no")
    assert roster_rows(tmp_path / "m.xlsx") == [r for c in ("20240101", "20230101", "20220101") for r in rows if r[cls] == c]


def test_split_refuses_a_workbook_with_several_roster_sheets(tmp_path, school):
    path, _ = school
    code, _, _ = xueji("split", str(path), "--out-dir", str(tmp_path / "o"), "--sheets")
    copy = tmp_path / "o" / "全校_按班号分表.xlsx"
    code, _, err = xueji("split", str(copy), "--out-dir", str(tmp_path / "again"))
    assert code == 2
    assert "“全校_按班号分表.xlsx”中有3个学籍工作表（20240101、20230101、20220101），拆分只能处理一个" in err


def test_split_refuses_an_ambiguous_header_with_the_differences(tmp_path):
    headers = list(HEADERS)
    headers[col("phone")] = "电话1"
    headers[col("postcode")] = "联系电话"
    path = write_file(tmp_path / "s.xlsx", headers, rows_of(records(3, 1)))
    code, _, err = xueji("split", str(path), "--out-dir", str(tmp_path / "o"))
    assert code == 2
    assert "缺少模板列“邮政编码”，同时有模板中没有的列W列“电话1”：无法确定后者是不是前者改了名" in err
    assert not any((tmp_path / "o").iterdir())


# --- import -----------------------------------------------------------------------------------


def _old_export(tmp_path: Path) -> tuple[Path, list[dict[str, str]]]:
    recs = records(4, 3)
    headers = ["序号", "学生姓名", "性别", "民族", "身份证号", "出生日期", "班级号", "上下学交通方式", "家长微信"]
    rows = []
    for n, r in enumerate(recs, start=1):
        rows.append([n, r["name"], {"男": "1", "女": "2"}[r["gender"]], "01",
                     r["id_number"], dt.datetime.strptime(r["birth_date"], "%Y%m%d"), int(r["class_no"]),
                     r["commute_mode"], f"wx{n}"])
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "导出数据"
    ws.append(["某某系统学生信息导出"])  # a title row above the header
    ws.append(headers)
    for row in rows:
        ws.append(row)
    path = tmp_path / "旧系统导出.xlsx"
    wb.save(path)
    return path, recs


def test_import_maps_synonyms_converts_codes_and_keeps_unmapped_columns(tmp_path):
    src, recs = _old_export(tmp_path)
    out = tmp_path / "模板.xlsx"
    code, stdout, err = xueji("import", str(src), "--out", str(out))
    assert code == 0, err
    assert "工作表“导出数据”，表头在第2行，3 名学生" in stdout
    assert re.search(r"E列 身份证号\s+→\s+M列 身份证件号\s+同义词", stdout)
    assert re.search(r"H列 上下学交通方式\s+→\s+AG列 上下学方式\s+同义词", stdout)
    assert re.search(r"B列 学生姓名\s+→\s+B列 姓名\s+同义词", stdout)
    assert re.search(r"I列 家长微信\s+→\s+“模板外的列”表\s+模板中没有对应的列", stdout)
    assert "“班号”列：3 个值从数字改为文本（如 20240101→20240101）" in stdout
    assert "“性别”列：3 个值代码改为名称" in stdout and "“民族”列：3 个值代码改为名称（如 01→汉族）" in stdout
    r = read_roster(out)
    assert r.cells["gender"] == [x["gender"] for x in recs]
    assert r.cells["ethnicity"] == ["汉族"] * 3
    assert r.cells["birth_date"] == [x["birth_date"] for x in recs]
    assert r.cells["class_no"] == ["20240101"] * 3
    assert r.cells["id_number"] == [x["id_number"] for x in recs]
    side = openpyxl.load_workbook(out)["模板外的列"]
    assert [[c.value for c in row] for row in side.iter_rows()] == [
        ["模板行", "原行号", "序号（原A列）", "家长微信（原I列）"], [2, 3, 1, "wx1"], [3, 4, 2, "wx2"], [4, 5, 3, "wx3"],
    ]


def test_import_dry_run_writes_nothing_and_mapping_file_overrides(tmp_path):
    src, recs = _old_export(tmp_path)
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('[columns]\n"家长微信" = "电子信箱"\n"序号" = ""\n', "utf-8")
    out = tmp_path / "o.xlsx"
    code, stdout, _ = xueji("import", str(src), "--out", str(out), "--map", str(mapping), "--dry-run")
    assert code == 0 and not out.exists()
    assert re.search(r"I列 家长微信\s+→\s+AP列 电子信箱\s+映射文件", stdout)
    assert re.search(r"A列 序号\s+→\s+“模板外的列”表\s+映射文件中注明不导入", stdout)


def test_import_refuses_two_columns_for_one_template_column(tmp_path):
    path = write_file(tmp_path / "x.xlsx", ["姓名", "学生姓名", "性别", "身份证号"], [["张三", "张三", "男", "1"]])
    code, _, err = xueji("import", str(path), "--out", str(tmp_path / "o.xlsx"))
    assert code == 2
    assert "A列“姓名”、B列“学生姓名”都对应模板列“姓名”：无法确定用哪一列" in err


def test_import_bad_mapping_target_is_one_sentence(tmp_path):
    src, _ = _old_export(tmp_path)
    mapping = tmp_path / "m.toml"
    mapping.write_text('[columns]\n"家长微信" = "微信号"\n', "utf-8")
    code, _, err = xueji("import", str(src), "--out", str(tmp_path / "o.xlsx"), "--map", str(mapping))
    assert code == 2 and "映射文件 m.toml 中“家长微信”对应的“微信号”不是模板中的列名。" in err


# --- export -----------------------------------------------------------------------------------


def test_export_refuses_while_errors_remain_and_lists_them(tmp_path):
    rows = rows_of(records(6, 3))
    rows[1][col("ethnicity")] = "汉"
    path = write_file(tmp_path / "c.xlsx", HEADERS, rows)
    out = tmp_path / "导入.xlsx"
    code, _, err = xueji("export", str(path), "--out", str(out))
    assert code == 1 and not out.exists()
    assert "“c.xlsx”还有 1 个错误" in err and re.search(r"G3\s+民族", err)
    code, stdout, _ = xueji("export", str(path), "--out", str(out), "--force")
    assert code == 0 and out.exists() and "其中仍有 1 个错误" in stdout


def test_export_is_values_only_in_the_exact_template_layout(tmp_path):
    recs = records(7, 4)
    recs[0]["postcode"] = 710061  # type: ignore[assignment]  # Excel stored it as a number
    recs[1]["birth_date"] = dt.datetime.strptime(recs[1]["birth_date"], "%Y%m%d")  # type: ignore[assignment]
    from xueji_addin.samples import write_roster_xlsx
    from xueji_addin.actions.mark import mark
    from xueji_addin.workbook.host import FileHost

    src = tmp_path / "c.xlsx"
    write_roster_xlsx(src, recs)
    host = FileHost.open(src)  # a marked copy: fills, notes and a results sheet that must not reach the export
    mark(host, "学生基础信息", [])
    host.save(tmp_path / "marked.xlsx")
    out = tmp_path / "导入.xlsx"
    code, stdout, err = xueji("export", str(tmp_path / "marked.xlsx"), "--out", str(out), "--force")
    assert code == 0, err
    wb = openpyxl.load_workbook(out)
    assert [n for n in wb.sheetnames if n not in {"行政区划", "代码表", "学校设置"}] == ["学生基础信息"]
    ws = wb.active
    assert [c.value for c in ws[1]] == HEADERS
    assert not ws.data_validations.dataValidation and not ws.conditional_formatting
    assert all(c.fill.fill_type is None and c.comment is None for row in ws.iter_rows() for c in row)
    assert all(isinstance(c.value, str) for row in ws.iter_rows() for c in row if c.value is not None)
    assert ws.cell(2, col("postcode") + 1).value == "710061"
    assert ws.cell(3, col("birth_date") + 1).value == recs[1]["birth_date"].strftime("%Y%m%d")  # type: ignore[union-attr]
    assert ws.cell(2, col("id_number") + 1).value == recs[0]["id_number"]


def test_export_max_rows_splits_into_numbered_files(tmp_path):
    path, _ = class_file(tmp_path / "c.xlsx", 8, 5)
    code, stdout, err = xueji("export", str(path), "--out", str(tmp_path / "学校_全部学生.xlsx"), "--max-rows", "2")
    assert code == 0, err
    sizes = [len(read_roster(tmp_path / f"学校_全部学生_{k}.xlsx")) for k in (1, 2, 3)]
    assert sizes == [2, 2, 1]
    assert not (tmp_path / "学校_全部学生.xlsx").exists()


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_export_xls_through_libreoffice_reads_back_as_text(tmp_path):
    path, rows = class_file(tmp_path / "c.xlsx", 9, 3)
    out = tmp_path / "导入.xls"
    code, stdout, err = xueji("export", str(path), "--out", str(out))
    assert code == 0, err
    assert out.read_bytes()[:8] == bytes.fromhex("d0cf11e0a1b11ae1")
    sheets = read_sheets(out)
    assert [s.name for s in sheets] == ["学生基础信息"]
    assert sheets[0].rows[0] == HEADERS
    assert [[("" if v is None else v) for v in r] for r in sheets[0].rows[1:]] == rows


def test_export_xls_without_libreoffice_says_what_to_do(tmp_path):
    path, _ = class_file(tmp_path / "c.xlsx", 10, 1)
    p = subprocess.run([sys.executable, "-m", "xueji_addin", "export", str(path), "--out", str(tmp_path / "o.xls")],
                       capture_output=True, text=True, cwd=REPO,
                       env={"PYTHONPATH": str(REPO), "PATH": str(tmp_path), "COLUMNS": "250"})
    assert p.returncode == 2
    assert "生成 .xls 需要 LibreOffice，但本机没有安装" in p.stderr and not (tmp_path / "o.xls").exists()


# --- inputs: .xls, .csv (GBK / UTF-8 / tab), WPS-saved .xlsx ----------------------------------


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_merge_reads_a_real_xls_class_file(tmp_path):
    path, rows = class_file(tmp_path / "c.xlsx", 11, 2)
    lo = f"file:///tmp/lo-registrar-test-{tmp_path.name}"
    subprocess.run(["soffice", f"-env:UserInstallation={lo}", "--headless", "--convert-to", "xls",
                    "--outdir", str(tmp_path / "xls"), str(path)], capture_output=True, timeout=180)
    xls = tmp_path / "xls" / "c.xls"
    code, stdout, err = xueji("merge", str(xls), "--out", str(tmp_path / "m.xlsx"))
    assert code == 0, stdout + err
    assert roster_rows(tmp_path / "m.xlsx") == rows


@pytest.mark.parametrize("encoding,delimiter", [("gbk", ","), ("utf-8-sig", ","), ("utf-8", "\t")])
def test_csv_inputs_in_gbk_utf8_and_tab_separated(tmp_path, encoding, delimiter):
    rows = rows_of(records(12, 2))
    text = "\r\n".join(delimiter.join(f'"{v}"' if "," in str(v) else str(v) for v in r) for r in [HEADERS, *rows])
    path = tmp_path / "班级.csv"
    path.write_bytes(text.encode(encoding))
    code, stdout, err = xueji("merge", str(path), "--out", str(tmp_path / "m.xlsx"))
    assert code == 0, stdout + err
    assert roster_rows(tmp_path / "m.xlsx") == rows


def test_wps_saved_xlsx_reads_like_any_other(tmp_path):
    """WPS writes absolute part names in its relationships, inline strings and its own properties part."""
    path, rows = class_file(tmp_path / "c.xlsx", 13, 2)
    wps = tmp_path / "wps.xlsx"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(wps, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/_rels/workbook.xml.rels":
                data = re.sub(rb'Target="/?(xl/)?', b'Target="/xl/', data)
            zout.writestr(info.filename, data)
        zout.writestr("docProps/custom.xml", '<?xml version="1.0" encoding="UTF-8"?><Properties xmlns="http://schemas.'
                      'openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org'
                      '/officeDocument/2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" '
                      'name="KSOProductBuildVer"><vt:lpwstr>2052-11.1.0.12358</vt:lpwstr></property></Properties>')
    assert b'Target="/xl/worksheets/sheet1.xml"' in zipfile.ZipFile(wps).read("xl/_rels/workbook.xml.rels")
    code, stdout, err = xueji("merge", str(wps), "--out", str(tmp_path / "m.xlsx"))
    assert code == 0, stdout + err
    assert roster_rows(tmp_path / "m.xlsx") == rows


def test_split_says_which_classes_are_not_in_the_class_list(tmp_path):
    """A 班号 the settings' class list lacks is split all the same (no student left out), but said."""
    import subprocess
    import sys

    from xueji_addin import synth
    from xueji_addin.samples import write_roster_xlsx

    src = tmp_path / "全校.xlsx"
    recs = [dict(r) for r in synth.school_roster(4, 2, 3)]
    write_roster_xlsx(src, recs)
    known = recs[0]["class_no"]
    other = next(r["class_no"] for r in recs if r["class_no"] != known)
    toml = tmp_path / "xueji.toml"
    toml.write_text(f'classes = ["{known}"]\n', "utf-8")
    repo = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-m", "xueji_addin", "split", str(src), "--out-dir", str(tmp_path / "班"),
                           "--settings", str(toml)], capture_output=True, text=True, cwd=repo,
                          env={"PYTHONPATH": str(repo), "PATH": "/usr/bin:/bin", "COLUMNS": "250"}, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"班号 {other} 不在" in done.stderr and known not in done.stderr.split("不在")[0].split("班号")[-1]
    assert len(list((tmp_path / "班").glob("*.xlsx"))) == 2  # split all the same
