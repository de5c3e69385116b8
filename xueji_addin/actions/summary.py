"""学生情况统计表: the school's students counted per class and for the school, and the list of
students without a resident ID — one printable workbook a principal signs (ribbon: 统计表)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from xueji_addin.actions.class_list import class_list
from xueji_addin.actions.pipeline import book_settings
from xueji_addin.rules.engine import normalised
from xueji_addin.rules.roster import Roster
from xueji_addin.spec.settings import Settings
from xueji_addin.workbook.atomic import XLSX, atomic_path
from xueji_addin.workbook.cells import set_text
from xueji_addin.workbook.host import Host
from xueji_addin.workbook.print_setup import a4_one_page_wide, page_numbers
from xueji_addin.workbook.reader import SPREADSHEET_SUFFIXES, Book, ReadError, read_book
from xueji_addin.workbook.read_ahead import ahead_of
from xueji_addin.spec.profiles import Role
from xueji_addin.workbook.names import NO_ID_SHEET, SUMMARY_SHEET  # noqa: E402

from xueji_addin.actions.summary_counts import (  # noqa: E402,F401  (the counting; also this module's names)
    MEASURES, NO_CLASS, Counts, NoIdStudent, SchoolSummary, count, counted_keys,
)


def _expand(paths: Iterable[str | Path]) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(f for f in p.iterdir() if f.suffix.lower() in SPREADSHEET_SUFFIXES
                          and not f.name.startswith(("~$", ".")))
        else:
            out.append(p)
    return out


def _class_names(rosters: list[Roster], settings: Settings) -> dict[str, str]:
    return {**settings.class_names, **{k: v for k, v in class_list(settings, rosters).names.items() if v}}


def summary_of_files(paths: Iterable[str | Path], base: Settings | None = None, *,
                     references: tuple[str | Path, ...] = ()) -> tuple[SchoolSummary, str]:
    """Every student table in the files (folders: their spreadsheets); class names from 班级信息 sheets,
    the ``references`` (``--classes``) or the settings. With the sentence ``book_settings`` says."""
    files = _expand(paths)
    if not files:
        raise ReadError("没有找到要统计的文件（文件夹中没有 .xlsx / .xls / .csv 文件）。")
    books = [read_book(f) for f in ahead_of(files)]  # the next file parsed while one is read
    refs = [r for f in references for r in read_book(f).rosters]
    return summary_of_books(books, base, refs)


def summary_of_host(host: Host, base: Settings | None = None) -> SchoolSummary:
    """The same for an open workbook (the ribbon's button): every visible sheet that is a table."""
    return summary_of_books([read_book(host)], base)[0]


def summary_of_books(books: list[Book], base: Settings | None, refs: list[Roster] = ()) -> tuple[SchoolSummary, str]:  # type: ignore[assignment]
    """The summary of books read, with the settings every command reads a file by: one workbook's
    own 学校设置 over ``base`` (the button's workbook, or the one file given); several files, ``base``."""
    settings, note = book_settings(books[0], base, "统计") if len(books) == 1 else (base or Settings(), "")
    return _summarise([r for b in books for r in b.rosters], list(refs), settings, len(books)), note


def _summarise(rosters: list[Roster], refs: list[Roster], settings: Settings, files: int) -> SchoolSummary:
    students = [r for r in rosters if r.profile.role is Role.STUDENTS]
    if not students:
        raise ReadError("这些文件中没有学生基础信息表，无法统计。")
    contexts = [normalised(r, settings, counted_keys(r.profile.class_keys)) for r in students]
    school = settings.school_name or _school_name(rosters + refs, settings) or next(
        (v for c in contexts for v in c.v("school_code") if v), "")
    summary = count(contexts, school=school, class_names=_class_names(rosters + refs, settings))
    summary.files = files
    return summary


def _school_name(rosters: list[Roster], settings: Settings) -> str:
    for r in rosters:
        if r.profile.role is Role.SCHOOL:
            name = next((v for v in normalised(r, settings).v("school_name") if v), "")
            if name:
                return name
    return ""


# --- the printable workbook ---------------------------------------------------------------------

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def write_summary_xlsx(summary: SchoolSummary, out: str | Path, *, today: dt.date | None = None,
                       protect: tuple[str | Path, ...] = ()) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = SUMMARY_SHEET
    _stats_sheet(ws, summary, today or dt.date.today())
    _no_id_sheet(wb.create_sheet(NO_ID_SHEET), summary)
    with atomic_path(out, protect=protect, kind=XLSX) as tmp:
        wb.save(tmp)


def _school_title(school: str) -> str:
    """The school's name; a bare 学校标识码 (no name known) is labelled as such."""
    return f"学校标识码 {school}　" if school.isdigit() else school


def _box(ws: Worksheet, row: int, col: int, value: object, *, bold: bool = False, fill: bool = False) -> None:
    cell = ws.cell(row, col)
    if value is not None:  # the other cells of a merged range take only the frame
        set_text(cell, value)
    cell.border = _BORDER
    cell.alignment = _CENTER
    cell.font = Font(bold=bold, size=10)
    if fill:
        cell.fill = _HEAD_FILL


def _stats_sheet(ws: Worksheet, s: SchoolSummary, today: dt.date) -> None:
    width = 3 + len(MEASURES)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    set_text(ws.cell(1, 1), f"{_school_title(s.school)}学生情况统计表")
    ws.cell(1, 1).font = Font(bold=True, size=16)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    set_text(ws.cell(2, 1), f"统计日期：{today:%Y年%m月%d日}　　班级数：{len(s.classes)}　　学生数：{s.total.total}")
    ws.cell(2, 1).alignment = Alignment(horizontal="center")
    # Two header rows: group headers (性别, 民族, 户口性质) over their columns; single columns span both.
    for col, text in ((1, "班号"), (2, "班级名称"), (3, "学生人数")):
        ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
        _box(ws, 3, col, text, bold=True, fill=True)
        _box(ws, 4, col, None, fill=True)
    col = 4
    while col - 4 < len(MEASURES):
        group = MEASURES[col - 4].group
        span = sum(1 for m in MEASURES if m.group == group) if group else 1
        if group:
            ws.merge_cells(start_row=3, start_column=col, end_row=3, end_column=col + span - 1)
            _box(ws, 3, col, group, bold=True, fill=True)
            for k in range(span):
                _box(ws, 4, col + k, MEASURES[col - 4 + k].header, bold=True, fill=True)
                if k:
                    _box(ws, 3, col + k, None, fill=True)
        else:
            ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
            _box(ws, 3, col, MEASURES[col - 4].header, bold=True, fill=True)
            _box(ws, 4, col, None, fill=True)
        col += span
    row = 5
    for class_no, c in s.classes.items():
        _counts_row(ws, row, class_no, s.class_names.get(class_no, ""), c, bold=False)
        row += 1
    _counts_row(ws, row, "全校合计", "", s.total, bold=True)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
    set_text(ws.cell(row + 2, 1), "填表人：　　　　　　　校长（签字）：　　　　　　　（学校公章）")
    ws.merge_cells(start_row=row + 2, start_column=1, end_row=row + 2, end_column=width)
    for i, w in enumerate([11, 16, 8] + [7.5] * len(MEASURES), start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.row_dimensions[3].height = ws.row_dimensions[4].height = 22
    _print_setup(ws, landscape=True, title_rows="3:4")


def _counts_row(ws: Worksheet, row: int, class_no: str, name: str, c: Counts, *, bold: bool) -> None:
    _box(ws, row, 1, class_no, bold=bold)
    _box(ws, row, 2, name, bold=bold)
    _box(ws, row, 3, c.total, bold=bold)
    for k, m in enumerate(MEASURES):
        _box(ws, row, 4 + k, c[m.key], bold=bold)


def _no_id_sheet(ws: Worksheet, s: SchoolSummary) -> None:
    headers = ["序号", "班号", "班级名称", "姓名", "性别", "出生日期", "身份证件类型", "证件号码", "所在文件"]
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    set_text(ws.cell(1, 1), f"{_school_title(s.school)}无身份证学生名单（共{len(s.no_id)}人）")
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    for col, text in enumerate(headers, start=1):
        _box(ws, 2, col, text, bold=True, fill=True)
    for n, st in enumerate(s.no_id, start=1):
        values = [n, st.class_no, s.class_names.get(st.class_no, ""), st.name, st.gender, st.birth_date, st.id_type,
                  st.id_number, st.source]
        for col, v in enumerate(values, start=1):
            _box(ws, 2 + n, col, v)
    if not s.no_id:
        ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=len(headers))
        set_text(ws.cell(3, 1), "全校学生都有居民身份证号。")
    for i, w in enumerate([6, 11, 14, 10, 6, 11, 18, 20, 26], start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    _print_setup(ws, landscape=False, title_rows="2:2")


def _print_setup(ws: Worksheet, *, landscape: bool, title_rows: str) -> None:
    """A4, all columns on one page width, header rows repeated, page numbers in the footer."""
    a4_one_page_wide(ws, landscape=landscape)
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.25  # openpyxl's 0.5 leaves the footer 0.1": cut in half
    ws.print_title_rows = title_rows
    page_numbers(ws)  # rows of default height: the sheet's page count is not known here


# --- the ribbon button ------------------------------------------------------------------------


@dataclass
class SummaryShown:
    sheets: list[str]
    summary_of: SchoolSummary

    def summary(self) -> str:
        s = self.summary_of
        twice = f"（另有 {s.duplicates} 行的身份证件号与前面的行重复，只计一次；请先校验本表）" if s.duplicates else ""
        return (f"已生成“{self.sheets[0]}”表：共 {s.total.total} 名学生{twice}，按班级分列性别、民族、户口性质等人数；"
                f"无身份证件号的学生列在“{self.sheets[1]}”表中。两张表都已设好 A4 打印。")


def summary_active(host: Host, base: Settings | None = None) -> SummaryShown:
    """统计 (the ribbon button): the workbook's rosters counted, in two printable sheets of its own."""
    s = summary_of_host(host, base)
    today = dt.date.today()
    host.build_sheet(SUMMARY_SHEET, lambda ws: _stats_sheet(ws, s, today))
    host.build_sheet(NO_ID_SHEET, lambda ws: _no_id_sheet(ws, s), after=SUMMARY_SHEET)
    host.activate(SUMMARY_SHEET)
    return SummaryShown([SUMMARY_SHEET, NO_ID_SHEET], s)
