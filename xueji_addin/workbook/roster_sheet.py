"""The printable signature roster (核对名单): one row per student with the key fields, the 确认码 and
its QR code, and a signature column; A4 landscape, the title and header rows repeated on every page,
page breaks of our own so that the closing line never stands alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break, RowBreak
from openpyxl.worksheet.worksheet import Worksheet

from xueji_addin.rules.records import CODE_LABEL, confirm_code
from xueji_addin.workbook.cells import set_text
from xueji_addin.workbook.print_layout import (
    BOTTOM, CENTRE, CENTRE_WRAP, ERROR_FILL, LEFT_WRAP, PAGE_FILL, PT_PER_UNIT, SECTION_FILL, WARNING_FILL, Heading,
    font, lines_needed, merge, page_ends, page_setup, printable_height_pt, row_height, style,
)
from xueji_addin.workbook.qr import place_qr

ROSTER_SIGN_HEADER = "学生（监护人）签字"
QR_HEADER = "二维码"  # the roster's column of QR codes, beside the 确认码 column
ROSTER_QR_PT = 34.0  # points: a row's QR code (the row is a little taller)
ROSTER_FOOT = "以上名单已由学生（监护人）逐一核对并签字。班主任签字：__________  日期：__________"


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


def write_roster(ws: Worksheet, heading: Heading, table: RosterTable) -> None:
    """Title row, header row (both repeated on every printed page), one row per student."""
    ncols = len(table.headers)
    for c, width in enumerate(table.widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    title = ws.cell(1, 1)
    set_text(title, table.title)
    style(title, font=font(15, bold=True), align=CENTRE)
    merge(ws, 1, 1, 1, ncols)
    ws.row_dimensions[1].height = 30
    for c, header in enumerate(table.headers, start=1):
        cell = ws.cell(2, c)
        set_text(cell, header)
        style(cell, font=font(10, bold=True), fill=SECTION_FILL, box=True,
               align=CENTRE_WRAP)
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
            style(cell, font=font(10), box=True,
                   fill={"error": ERROR_FILL, "warning": WARNING_FILL}.get(severity or ""),
                   align=CENTRE_WRAP if c <= 3 else LEFT_WRAP)
            lines = max(lines, lines_needed(text, table.widths[c - 1]))
        ws.row_dimensions[r].height = row_height(lines, minimum=ROSTER_QR_PT + 2)  # room to sign, and the QR
    last = 3 + len(table.rows)
    foot = ws.cell(last, 1)
    set_text(foot, ROSTER_FOOT)
    style(foot, font=font(10.5), align=BOTTOM)
    merge(ws, last, 1, last, ncols)
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
    ws.freeze_panes = "A3"
