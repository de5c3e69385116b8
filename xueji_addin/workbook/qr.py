"""A QR code drawn on a worksheet (segno makes it, openpyxl places the picture where a cell starts).

The picture is anchored to one cell with an offset and a size in points, so it prints where the
layout planned it, whatever the row heights and column widths around it.
"""

from __future__ import annotations

import io

import segno
from openpyxl.drawing.image import Image
from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, OneCellAnchor
from openpyxl.drawing.xdr import XDRPositiveSize2D
from openpyxl.worksheet.worksheet import Worksheet

EMU_PER_PT = 12700
MODULE_PX = 10  # pixels per module of the picture: sharp when the page is printed at 300 dpi
# One mask for every code: choosing the best of the eight (segno scores each in Python) was most of
# a code's cost, a quarter of printing a class. Any mask reads: it only evens out dark and light.
QR_MASK = 7


def qr_png(text: str) -> bytes:
    """The QR code of ``text`` as PNG, error correction M (a smudged corner still reads)."""
    out = io.BytesIO()
    # A one-module border: the cell around the picture is white and gives the rest of the quiet zone.
    segno.make_qr(text, error="m", mask=QR_MASK).save(out, kind="png", scale=MODULE_PX, border=1)
    return out.getvalue()


def place_qr(ws: Worksheet, text: str, *, row: int, col: int, size_pt: float, x_pt: float = 0.0,
             y_pt: float = 0.0) -> None:
    """The QR code of ``text``, ``size_pt`` square, ``x_pt``/``y_pt`` right of and below the top-left
    corner of the cell at (``row``, ``col``) (1-based)."""
    image = Image(io.BytesIO(qr_png(text)))
    size = int(size_pt * EMU_PER_PT)
    start = AnchorMarker(col=col - 1, colOff=int(max(x_pt, 0.0) * EMU_PER_PT), row=row - 1,
                         rowOff=int(max(y_pt, 0.0) * EMU_PER_PT))
    image.anchor = OneCellAnchor(_from=start, ext=XDRPositiveSize2D(size, size))
    ws.add_image(image)
