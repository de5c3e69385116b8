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
