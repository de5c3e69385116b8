"""The catalogue of bad inputs: each one is read correctly or refused with one Chinese sentence and exit 2."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import letter
from tests.rawxlsx import Error, Formula, write_xlsx
from tests.robustness import cli, roster_rows  # noqa: F401 (fixture)
from xueji_addin.actions.pipeline import check_source
from xueji_addin.samples import write_roster_xlsx
from xueji_addin.spec.profiles import default_profile
from xueji_addin.synth import class_roster
from xueji_addin.workbook.reader import ReadError, read_roster

REPO = Path(__file__).resolve().parents[1]


def one_sentence(err: str, expect: str) -> None:
    assert expect in err, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err


@pytest.fixture
def plain(tmp_path: Path) -> Path:
    p = tmp_path / "plain.xlsx"
    write_roster_xlsx(p, class_roster(3, 6))
    return p


@pytest.mark.parametrize("name,content,expect", [
    ("photo.xlsx", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "不是表格文件"),
    ("notes.xlsx", "这是一封信，不是表格。\n".encode("utf-8"), "找不到学籍表的表头"),
    ("empty.xlsx", b"", "空文件"),
])
def test_not_a_spreadsheet(cli, tmp_path, name, content, expect):
    p = tmp_path / name
    p.write_bytes(content)
    code, _, err = cli("validate", p)
    assert code == 2
    one_sentence(err, expect)


def test_a_word_document_is_not_a_workbook(cli, tmp_path):
    p = tmp_path / "letter.xlsx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<document/>")
    code, _, err = cli("validate", p)
    assert code == 2
    one_sentence(err, "不是有效的 Excel 文件")


def test_truncated_and_corrupt_xlsx(cli, tmp_path, plain):
    data = plain.read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(data[: len(data) // 2])
    code, _, err = cli("validate", cut)
    assert code == 2
    one_sentence(err, "已损坏")
    # flip bytes inside the compressed sheet: the zip's CRC check must catch it
    with zipfile.ZipFile(plain) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    bad = bytearray(data)
    for i in range(start + 50, start + 60):
        bad[i] ^= 0xFF
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(bytes(bad))
    code, _, err = cli("validate", broken)
    assert code == 2
    one_sentence(err, "已损坏")


@pytest.mark.parametrize("suffix", [".xlsx", ".xls"])
def test_password_protected_file(cli, tmp_path, plain, suffix):
    import msoffcrypto.format.ooxml as ooxml

    enc = tmp_path / f"locked{suffix}"
    with plain.open("rb") as src, enc.open("wb") as out:
        ooxml.OOXMLFile(src).encrypt("secret", out)
    code, _, err = cli("validate", enc)
    assert code == 2
    one_sentence(err, "设置了打开密码")


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_xls_renamed_xlsx_and_the_reverse_are_read_by_content(cli, tmp_path, plain):
    out = tmp_path / "lo"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless", "--convert-to", "xls",
                    "--outdir", str(out), str(plain)], check=True, capture_output=True, timeout=180)
    xls_named_xlsx = tmp_path / "old.xlsx"
    shutil.copy(out / "plain.xls", xls_named_xlsx)
    xlsx_named_xls = tmp_path / "new.xls"
    shutil.copy(plain, xlsx_named_xls)
    expected = read_roster(plain)
    for p in (out / "plain.xls", xls_named_xlsx, xlsx_named_xls):
        r = read_roster(p)
        assert r.rows == expected.rows and str(r.cells["name"]) == str(expected.cells["name"])
        code, outp, err = cli("validate", p)
        assert code == 0, outp + err


def test_empty_workbook_and_no_header(cli, tmp_path):
    empty = tmp_path / "blank.xlsx"
    openpyxl.Workbook().save(empty)
    code, _, err = cli("validate", empty)
    assert code == 2
    one_sentence(err, "是空的")
    headless = tmp_path / "headless.xlsx"
    write_xlsx(headless, roster_rows()[1:])
    code, _, err = cli("validate", headless)
    assert code == 2
    one_sentence(err, "找不到学籍表的表头")


def test_header_in_row_3_works_with_the_right_row_numbers(cli, tmp_path):
    rows = roster_rows(size=4)
    id_col = default_profile().headers.index("身份证件号")
    n = str(rows[2][id_col])
    rows[2][id_col] = n[:-1] + ("0" if n[-1] != "0" else "1")  # second pupil: check digit wrong
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "学生基础信息"
    ws.append(["某某小学2024级1班 学生基础信息"])
    ws.merge_cells("A1:H1")
    ws.append([])
    for r in rows:
        ws.append(r)
    p = tmp_path / "titled.xlsx"
    wb.save(p)
    roster = read_roster(p)
    assert roster.header.header_row == 3 and roster.rows == [4, 5, 6, 7]
    found = {(f.code, f.cell) for f in check_source(p).students().findings}
    assert ("XJ303", f"{letter('id_number')}5") in found
    assert not any(code == "XJ117" for code, _ in found)  # the merged title above the header is fine


def test_merged_cells_in_the_data(tmp_path):
    p = tmp_path / "merged.xlsx"
    write_roster_xlsx(p, class_roster(3, 4))
    wb = openpyxl.load_workbook(p)
    wb.active.merge_cells("B3:B4")
    wb.save(p)
    found = {(f.code, f.cell) for f in check_source(p).students().findings}
    assert ("XJ117", "B3") in found and ("XJ101", "B4") in found


def test_hidden_rows_and_columns_are_read_and_reported(tmp_path):
    p = tmp_path / "hidden.xlsx"
    write_roster_xlsx(p, class_roster(3, 6))
    wb = openpyxl.load_workbook(p)
    ws = wb.active
    ws.row_dimensions[4].hidden = ws.row_dimensions[5].hidden = True
    ws.column_dimensions["E"].hidden = True
    wb.save(p)
    checked = check_source(p).students()
    assert len(checked.roster) == 6  # nothing hidden is lost
    found = {(f.code, f.cell): f for f in checked.findings}
    assert "第4-5行" in found[("XJ118", "第4行")].message
    assert found[("XJ119", "E1")].header == default_profile().headers[4]


def test_formulas_use_their_saved_values_and_warn(cli, tmp_path):
    rows = roster_rows(size=3)
    name = rows[1][1]
    rows[1][1] = Formula(f'"{name[0]}"&"{name[1:]}"', name)
    rows[2][1] = Formula('"x"&"y"')  # never calculated: no saved value
    p = write_xlsx(tmp_path / "formulas.xlsx", rows)
    checked = check_source(p).students()
    assert checked.roster.cells["name"][0] == name
    by = {(f.code, f.cell): f for f in checked.findings}
    assert by[("XJ116", "B2")].severity.value == "warning" and "显示的值" in by[("XJ116", "B2")].message
    assert "没有保存计算结果" in by[("XJ116", "B3")].message and ("XJ101", "B3") in by


def test_error_values_are_reported_at_their_cells(tmp_path):
    rows = roster_rows(size=3)
    rows[1][6] = Error("#N/A")
    rows[3][1] = Error("#REF!")
    p = write_xlsx(tmp_path / "errors.xlsx", rows)
    by = {(f.code, f.cell): f for f in check_source(p).students().findings}
    assert "#N/A" in by[("XJ113", "G2")].message and "#REF!" in by[("XJ113", "B4")].message


@pytest.mark.slow
def test_100000_rows(tmp_path):
    header, *recs = roster_rows(seed=5, size=400)
    def rows():
        yield header
        for i in range(100_000):
            yield recs[i % len(recs)]
    p = write_xlsx(tmp_path / "county.xlsx", rows(), compresslevel=1)
    roster = read_roster(p)
    assert len(roster) == 100_000 and roster.rows[0] == 2 and roster.rows[-1] == 100_001
    assert roster.cells["name"][-1] == recs[(100_000 - 1) % len(recs)][1]


def test_very_long_strings_and_control_characters(cli, tmp_path):
    p = default_profile()
    recs = class_roster(4, 3)
    recs[0]["current_address"] = "长" * 40_000
    recs[1]["name"] = recs[1]["name"][:1] + "\x01" + recs[1]["name"][1:]
    lines = [",".join(p.headers)] + [",".join(str(r.get(k, "")) for k in p.by_key) for r in recs]
    src = tmp_path / "odd.csv"
    src.write_text("\n".join(lines), "utf-8")
    marked = tmp_path / "marked.xlsx"
    code, out, err = cli("validate", src, "--marked", marked)
    assert code == 1 and "Traceback" not in err and "长" * 100 not in out  # the report does not echo the text
    assert "B3" in out and "看不见的字符" in out
    from python_calamine import CalamineWorkbook

    back = CalamineWorkbook.from_path(str(marked)).get_sheet_by_name("odd").to_python()
    assert back[2][1] == recs[1]["name"] and len(back[1][p.headers.index("现住址")]) == 32_767  # Excel’s cell limit
    fixed = tmp_path / "fixed.xlsx"
    cli("fix", src, "--out", fixed)
    assert openpyxl.load_workbook(fixed).active["B3"].value == recs[1]["name"].replace("\x01", "")


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig", "utf-8"])
def test_csv_encodings(tmp_path, encoding):
    p = default_profile()
    recs = class_roster(4, 3)
    lines = [",".join(p.headers)] + [",".join(str(r.get(k, "")) for k in p.by_key) for r in recs]
    path = tmp_path / "class.csv"
    path.write_bytes("\r\n".join(lines).encode(encoding))
    roster = read_roster(path)
    assert roster.cells["name"] == [r["name"] for r in recs] and not roster.header.missing


def test_file_locked_by_another_process(cli, tmp_path, plain, monkeypatch):
    """Windows reports a file Excel holds open as PermissionError; the reader says so in one sentence."""
    real_open = Path.open

    def locked(self, *a, **k):
        if self == plain:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *a, **k)

    monkeypatch.setattr(Path, "open", locked)
    code, _, err = cli("validate", plain)
    assert code == 2
    one_sentence(err, "没有权限读取")


def test_output_held_open_or_not_writable(cli, tmp_path, plain, monkeypatch):
    code, _, err = cli("validate", plain, "--marked", tmp_path / "no" / "such" / "out.xlsx")
    assert code == 2 and "不存在" in err
    (tmp_path / "afile").write_text("x")
    code, _, err = cli("validate", plain, "--marked", tmp_path / "afile" / "out.xlsx")
    assert code == 2 and "不存在" in err
    (tmp_path / "adir").mkdir()
    code, _, err = cli("fix", plain, "--out", tmp_path / "adir")
    assert code == 2 and "是一个文件夹" in err
    import os

    real_replace = os.replace
    target = tmp_path / "open_in_excel.xlsx"
    target.write_bytes(b"old")

    def busy(src, dst):
        if Path(dst) == target:
            raise PermissionError(13, "Permission denied")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", busy)
    code, _, err = cli("validate", plain, "--marked", target)
    assert code == 2 and "正在 Excel 中打开" in err
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir() if ".tmp" in p.name] == []


def test_subprocess_never_prints_a_traceback(tmp_path):
    p = tmp_path / "cut.xlsx"
    p.write_bytes(b"PK\x03\x04" + bytes(100))
    proc = subprocess.run([sys.executable, "-m", "xueji_addin", "validate", str(p)], capture_output=True, text=True,
                          cwd=REPO, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "COLUMNS": "200"})
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "已损坏" in proc.stderr


@pytest.mark.parametrize("option,what", [("--settings", "设置文件"), ("--map", "映射文件")])
def test_a_missing_or_malformed_toml_file_is_one_sentence(cli, tmp_path, option, what):
    src = tmp_path / "class.xlsx"
    write_roster_xlsx(src, [dict(r) for r in class_roster(3, 2)])
    command = ("validate", src) if option == "--settings" else ("import", src, "--out", tmp_path / "o.xlsx")
    code, _, err = cli(*command, option, tmp_path / "无.toml")
    assert code == 2 and f"找不到{what} 无.toml，请检查路径。" in err
    bad = tmp_path / "bad.toml"
    bad.write_text("columns = [", "utf-8")
    code, _, err = cli(*command, option, bad)
    assert code == 2 and f"{what} bad.toml 格式有误：" in err and "请按 README 中的示例填写。" in err and "Traceback" not in err
