"""BIFF5 .xls (Excel 5.0/95, still written by old 学籍 and 教务 programs): python-calamine reads its
text as if it were BIFF8's and garbles every Chinese character, so these files go to xlrd, which
decodes them in the code page the file declares (936 = GBK)."""

from __future__ import annotations

from pathlib import Path

from xueji_addin.workbook.errors import ReadError
from xueji_addin.workbook.extent import check_extent

# The workbook stream of an OLE2 file: "Book" in BIFF5, "Workbook" in BIFF8, as UTF-16 directory names.
_BOOK = "Book".encode("utf-16-le") + b"\0\0"
_WORKBOOK = "Workbook".encode("utf-16-le")


def is_biff5(p: Path) -> bool:
    """Whether the OLE2 file holds a BIFF5 "Book" stream and no BIFF8 "Workbook" one."""
    book = False
    tail = b""
    with p.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            seen = tail + chunk
            if _WORKBOOK in seen:
                return False
            book = book or _BOOK in seen
            tail = chunk[-len(_WORKBOOK):]
    return book


def read_biff5(p: Path) -> list[tuple[str, list[list[object]], bool]]:
    """(name, rows from A1, visible) of each worksheet; values as python-calamine gives them."""
    import xlrd

    try:
        book = xlrd.open_workbook(str(p), formatting_info=False)
    except Exception as e:  # xlrd raises XLRDError, struct.error, CompDocError … for a damaged file
        raise ReadError(f"“{p.name}”是旧版 Excel 5.0/95 文件，但已损坏，无法读取（{type(e).__name__}）："
                        "请用 Excel 或 WPS 打开后另存为 .xlsx。") from None
    out = []
    for sheet in book.sheets():
        check_extent(p.name, sheet.name, sheet.nrows, sheet.ncols)
        rows = [[_value(book, cell) for cell in sheet.row(r)] for r in range(sheet.nrows)]
        out.append((sheet.name, rows, sheet.visibility == 0))
    return out


def _value(book, cell) -> object:
    import xlrd

    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate_as_datetime(cell.value, book.datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell.value
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#VALUE!")
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    return cell.value
