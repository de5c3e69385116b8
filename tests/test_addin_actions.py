"""The add-in's actions end to end on the file host: real workbooks written, acted on, saved and
read back — painted cells, notes, the 校验结果 sheet, marks cleared with the cells' own fills and
notes restored exactly, fixes applied and undone, the settings sheet."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.styles import GradientFill, PatternFill
from openpyxl.styles.colors import Color
from openpyxl.xml.functions import tostring

from tests.conftest import SETTINGS, letter
from xueji_addin import synth
from xueji_addin.actions.autofix import FIXES_SHEET, LOG_SHEET, autofix_sheet, stored_changes, undo_fixes
from xueji_addin.actions.check_sheet import clear_sheet, validate_selection, validate_sheet
from xueji_addin.actions.help_page import HELP_HEADING, help_section, show_help
from xueji_addin.actions.mark import ERROR_FILL, MARKS_SHEET, RESULT_HEADER, RESULT_SHEET, WARNING_FILL
from xueji_addin.actions.settings_sheet import SETTINGS_SHEET, open_or_save_settings, read_settings
from xueji_addin.rules.engine import check
from xueji_addin.samples import SAMPLE_NAME, build_sample, write_roster_xlsx
from xueji_addin.spec.settings import SettingsError
from xueji_addin.workbook.host import FileHost
from xueji_addin.workbook.reader import ReadError, read_roster

SHEET = "学生基础信息"


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    return build_sample(tmp_path / SAMPLE_NAME)


def reopen(host: FileHost, path: Path) -> FileHost:
    host.save(path)
    return FileHost.open(path)


def fill_xml(fill) -> bytes:  # noqa: ANN001
    """A fill as its XML: openpyxl's == is unreliable for fills read from a file (a == a is False)."""
    return tostring(fill.to_tree())


def test_validate_sheet_paints_notes_and_lists_every_finding(sample: Path, tmp_path: Path):
    expected = check(read_roster(sample), SETTINGS)
    host = FileHost.open(sample)
    result = validate_sheet(host, base=SETTINGS)
    assert result.findings == expected
    assert (result.errors, result.warnings) == (18, 1)
    assert "45 名学生" in result.summary() and "18 个错误" in result.summary()

    out = tmp_path / "marked.xlsx"
    host.save(out)
    wb = openpyxl.load_workbook(out)
    ws = wb[SHEET]
    by_cell: dict[str, list] = {}
    for f in expected:
        if f.column and f.row:
            by_cell.setdefault(f.cell, []).append(f)
    for cell, found in by_cell.items():
        want = ERROR_FILL if any(f.severity.value == "error" for f in found) else WARNING_FILL
        assert ws[cell].fill.fgColor.rgb[-6:] == want, cell
        note = ws[cell].comment.text
        assert all(f.message in note for f in found)
    # A clean cell is untouched.
    clean = f"{letter('name')}2"
    assert clean not in by_cell and ws[clean].fill.fill_type is None and ws[clean].comment is None

    results = wb[RESULT_SHEET]
    rows = list(results.iter_rows(values_only=True))
    assert list(rows[0]) == RESULT_HEADER
    assert len(rows) == 1 + len(expected)
    for n, f in enumerate(expected, start=2):
        assert results[f"B{n}"].value == f.cell
        assert results[f"F{n}"].value == f.message
        if f.column and f.row:
            assert results[f"B{n}"].hyperlink.location == f"'{SHEET}'!{f.cell}"
    assert wb[MARKS_SHEET].sheet_state == "hidden"


def _paint_own(ws) -> dict[str, tuple]:  # noqa: ANN001
    """Give some cells their own fills and notes, of every kind a teacher's file may have."""
    own = {
        f"{letter('id_number')}3": (PatternFill("solid", fgColor="00B0F0"), Comment("核对过户口簿", "王老师")),
        f"{letter('ethnicity')}9": (PatternFill("solid", fgColor=Color(theme=5, tint=0.4)), None),
        f"{letter('id_number')}11": (PatternFill("darkTrellis", fgColor="FF0000", bgColor="FFFF00"), Comment("家长电话确认", "王老师")),
        f"{letter('phone')}15": (GradientFill(stop=("FFFFFF", "4F81BD")), None),
        f"{letter('name')}29": (PatternFill(fill_type=None), Comment("转学生", "李老师")),
    }
    for addr, (fill, note) in own.items():
        ws[addr].fill = fill
        ws[addr].comment = note
    return own


def test_clear_marks_restores_own_fills_and_notes_exactly_across_saves(sample: Path, tmp_path: Path):
    wb = openpyxl.load_workbook(sample)
    own = _paint_own(wb[SHEET])
    before_path = tmp_path / "own.xlsx"
    wb.save(before_path)
    sheets_before = openpyxl.load_workbook(before_path).sheetnames  # the template's own helper sheets stay
    before = openpyxl.load_workbook(before_path)[SHEET]
    snapshot = {(c.coordinate): (fill_xml(c.fill), c.comment.text if c.comment else None, c.value)
                for row in before.iter_rows() for c in row}

    host = FileHost.open(before_path)
    validate_sheet(host, base=SETTINGS)
    host = reopen(host, tmp_path / "marked.xlsx")  # the teacher saves and closes; marks survive
    marked = host.wb[SHEET]
    for addr in own:
        assert marked[addr].fill.fgColor.rgb[-6:] in (ERROR_FILL, WARNING_FILL), addr
        assert marked[addr].comment.text.startswith("【")
    validate_sheet(host, base=SETTINGS)  # checking twice remembers the cells' own state, not our marks
    host = reopen(host, tmp_path / "marked2.xlsx")

    assert "已清除" in clear_sheet(host)
    host = reopen(host, tmp_path / "cleared.xlsx")
    after = host.wb[SHEET]
    for row in after.iter_rows():
        for c in row:
            fill, note, value = snapshot[c.coordinate]
            assert fill_xml(c.fill) == fill, c.coordinate
            assert (c.comment.text if c.comment else None) == note, c.coordinate
            assert c.value == value
    assert host.wb.sheetnames == sheets_before
    assert "没有学籍助手做的标记" in clear_sheet(host)


def test_validate_selection_repaints_only_those_rows_and_their_duplicates(tmp_path: Path):
    recs = [dict(r) for r in synth.class_roster(11, 20)]
    recs[3]["ethnicity"] = "汉"          # row 5
    recs[9]["phone"] = "139"             # row 11
    recs[14]["id_number"] = recs[4]["id_number"]  # rows 16 and 6 share an ID
    path = tmp_path / "class.xlsx"
    write_roster_xlsx(path, recs)
    host = FileHost.open(path)
    validate_sheet(host, base=SETTINGS)
    g, p, m = letter("ethnicity"), letter("phone"), letter("id_number")
    assert {f"{g}5", f"{p}11", f"{m}6", f"{m}16"} <= {c for c in _marked(host)}

    # The teacher corrects row 5 and row 16 (by hand, marks still on), selects them and checks them.
    host.write(SHEET, {f"{g}5": "汉族", f"{m}16": synth.class_roster(99, 1)[0]["id_number"]})
    host.wb[SHEET].sheet_view.selection[0].sqref = "A5:C5 B16"
    result = validate_selection(host, base=SETTINGS)
    assert {5, 16, 6} <= set(result.rows) and 11 not in result.rows
    marked = _marked(host)
    assert f"{g}5" not in marked and f"{m}16" not in marked
    assert f"{m}6" not in marked, "the partner of the corrected duplicate is repainted too"
    assert f"{p}11" in marked, "rows not selected keep their marks"
    ws = host.wb[SHEET]
    assert ws[f"{g}5"].fill.fill_type is None and ws[f"{g}5"].comment is None
    assert ws[f"{p}11"].fill.fgColor.rgb[-6:] == ERROR_FILL


def _marked(host: FileHost) -> set[str]:
    ws = host.wb[SHEET]
    return {c.coordinate for row in ws.iter_rows() for c in row
            if c.fill.fill_type == "solid" and str(c.fill.fgColor.rgb)[-6:] in (ERROR_FILL, WARNING_FILL)}


def test_validate_selection_on_the_header_says_what_to_select(sample: Path):
    host = FileHost.open(sample)
    host.wb[SHEET].sheet_view.selection[0].sqref = "A1"
    with pytest.raises(ReadError, match="选中学生所在的行"):
        validate_selection(host, base=SETTINGS)


def test_a_sheet_that_is_not_a_roster_is_one_chinese_sentence(tmp_path: Path):
    host = FileHost.from_rows("成绩", [["学号", "语文"], ["1", 90]])
    with pytest.raises(ReadError, match="不是学籍表"):
        validate_sheet(host)
    host.wb["成绩"].sheet_view.selection[0].sqref = "A2"
    with pytest.raises(ReadError, match="不是学籍表"):
        validate_selection(host)


def test_autofix_applies_lists_and_undoes_exactly(sample: Path, tmp_path: Path):
    original = openpyxl.load_workbook(sample)[SHEET]
    before = [[c.value for c in row] for row in original.iter_rows()]
    host = FileHost.open(sample)
    outcome = autofix_sheet(host, base=SETTINGS)
    changed = {c.cell: (c.old, c.new) for c in outcome.changes}
    assert changed[f"{letter('ethnicity')}9"] == ("汉", "汉族")
    assert changed[f"{letter('m1_phone')}19"] == ("１３９１２３４５６７８", "13912345678")
    assert changed[f"{letter('postcode')}33"] == (710061, "710061")
    birth = changed[f"{letter('birth_date')}13"]
    assert isinstance(birth[0], dt.datetime) and birth[1] == birth[0].strftime("%Y%m%d")
    assert "已自动修正 8 处" in outcome.summary()

    host = reopen(host, tmp_path / "fixed.xlsx")
    ws = host.wb[SHEET]
    for cell, (_, new) in changed.items():
        assert ws[cell].value == new and ws[cell].data_type == "s"
    log = list(host.wb[LOG_SHEET].iter_rows(values_only=True))
    assert [r[1] for r in log[1:]] == list(changed)
    assert host.wb[FIXES_SHEET].sheet_state == "hidden"
    # What is left is checked and marked again: the fixed cells are clean now, but for the ID Excel
    # had made a number: it is text now, and its lost last digits still need the document.
    remaining = check(read_roster(tmp_path / "fixed.xlsx"), SETTINGS)
    assert outcome.after.findings == remaining
    as_number = {c.cell for c in outcome.changes if c.code == "XJ310"}
    assert as_number == {f"{letter('id_number')}3"}
    assert not (set(changed) - as_number) & {f.cell for f in remaining}

    assert "已撤销 8 处" in undo_fixes(host, base=SETTINGS)
    host = reopen(host, tmp_path / "undone.xlsx")
    after = [[c.value for c in row] for row in host.wb[SHEET].iter_rows()]
    assert after == before
    assert FIXES_SHEET not in host.wb.sheetnames and LOG_SHEET not in host.wb.sheetnames
    assert stored_changes(host) == []
    assert undo_fixes(host) == "没有可以撤销的自动修正。"


def test_two_runs_of_autofix_are_undone_together(sample: Path):
    host = FileHost.open(sample)
    first = autofix_sheet(host, base=SETTINGS)
    host.write(SHEET, {f"{letter('ethnicity')}5": "回"})  # a new mistake after the first run
    second = autofix_sheet(host, base=SETTINGS)
    assert [c.cell for c in second.changes] == [f"{letter('ethnicity')}5"]
    assert len(stored_changes(host)) == len(first.changes) + 1
    undo_fixes(host, base=SETTINGS)
    assert host.wb[SHEET][f"{letter('ethnicity')}5"].value == "回"
    assert host.wb[SHEET][f"{letter('ethnicity')}9"].value == "汉"


def test_settings_sheet_round_trip_and_effect_on_checks(sample: Path, tmp_path: Path):
    host = FileHost.open(sample)
    message = open_or_save_settings(host)
    assert SETTINGS_SHEET in message and host.active_sheet() == SETTINGS_SHEET
    ws = host.wb[SETTINGS_SHEET]
    rows = {r[0]: i for i, r in enumerate(ws.iter_rows(values_only=True), start=1)}
    ws[f"B{rows['school_code']}"] = "2161010099"
    ws[f"B{rows['classes']}"] = "20240101、20240102"
    ws[f"B{rows['two_members_required']}"] = "是"
    ws[f"B{rows['class_names']}"] = "20240101=一年级1班；20240102=一年级2班"
    saved = open_or_save_settings(host)
    assert "学校标识码 2161010099" in saved and "2 个班级" in saved
    host = reopen(host, tmp_path / "with-settings.xlsx")
    assert host.wb[SETTINGS_SHEET].sheet_state == "hidden" and host.active_sheet() != SETTINGS_SHEET
    s = read_settings(host)
    assert (s.school_code, s.classes, s.two_members_required) == ("2161010099", ["20240101", "20240102"], True)
    assert s.class_names == {"20240101": "一年级1班", "20240102": "一年级2班"}

    host.activate(SHEET)
    result = validate_sheet(host, base=SETTINGS.model_copy(update={"today": SETTINGS.today}))
    codes = {f.code for f in result.findings}
    assert "XJ614" in codes, "every row's 学校标识码 is compared with the school's own"


def test_settings_sheet_bad_value_is_a_chinese_sentence(sample: Path):
    host = FileHost.open(sample)
    open_or_save_settings(host)
    ws = host.wb[SETTINGS_SHEET]
    rows = {r[0]: i for i, r in enumerate(ws.iter_rows(values_only=True), start=1)}
    ws[f"B{rows['mobile_only']}"] = "也许"
    with pytest.raises(SettingsError, match="只能填“是”或“否”"):
        open_or_save_settings(host)
    ws[f"B{rows['mobile_only']}"] = "否"
    ws[f"B{rows['stage']}"] = "大学"
    with pytest.raises(SettingsError, match="stage"):
        read_settings(host)


def test_help_page_is_the_readme_section(tmp_path: Path):
    section = help_section()
    assert section.startswith(HELP_HEADING)
    page = show_help(out_dir=tmp_path)
    html = page.path.read_text("utf-8")
    assert "<h2>Excel 插件：安装与按钮说明</h2>" in html
    for label in ("校验本表", "校验选中行", "清除标记", "自动修正", "撤销修正", "设置", "帮助"):
        assert label in html
    assert "已在浏览器中打开" in page.summary()


def test_the_templates_settings_sheet_is_the_one_the_addin_reads(tmp_path: Path):
    """One settings sheet: a template built with the school's settings checks by them in Excel."""
    from xueji_addin.spec.settings import Settings
    from xueji_addin.workbook.template import write_template

    settings = Settings(school_code="2161010099", classes=["20240101"], stage="小学")
    path = write_template(tmp_path / "模板.xlsx", settings)
    host = FileHost.open(path)
    assert SETTINGS_SHEET in host.sheet_names() and host.wb[SETTINGS_SHEET].sheet_state == "hidden"
    read = read_settings(host, Settings(school_name="旁边 xueji.toml 的校名"))
    assert (read.school_code, read.classes, read.stage) == ("2161010099", ["20240101"], "小学")
    assert read.school_name == "旁边 xueji.toml 的校名", "a blank value keeps xueji.toml's"
