"""Files that are text, whatever their name says: what web systems call "Excel" (an HTML table or
SpreadsheetML 2003 XML saved as .xls), Excel's "Unicode 文本" (UTF-16, tab-separated), and CSV or
tab-separated text in UTF-8 or GBK with any line ends (old Mac exports end lines with CR only).

Each becomes the cells of its sheets as the csv module would give them: text, except the typed
values of SpreadsheetML (numbers, dates), which the rules read as they read Excel's.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

from xueji_addin.workbook.errors import ReadError
from xueji_addin.workbook.extent import check_extent

_MAX_COLUMNS = 16384  # Excel's last column, XFD: an ss:Index beyond it is no spreadsheet's

_SS = "urn:schemas-microsoft-com:office:spreadsheet"
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.I)
_SAVE_AS = "请用 Excel（或 WPS）打开它，再“另存为”Excel 工作簿（.xlsx）后检查"


def text_sheets(p: Path, name: str) -> list[tuple[str, list[list[object]], bool]]:
    """(sheet name, rows, named) of each table in the text file ``p`` (``name``: a single table's name),
    held to the same size limits as a workbook's sheets. ``named``: the file itself names its sheets
    (Excel 2003 XML); a CSV or a web page has none to rename."""
    tables, named = _tables(p, name)
    for sheet, rows in tables:
        check_extent(p.name, sheet, len(rows), max(map(len, rows), default=0))
    return [(sheet, rows, named) for sheet, rows in tables]


def _tables(p: Path, name: str) -> tuple[list[tuple[str, list[list[object]]]], bool]:
    data = p.read_bytes()
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or _utf16_without_bom(data):
        return [(name, _delimited(_decode_utf16(data, p), p))], False
    if b"\x00" in data[:8192]:  # binary (a picture, a PDF …): text files never hold NUL bytes
        raise ReadError(f"“{p.name}”不是表格文件（既不是 Excel 也不是 CSV）。")
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<?xml") and _SS.encode() in data[:65536]:
        return _spreadsheet_ml(data, p), True
    if head.startswith(b"mime-version") or b"multipart/related" in head[:1024]:
        raise ReadError(f"“{p.name}”实际上是“单个文件网页”（.mht），不是 Excel 文件：{_SAVE_AS}。")
    if head.startswith((b"<!doctype html", b"<html", b"<table", b"<meta", b"<head", b"<body", b"<style", b"<!--")):
        return _html(data, p, name), False
    return [(name, _delimited(_decode(data, p), p))], False


def _utf16_without_bom(data: bytes) -> bool:
    """UTF-16LE text without its mark: NUL bytes (the high byte of every ASCII character), and the
    start reads as printable text with tabs or commas (a picture or a PDF does not)."""
    sample = data[:4096 - len(data[:4096]) % 2]
    if b"\x00" not in sample:
        return False
    for cut in (sample, sample[:-2]):  # the sample may end inside a surrogate pair
        try:
            text = cut.decode("utf-16-le")
        except UnicodeDecodeError:
            continue
        return ("\t" in text or "," in text) and all(ch.isprintable() or ch in "\t\r\n" for ch in text)
    return False


def _decode_utf16(data: bytes, p: Path) -> str:
    try:
        return data.decode("utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-16-le")
    except UnicodeDecodeError:
        raise ReadError(f"“{p.name}”像是 Unicode 文本文件，但内容不完整，无法读取：{_SAVE_AS}。") from None


def _decode(data: bytes, p: Path, first: str | None = None) -> str:
    for encoding in (first, "utf-8-sig", "gb18030"):
        if not encoding:
            continue
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    raise ReadError(f"“{p.name}”不是 UTF-8 或 GBK 编码的文本文件，无法读取。")  # pragma: no cover - gb18030 decodes almost anything


def _delimited(text: str, p: Path) -> list[list[object]]:
    if "\x00" in text:
        raise ReadError(f"“{p.name}”不是表格文件（既不是 Excel 也不是 CSV）。")
    # Old systems often export tab-separated text under a .csv, .txt or .xls name.
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    try:  # newline="": the csv module ends a row at CR, LF or CRLF alike
        return [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error:
        raise ReadError(f"“{p.name}”不是格式正确的 CSV 文件。") from None


def _html(data: bytes, p: Path, name: str) -> list[tuple[str, list[list[object]]]]:
    """An HTML page saved as .xls (PHP and JSP exports send a <table> as application/vnd.ms-excel)."""
    import lxml.html

    found = _CHARSET.search(data[:4096])
    text = _decode(data, p, found.group(1).decode("ascii") if found else None)
    try:
        root = lxml.html.document_fromstring(text)
    except Exception:  # lxml's ParserError for a page without any element
        root = None
    tables = [] if root is None else [t for t in root.iter("table") if not any(a.tag == "table" for a in t.iterancestors())]
    if not tables:
        raise ReadError(f"“{p.name}”实际上是网页（HTML）文件，其中没有表格：{_SAVE_AS}。")
    out = []
    for n, table in enumerate(tables, start=1):
        rows = []
        for tr in table.iter("tr"):
            row: list[object] = []
            for td in tr:
                if td.tag not in ("td", "th"):
                    continue
                row.append(" ".join(td.text_content().split()))  # as Excel opens a page: white space collapsed
                row.extend([None] * (_span(td.get("colspan")) - 1))
            rows.append(row)
        out.append((name if len(tables) == 1 else f"表{n}", rows))
    return out


def _span(value: str | None) -> int:
    return int(value) if value and value.strip().isdigit() and 0 < int(value) <= 256 else 1


def _spreadsheet_ml(data: bytes, p: Path) -> list[tuple[str, list[list[object]]]]:
    """SpreadsheetML 2003 (Excel's "XML 表格"): parsed with defusedxml (no DTD, no entities)."""
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    try:
        root = ElementTree.fromstring(data)
    except (ElementTree.ParseError, DefusedXmlException):
        raise ReadError(f"“{p.name}”是 Excel 2003 XML 表格，但内容不完整或含有不安全的声明，无法读取：{_SAVE_AS}。") from None
    ss = f"{{{_SS}}}"
    out = []
    for ws in root.iter(f"{ss}Worksheet"):
        name = ws.get(f"{ss}Name") or p.stem
        rows: list[list[object]] = []
        for table in ws.iter(f"{ss}Table"):
            for row in table.iter(f"{ss}Row"):
                at = _index(row.get(f"{ss}Index"), len(rows))
                check_extent(p.name, name, at + 1, 1)  # before the skipped rows are made
                rows.extend([] for _ in range(at - len(rows)))
                rows.append(_cells(row, ss, p.name, name))
        out.append((name, rows))
    return out


def _index(value: str | None, default: int) -> int:
    """A 1-based ss:Index as a 0-based position (rows and cells may skip ahead, never back)."""
    return max(int(value) - 1, default) if value and value.isdigit() else default


def _cells(row, ss: str, file: str, sheet: str) -> list[object]:
    cells: list[object] = []
    for cell in row.iter(f"{ss}Cell"):
        at = _index(cell.get(f"{ss}Index"), len(cells))
        if at >= _MAX_COLUMNS:
            check_extent(file, sheet, 1, at + 1)
            raise ReadError(f"“{file}”的工作表“{sheet}”有内容远到第 {at + 1:,} 列，不是有效的表格，已拒绝读取。")
        cells.extend([None] * (at - len(cells)))
        data = cell.find(f"{ss}Data")
        cells.append(None if data is None else _typed(data.get(f"{ss}Type") or "String", "".join(data.itertext())))
        cells.extend([None] * _span_across(cell.get(f"{ss}MergeAcross")))
    return cells


def _span_across(value: str | None) -> int:
    return int(value) if value and value.isdigit() and int(value) <= 256 else 0


def _typed(kind: str, text: str) -> object:
    if kind == "Number":
        try:
            return float(text)
        except ValueError:
            return text
    if kind == "DateTime":
        try:
            return dt.datetime.fromisoformat(text[:19])
        except ValueError:
            return text
    if kind == "Boolean":
        return text.strip() in ("1", "true")
    return text
