"""One pipeline: every command and every ribbon button sees the same students and the same findings.

The matrix of the one-pipeline issue: files built the way users make them —
- a class file made by ``xueji template --settings … --class 20240101`` with students typed in
  (the rows below them hold only the prefilled 学校标识码 and 班号: no students);
- a workbook with 班级信息, 教师基本信息 and 学生基础信息 sheets, the class sheet first;
— × every command and the ribbon's buttons on the file host and the Excel stand-in. The reference
is what ``xueji validate --json`` says; everything else must agree with it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from tests.fake_excel import FakeBook
from xueji_addin import synth, synth_tables
from xueji_addin.actions import autofix, check_sheet, export, print_class, split
from xueji_addin.actions.mark import ERROR_FILL, WARNING_FILL
from xueji_addin.excel.host import ExcelHost
from xueji_addin.samples import write_tables_xlsx
from xueji_addin.spec.profiles import default_profile, load_profile
from xueji_addin.spec.settings import Settings
from xueji_addin.workbook.host import FileHost
from xueji_addin.workbook.reader import read_roster

REPO = Path(__file__).resolve().parents[1]
STUDENTS = "学生基础信息"
TODAY_ARGS = ()  # the CLI checks against today's date; the files below hold no date near it


@dataclass
class Case:
    path: Path
    students: int
    settings: Path | None = None

    def args(self) -> list[str]:
        return ["--settings", str(self.settings)] if self.settings else []


def xueji(*args: object, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xueji_addin", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "COLUMNS": "250"}, timeout=600)


def class_template(tmp_path: Path) -> Case:
    """``xueji template --settings xueji.toml --class 20240101``, ten students typed in below the header."""
    toml = tmp_path / "xueji.toml"
    toml.write_text('school_code = "2161010001"\nschool_name = "某某县实验小学"\nstage = "小学"\n'
                    'classes = ["20240101", "20240102"]\n', "utf-8")
    blank = tmp_path / "模板.xlsx"
    done = xueji("template", "--settings", toml, "--class", "20240101", "--out", blank)
    assert done.returncode == 0, done.stderr
    wb = openpyxl.load_workbook(blank)
    ws = wb[STUDENTS]
    for r, rec in enumerate(synth.class_roster(3, 10), start=2):
        rec = {**rec, "school_code": "2161010001", "class_no": "20240101"}
        for col in default_profile().columns:
            if rec.get(col.key):
                ws.cell(r, col.order).value = rec[col.key]
    path = tmp_path / "一年级1班.xlsx"
    wb.save(path)
    return Case(path, 10, toml)


def three_tables(tmp_path: Path) -> Case:
    """班级信息 first, then 教师基本信息 and 学生基础信息; one student's 班号 is not in the class table."""
    teachers = synth_tables.teachers(5, 4)
    classes = synth_tables.classes(2, teachers=teachers)
    students = [dict(r) for r in synth.school_roster(7, 2, 6)]
    students[3]["class_no"] = "20249901"
    path = tmp_path / "全校采集表.xlsx"
    write_tables_xlsx(path, [(load_profile("class"), classes), (load_profile("teacher"), teachers),
                             (default_profile(), students)])
    return Case(path, 12)


def version_b(tmp_path: Path) -> Case:
    """The 学籍接续 layout (version B), as that system exports it."""
    from tests.test_version_b import b_records, write_b

    return Case(write_b(tmp_path / "学籍接续导出.xlsx", b_records()), 8)


@pytest.fixture(params=[class_template, three_tables, version_b], ids=["class_template", "three_tables", "version_b"])
def case(request: pytest.FixtureRequest, tmp_path: Path) -> Case:
    return request.param(tmp_path)


def reference(case: Case, tmp_path: Path) -> tuple[int, set[tuple[str, str]]]:
    """(students, {(code, cell)}) of the student table, as ``xueji validate --json`` reports them."""
    out = tmp_path / "ref.json"
    done = xueji("validate", case.path, *case.args(), "--json", out)
    assert done.returncode in (0, 1), done.stderr
    data = json.loads(out.read_text("utf-8"))
    mine = [t for i in data["inputs"] for t in i["tables"] if t["role"] == "student"]
    assert len(mine) == 1 and mine[0]["sheet"] == STUDENTS
    return mine[0]["students"], {(f["code"], f"{f['column']}{f['row']}") for f in mine[0]["findings"] if f["column"]}


def test_validate_counts_the_students_typed_in(case: Case, tmp_path: Path):
    n, found = reference(case, tmp_path)
    assert n == case.students
    if case.path.name == "全校采集表.xlsx":  # the cross-table check is part of every check
        assert any(code == "XJ1501" for code, _ in found)


def test_marked_copy_paints_exactly_the_cells_found(case: Case, tmp_path: Path):
    n, found = reference(case, tmp_path)
    out = tmp_path / "marked.xlsx"
    assert xueji("validate", case.path, *case.args(), "--marked", out).returncode in (0, 1)
    ws = openpyxl.load_workbook(out)[STUDENTS]
    painted = {c.coordinate for row in ws.iter_rows() for c in row
               if c.fill is not None and c.fill.fill_type == "solid" and str(c.fill.fgColor.rgb)[-6:] in (ERROR_FILL, WARNING_FILL)}
    assert painted == {cell for _, cell in found}


def test_fix_split_merge_export_summary_print_see_the_same_students(case: Case, tmp_path: Path):
    n, found = reference(case, tmp_path)
    fixed = tmp_path / "fixed.xlsx"
    assert xueji("fix", case.path, *case.args(), "--out", fixed).returncode in (0, 1)
    assert len(read_roster(fixed)) == n

    split = xueji("split", case.path, *case.args(), "--out-dir", tmp_path / "split")
    assert split.returncode == 0, split.stderr
    assert f"共 {n} 名学生" in split.stdout
    files = sorted((tmp_path / "split").glob("*.xlsx"))
    assert sum(len(read_roster(f)) for f in files) == n

    merged = xueji("merge", *files, "--out", tmp_path / "merged.xlsx", *case.args())
    assert merged.returncode in (0, 1), merged.stderr
    assert f"读入 {n} 行，写入 {n} 行" in merged.stdout
    assert "不是学籍表" not in merged.stdout + merged.stderr  # our own helper sheets are never foreign
    assert len(read_roster(tmp_path / "merged.xlsx")) == n

    exported = tmp_path / "上报.xlsx"
    assert xueji("export", case.path, *case.args(), "--out", exported, "--force").returncode == 0
    wb = openpyxl.load_workbook(exported)
    assert wb.sheetnames == [STUDENTS] and wb[STUDENTS].max_row == n + 1

    summary = tmp_path / "统计.xlsx"
    assert xueji("summary", case.path, *case.args(), "--out", summary).returncode == 0
    assert str(n) in [str(c.value) for c in openpyxl.load_workbook(summary).worksheets[0]["B"]] or \
        any(c.value == n for row in openpyxl.load_workbook(summary).worksheets[0].iter_rows() for c in row)

    printed = xueji("print", case.path, *case.args(), "--out", tmp_path / "确认表.xlsx")
    assert printed.returncode == 0, printed.stderr
    assert f" {n} 名学生" in printed.stdout

    dropped = tmp_path / "下拉.xlsx"
    assert xueji("dropdowns", case.path, *case.args(), "--out", dropped).returncode == 0
    wb = openpyxl.load_workbook(dropped)
    gender = read_roster(case.path).letter("gender")
    assert any(f"{gender}2" in str(dv.sqref) for dv in wb[STUDENTS].data_validations.dataValidation)
    before = openpyxl.load_workbook(case.path)
    for other in (s for s in wb.sheetnames if s in ("班级信息", "教师基本信息")):  # the other tables untouched
        assert _validations(wb[other]) == _validations(before[other])


def _validations(ws) -> list[tuple[str, str]]:  # noqa: ANN001
    return sorted((str(dv.sqref), str(dv.formula1)) for dv in ws.data_validations.dataValidation)


def hosts(path: Path) -> list[object]:
    return [FileHost.open(path), ExcelHost(FakeBook(openpyxl.load_workbook(path), path))]


@pytest.mark.parametrize("host_kind", [0, 1], ids=["file_host", "excel_stand_in"])
def test_buttons_find_what_the_command_line_finds(case: Case, tmp_path: Path, host_kind: int,
                                                  monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr("xueji_addin.excel.host.PLATFORM", "win32")
    n, found = reference(case, tmp_path)
    base = Settings.model_validate({}) if case.settings is None else _toml(case.settings)
    host = hosts(case.path)[host_kind]

    whole = check_sheet.validate_sheet(host, STUDENTS, base)  # 校验本表
    assert whole.students == n
    assert {(f.code, f.cell) for f in whole.findings if f.column} == found

    host = hosts(case.path)[host_kind]
    host.activate(STUDENTS)
    every_row = range(2, n + 30)
    some = check_sheet.check_rows(host, STUDENTS, every_row, check_sheet.read_settings(host, base))  # 校验选中行
    assert some is not None
    assert {(f.code, f.cell) for f in some.findings if f.column} == found

    host = hosts(case.path)[host_kind]
    host.activate(STUDENTS)
    fixed = autofix.autofix_sheet(host, base)  # 自动修正
    assert fixed.after.students == n

    host = hosts(case.path)[host_kind]
    host.activate(STUDENTS)
    printed = print_class.print_active(host, base)  # 打印本班确认表
    assert printed.students == n

    host = hosts(case.path)[host_kind]
    host.activate(STUDENTS)
    if any(code for code, _ in found if code.startswith("XJ1") and len(code) == 6 or code == "XJ622"):
        with pytest.raises(Exception, match="个错误"):
            export.export_active(host, base)  # 导出上报文件: refused while errors remain
    else:
        done = export.export_active(host, base)
        assert done.rows == f"{n} 名学生"


def test_selection_keeps_a_mark_another_rows_roster_rule_put(tmp_path: Path):
    """A duplicate 班级名称 in 班级信息 is marked on both rows; re-checking one of them keeps the other's."""
    classes = synth_tables.classes(3)
    classes[2]["class_name"] = classes[0]["class_name"]
    path = tmp_path / "班级.xlsx"
    write_tables_xlsx(path, [(load_profile("class"), classes)])
    host = FileHost.open(path)
    whole = check_sheet.validate_sheet(host, "班级信息", Settings())
    name_letter = load_profile("class").by_key["class_name"].letter
    assert {f.cell for f in whole.findings if f.code == "XJ1102"} == {f"{name_letter}2", f"{name_letter}4"}
    again = check_sheet.check_rows(host, "班级信息", [4], Settings())
    assert again is not None
    assert {f.cell for f in again.findings if f.code == "XJ1102"} == {f"{name_letter}2", f"{name_letter}4"}


def test_a_wrong_class_is_reported_once_on_its_cell(tmp_path: Path):
    """The settings' class list and the class table say the same thing: one finding, each class once."""
    classes = synth_tables.classes(2)
    classes.append(dict(classes[0]))  # the class table lists a class twice
    students = [dict(r) for r in synth.school_roster(7, 2, 3)]
    students[0]["class_no"] = "20249901"
    path = tmp_path / "全校.xlsx"
    write_tables_xlsx(path, [(load_profile("class"), classes), (default_profile(), students)])
    from xueji_addin.actions.pipeline import check_source

    cb = check_source(path, Settings(classes=[c["class_no"] for c in classes]))
    letter = default_profile().by_key["class_no"].letter
    on_cell = [f for f in cb.students().findings if f.cell == f"{letter}2"]
    assert [f.code for f in on_cell] == ["XJ1501"]
    shown = on_cell[0].suggestion
    assert shown.count(classes[0]["class_no"]) == 1


def _toml(path: Path) -> Settings:
    from xueji_addin.spec.settings import load_settings

    return load_settings(path)


def test_the_print_sheets_in_a_workbook_are_ours_never_read_as_tables(tmp_path: Path):
    """After 打印本班确认表 the workbook holds 确认表 (and 核对名单): a later 校验本表, the live edit and
    merge read past them, as past every sheet the tool writes."""
    from xueji_addin.workbook.names import is_ours
    from xueji_addin.workbook.reader import read_book

    case = class_template(tmp_path)
    host = FileHost.open(case.path)
    host.activate(STUDENTS)
    print_class.print_sheets(host, STUDENTS, _toml(case.settings), layout="both")
    made = [s for s in host.sheet_names() if s.endswith(("确认表", "核对名单"))]
    assert made and all(is_ours(s) for s in made)
    assert [r.sheet for r in read_book(host).rosters] == [STUDENTS]


def _clean_three_tables(tmp_path: Path) -> Path:
    """班级信息, 教师基本信息 and 学生基础信息 (12 students), with nothing to refuse an export for."""
    teachers = synth_tables.teachers(5, 4)
    classes = synth_tables.classes(2, teachers=teachers)
    students = [dict(r) for r in synth.school_roster(7, 2, 6)]
    path = tmp_path / "全校采集表.xlsx"
    write_tables_xlsx(path, [(load_profile("class"), classes), (load_profile("teacher"), teachers),
                             (default_profile(), students)])
    return path


def test_export_pressed_on_another_table_exports_the_students(tmp_path: Path):
    """导出上报文件 pressed on 班级信息 exports the workbook's students, as ``xueji export`` and
    打印本班确认表 take them (it exported the class table)."""
    path = _clean_three_tables(tmp_path)
    host = FileHost.open(path)
    host.activate("班级信息")
    done = export.export_active(host, Settings())
    assert done.rows == "12 名学生"
    wb = openpyxl.load_workbook(done.path)
    assert wb.sheetnames == [STUDENTS] and wb[STUDENTS].max_row == 13


def test_split_button_takes_the_class_names_and_students_the_command_takes(tmp_path: Path):
    """拆分班级 names the class files by the workbook's own 班级信息 sheet and takes its students when
    pressed on another table, as ``xueji split`` does (it named them by the settings only, and
    refused on 班级信息)."""
    path = _clean_three_tables(tmp_path)
    host = FileHost.open(path)
    host.activate("班级信息")
    done = split.split_active(host, Settings())
    by_command = tmp_path / "命令"
    assert xueji("split", path, "--out-dir", by_command).returncode == 0
    assert sorted(f.path.name for f in done.files) == sorted(p.name for p in by_command.glob("*.xlsx"))
    assert done.students == 12 and not done.strangers
