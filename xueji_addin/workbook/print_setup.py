"""Page setup shared by every printable sheet we write (confirmation sheets, the school summary, roster sheets)."""

from __future__ import annotations

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet


def a4_one_page_wide(ws: Worksheet, *, landscape: bool) -> None:
    """A4, all columns on one page width (as many pages tall as needed), centred across the page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True


def page_numbers(ws: Worksheet, pages: int | None = None, *, size: float | None = None) -> None:
    """The sheet's own page numbers in the footer: 第 1 页 on its first page, whatever prints before it.

    ``&N`` would count every page of the print job (LibreOffice's PDF of the whole file; Excel printing
    the whole workbook), so the total is written only when the caller knows the sheet's page count
    (its own page breaks decide it)."""
    ws.page_setup.firstPageNumber = 1
    ws.page_setup.useFirstPageNumber = True
    ws.oddFooter.center.text = f"第 &P 页，共 {pages} 页" if pages else "第 &P 页"
    if size is not None:
        ws.oddFooter.center.size = size


# A roster sheet (the template, a class file) is far wider than a page: 71 columns. Printed as it
# comes it was 4 columns a page, portrait, at 100 %, the header on the first page only. It prints
# in landscape over as few pages wide as keep the text readable (MIN_SCALE), the header rows and
# the name column on every page, pages numbered, a band of rows across before the next band down.
A4_MM = (210.0, 297.0)
MARGIN_IN = 0.4  # each side; the footer sits in the bottom margin
MIN_SCALE = 0.7  # 11 pt type printed at 7.7 pt, still read without a magnifier
PX_PER_MM = 96 / 25.4


def column_px(width: float | None) -> float:
    """A column's printed width in pixels at 100 % (Excel's rule for the default 11 pt font)."""
    return (width if width else 8.43) * 7 + 5


def pages_wide(widths: list[float], title_px: float, *, scale: float = MIN_SCALE) -> int:
    """How many landscape A4 pages the columns of ``widths`` take at ``scale``, with ``title_px``
    of repeated columns on every page."""
    page_px = (A4_MM[1] - 2 * MARGIN_IN * 25.4) * PX_PER_MM / scale - title_px
    pages, used = 1, 0.0
    for w in map(column_px, widths):  # a column is never cut: it starts the next page
        if used and used + w > page_px:
            pages, used = pages + 1, 0.0
        used += w
    return pages


def roster_print_setup(ws: Worksheet, header_row: int, title_column: int | None) -> None:
    """Landscape A4 over as many pages wide as the sheet's columns need at a readable scale, the
    rows through ``header_row`` (and ``title_column``, the name) on every page, pages numbered.

    A print setup the sheet already has (a copy of a user's file) is left as it is."""
    fit = ws.sheet_properties.pageSetUpPr
    if ws.print_area or ws.print_title_rows or ws.print_title_cols or (fit is not None and fit.fitToPage):
        return
    last = ws.max_column
    dims = ws.column_dimensions  # looked up with get: indexing would add a <col> to the file for every column
    widths = [d.width if (d := dims.get(get_column_letter(c))) is not None else None for c in range(1, last + 1)]
    title_px = column_px(widths[title_column - 1]) if title_column else 0.0
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = pages_wide(widths, title_px)
    ws.page_setup.fitToHeight = 0  # as many pages tall as the rows need
    ws.page_setup.pageOrder = "overThenDown"  # each band of rows complete before the next
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins.left = ws.page_margins.right = ws.page_margins.top = ws.page_margins.bottom = MARGIN_IN
    ws.page_margins.footer = MARGIN_IN / 2
    ws.print_title_rows = f"1:{header_row}"
    if title_column:
        letter = get_column_letter(title_column)
        ws.print_title_cols = f"{letter}:{letter}"
    page_numbers(ws)
