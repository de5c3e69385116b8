"""Printable confirmation sheets (打印本班确认表): the page layout, written into any openpyxl worksheet.

Two layouts, both fed with ready-to-print texts (the action decides what a value looks like):

- **form**: one A4 portrait page per student, every field grouped by the template's sections in a
  grid of three label/value pairs per row, a manual page break after each student;
- **roster**: one row per student with the key fields and a signature column, A4 landscape, the
  title and header rows repeated on every page.

The writers take a worksheet, so the same code fills a sheet of a new file or a sheet added to the
workbook a teacher has open. Row heights are set explicitly (Excel never auto-fits merged cells), from
an estimate of each text's printed width, so that each student's page is known to fit.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from copy import copy

from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.pagebreak import Break, RowBreak
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet

from xueji_addin.rules.records import CODE_LABEL, confirm_code
from xueji_addin.workbook.cells import set_text
from xueji_addin.workbook.print_setup import a4_one_page_wide, page_numbers
from xueji_addin.workbook.qr import place_qr

FONT_NAME = "宋体"  # on every Chinese Windows; LibreOffice falls back to the installed CJK font
ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
WARNING_FILL = PatternFill("solid", fgColor="FFEB9C")
BLANK_FILL = PatternFill("solid", fgColor="FFF2CC")  # a required field left empty: to be filled by hand
LABEL_FILL = PatternFill("solid", fgColor="F2F2F2")
SECTION_FILL = PatternFill("solid", fgColor="D9E1F2")
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
PROBLEM_MARK = "※"  # survives a black-and-white printer, unlike the fill
SIGN_LINE = "以上信息经核对无误。学生（监护人）签字：__________  日期：__________  班主任签字：__________"

# A4's size in points, and the margins (inches) both layouts use.
A4_WIDTH_PT, A4_HEIGHT_PT = 595.0, 842.0
MARGIN_SIDE, MARGIN_TOP, MARGIN_BOTTOM, MARGIN_HF = 0.5, 0.6, 0.6, 0.25

# Form grid: three (label, value) pairs under a bar per section. Widths in Excel character units
# (≈ 7 px each at 96 dpi); 99 units fill a portrait A4 page between 0.5" margins at 100 %, so a grid
# widened by a factor prints shrunk by that factor.
LABEL_WIDTH, VALUE_WIDTH = 14.0, 19.0
FORM_COLUMNS = 6
VALUE_SIZE, LABEL_SIZE, SECTION_SIZE = 10.5, 9.0, 10.5
FIELD_ROW_MIN = 20.0  # points: room to correct a value by hand
HANDWRITING_ROW = 30.0  # points: a required field left blank, to be written in
PAGE_FILL = 0.97  # the share of the printable height a student's page may use (estimates are estimates)
ROSTER_SIGN_HEADER = "学生（监护人）签字"
QR_HEADER = "二维码"  # the roster's column of QR codes, beside the 确认码 column
PT_PER_UNIT = 5.25  # an Excel character unit of column width, in points (7 px at 96 dpi)
CODE_ROW, FORM_QR_PT, ROSTER_QR_PT = 66.0, 58.0, 34.0  # points: the form's 确认码 row, its QR; a roster row's QR
CODE_NOTE = "确认码由本页所列信息算出：签字后若有任何一项改动，确认码就会变，须重新打印、重新签字。手机扫右侧二维码可读出确认码。"
ROSTER_FOOT = "以上名单已由学生（监护人）逐一核对并签字。班主任签字：__________  日期：__________"


@dataclass(frozen=True)
class Item:
    """One field on a student's form, as printed."""

    label: str
    value: str
    required: bool = False
    severity: str | None = None  # "error" | "warning" when the field has findings
    min_slots: int = 1  # 2 or 3 for values that need the room (addresses, ID numbers)


@dataclass(frozen=True)
class Section:
    title: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class StudentForm:
    title: str  # 某某小学 20240101班 学生基本信息确认表
    subtitle: str  # 班号、班内学号、源文件行号
    sections: tuple[Section, ...]
    problems: tuple[str, ...] = ()  # "身份证件号：……" lines listed at the foot of the page

    def fields(self) -> list[tuple[str, str]]:
        """What the page prints of the student, (section·label, value) in page order: what the 确认码 hashes."""
        return [(f"{s.title}·{i.label}", i.value) for s in self.sections for i in s.items]

    @property
    def code(self) -> str:
        return confirm_code(self.fields())


@dataclass(frozen=True)
class RosterTable:
    title: str
    headers: tuple[str, ...]
    widths: tuple[float, ...]
    rows: tuple[tuple[str, ...], ...]
    flagged: dict[tuple[int, int], str] = field(default_factory=dict)  # (row index, column index) → severity
    record_columns: tuple[int, ...] = ()  # the columns that print the student's record (not 序号, 签字)

    def fields(self, i: int) -> list[tuple[str, str]]:
        """What row ``i`` prints of the student, (header, value): what its 确认码 hashes."""
        return [(self.headers[c], self.rows[i][c]) for c in self.record_columns]

    def code(self, i: int) -> str:
        return confirm_code(self.fields(i))


@dataclass(frozen=True)
class Heading:
    """What the printed page header says: school and class."""

    school: str
    class_no: str


# --- text measuring ---------------------------------------------------------------------------


def text_units(text: str, size: float = 10.0) -> float:
    """Printed width of ``text`` in Excel character units at ``size`` points (wide chars count two)."""
    return _units(text) * size / 10.5


@cache
def _units(text: str) -> float:
    return sum(2.0 if unicodedata.east_asian_width(ch) in "WF" else 1.1 for ch in text)


@cache  # the grid search asks the same questions many times
def lines_needed(text: str, width_units: float, size: float = 10.0) -> int:
    if not text:
        return 1
    usable = max(width_units - 1.2, 1.0)
    return sum(max(1, math.ceil(text_units(part, size) / usable)) for part in text.split("\n"))


def row_height(lines: int, size: float = 10.0, minimum: float = 18.0) -> float:
    """Points for ``lines`` lines of ``size``-point text with a little air."""
    return max(minimum, round(lines * size * 1.45 + 4, 1))  # CJK fonts' lines are ~1.45 em tall


# --- the form layout --------------------------------------------------------------------------


@dataclass
class _Placed:
    item: Item
    slot: int
    span: int


@dataclass(frozen=True)
class Grid:
    """Column widths of the form; ``scale`` > 1 widens it so that fit-to-width shrinks a tall page."""

    scale: float = 1.0

    @property
    def label(self) -> float:
        return LABEL_WIDTH * self.scale

    @property
    def value(self) -> float:
        return VALUE_WIDTH * self.scale

    def span(self, slots: int) -> float:
        """Width of a value cell merged over ``slots`` pairs."""
        return self.value * slots + self.label * (slots - 1)

    @property
    def full(self) -> float:
        return 3 * (self.label + self.value)


def _slots_for(item: Item, grid: Grid) -> int:
    """The fewest pairs whose merged value cell prints the value on one line (three at most)."""
    for span in range(item.min_slots, 3):
        if lines_needed(item.value, grid.span(span), VALUE_SIZE) == 1:
            return span
    return 3


def pack(items: Sequence[Item], grid: Grid = Grid()) -> list[list[_Placed]]:
    """Items in order into rows of three slots; an item that does not fit goes into the first row
    with room for it (a short field may move up beside a long one), and the last item of each row
    widens to fill it."""
    rows: list[list[_Placed]] = []
    free: list[int] = []
    for item in items:
        span = _slots_for(item, grid)
        # only the current row and the one before it: the reading order stays the template's
        target = next((r for r in range(max(0, len(rows) - 2), len(rows)) if free[r] >= span), None)
        if target is None:
            rows.append([])
            free.append(3)
            target = len(rows) - 1
        rows[target].append(_Placed(item, 3 - free[target], span))
        free[target] -= span
    for placed, left in zip(rows, free):
        placed[-1].span += left
    return rows


@cache
def _font(size: float = 10.0, *, bold: bool = False, color: str = "000000") -> Font:
    return Font(name=FONT_NAME, size=size, bold=bold, color=color)


def _style(cell: Cell, *, font: Font, align: Alignment, fill: PatternFill | None = None, box: bool = False) -> None:
    """Give ``cell`` a named style for this combination (one per workbook: setting font, fill, border
    and alignment one by one costs openpyxl a style lookup each, seconds for a class)."""
    name = _style_name(font, align, fill, box)
    wb = cell.parent.parent
    known = wb.__dict__.setdefault("_xueji_styles", set())
    if name not in known:
        if name not in wb.named_styles:
            wb.add_named_style(NamedStyle(name, font=font, alignment=align, fill=fill or PatternFill(),
                                          border=BOX if box else Border()))
        known.add(name)
    cell.style = name


def _style_name(font: Font, align: Alignment, fill: PatternFill | None, box: bool) -> str:
    key = (font.size, font.b, font.color.rgb if font.color else None, align.horizontal, align.vertical,
           bool(align.wrap_text), fill.fgColor.rgb if fill else None, box)
    return "确认表" + "-".join(str(k) for k in key)


def _merge(ws: Worksheet, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
    """``ws.merge_cells`` without its costs: openpyxl compares each new range with every earlier one
    (quadratic: seconds for a class) and rebuilds borders we have already set on every cell."""
    mcr = MergedCellRange(ws, CellRange(min_col=first_col, min_row=first_row, max_col=last_col, max_row=last_row).coord)
    ws.merged_cells.ranges.add(mcr)
    for r in range(first_row, last_row + 1):
        for c in range(first_col, last_col + 1):
            if (r, c) == (first_row, first_col):
                continue
            old = ws._cells.get((r, c))
            merged = MergedCell(ws, row=r, column=c)
            if old is not None:
                merged._style = copy(old._style)  # keep the border: Excel draws a merged box from its cells
            ws._cells[(r, c)] = merged


def _merged_line(ws: Worksheet, row: int, text: str, *, font: Font, height: float, align: Alignment) -> None:
    cell = ws.cell(row, 1)
    set_text(cell, text)
    _style(cell, font=font, align=align)
    _merge(ws, row, 1, row, FORM_COLUMNS)
    ws.row_dimensions[row].height = height


def _problem_text(form: StudentForm) -> str:
    return f"需核对（表中标 {PROBLEM_MARK} 的项目）：\n" + "\n".join(form.problems)


@dataclass
class _Row:
    kind: str  # title | subtitle | section | fields | gap | problems | hint | sign | code
    height: float
    placed: list[_Placed] = field(default_factory=list)
    section: Section | None = None


def _form_rows(form: StudentForm, grid: Grid) -> list[_Row]:
    """The rows of one student's page with their heights (points)."""
    out = [_Row("title", 28.0), _Row("subtitle", 16.0)]
    for section in form.sections:
        out.append(_Row("section", 17.0, section=section))
        for placed in pack(section.items, grid):
            value_lines = max(lines_needed(p.item.value, grid.span(p.span), VALUE_SIZE) for p in placed)
            label_lines = max(lines_needed(p.item.label + (f" {PROBLEM_MARK}" if p.item.severity else ""),
                                           grid.label, LABEL_SIZE) for p in placed)
            height = max(row_height(value_lines, VALUE_SIZE, FIELD_ROW_MIN), row_height(label_lines, LABEL_SIZE, 0))
            if any(p.item.required and not p.item.value for p in placed):
                height = max(height, HANDWRITING_ROW)
            out.append(_Row("fields", height, placed))
    out.append(_Row("gap", 8.0))
    if form.problems:
        out.append(_Row("problems", row_height(lines_needed(_problem_text(form), grid.full, 9.0), 9.0, 0)))
    out.append(_Row("hint", 15.0))
    out.append(_Row("sign", 36.0))
    out.append(_Row("code", CODE_ROW))
    return out


def form_grid(forms: Sequence[StudentForm]) -> Grid:
    """The grid for these pages: 100 % unless the tallest page needs fit-to-width to shrink it."""
    budget = printable_height_pt() * PAGE_FILL

    def fits(grid: Grid, pages: Sequence[StudentForm]) -> bool:
        return all(form_page_height(f, grid) <= budget for f in pages)

    def smallest_scale(pages: Sequence[StudentForm], low: float = 1.0) -> Grid:
        # Wider columns wrap less, so the printed height falls as the scale grows: bisect for the
        # smallest scale that fits, i.e. the largest print.
        if fits(Grid(low), pages):
            return Grid(low)
        high = low * 1.25
        while not fits(Grid(high), pages):
            low, high = high, high * 1.25
        for _ in range(10):
            mid = (low + high) / 2
            low, high = (low, mid) if fits(Grid(mid), pages) else (mid, high)
        return Grid(high)

    # The tallest pages at 100 % decide the scale; the rest are checked once at the end.
    tallest = sorted(forms, key=lambda f: form_page_height(f, Grid()), reverse=True)
    grid = smallest_scale(tallest[:5])
    return grid if fits(grid, tallest) else smallest_scale(tallest, grid.scale)


def form_page_height(form: StudentForm, grid: Grid | None = None) -> float:
    """The printed height (points) of one student's page, after fit-to-width scaling."""
    grid = grid or Grid()
    return sum(r.height for r in _form_rows(form, grid)) / grid.scale


def write_form(ws: Worksheet, heading: Heading, forms: Sequence[StudentForm]) -> list[int]:
    """Write one page per student into ``ws`` (from row 1); returns the last row of each page."""
    grid = form_grid(forms)
    for c in range(1, FORM_COLUMNS + 1):
        ws.column_dimensions[get_column_letter(c)].width = grid.label if c % 2 else grid.value
    ends: list[int] = []
    r = 1
    for form in forms:
        for row in _form_rows(form, grid):
            _form_row(ws, r, form, row)
            r += 1
        ends.append(r - 1)
    ws.row_breaks = RowBreak()
    for end in ends[:-1]:
        ws.row_breaks.append(Break(id=end))
    page_setup(ws, heading, title="学生基本信息确认表", landscape=False, last_row=r - 1, last_col=FORM_COLUMNS,
               pages=len(forms))
    ws.sheet_view.showGridLines = False
    return ends


def _form_row(ws: Worksheet, r: int, form: StudentForm, row: _Row) -> None:
    ws.row_dimensions[r].height = row.height
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    if row.kind == "title":
        _merged_line(ws, r, form.title, font=_font(16, bold=True), height=row.height,
                     align=Alignment(horizontal="center", vertical="center"))
    elif row.kind == "subtitle":
        _merged_line(ws, r, form.subtitle, font=_font(9, color="404040"), height=row.height,
                     align=Alignment(horizontal="right", vertical="center"))
    elif row.kind == "section" and row.section is not None:
        set_text(ws.cell(r, 1), row.section.title)
        for c in range(1, FORM_COLUMNS + 1):
            _style(ws.cell(r, c), font=_font(SECTION_SIZE, bold=True), fill=SECTION_FILL, box=True,
                   align=Alignment(horizontal="left", vertical="center"))
        _merge(ws, r, 1, r, FORM_COLUMNS)
    elif row.kind == "fields":
        for p in row.placed:
            _item(ws, r, p)
    elif row.kind == "problems":
        _merged_line(ws, r, _problem_text(form), font=_font(9, color="9C0006"), height=row.height,
                     align=Alignment(horizontal="left", vertical="top", wrap_text=True))
    elif row.kind == "hint":
        _merged_line(ws, r, "请逐项核对；如有错误，请在该栏内用笔更正，并带户口簿或身份证件交班主任。",
                     font=_font(9, color="404040"), height=row.height, align=left)
    elif row.kind == "sign":
        _merged_line(ws, r, SIGN_LINE, font=_font(10.5), height=row.height,
                     align=Alignment(horizontal="left", vertical="bottom"))
    elif row.kind == "code":
        _code_row(ws, r, form.code, row.height)


def _code_row(ws: Worksheet, r: int, code: str, height: float) -> None:
    """确认码 as text (columns A–E) and as a QR code (column F), for the signed page to be checked later."""
    cell = ws.cell(r, 1)
    set_text(cell, f"{CODE_LABEL}：{code}\n{CODE_NOTE}")
    _style(cell, font=_font(10.5, bold=True), align=Alignment(horizontal="left", vertical="center", wrap_text=True))
    _merge(ws, r, 1, r, FORM_COLUMNS - 1)
    width_pt = (ws.column_dimensions[get_column_letter(FORM_COLUMNS)].width or VALUE_WIDTH) * PT_PER_UNIT
    place_qr(ws, code, row=r, col=FORM_COLUMNS, size_pt=FORM_QR_PT, x_pt=max(0.0, width_pt - FORM_QR_PT - 4),
             y_pt=(height - FORM_QR_PT) / 2)


def _item(ws: Worksheet, r: int, p: _Placed) -> None:
    item = p.item
    label_col = 1 + 2 * p.slot
    value_col = label_col + 1
    last_col = label_col + 2 * p.span - 1
    label = ws.cell(r, label_col)
    set_text(label, item.label + (f" {PROBLEM_MARK}" if item.severity else ""))
    _style(label, font=_font(LABEL_SIZE, bold=bool(item.severity), color="9C0006" if item.severity else "000000"),
           fill=LABEL_FILL, box=True, align=Alignment(horizontal="center", vertical="center", wrap_text=True))
    value = ws.cell(r, value_col)
    if item.value:
        set_text(value, item.value)
    fill = {"error": ERROR_FILL, "warning": WARNING_FILL}.get(item.severity or "")
    if fill is None and item.required and not item.value:
        fill = BLANK_FILL
    for c in range(value_col, last_col + 1):
        _style(ws.cell(r, c), font=_font(VALUE_SIZE), fill=fill, box=True,
               align=Alignment(horizontal="left", vertical="center", wrap_text=True))
    if last_col > value_col:
        _merge(ws, r, value_col, r, last_col)


# --- the roster layout ------------------------------------------------------------------------


def write_roster(ws: Worksheet, heading: Heading, table: RosterTable) -> None:
    """Title row, header row (both repeated on every printed page), one row per student."""
    ncols = len(table.headers)
    for c, width in enumerate(table.widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    title = ws.cell(1, 1)
    set_text(title, table.title)
    _style(title, font=_font(15, bold=True), align=Alignment(horizontal="center", vertical="center"))
    _merge(ws, 1, 1, 1, ncols)
    ws.row_dimensions[1].height = 30
    for c, header in enumerate(table.headers, start=1):
        cell = ws.cell(2, c)
        set_text(cell, header)
        _style(cell, font=_font(10, bold=True), fill=SECTION_FILL, box=True,
               align=Alignment(horizontal="center", vertical="center", wrap_text=True))
    ws.row_dimensions[2].height = 24
    for i, values in enumerate(table.rows):
        r = 3 + i
        lines = 1
        code = table.code(i) if table.record_columns else ""
        for c, text in enumerate(values, start=1):
            cell = ws.cell(r, c)
            if table.headers[c - 1] == CODE_LABEL and code:
                text = code
            elif table.headers[c - 1] == QR_HEADER and code:
                place_qr(ws, code, row=r, col=c, size_pt=ROSTER_QR_PT, x_pt=(table.widths[c - 1] * PT_PER_UNIT - ROSTER_QR_PT) / 2,
                         y_pt=1.0)
            if text:
                set_text(cell, text)
            severity = table.flagged.get((i, c - 1))
            _style(cell, font=_font(10), box=True,
                   fill={"error": ERROR_FILL, "warning": WARNING_FILL}.get(severity or ""),
                   align=Alignment(horizontal="center" if c <= 3 else "left", vertical="center", wrap_text=True))
            lines = max(lines, lines_needed(text, table.widths[c - 1]))
        ws.row_dimensions[r].height = row_height(lines, minimum=ROSTER_QR_PT + 2)  # room to sign, and the QR
    last = 3 + len(table.rows)
    foot = ws.cell(last, 1)
    set_text(foot, ROSTER_FOOT)
    _style(foot, font=_font(10.5), align=Alignment(horizontal="left", vertical="bottom"))
    _merge(ws, last, 1, last, ncols)
    ws.row_dimensions[last].height = 36
    # Our own page breaks (the rows' heights are set, so the pages are known): the footer can say
    # 共 N 页 of this list, and the signature line at the end never stands alone on a page.
    heights = [ws.row_dimensions[r].height for r in range(3, last + 1)]
    budget = printable_height_pt(landscape=True) * PAGE_FILL - ws.row_dimensions[1].height - ws.row_dimensions[2].height
    ends = [3 + i for i in page_ends(heights, budget)]
    ws.row_breaks = RowBreak()
    for end in ends[:-1]:
        ws.row_breaks.append(Break(id=end))
    page_setup(ws, heading, title="学生基本信息核对名单", landscape=True, last_row=last, last_col=ncols, pages=len(ends))
    ws.print_title_rows = "1:2"


def page_ends(heights: Sequence[float], budget: float) -> list[int]:
    """The index of each page's last row when rows of ``heights`` fill pages of ``budget`` points in
    turn (a row taller than a page gets a page of its own); the last row never starts a page alone."""
    ends: list[int] = []
    used = 0.0
    for i, h in enumerate(heights):
        if used and used + h > budget:
            ends.append(i - 1)
            used = 0.0
        used += h
    ends.append(len(heights) - 1)
    if len(ends) > 1 and ends[-2] == len(heights) - 2:  # the last row alone on the last page
        first_of_previous = ends[-3] + 1 if len(ends) > 2 else 0
        if ends[-2] > first_of_previous and heights[-2] + heights[-1] <= budget:
            ends[-2] -= 1  # the row before it goes over with it
    return ends
    ws.freeze_panes = "A3"


# --- print setup shared by both ----------------------------------------------------------------


def page_setup(ws: Worksheet, heading: Heading, *, title: str, landscape: bool, last_row: int, last_col: int,
               pages: int) -> None:
    """A4, margins, one page wide, ``pages`` tall (the caller's page breaks), print area, header and footer."""
    a4_one_page_wide(ws, landscape=landscape)
    m = ws.page_margins
    m.left = m.right = MARGIN_SIDE
    m.top, m.bottom = MARGIN_TOP, MARGIN_BOTTOM
    m.header = m.footer = MARGIN_HF
    ws.print_area = f"A1:{get_column_letter(last_col)}{last_row}"
    # Header/footer codes: &"font,style" &size; & must be doubled in literal text.
    school = heading.school.replace("&", "&&")
    cls = heading.class_no.replace("&", "&&")
    ws.oddHeader.left.text, ws.oddHeader.left.size = school, 9
    ws.oddHeader.right.text, ws.oddHeader.right.size = f"{cls}班　{title}", 9
    page_numbers(ws, pages, size=9)


def printable_height_pt(*, landscape: bool = False) -> float:
    """The height an A4 page leaves between the margins, at 100 % scale (fit-to-width only shrinks)."""
    return (A4_WIDTH_PT if landscape else A4_HEIGHT_PT) - 72 * (MARGIN_TOP + MARGIN_BOTTOM)


def add_sheet(wb: Workbook, name: str, *, after: str | None = None) -> Worksheet:
    """A fresh sheet called ``name`` (an old one of that name is replaced), placed after ``after``."""
    index = None
    if name in wb.sheetnames:
        index = wb.sheetnames.index(name)
        del wb[name]
    elif after is not None and after in wb.sheetnames:
        index = wb.sheetnames.index(after) + 1
    return wb.create_sheet(name, index)
