"""边填边查: the add-in's application-level SheetChange handler (VBA ``XuejiApp_SheetChange``)
calls ``sheet_change`` with the sheet's index and the changed address; only the touched rows of a sheet
recognised as a roster are checked and repainted (with the rows whose ID numbers they duplicate,
or duplicated until this edit). The header match is remembered per sheet between edits.
"""

from __future__ import annotations

from xueji_addin.actions.check_sheet import HEADER_WIDTH, SheetCheck, check_rows
from xueji_addin.actions.settings_sheet import read_settings
from xueji_addin.excel.ranges import rows_of_address
from xueji_addin.spec.columns import column_letter
from xueji_addin.spec.headers import HEADER_SCAN, HeaderMatch, find_header  # noqa: F401 (HeaderMatch: the cache's type)
from xueji_addin.spec.settings import Settings
from xueji_addin.workbook.host import Host
from xueji_addin.workbook.names import is_ours

MAX_ROWS = 500  # a paste of more rows than this is left to 校验本表 (the edit must stay instant)

HeaderCache = dict[tuple[str, str], "HeaderMatch | None"]
_headers: HeaderCache = {}


def on_change(host: Host, sheet: str, address: str, *, base: Settings | None = None,
              cache: HeaderCache | None = None, book: str = "") -> SheetCheck | None:
    """Check the rows ``address`` touched; None when the sheet is not a roster or the edit is not
    one to check here (our own sheets, the header, a paste of many rows)."""
    if is_ours(sheet):
        return None
    last = host.max_row(sheet)
    rows = rows_of_address(address, last)
    if not rows or len(rows) > MAX_ROWS:
        return None
    cache = _headers if cache is None else cache
    key = (book, sheet)
    known = cache.get(key)
    # Look (again) when the sheet is new to us, or the edit may have changed its header.
    if key not in cache or rows[0] <= (known.header_row if known is not None else HEADER_SCAN):
        cache[key] = find_header(host.read_range(sheet, f"A1:{column_letter(HEADER_WIDTH)}{HEADER_SCAN}"))
    match = cache[key]
    if match is None:
        return None
    return check_rows(host, sheet, rows, read_settings(host, base), match, last)


def sheet_change(sheet_index: int, address: str) -> None:
    """Entry point for the VBA hook (the sheet by its 1-based index: no quoting of names through
    the command). Never raises into Excel and never opens a box on an edit: what went wrong goes
    to the status bar."""
    from xueji_addin.excel.host import ExcelHost
    from xueji_addin.excel.ribbon import base_settings

    host = ExcelHost.caller()
    app = host.book.app
    try:
        sheet = str(host.book.sheets[int(sheet_index) - 1].name)
        with host.quiet():
            result = on_change(host, sheet, address, base=base_settings(host.folder), book=str(host.book.fullname))
        if result is not None and result.findings:
            app.status_bar = f"学籍助手：{result.summary()}"
        else:
            app.status_bar = False  # give the status bar back to Excel
    except Exception as e:  # noqa: BLE001 - an edit must never end in a traceback
        message = str(e) if type(e).__name__ in ("ReadError", "SettingsError") else f"检查出错（{type(e).__name__}），请点“校验本表”。"
        app.status_bar = f"学籍助手：{message}"
