"""确认码 on the printed pages, its QR code, and which signed pages no longer match the data
(xueji diff --signed, the 核对签字版 button)."""

from __future__ import annotations

import io
import json
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import openpyxl
import pytest
import zxingcpp
from PIL import Image

from tests.conftest import SETTINGS
from tests.robustness import cli  # noqa: F401 (fixture)
from tests.test_print import HAS_LO, page_count, page_text
from xueji_addin.actions.class_pages import class_sheets
from xueji_addin.actions.print_class import print_class
from xueji_addin.actions.print_record import RECORD_SHEET
from xueji_addin.actions.signed import RESULT_HEADERS, RESULT_SHEET
from xueji_addin.actions.pipeline import check_source
from xueji_addin.cli.app import run
from xueji_addin.excel import ribbon
from xueji_addin.rules.records import CODE_LABEL
from xueji_addin.samples import SAMPLE_NAME, build_sample, write_roster_xlsx
from xueji_addin.synth import class_roster
from xueji_addin.workbook.host import FileHost

REPO = Path(__file__).resolve().parents[1]
CODE_TEXT = re.compile(rf"{CODE_LABEL}：([0-9A-Z]{{4}}-[0-9A-Z]{{4}})")
PICTURE = REPO / "workbook_template" / "确认表示例.png"  # the sample's page 4, as LibreOffice prints it


def decoded(image: Image.Image) -> list[str]:
    return [b.text for b in zxingcpp.read_barcodes(image) if b.format == zxingcpp.BarcodeFormat.QRCode]


@pytest.fixture
def printed(tmp_path: Path) -> tuple[Path, Path, list[dict]]:
    recs = [dict(r) for r in class_roster(23, 8)]
    src, out = tmp_path / "班.xlsx", tmp_path / "确认表.xlsx"
    write_roster_xlsx(src, recs)
    assert run(["print", str(src), "--out", str(out), "--layout", "both"]) == 0
    return src, out, recs


def codes_in(path: Path) -> tuple[list[str], list[str]]:
    """The 确认码 texts of the form pages, and of the roster rows, in print order."""
    wb = openpyxl.load_workbook(path)
    form = [m.group(1) for row in wb["确认表"].iter_rows() for c in row if c.value and (m := CODE_TEXT.match(str(c.value)))]
    ws = wb["核对名单"]
    col = [c.value for c in ws[2]].index(CODE_LABEL)
    return form, [row[col].value for row in ws.iter_rows(min_row=3, max_row=ws.max_row - 1)]


# --- the code on the page ---------------------------------------------------------------------


def test_every_page_and_roster_row_carries_a_code_and_its_qr(printed):
    _, out, recs = printed
    form, roster = codes_in(out)
    assert len(form) == len(roster) == len(recs) == len(set(form)) == len(set(roster))
    wb = openpyxl.load_workbook(out)
    # each picture on the sheet reads back (with a real QR decoder) as the code printed beside it
    for sheet, codes in (("确认表", form), ("核对名单", roster)):
        pictures = [decoded(Image.open(io.BytesIO(img._data())))[0] for img in wb[sheet]._images]
        assert pictures == codes
    assert wb[RECORD_SHEET].sheet_state == "hidden"


def test_a_reprint_of_the_same_data_gives_the_same_codes_and_a_change_only_that_students(printed, tmp_path):
    src, out, recs = printed
    form, roster = codes_in(out)
    again = tmp_path / "再打印.xlsx"
    shuffled = recs[3:] + recs[:3]  # row order is not part of anyone's page
    write_roster_xlsx(src, shuffled)
    assert run(["print", str(src), "--out", str(again), "--layout", "both"]) == 0
    form2, roster2 = codes_in(again)
    assert sorted(form2) == sorted(form) and sorted(roster2) == sorted(roster)
    changed = [dict(r) for r in recs]
    changed[2]["specialty"] = "围棋"  # on the form only
    changed[5]["phone"] = "13700001234"  # on both
    write_roster_xlsx(src, changed)
    assert run(["print", str(src), "--out", str(again), "--layout", "both"]) == 0
    form3, roster3 = codes_in(again)
    assert [i for i in range(len(recs)) if form3[i] != form[i]] == [2, 5]
    assert [i for i in range(len(recs)) if roster3[i] != roster[i]] == [5]


def test_the_code_hashes_what_the_page_prints(tmp_path):
    recs = [dict(r) for r in class_roster(29, 3)]
    path = tmp_path / "c.xlsx"
    write_roster_xlsx(path, recs)
    checked = check_source(path, SETTINGS).students()
    plain, = class_sheets(checked.roster, checked.findings, SETTINGS)
    masked, = class_sheets(checked.roster, checked.findings, SETTINGS, mask=True)
    # a masked page prints other text, so it has another code; the page's items are what is hashed
    assert plain.forms[0].code != masked.forms[0].code
    printed_values = [i.value for s in plain.forms[0].sections for i in s.items]
    assert [v for _, v in plain.forms[0].fields()] == printed_values


def test_the_committed_picture_shows_the_samples_page_and_its_code_decodes():
    assert PICTURE.is_file()
    codes = decoded(Image.open(PICTURE))
    from xueji_addin.rules.engine import check
    from xueji_addin.workbook.reader import read_roster
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        roster = read_roster(build_sample(Path(d) / SAMPLE_NAME))
    fourth = class_sheets(roster, check(roster, SETTINGS), SETTINGS)[0].forms[3]
    assert codes == [fourth.code]
    assert "(workbook_template/确认表示例.png)" in (REPO / "README.md").read_text("utf-8")


@pytest.mark.libreoffice
@pytest.mark.skipif(not HAS_LO, reason="LibreOffice / poppler not installed")
def test_printed_pdf_shows_the_code_as_text_and_the_qr_scans_to_it(printed, tmp_path):
    src, _, recs = printed
    pdf = tmp_path / "c.pdf"
    assert run(["print", str(src), "--out", str(tmp_path / "c.xlsx"), "--pdf", str(pdf), "--layout", "both"]) == 0
    form, roster = codes_in(tmp_path / "c.xlsx")
    assert page_count(pdf) == len(recs) + 1  # the record sheet is hidden: it prints nothing
    for n, code in enumerate(form, start=1):
        assert f"{CODE_LABEL}：{code}" in page_text(pdf, n).replace(" ", "")
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.png"))
    assert [decoded(Image.open(p)) for p in pages[:-1]] == [[c] for c in form]
    assert sorted(decoded(Image.open(pages[-1]))) == sorted(roster)  # the roster page: a QR per row
    assert all(c in page_text(pdf, len(recs) + 1) for c in roster)


# --- xueji diff --signed ----------------------------------------------------------------------


def test_signed_pages_that_no_longer_match_are_listed_with_their_changes(printed, tmp_path, cli):
    src, out, recs = printed
    code, stdout, err = cli("diff", "--signed", str(out), str(src))
    assert code == 0 and "完全一致" in stdout, err
    new = [dict(r) for r in recs[::-1]]
    new[0]["m1_phone"] = "13511112222"  # recs[7]: on the form only
    new[1]["name"] = recs[6]["name"] + "明"  # recs[6]: on the form and the roster
    gone = new.pop(4)
    later = tmp_path / "现在.xlsx"
    write_roster_xlsx(later, new + [dict(class_roster(91, 1)[0])])
    j = tmp_path / "r.json"
    code, stdout, err = cli("diff", "--signed", str(out), str(later), "--json", str(j))
    assert code == 1, err
    data = json.loads(j.read_text("utf-8"))
    pages = sorted((r["name"], r["page"]) for r in data["reprint"])
    assert pages == sorted([(recs[7]["name"], "确认表"), (new[1]["name"], "确认表"), (new[1]["name"], "核对名单")])
    seven = next(r for r in data["reprint"] if r["name"] == recs[7]["name"])
    assert [(f["header"], f["old"], f["new"]) for f in seven["fields"]] == [("家庭成员或监护人一·联系电话", recs[7]["m1_phone"], "13511112222")]
    assert seven["signed_code"] != seven["code"] and seven["key"] == recs[7]["id_number"]
    assert [s["name"] for s in data["removed"]] == [gone["name"]]
    assert len(data["added"]) == 1
    assert "需重新打印签字 3 页" in stdout.replace("\n", "")


def test_signed_check_with_mask_shows_no_full_number(printed, tmp_path, cli):
    src, out, recs = printed
    new = [dict(r) for r in recs]
    new[0]["phone"] = "13600005555"
    write_roster_xlsx(src, new)
    code, stdout, _ = cli("diff", "--signed", str(out), str(src), "--mask", "--json", "-")
    assert code == 1
    assert recs[0]["id_number"] not in stdout and "13600005555" not in stdout and "136****5555" in stdout


# --- the 核对签字版 button ----------------------------------------------------------------------


class Screen:
    def __init__(self) -> None:
        self.boxes: list[tuple[str, bool]] = []

    def message(self, text: str, *, error: bool = False) -> None:
        self.boxes.append((text, error))

    def open(self, path: Path) -> None:
        pass

    def pick_folder(self, prompt: str) -> Path | None:
        return None


def test_the_button_checks_the_open_workbook_against_its_last_print(tmp_path):
    path = tmp_path / "班.xlsx"
    recs = [dict(r) for r in class_roster(41, 6)]
    write_roster_xlsx(path, recs)
    host = FileHost.open(path)
    screen = Screen()
    text = ribbon.run("XuejiCheckSigned", host, screen, SETTINGS)
    assert screen.boxes == [(text, True)] and "没有打印记录" in text and "打印本班确认表" in text
    print_class(host, "学生基础信息", SETTINGS)  # what 打印本班确认表 does
    assert host.wb[RECORD_SHEET].sheet_state == "hidden"
    host.activate("学生基础信息")
    text = ribbon.run("XuejiCheckSigned", host, screen, SETTINGS)
    assert "完全一致" in text and screen.boxes[-1] == (text, False)
    # a teacher corrects a typo after the parents signed
    ws = host.wb["学生基础信息"]
    col = [c.value for c in ws[1]].index("现住址") + 1
    ws.cell(4, col).value = "陕西省西安市碑林区南大街2号"
    host.activate("学生基础信息")
    text = ribbon.run("XuejiCheckSigned", host, screen, SETTINGS)
    assert "需重新打印签字 1 页" in text and RESULT_SHEET in text
    assert host.active_sheet() == RESULT_SHEET
    rows = [[c.value for c in r] for r in host.wb[RESULT_SHEET].iter_rows()]
    assert tuple(rows[0]) == RESULT_HEADERS
    assert {r[3] for r in rows[1:]} == {recs[2]["name"]}
    assert ["学生个人联系信息·现住址", recs[2]["current_address"], "陕西省西安市碑林区南大街2号"] in [r[5:8] for r in rows]


def test_readme_button_table_lists_every_ribbon_button():
    ns = {"ui": "http://schemas.microsoft.com/office/2009/07/customui"}
    root = ET.parse(REPO / "ribbon" / "customUI14.xml").getroot()
    labels = [b.get("label") for b in root.findall(".//ui:button", ns)]
    readme = (REPO / "README.md").read_text("utf-8")
    table = readme[readme.index("### 每个按钮做什么"):]
    rows = [line.split("|")[2].strip() for line in table.splitlines() if line.startswith("| ") and line.count("|") >= 4]
    assert [r for r in rows if r in labels] == labels and "核对签字版" in labels


def test_the_button_on_the_excel_host_and_a_second_class_printed_later(tmp_path):
    from tests.fake_excel import FakeBook
    from xueji_addin.excel.host import ExcelHost
    from xueji_addin.synth import school_roster

    path = tmp_path / "全校.xlsx"
    recs = [dict(r) for r in school_roster(5, 2, 4)]
    write_roster_xlsx(path, recs)
    host = ExcelHost(FakeBook(openpyxl.load_workbook(path), path))
    classes = sorted({r["class_no"] for r in recs})
    with host.quiet():  # as a button runs (Excel would ask before replacing a sheet)
        print_class(host, "学生基础信息", SETTINGS, class_no=classes[0])
        print_class(host, "学生基础信息", SETTINGS, class_no=classes[1])  # the record keeps the first class too
    host.activate("学生基础信息")
    screen = Screen()
    text = ribbon.dispatch("XuejiCheckSigned", host, screen, SETTINGS)
    assert f"签字版的 {len(recs)} 页" in text and "完全一致" in text and RESULT_SHEET not in host.sheet_names()
    host.write("学生基础信息", {"B3": recs[1]["name"] + "子"})  # 姓名 of the second row
    host.activate("学生基础信息")
    text = ribbon.dispatch("XuejiCheckSigned", host, screen, SETTINGS)
    assert "需重新打印签字 1 页" in text and host.active_sheet() == RESULT_SHEET
    rows = host.read(RESULT_SHEET)
    assert [r[5:8] for r in rows[1:]] == [["学生个人基础信息·姓名", recs[1]["name"], recs[1]["name"] + "子"]]


def test_a_workbook_printed_from_the_ribbon_holds_its_own_record(tmp_path, cli):
    path = tmp_path / "班.xlsx"
    recs = [dict(r) for r in class_roster(43, 5)]
    write_roster_xlsx(path, recs)
    host = FileHost.open(path)
    print_class(host, "学生基础信息", SETTINGS)
    saved = tmp_path / "已打印.xlsx"
    host.save(saved)
    code, stdout, err = cli("diff", "--signed", str(saved), str(saved))
    assert code == 0 and "签字版的 5 页" in stdout, err
    recs[4]["birth_date"] = "20170101"
    write_roster_xlsx(path, recs)
    code, stdout, _ = cli("diff", "--signed", str(saved), str(path), "--json", "-")
    assert code == 1
    data = json.loads(stdout[stdout.index("{"):])
    assert [(r["name"], [f["header"] for f in r["fields"]]) for r in data["reprint"]] == [(recs[4]["name"], ["出生日期"])]
