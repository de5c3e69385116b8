"""The printable confirmation form (打印本班确认表): one A4 portrait page per student, written into any
openpyxl worksheet.

Every field is grouped by the template's sections in a grid of three label/value pairs per row, a
manual page break after each student, and at the foot the signature line and the 确认码 (as text
and as a QR code) of what the page prints. The page is fed with ready-to-print texts (the action
decides what a value looks like); the writer takes a worksheet, so the same code fills a sheet of a
new file or a sheet added to the workbook a teacher has open. Row heights are estimated from each
text's printed width (``print_layout``), so that each student's page is known to fit.

The signature roster is ``roster_sheet``; what both share is ``print_layout``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break, RowBreak
from openpyxl.worksheet.worksheet import Worksheet

from xueji_addin.rules.records import CODE_LABEL, confirm_code
from xueji_addin.workbook.cells import set_text
from xueji_addin.workbook.print_layout import (
    BLANK_FILL, ERROR_FILL, LABEL_FILL, PAGE_FILL, PT_PER_UNIT, SECTION_FILL, WARNING_FILL, Heading, font,
    lines_needed, merge, page_setup, printable_height_pt, row_height, style,
)
from xueji_addin.workbook.qr import place_qr

PROBLEM_MARK = "※"  # survives a black-and-white printer, unlike the fill
SIGN_LINE = "以上信息经核对无误。学生（监护人）签字：__________  日期：__________  班主任签字：__________"

# Form grid: three (label, value) pairs under a bar per section. Widths in Excel character units
# (≈ 7 px each at 96 dpi); 99 units fill a portrait A4 page between 0.5" margins at 100 %, so a grid
# widened by a factor prints shrunk by that factor.
LABEL_WIDTH, VALUE_WIDTH = 14.0, 19.0
FORM_COLUMNS = 6
VALUE_SIZE, LABEL_SIZE, SECTION_SIZE = 10.5, 9.0, 10.5
FIELD_ROW_MIN = 20.0  # points: room to correct a value by hand
HANDWRITING_ROW = 30.0  # points: a required field left blank, to be written in
CODE_ROW, FORM_QR_PT = 66.0, 58.0  # points: the form's 确认码 row, and its QR code
CODE_NOTE = "确认码由本页所列信息算出：签字后若有任何一项改动，确认码就会变，须重新打印、重新签字。手机扫右侧二维码可读出确认码。"


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



def _merged_line(ws: Worksheet, row: int, text: str, *, font: Font, height: float, align: Alignment) -> None:
    cell = ws.cell(row, 1)
    set_text(cell, text)
    style(cell, font=font, align=align)
    merge(ws, row, 1, row, FORM_COLUMNS)
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
        _merged_line(ws, r, form.title, font=font(16, bold=True), height=row.height,
                     align=Alignment(horizontal="center", vertical="center"))
    elif row.kind == "subtitle":
        _merged_line(ws, r, form.subtitle, font=font(9, color="404040"), height=row.height,
                     align=Alignment(horizontal="right", vertical="center"))
    elif row.kind == "section" and row.section is not None:
        set_text(ws.cell(r, 1), row.section.title)
        for c in range(1, FORM_COLUMNS + 1):
            style(ws.cell(r, c), font=font(SECTION_SIZE, bold=True), fill=SECTION_FILL, box=True,
                   align=Alignment(horizontal="left", vertical="center"))
        merge(ws, r, 1, r, FORM_COLUMNS)
    elif row.kind == "fields":
        for p in row.placed:
            _item(ws, r, p)
    elif row.kind == "problems":
        _merged_line(ws, r, _problem_text(form), font=font(9, color="9C0006"), height=row.height,
                     align=Alignment(horizontal="left", vertical="top", wrap_text=True))
    elif row.kind == "hint":
        _merged_line(ws, r, "请逐项核对；如有错误，请在该栏内用笔更正，并带户口簿或身份证件交班主任。",
                     font=font(9, color="404040"), height=row.height, align=left)
    elif row.kind == "sign":
        _merged_line(ws, r, SIGN_LINE, font=font(10.5), height=row.height,
                     align=Alignment(horizontal="left", vertical="bottom"))
    elif row.kind == "code":
        _code_row(ws, r, form.code, row.height)


def _code_row(ws: Worksheet, r: int, code: str, height: float) -> None:
    """确认码 as text (columns A–E) and as a QR code (column F), for the signed page to be checked later."""
    cell = ws.cell(r, 1)
    set_text(cell, f"{CODE_LABEL}：{code}\n{CODE_NOTE}")
    style(cell, font=font(10.5, bold=True), align=Alignment(horizontal="left", vertical="center", wrap_text=True))
    merge(ws, r, 1, r, FORM_COLUMNS - 1)
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
    style(label, font=font(LABEL_SIZE, bold=bool(item.severity), color="9C0006" if item.severity else "000000"),
           fill=LABEL_FILL, box=True, align=Alignment(horizontal="center", vertical="center", wrap_text=True))
    value = ws.cell(r, value_col)
    if item.value:
        set_text(value, item.value)
    fill = {"error": ERROR_FILL, "warning": WARNING_FILL}.get(item.severity or "")
    if fill is None and item.required and not item.value:
        fill = BLANK_FILL
    for c in range(value_col, last_col + 1):
        style(ws.cell(r, c), font=font(VALUE_SIZE), fill=fill, box=True,
               align=Alignment(horizontal="left", vertical="center", wrap_text=True))
    if last_col > value_col:
        merge(ws, r, value_col, r, last_col)



