"""The ribbon's 班级 and 打印与导出 buttons end to end: on the file host with real workbooks, and on
the Excel host over a stand-in for Excel (tests/fake_excel.py) to run the xlwings glue itself."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tests.conftest import SETTINGS
from tests.fake_excel import FakeBook
from xueji_addin import synth
from xueji_addin.actions.mark import ERROR_FILL, RESULT_SHEET
from xueji_addin.actions.summary import NO_ID_SHEET, SUMMARY_SHEET
from xueji_addin.excel import ribbon
from xueji_addin.excel.host import ExcelHost
from xueji_addin.rules.engine import check
from xueji_addin.samples import SAMPLE_NAME, build_sample, write_roster_xlsx
from xueji_addin.spec.profiles import default_profile
from xueji_addin.workbook import names
from xueji_addin.workbook.host import FileHost
from xueji_addin.workbook.reader import ReadError, read_roster

SHEET = "学生基础信息"
PROFILE = default_profile()


class Screen:
    """The teacher's side: boxes shown, things opened, and the folder they would pick."""

    def __init__(self, folder: Path | None = None) -> None:
        self.boxes: list[tuple[str, bool]] = []
        self.opened: list[Path] = []
        self.folder = folder
        self.asked: list[str] = []

    def message(self, text: str, *, error: bool = False) -> None:
        self.boxes.append((text, error))

    def open(self, path: Path) -> None:
        self.opened.append(path)

    def pick_folder(self, prompt: str) -> Path | None:
        self.asked.append(prompt)
        return self.folder


def press(button: str, host, screen: Screen | None = None) -> tuple[str, Screen]:  # noqa: ANN001
    """A button pressed: on the Excel host the way Excel's callback does it (screen and alerts held)."""
    screen = screen or Screen()
    if isinstance(host, ExcelHost):
        return ribbon.dispatch(button, host, screen, SETTINGS), screen
    return ribbon.run(button, host, screen, SETTINGS), screen


def school_file(tmp_path: Path, classes: int = 3, size: int = 5) -> Path:
    path = tmp_path / "全校名单.xlsx"
    write_roster_xlsx(path, synth.school_roster(11, classes, size))
    return path


def values(ws) -> list[list[object]]:  # noqa: ANN001
    return [[c.value for c in row] for row in ws.iter_rows()]


def plain_roster(path: Path, records: list[dict[str, object]]) -> Path:
    """A roster as it comes from elsewhere: the template's values, none of its help."""
    from openpyxl.formatting.formatting import ConditionalFormattingList

    write_roster_xlsx(path, records)
    wb = openpyxl.load_workbook(path)
    for helper in names.HELPER_SHEETS:
        if helper in wb.sheetnames:
            del wb[helper]
    for n in list(wb.defined_names):
        del wb.defined_names[n]
    ws = wb[SHEET]
    ws.data_validations.dataValidation = []
    ws.conditional_formatting = ConditionalFormattingList()
    wb.save(path)
    return path


# --- 刷新下拉 ---------------------------------------------------------------------------------------


def test_refresh_dropdowns_gives_a_plain_copy_the_template_help_and_changes_no_value(tmp_path: Path):
    path = plain_roster(tmp_path / "从别处复制的.xlsx", synth.class_roster(5, 8))
    assert openpyxl.load_workbook(path).sheetnames == [SHEET]
    before = values(openpyxl.load_workbook(path)[SHEET])
    host = FileHost.open(path)
    text, screen = press("XuejiRefreshDropdowns", host)
    assert screen.boxes == [(text, False)] and "8 名学生的内容没有任何改动" in text
    host.save(tmp_path / "out.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "out.xlsx")
    ws = wb[SHEET]
    assert values(ws) == before
    lists = {str(dv.sqref).split(":")[0][:-1]: dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"}
    assert lists[PROFILE.by_key["ethnicity"].letter] == "XJ_CODE_MZ"
    assert len(ws.data_validations.dataValidation) == len(PROFILE.columns)
    assert sum(len(cf.rules) for cf in ws.conditional_formatting) > 50
    assert {names.CODE_SHEET, names.REGION_SHEET, names.SETTINGS_SHEET} <= set(wb.sheetnames)


def test_refresh_dropdowns_refuses_a_header_that_differs_from_the_template(tmp_path: Path):
    path = tmp_path / "改过表头.xlsx"
    write_roster_xlsx(path, synth.class_roster(5, 3))
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET]
    ws.move_range("C1:C4", cols=200)  # 性别 moved far right: dropdowns would land on the wrong column
    wb.save(path)
    text, screen = press("XuejiRefreshDropdowns", FileHost.open(path))
    assert screen.boxes == [(text, True)]
    assert "表头与模板不一致" in text and "下拉列表会加错列" in text


# --- 拆分班级 / 合并班级文件 ---------------------------------------------------------------------------


def test_split_writes_one_file_per_class_in_a_new_folder_beside_the_workbook(tmp_path: Path):
    path = school_file(tmp_path)
    original = path.read_bytes()
    host = FileHost.open(path)
    text, screen = press("XuejiSplitClasses", host)
    records = synth.school_roster(11, 3, 5)
    folder = tmp_path / f"{records[0]['school_code']}_班级文件"
    assert screen.opened == [folder]
    files = sorted(folder.iterdir())
    assert sorted(f.name.split("_")[-1] for f in files) == sorted({f"{r['class_no']}.xlsx" for r in records})
    rosters = [read_roster(f) for f in files]
    assert [len(r) for r in rosters] == [5, 5, 5]
    assert "15 名学生已按班号拆成 3 个班级文件（一行不少）" in text and not screen.boxes[0][1]
    assert path.read_bytes() == original
    # Pressed again: a second folder, the first (maybe already sent out) is never overwritten.
    _, again = press("XuejiSplitClasses", host)
    assert again.opened == [folder.with_name(folder.name + "(2)")]


def test_split_and_export_need_a_saved_workbook():
    unsaved = FileHost.from_rows(SHEET, [PROFILE.headers])
    for button in ("XuejiSplitClasses", "XuejiExport"):
        text, screen = press(button, unsaved)
        assert screen.boxes == [(text, True)] and text.startswith("请先把工作簿保存")


def test_merge_asks_for_the_folder_and_merges_every_class_file_in_it(tmp_path: Path):
    path = school_file(tmp_path)
    host = FileHost.open(path)
    _, split = press("XuejiSplitClasses", host)
    folder = split.opened[0]
    text, screen = press("XuejiMergeClasses", host, Screen(folder))
    out = tmp_path / f"{folder.name}_合并.xlsx"
    assert screen.asked == [ribbon.FOLDER_PROMPT] and screen.opened == [out]
    assert "3 个班级文件合并" in text and "读入 15 行，写入 15 行，一行不少" in text
    merged = read_roster(out)
    original = read_roster(path)
    assert sorted(merged.cells["id_number"]) == sorted(original.cells["id_number"])
    assert "来源" in openpyxl.load_workbook(out, read_only=True).sheetnames


def test_merge_cancelled_writes_nothing_and_an_empty_folder_is_a_sentence(tmp_path: Path):
    host = FileHost.open(school_file(tmp_path))
    before = set(tmp_path.iterdir())
    text, screen = press("XuejiMergeClasses", host, Screen(None))
    assert text == "已取消。" and screen.boxes == [] and set(tmp_path.iterdir()) == before
    empty = tmp_path / "空文件夹"
    empty.mkdir()
    text, screen = press("XuejiMergeClasses", host, Screen(empty))
    assert screen.boxes == [(text, True)] and "没有表格文件" in text


# --- 打印本班确认表 / 导出上报文件 / 统计表 -------------------------------------------------------------


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    return build_sample(tmp_path / SAMPLE_NAME)


def test_print_builds_the_confirmation_sheets_and_shows_them(sample: Path):
    host = FileHost.open(sample)
    text, screen = press("XuejiPrintClass", host)
    assert host.active_sheet() == "确认表" and "确认表" in host.sheet_names()
    assert "45 名学生，每人一页" in text and "18 处错误" in text and not screen.boxes[0][1]


def test_export_refuses_while_errors_remain_and_names_the_first(sample: Path, tmp_path: Path):
    host = FileHost.open(sample)
    before = set(tmp_path.iterdir())
    text, screen = press("XuejiExport", host)
    first = next(f for f in check(read_roster(sample), SETTINGS) if f.severity.value == "error")
    assert screen.boxes == [(text, True)] and "还有 18 个错误" in text and first.cell in text
    assert set(tmp_path.iterdir()) == before


def test_export_of_a_clean_class_is_the_template_exactly(tmp_path: Path):
    path = tmp_path / "干净的班.xlsx"
    records = synth.class_roster(7, 12)
    write_roster_xlsx(path, records)
    text, screen = press("XuejiExport", FileHost.open(path))
    assert not screen.boxes[0][1], text
    out = screen.opened[0] / text.split("“")[1].split("”")[0]
    assert out.name == f"{records[0]['school_code']}_{records[0]['class_no']}.xlsx"
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [PROFILE.sheet_name]
    rows = values(wb[PROFILE.sheet_name])
    assert rows[0] == PROFILE.headers and len(rows) == 13
    assert all(v is None or isinstance(v, str) for r in rows for v in r)


def test_summary_adds_two_printable_sheets(sample: Path):
    host = FileHost.open(sample)
    text, _ = press("XuejiSummary", host)
    assert "共 44 名学生（另有 1 行的身份证件号与前面的行重复" in text  # the sample's duplicated ID
    assert host.active_sheet() == SUMMARY_SHEET and NO_ID_SHEET in host.sheet_names()
    assert host.wb[SUMMARY_SHEET].page_setup.paperSize == 9  # A4


# --- the same buttons on the Excel host ---------------------------------------------------------


def excel(path: Path) -> ExcelHost:
    return ExcelHost(FakeBook(openpyxl.load_workbook(path), path))


def test_every_button_runs_on_the_excel_host(sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr("xueji_addin.excel.host.PLATFORM", "win32")
    host = excel(sample)
    screen = Screen()
    for button in ribbon.BUTTONS:
        if button == "XuejiMergeClasses":
            continue  # needs the folder that 拆分班级 makes: below
        host.activate(SHEET)
        host.book.selection_ref = "A10:A11"
        ribbon.dispatch(button, host, screen, SETTINGS)
    errors = [(text, button) for (text, error), button in zip(screen.boxes, [b for b in ribbon.BUTTONS if b != "XuejiMergeClasses"]) if error]
    assert [b for _, b in errors] == ["XuejiExport"], errors  # the sample still has errors: export refuses
    folder = next(p for p in screen.opened if p.is_dir())
    text = ribbon.dispatch("XuejiMergeClasses", host, Screen(folder), SETTINGS)
    assert "一行不少" in text
    assert host.book.app.previews == ["确认表"]
    wb = host.book.wb
    assert {"确认表", SUMMARY_SHEET, NO_ID_SHEET, RESULT_SHEET} <= set(wb.sheetnames)
    assert not any(b.closed is False for b in host.book.app.books.opened), "every scratch book is closed again"


def test_validate_on_the_excel_host_paints_and_notes_like_the_file_host(sample: Path):
    on_file, on_excel = FileHost.open(sample), excel(sample)
    a, _ = press("XuejiValidateSheet", on_file)
    b, _ = press("XuejiValidateSheet", on_excel)
    assert a == b
    ws_file, ws_excel = on_file.wb[SHEET], on_excel.book.wb[SHEET]
    painted = {c.coordinate for row in ws_file.iter_rows() for c in row if c.fill.fill_type == "solid" and c.row > 1}
    assert painted and painted == {c.coordinate for row in ws_excel.iter_rows() for c in row if c.fill.fill_type == "solid" and c.row > 1}
    for addr in painted:
        assert ws_excel[addr].comment.text == ws_file[addr].comment.text
    assert any(ws_excel[a].fill.fgColor.rgb[-6:] == ERROR_FILL for a in painted)
    # 清除标记 restores the cells exactly, through Excel as through the file.
    press("XuejiClearMarks", on_excel)
    assert not any(c.comment for row in ws_excel.iter_rows(min_row=2) for c in row)


def _help_of(wb: openpyxl.Workbook) -> dict[str, object]:
    ws = wb[SHEET]
    return {
        "validations": sorted((str(dv.sqref), dv.type or "", dv.formula1 or "", dv.promptTitle or "", dv.prompt or "",
                               dv.errorStyle or "stop") for dv in ws.data_validations.dataValidation),
        "formats": sorted((str(cf.sqref), r.formula[0], str(r.dxf.fill.bgColor.rgb)[-6:]) for cf in ws.conditional_formatting for r in cf.rules),
        "names": {n: str(wb.defined_names[n].attr_text) for n in wb.defined_names},
        "code_sheet": values(wb[names.CODE_SHEET]),
        "region_sheet": values(wb[names.REGION_SHEET]),
        "hidden": {n: wb[n].sheet_state for n in names.HELPER_SHEETS},
        "text_columns": sorted(k for k, d in ws.column_dimensions.items() if d.number_format == "@"),
        "freeze": ws.freeze_panes,
        "header_notes": [ws.cell(1, c.order).comment.text for c in PROFILE.columns],
    }


def test_refresh_in_excel_gives_exactly_what_the_file_host_gives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr("xueji_addin.excel.host.PLATFORM", "win32")
    path = plain_roster(tmp_path / "plain.xlsx", synth.class_roster(9, 6))
    on_file, on_excel = FileHost.open(path), excel(path)
    assert press("XuejiRefreshDropdowns", on_file)[0] == press("XuejiRefreshDropdowns", on_excel)[0]
    on_file.save(tmp_path / "file.xlsx")
    on_excel.book.wb.save(tmp_path / "excel.xlsx")
    assert _help_of(openpyxl.load_workbook(tmp_path / "excel.xlsx")) == _help_of(openpyxl.load_workbook(tmp_path / "file.xlsx"))
    # Pressed again, nothing doubles: ours is replaced.
    press("XuejiRefreshDropdowns", on_excel)
    on_excel.book.wb.save(tmp_path / "excel2.xlsx")
    assert _help_of(openpyxl.load_workbook(tmp_path / "excel2.xlsx")) == _help_of(openpyxl.load_workbook(tmp_path / "file.xlsx"))


def test_refresh_on_excel_for_mac_says_what_to_do_instead(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr("xueji_addin.excel.host.PLATFORM", "darwin")
    path = plain_roster(tmp_path / "plain.xlsx", synth.class_roster(9, 2))
    host = excel(path)
    text, screen = press("XuejiRefreshDropdowns", host)
    assert screen.boxes == [(text, True)] and "xueji dropdowns" in text
    assert host.book.wb.sheetnames == [SHEET], "nothing was changed before refusing"


def test_confirm_sheet_copied_into_excel_keeps_its_page_layout(sample: Path):
    on_file, on_excel = FileHost.open(sample), excel(sample)
    press("XuejiPrintClass", on_file)
    press("XuejiPrintClass", on_excel)
    a, b = on_file.wb["确认表"], on_excel.book.wb["确认表"]
    assert values(a) == values(b)
    assert sorted(map(str, a.merged_cells.ranges)) == sorted(map(str, b.merged_cells.ranges))
    assert [x.id for x in a.row_breaks.brk] == [x.id for x in b.row_breaks.brk]
    assert (a.page_setup.paperSize, a.page_setup.orientation) == (b.page_setup.paperSize, b.page_setup.orientation)
    assert on_excel.book.wb.sheetnames.index("确认表") == on_excel.book.wb.sheetnames.index(SHEET) + 1


def test_a_roster_read_through_excel_is_the_roster_read_from_the_file(sample: Path):
    """Excel hands numbers back as floats (an ID stored as a number, a date as a serial): the checks
    see the same problems either way."""
    from xueji_addin.workbook.reader import table_on

    via_excel = check(table_on(excel(sample), SHEET), SETTINGS)
    via_file = check(read_roster(sample), SETTINGS)
    assert [(f.code, f.cell) for f in via_excel] == [(f.code, f.cell) for f in via_file]


def test_not_saved_workbook_has_no_folder():
    host = ExcelHost(FakeBook(openpyxl.Workbook()))
    assert host.folder is None
    with pytest.raises(ReadError):
        from xueji_addin.actions.outputs import workbook_folder

        workbook_folder(host, "拆分班级")


# --- the collection's other tables -------------------------------------------------------------


def test_check_buttons_on_a_teacher_sheet_count_staff_and_use_the_teacher_rules(tmp_path: Path):
    from xueji_addin import synth_tables
    from xueji_addin.samples import write_tables_xlsx
    from xueji_addin.spec.profiles import load_profile

    teacher = load_profile("teacher")
    staff = synth_tables.teachers(3, 6)
    staff[4]["id_number"] = staff[1]["id_number"]  # the same person twice
    path = tmp_path / "教职工.xlsx"
    write_tables_xlsx(path, [(teacher, staff)])
    host = FileHost.open(path)
    host.activate(teacher.sheet_name)
    text, _ = press("XuejiValidateSheet", host)
    assert text.startswith(f"“{teacher.sheet_name}”共 6 名教职工") and "学生" not in text
    expected = check(read_roster(path), SETTINGS)
    dup_cells = {f.cell for f in expected if f.code == "XJ1401"}  # the teacher table's duplicate-ID rule
    assert len(dup_cells) == 2
    # 校验选中行 on the duplicate's row repaints it and its partner with the table's own rules.
    host.wb[teacher.sheet_name].sheet_view.selection[0].sqref = "A6"
    text, screen = press("XuejiValidateSelection", host)
    assert not screen.boxes[0][1] and "选中的" in text
    painted = {c.coordinate for row in host.wb[teacher.sheet_name].iter_rows(min_row=2) for c in row if c.fill.fill_type == "solid"}
    assert dup_cells <= painted
