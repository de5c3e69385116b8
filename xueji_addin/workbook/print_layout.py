"""What the printed sheets (the confirmation form, the signature roster) share: fonts, fills, named
styles, cheap merges, text measuring, A4 page setup and page breaks.

Row heights are set explicitly (Excel never auto-fits merged cells), from an estimate of each text's
printed width: the measuring here is what lets a layout know where its pages end.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass
from functools import cache

from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet

from xueji_addin.workbook.cells import xml_safe
from xueji_addin.workbook.print_setup import a4_one_page_wide, page_numbers

FONT_NAME = "宋体"  # on every Chinese Windows; LibreOffice falls back to the installed CJK font
ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
WARNING_FILL = PatternFill("solid", fgColor="FFEB9C")
BLANK_FILL = PatternFill("solid", fgColor="FFF2CC")  # a required field left empty: to be filled by hand
LABEL_FILL = PatternFill("solid", fgColor="F2F2F2")
SECTION_FILL = PatternFill("solid", fgColor="D9E1F2")
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
PAGE_FILL = 0.97  # the share of the printable height a student's page may use (estimates are estimates)
PT_PER_UNIT = 5.25  # an Excel character unit of column width, in points (7 px at 96 dpi)
# Alignments made once: openpyxl checks every attribute of each new one (a class's pages made 13,000).
CENTRE = Alignment(horizontal="center", vertical="center")
CENTRE_WRAP = Alignment(horizontal="center", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")
LEFT = Alignment(horizontal="left", vertical="center")
LEFT_WRAP = Alignment(horizontal="left", vertical="center", wrap_text=True)
TOP_WRAP = Alignment(horizontal="left", vertical="top", wrap_text=True)
BOTTOM = Alignment(horizontal="left", vertical="bottom")

# A4's size in points, and the margins (inches) both layouts use.
A4_WIDTH_PT, A4_HEIGHT_PT = 595.0, 842.0
MARGIN_SIDE, MARGIN_TOP, MARGIN_BOTTOM, MARGIN_HF = 0.5, 0.6, 0.6, 0.25


@dataclass(frozen=True)
class Heading:
    """What the printed page header says: school and class."""

    school: str
    class_no: str
    label: str = ""  # what the page calls the class (一年级1班, 20240101班; "" for rows without 班号)



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


# --- styles and merges ------------------------------------------------------------------------


@cache
def font(size: float = 10.0, *, bold: bool = False, color: str = "000000") -> Font:
    return Font(name=FONT_NAME, size=size, bold=bold, color=color)


def style(cell: Cell, *, font: Font, align: Alignment, fill: PatternFill | None = None, box: bool = False) -> None:
    """Give ``cell`` a named style for this combination (one per workbook: setting font, fill, border
    and alignment one by one costs openpyxl a style lookup each, seconds for a class). What
    ``cell.style = name`` sets is kept per workbook and copied: openpyxl's own lookup lists every
    named style's name on each call."""
    name = _style_name(font, align, fill, box)
    wb = cell.parent.parent
    known: dict[str, StyleArray] = wb.__dict__.setdefault("_xueji_styles", {})
    array = known.get(name)
    if array is None:
        if name not in wb.named_styles:
            wb.add_named_style(NamedStyle(name, font=font, alignment=align, fill=fill or PatternFill(),
                                          border=BOX if box else Border()))
        cell.style = name
        array = known[name] = copy(cell._style)
    cell._style = copy(array)


def _style_name(font: Font, align: Alignment, fill: PatternFill | None, box: bool) -> str:
    key = (font.size, font.b, font.color.rgb if font.color else None, align.horizontal, align.vertical,
           bool(align.wrap_text), fill.fgColor.rgb if fill else None, box)
    return "确认表" + "-".join(str(k) for k in key)


def merge(ws: Worksheet, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
    """``ws.merge_cells`` without its costs: openpyxl compares each new range with every earlier one
    (quadratic: seconds for a class) and rebuilds borders we have already set on every cell."""
    ws.merged_cells.ranges.add(_merged_range(ws, first_row, first_col, last_row, last_col))
    for r in range(first_row, last_row + 1):
        for c in range(first_col, last_col + 1):
            if (r, c) == (first_row, first_col):
                continue
            old = ws._cells.get((r, c))
            merged = MergedCell(ws, row=r, column=c)
            if old is not None:
                merged._style = copy(old._style)  # keep the border: Excel draws a merged box from its cells
            ws._cells[(r, c)] = merged


def _merged_range(ws: Worksheet, first_row: int, first_col: int, last_row: int, last_col: int) -> MergedCellRange:
    """A MergedCellRange as openpyxl makes one, without parsing its address back or, where the last
    cell has the first one's border (all our merges), re-adding that border to the first cell."""
    start = ws._cells.get((first_row, first_col)) or ws.cell(first_row, first_col)
    end = ws._cells.get((last_row, last_col))
    if end is not None and end._style.borderId != start._style.borderId:
        return MergedCellRange(ws, CellRange(min_col=first_col, min_row=first_row, max_col=last_col,
                                             max_row=last_row).coord)
    mcr = MergedCellRange.__new__(MergedCellRange)
    CellRange.__init__(mcr, min_col=first_col, min_row=first_row, max_col=last_col, max_row=last_row)
    mcr.ws, mcr.start_cell = ws, start
    return mcr


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


# --- print setup ----------------------------------------------------------------


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
    school = xml_safe(heading.school).replace("&", "&&")
    cls = xml_safe(heading.label).replace("&", "&&")
    ws.oddHeader.left.text, ws.oddHeader.left.size = school, 9
    ws.oddHeader.right.text, ws.oddHeader.right.size = f"{cls}　{title}" if cls else title, 9
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
