"""The printable confirmation form (打印本班确认表): one A4 portrait page per student, written into any
openpyxl worksheet.

Every field is grouped by the template's sections in a grid of three label/value pairs per row, a
manual page break after each student, and at the foot the signature line and the 确认码 (as text
and as a QR code) of what the page prints. The page is fed with ready-to-print texts (the action
decides what a value looks like); the writer takes a worksheet, so the same code fills a sheet of a
new file or a sheet added to the workbook a teacher has open. Where each field goes and how tall
each row is (estimated from each text's printed width, so that each student's page is known to fit)
is decided by ``form_layout``.

The signature roster is ``roster_sheet``; what both share is ``print_layout``.
"""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break, RowBreak
from openpyxl.worksheet.worksheet import Worksheet

from xueji_addin.rules.records import CODE_LABEL
from xueji_addin.workbook.cells import set_text
from xueji_addin.workbook.form_layout import (
    FORM_COLUMNS, FORM_QR_PT, LABEL_SIZE, PROBLEM_MARK, SECTION_SIZE, VALUE_SIZE, VALUE_WIDTH, FormRow, Placed,
    StudentForm,
    form_grid, form_rows, problem_text,
)
from xueji_addin.workbook.print_layout import (
    BLANK_FILL, BOTTOM, CENTRE, CENTRE_WRAP, ERROR_FILL, LABEL_FILL, LEFT, LEFT_WRAP, PT_PER_UNIT, RIGHT,
    SECTION_FILL, TOP_WRAP, WARNING_FILL, Heading, font, merge, page_setup, style,
)
from xueji_addin.workbook.qr import place_qr

SIGN_LINE = "以上信息经核对无误。学生（监护人）签字：__________  日期：__________  班主任签字：__________"
CODE_NOTE = "确认码由本页所列信息算出：签字后若有任何一项改动，确认码就会变，须重新打印、重新签字。手机扫右侧二维码可读出确认码。"
HINT = "请逐项核对；如有错误，请在该栏内用笔更正，并带户口簿或身份证件交班主任。"


def _merged_line(ws: Worksheet, row: int, text: str, *, font: Font, height: float, align: Alignment) -> None:
    cell = ws.cell(row, 1)
    set_text(cell, text)
    style(cell, font=font, align=align)
    merge(ws, row, 1, row, FORM_COLUMNS)
    ws.row_dimensions[row].height = height


def write_form(ws: Worksheet, heading: Heading, forms: Sequence[StudentForm]) -> list[int]:
    """Write one page per student into ``ws`` (from row 1); returns the last row of each page."""
    grid = form_grid(forms)
    for c in range(1, FORM_COLUMNS + 1):
        ws.column_dimensions[get_column_letter(c)].width = grid.label if c % 2 else grid.value
    ends: list[int] = []
    r = 1
    for form in forms:
        for row in form_rows(form, grid):
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


def _form_row(ws: Worksheet, r: int, form: StudentForm, row: FormRow) -> None:
    ws.row_dimensions[r].height = row.height
    if row.kind == "title":
        _merged_line(ws, r, form.title, font=font(16, bold=True), height=row.height,
                     align=CENTRE)
    elif row.kind == "subtitle":
        _merged_line(ws, r, form.subtitle, font=font(9, color="404040"), height=row.height,
                     align=RIGHT)
    elif row.kind == "section" and row.section is not None:
        set_text(ws.cell(r, 1), row.section.title)
        for c in range(1, FORM_COLUMNS + 1):
            style(ws.cell(r, c), font=font(SECTION_SIZE, bold=True), fill=SECTION_FILL, box=True,
                   align=LEFT)
        merge(ws, r, 1, r, FORM_COLUMNS)
    elif row.kind == "fields":
        for p in row.placed:
            _item(ws, r, p)
    elif row.kind == "problems":
        _merged_line(ws, r, problem_text(form), font=font(9, color="9C0006"), height=row.height,
                     align=TOP_WRAP)
    elif row.kind == "hint":
        _merged_line(ws, r, HINT, font=font(9, color="404040"), height=row.height, align=LEFT_WRAP)
    elif row.kind == "sign":
        _merged_line(ws, r, SIGN_LINE, font=font(10.5), height=row.height,
                     align=BOTTOM)
    elif row.kind == "code":
        _code_row(ws, r, form.code, row.height)


def _code_row(ws: Worksheet, r: int, code: str, height: float) -> None:
    """确认码 as text (columns A–E) and as a QR code (column F), for the signed page to be checked later."""
    cell = ws.cell(r, 1)
    set_text(cell, f"{CODE_LABEL}：{code}\n{CODE_NOTE}")
    style(cell, font=font(10.5, bold=True), align=LEFT_WRAP)
    merge(ws, r, 1, r, FORM_COLUMNS - 1)
    width_pt = (ws.column_dimensions[get_column_letter(FORM_COLUMNS)].width or VALUE_WIDTH) * PT_PER_UNIT
    place_qr(ws, code, row=r, col=FORM_COLUMNS, size_pt=FORM_QR_PT, x_pt=max(0.0, width_pt - FORM_QR_PT - 4),
             y_pt=(height - FORM_QR_PT) / 2)


def _item(ws: Worksheet, r: int, p: Placed) -> None:
    item = p.item
    label_col = 1 + 2 * p.slot
    value_col = label_col + 1
    last_col = label_col + 2 * p.span - 1
    label = ws.cell(r, label_col)
    set_text(label, item.label + (f" {PROBLEM_MARK}" if item.severity else ""))
    style(label, font=font(LABEL_SIZE, bold=bool(item.severity), color="9C0006" if item.severity else "000000"),
           fill=LABEL_FILL, box=True, align=CENTRE_WRAP)
    value = ws.cell(r, value_col)
    if item.value:
        set_text(value, item.value)
    fill = {"error": ERROR_FILL, "warning": WARNING_FILL}.get(item.severity or "")
    if fill is None and item.required and not item.value:
        fill = BLANK_FILL
    for c in range(value_col, last_col + 1):
        style(ws.cell(r, c), font=font(VALUE_SIZE), fill=fill, box=True,
               align=LEFT_WRAP)
    if last_col > value_col:
        merge(ws, r, value_col, r, last_col)
