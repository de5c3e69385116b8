"""Page setup shared by every printable sheet we write (confirmation sheets, the school summary)."""

from __future__ import annotations

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
