"""The xlwings layer without Excel: the Excel host's block arithmetic, every ribbon button driven
through the dispatcher on real workbook files, and the worksheet functions called directly."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import example, given, settings as hsettings, strategies as st

from tests.conftest import SETTINGS, letter
from xueji_addin import synth
from xueji_addin.actions.mark import MARKS_SHEET, RESULT_SHEET
from xueji_addin.actions.settings_sheet import SETTINGS_SHEET
from xueji_addin.excel import ribbon
from xueji_addin.excel.ranges import blocks, hex_colour, rows_of_address, union_refs
from xueji_addin.workbook.cells import needs_text_format
from xueji_addin.excel.udfs import XJ_CHECK, XJ_CODE, XJ_ID, XJ_NAME, XJ_ROW
from xueji_addin.rules.engine import check
from xueji_addin.rules.findings import RULES
from xueji_addin.rules.roster import Roster
from xueji_addin.samples import SAMPLE_NAME, build_sample, write_roster_xlsx
from xueji_addin.spec.codes import code_table
from xueji_addin.spec.profiles import default_profile
from xueji_addin.workbook.host import FileHost

SHEET = "学生基础信息"
REPO = Path(__file__).resolve().parents[1]


# --- the Excel host's helpers ------------------------------------------------------------------


def test_excel_host_imports_without_excel():
    """xlwings is only needed when a workbook is opened. Tried in a fresh interpreter where xlwings
    cannot be imported: re-importing the module here would leave this process's tests holding two
    ExcelHost classes, patched and unpatched (a later test failed for it)."""
    probe = ("import sys; sys.modules['xlwings'] = None\n"
             "from xueji_addin.excel.host import ExcelHost\nprint(ExcelHost.__name__, 'xlwings' in sys.modules and sys.modules['xlwings'] is not None)")
    p = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO)
    assert p.stdout.split() == ["ExcelHost", "False"], p.stderr


@pytest.mark.parametrize("address,max_row,rows", [
    ("$M$5", None, [5]),
    ("$A$2:$C$4,$M$9", None, [2, 3, 4, 9]),
    ("B7:B7", None, [7]),
    ("$M:$M", 6, [1, 2, 3, 4, 5, 6]),
    ("3:5", None, [3, 4, 5]),
    ("'学生基础信息'!$A$2:$B$3", None, [2, 3]),
])
def test_rows_of_address(address: str, max_row: int | None, rows: list[int]):
    assert rows_of_address(address, max_row) == rows


def test_blocks_write_each_run_of_adjacent_cells_once():
    cells = {"A2": 1, "B2": 2, "C2": 3, "E2": 5, "A3": "x", "AA3": "y", "AB3": None}
    assert blocks(cells) == [("A2:C2", [1, 2, 3]), ("E2", [5]), ("A3", ["x"]), ("AA3:AB3", ["y", None])]


@given(st.lists(st.from_regex(r"[A-Z]{1,3}[1-9][0-9]{0,6}", fullmatch=True), max_size=80))
@hsettings(max_examples=60, deadline=None)
def test_union_refs_keep_every_address_within_excels_limit(addresses: list[str]):
    refs = union_refs(addresses)
    assert all(len(r) <= 255 for r in refs)
    assert [a for r in refs for a in r.split(",")] == addresses


def test_text_excel_would_change_goes_into_text_cells():
    for text in ("=SUM(A1)", "+86139", "20240101", "0101", "2024-9-1", "1E5"):
        assert needs_text_format(text), text
    for value in ("汉族", "", 12, None, "20240101班"):
        assert not needs_text_format(value), value
    assert hex_colour((255, 199, 206)) == "FFC7CE" and hex_colour(None) is None and hex_colour("#ffeb9c") == "FFEB9C"


# --- the ribbon --------------------------------------------------------------------------------


class Screen:
    """The teacher's view of Excel: the boxes shown and the pages opened."""

    def __init__(self) -> None:
        self.boxes: list[tuple[str, bool]] = []
        self.pages: list[Path] = []

    def message(self, text: str, *, error: bool = False) -> None:
        self.boxes.append((text, error))

    def open(self, path: Path) -> None:
        self.pages.append(path)


@pytest.fixture
def sample_host(tmp_path: Path) -> FileHost:
    return FileHost.open(build_sample(tmp_path / SAMPLE_NAME))


def test_check_and_settings_buttons_run_their_actions_on_a_real_workbook(sample_host: FileHost, tmp_path: Path):
    screen = Screen()
    host = sample_host
    text = ribbon.run("XuejiValidateSheet", host, screen, SETTINGS)
    assert "18 个错误" in text and RESULT_SHEET in host.sheet_names() and MARKS_SHEET in host.sheet_names()
    host.activate(SHEET)
    host.wb[SHEET].sheet_view.selection[0].sqref = "A10:A11"
    assert "选中的" in ribbon.run("XuejiValidateSelection", host, screen, SETTINGS)
    assert "已自动修正 8 处" in ribbon.run("XuejiAutoFix", host, screen, SETTINGS)
    assert host.wb[SHEET][f"{letter('ethnicity')}9"].value == "汉族"
    assert "已撤销 8 处" in ribbon.run("XuejiUndoFix", host, screen, SETTINGS)
    assert host.wb[SHEET][f"{letter('ethnicity')}9"].value == "汉"
    host.activate(SHEET)
    assert "已清除" in ribbon.run("XuejiClearMarks", host, screen, SETTINGS)
    assert ribbon.run("XuejiSettings", host, screen, SETTINGS).startswith("请在")
    assert host.active_sheet() == SETTINGS_SHEET
    assert ribbon.run("XuejiSettings", host, screen, SETTINGS).startswith("设置已保存")
    assert "浏览器" in ribbon.run("XuejiHelp", host, screen, SETTINGS)
    assert screen.pages and screen.pages[0].suffix == ".html"
    assert len(screen.boxes) == 8 and not any(error for _, error in screen.boxes)  # the others: test_addin_buttons.py
    host.save(tmp_path / "after-buttons.xlsx")  # the workbook is still a valid file


def test_user_errors_are_one_chinese_sentence_in_a_box(tmp_path: Path):
    screen = Screen()
    scores = FileHost.from_rows("成绩", [["学号", "语文"], ["1", 90]])
    text = ribbon.run("XuejiValidateSheet", scores, screen)
    assert screen.boxes == [(text, True)]
    assert "不是学籍表" in text and "Traceback" not in text

    text = ribbon.run("XuejiNoSuchButton", scores, screen)
    assert "没有对应的功能" in text and screen.boxes[-1][1]


def test_an_unexpected_failure_never_shows_a_traceback():
    screen = Screen()
    broken = FileHost(None)  # type: ignore[arg-type]  # a host whose workbook went away under it
    text = ribbon.run("XuejiValidateSheet", broken, screen)
    assert text.startswith("学籍助手出错了（AttributeError）") and "表格没有被改坏" in text
    assert screen.boxes == [(text, True)]


def test_a_broken_xueji_toml_beside_the_workbook_is_reported(tmp_path: Path):
    (tmp_path / "xueji.toml").write_text("school_code = [", "utf-8")
    with pytest.raises(Exception, match="格式有误"):
        ribbon.base_settings(tmp_path)
    (tmp_path / "xueji.toml").write_text('school_code = "2161010001"\n', "utf-8")
    assert ribbon.base_settings(tmp_path).school_code == "2161010001"
    assert ribbon.base_settings(None) is None


# --- worksheet functions -----------------------------------------------------------------------

REC = synth.class_roster(3, 1)[0]
ID = str(REC["id_number"])


def test_xj_check_uses_the_rules_messages():
    assert XJ_CHECK(ID, "身份证件号") == ""
    assert "存成了数字" in XJ_CHECK(float(ID), "身份证件号")
    assert XJ_CHECK(ID[:-1] + ("0" if ID[-1] != "0" else "1"), "身份证件号").startswith("身份证号校验不通过")
    assert XJ_CHECK("汉", "民族").startswith("“汉”应写作“汉族”")
    assert XJ_CHECK("汉族", "★民族") == ""  # the header as the template writes it, ★ and all
    assert "手机号" in XJ_CHECK("1391234567", "联系电话")
    assert XJ_CHECK(20240901, "入学年月") != ""
    assert "#N/A" in XJ_CHECK("#N/A", "姓名")


@pytest.mark.parametrize("value,header,expect", [
    ("", "姓名", ""),
    (None, "姓名", ""),
    ("张三", None, "第二个参数应是模板的列名"),
    ("张三", 12, "“12”不是学生基础信息模板中的列名"),
    ("张三", "成绩", "“成绩”不是学生基础信息模板中的列名"),
    (["a", "b"], "姓名", "第一个参数只能是一个单元格"),
    (True, "是否独生子女", ""),
])
def test_xj_check_bad_arguments(value: object, header: object, expect: str):
    got = XJ_CHECK(value, header)
    assert got.startswith(expect) if expect else got == ""


@given(st.sampled_from([c for c in default_profile().columns if c.kind.value not in ("id_number",)]),
       st.one_of(st.text(max_size=12), st.integers(-10, 10**9), st.floats(allow_nan=False, allow_infinity=False),
                 st.sampled_from(["汉", "01", " 男", "１２３", "2024.9", "#REF!", "20180231"])))
@hsettings(max_examples=150, deadline=None)
@example(default_profile().by_key["enroll_ym"], 137304)  # a month no school year starts in (XJ409)
def test_xj_check_agrees_with_the_engine(column, value):  # noqa: ANN001
    """The function's verdict on a value is the engine's cell verdict on that value in a roster."""
    roster = Roster.from_records(default_profile(), [{column.key: value}])
    engine = [f for f in check(roster, SETTINGS) if f.header == column.header and RULES[f.code].scope == "cell"
              and f.code not in ("XJ101", "XJ102", "XJ103", "XJ104")]
    got = XJ_CHECK(value, column.header)
    if value is None or value == "":
        assert got == ""
    else:
        assert got == "；".join(f.message + (f"（{f.suggestion}）" if f.suggestion else "") for f in engine)


def test_xj_row_lists_the_rows_problems():
    profile = default_profile()
    row = [REC.get(c.key) for c in profile.columns]
    assert XJ_ROW(row) == ""
    assert XJ_ROW([row]) == ""  # a 1×71 block as xlwings may pass it
    row[profile.by_key["gender"].order - 1] = "女" if REC["gender"] == "男" else "男"
    row[profile.by_key["ethnicity"].order - 1] = "汉"
    got = XJ_ROW(row)
    assert "【性别】" in got and "【民族】" in got
    assert XJ_ROW([None] * 71) == ""
    assert XJ_ROW(5).startswith("参数应是一整行")
    assert XJ_ROW([row, row]).startswith("只能检查一行")
    short = XJ_ROW(row[:3])  # a short row: the rest counts as empty
    assert "【出生日期】必填项为空" in short and "【姓名】" not in short


def test_xj_id_parts_and_bad_numbers():
    birth = dt.date(int(ID[6:10]), int(ID[10:12]), int(ID[12:14]))
    assert XJ_ID(ID) == XJ_ID(ID, "出生日期") == birth.strftime("%Y%m%d")
    assert XJ_ID(ID, "性别") == XJ_ID(ID, 2) == ("男" if int(ID[16]) % 2 else "女")
    place = XJ_ID(ID, "出生地")
    assert place and "市" in place or "县" in place or "区" in place
    assert XJ_ID(ID.lower(), "性别") in ("男", "女")
    wrong = ID[:-1] + ("0" if ID[-1] != "0" else "1")
    assert XJ_ID(wrong, "性别").startswith("身份证号校验不通过")
    assert XJ_ID("123", "性别") == "居民身份证号应为18位，现在是3位（请对照户口簿核对，是否多输或漏输了数字）"
    assert "存成了数字" in XJ_ID(float(ID))
    assert XJ_ID(None) == "" and XJ_ID("") == ""
    assert XJ_ID(ID, "年龄").startswith("第二个参数只能是")
    assert XJ_ID([ID], "性别").startswith("第一个参数只能是")
    assert "#N/A" in XJ_ID("#N/A")


def test_xj_code_and_xj_name_round_trip_every_table_entry():
    for table_id in ("MZ", "XB", "JKZK", "SFZJLX", "GX"):
        table = code_table(table_id)
        for code, name in table.codes.items():
            assert XJ_NAME(table.title, code) == name
            assert XJ_CODE(table_id, name) == table.code_of(name)


def test_xj_code_and_xj_name_accept_what_teachers_type_and_refuse_the_rest():
    assert XJ_CODE("民族", "汉族") == "01" and XJ_CODE("民族", "汉") == "01" and XJ_CODE("MZ", "01") == "01"
    assert XJ_NAME("民族", 1) == XJ_NAME("民族", 1.0) == XJ_NAME("民族", "01") == "汉族"
    assert XJ_NAME("性别", "1") == "男"
    assert XJ_CODE("★民族", "回族") == "03"  # a column header names its code table too
    assert XJ_CODE("民族", "") == "" and XJ_NAME("民族", None) == ""
    assert XJ_CODE("民族", "火星族") == "“火星族”不是“民族”代码表中的选项。"
    assert XJ_NAME("民族", "99") == "“99”不是“民族”代码表中的代码。"
    assert XJ_NAME("民族", dt.date(2020, 1, 1)).endswith("不是“民族”代码表中的代码。")
    assert XJ_CODE(None, "汉族") == "第一个参数应是代码表名称，如“民族”。"
    assert XJ_CODE("星座", "白羊").startswith("没有名为“星座”的代码表")
    assert XJ_CODE(["民族"], "汉族") == XJ_NAME("民族", ["01"]) == "参数只能是单个单元格或文字。"
