"""The sheets of a file, as python-calamine (or the csv module) gives their cells: the layer under
the reader, which knows nothing of rosters.

Zip files are inspected first (``package.py``: bombs, DTDs, cell count). Of many files, the next
can be read ahead on a thread (``ahead_of``): python-calamine parses a worksheet's XML in Rust with
the GIL released (about three quarters of a raw read), so it runs beside the Python that checks or
merges the file before. Only the parse runs ahead; the Python values are made on the reading
thread, when ``read_sheets`` asks for them.
"""

from __future__ import annotations

import stat
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from python_calamine import CalamineSheet, CalamineWorkbook, SheetMetadata

from xueji_addin.gc_pause import gc_paused
from xueji_addin.rules.normalize import ErrorCell
from xueji_addin.workbook import limits
from xueji_addin.workbook.atomic import note_input
from xueji_addin.workbook.errors import ReadError
from xueji_addin.workbook.extent import check_extent
from xueji_addin.workbook.old_xls import is_biff5, read_biff5
from xueji_addin.workbook.package import SheetFacts, inspect_package
from xueji_addin.workbook.text_sheets import text_sheets

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".txt"}


@dataclass
class Sheet:
    name: str
    rows: list[list[object]]  # from A1: rows[0] is sheet row 1
    visible: bool = True
    facts: SheetFacts = field(default_factory=SheetFacts)  # formulas, errors, hidden rows/columns (.xlsx)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row, col, last row, last col), 0-based
    named: bool = True  # the file names the sheet (a CSV's "sheet" is named after the file: nothing to rename)


def sniff(path: Path) -> str:
    """"xlsx" | "xls" | "csv" from the file's first bytes, whatever its name says ("csv": any text,
    which ``text_sheets`` tells apart: HTML, SpreadsheetML, UTF-16 or delimited text)."""
    note_input(path)  # no output of this run may replace it
    _regular(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
            size = fh.seek(0, 2)
    except FileNotFoundError:
        raise ReadError(f"找不到文件“{path.name}”，请检查文件名和路径。") from None
    except IsADirectoryError:
        raise ReadError(f"“{path.name}”是文件夹，不是表格文件。") from None
    except PermissionError:
        raise ReadError(f"没有权限读取“{path.name}”，请检查文件权限或先关闭占用它的程序。") from None
    except OSError as e:
        raise ReadError(f"无法读取“{path.name}”（{e.strerror or type(e).__name__}），请检查文件是否被其他程序占用。") from None
    if not head:
        raise ReadError(f"“{path.name}”是空文件（0 字节）。")
    if size > limits.MAX_FILE_BYTES:
        raise ReadError(f"“{path.name}”有 {size // 1024**2} MB，超过了 {limits.MAX_FILE_BYTES // 1024**2} MB 的上限，"
                        "请按学校或班级拆分后再检查。")
    if head.startswith(ZIP_MAGIC):
        return "xlsx"
    if head.startswith(OLE_MAGIC):
        return "xls"
    return "csv"


def _regular(path: Path) -> None:
    """Only a regular file is read: a FIFO would wait forever, /dev/zero (or a link to it) never end."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return  # the open below says why (not found, no permission …)
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        raise ReadError(f"“{path.name}”不是普通文件（是设备、管道或指向它们的链接），无法作为表格读取。")


def read_sheets(path: str | Path) -> list[Sheet]:
    """Every sheet of the file, cells from A1, values as the reader gives them (parsed ahead when
    ``read_ahead`` was asked for this file and it has not changed since)."""
    p = Path(path)
    with gc_paused():  # a list per row, all kept: nothing for the collector to find
        parsed = _take_ahead(p)
        return _values(p, parsed if parsed is not None else _parse(p))


@dataclass
class _Parsed:
    """A file parsed but not yet made into Python values: the workbook and its worksheets. Empty for
    a csv file, which is read whole on the reading thread (the csv module holds the GIL)."""

    workbook: CalamineWorkbook | None = None
    biff5: bool = False  # an Excel 5.0/95 file: read by xlrd on the reading thread (old_xls)
    worksheets: list[tuple[SheetMetadata, CalamineSheet]] = field(default_factory=list)
    facts: dict[str, SheetFacts] = field(default_factory=dict)


def _parse(p: Path) -> _Parsed:
    """Everything of the read that python-calamine does in Rust: the zip inspected, the workbook
    opened and each worksheet's XML parsed (a text file is read whole on the reading thread)."""
    kind = sniff(p)
    if kind == "csv":
        return _Parsed()
    if kind == "xls" and is_biff5(p):
        return _Parsed(biff5=True)
    facts = inspect_package(p) if kind == "xlsx" else {}
    try:
        wb = _open_workbook(p, kind)
    except BaseException as e:  # calamine raises several types (and Rust panics) for corrupt, encrypted or foreign files
        _reraise_interrupts(e)
        raise ReadError(_open_error(p, kind, e)) from None
    parsed = _Parsed(wb, facts=facts)
    try:
        for meta in wb.sheets_metadata:
            if str(meta.typ) not in ("SheetTypeEnum.WorkSheet",):
                continue
            try:
                ws = wb.get_sheet_by_name(meta.name)
            except BaseException as e:
                _reraise_interrupts(e)
                raise ReadError(_sheet_error(p, meta.name, e)) from None
            # the grid from A1 that to_python would build (.xlsx was measured before calamine's own)
            top, left = ws.start or (0, 0)  # (None for an empty sheet)
            check_extent(p.name, meta.name, top + ws.height, left + ws.width)
            parsed.worksheets.append((meta, ws))
    except BaseException:
        wb.close()
        raise
    return parsed


def _values(p: Path, parsed: _Parsed) -> list[Sheet]:
    if parsed.biff5:
        return [Sheet(name, rows, visible) for name, rows, visible in read_biff5(p)]
    if parsed.workbook is None:
        return [Sheet(name, rows, named=named) for name, rows, named in text_sheets(p, p.stem)]
    sheets = []
    try:
        for meta, ws in parsed.worksheets:
            try:
                rows = ws.to_python(skip_empty_area=False)
                merged = [(a[0], a[1], b[0], b[1]) for a, b in (ws.merged_cell_ranges or [])]
            except BaseException as e:
                _reraise_interrupts(e)
                raise ReadError(_sheet_error(p, meta.name, e)) from None
            sheet_facts = parsed.facts.get(meta.name, SheetFacts())
            _put_errors(rows, sheet_facts)
            sheets.append(Sheet(meta.name, rows, str(meta.visible) == "SheetVisibleEnum.Visible", sheet_facts, merged))
    finally:
        parsed.workbook.close()
    return sheets


# --- reading ahead ----------------------------------------------------------------------------


class _Ahead:
    """One file being parsed on a thread of its own: a daemon, which ``settle`` waits for before the
    command exits."""

    def __init__(self, p: Path, identity: tuple[int, int]) -> None:
        self.path, self.identity = p, identity
        self.parsed: _Parsed | None = None
        self.error: BaseException | None = None
        self._done = threading.Event()
        threading.Thread(target=self._run, name=f"read-ahead {p.name}", daemon=True).start()

    def _run(self) -> None:
        try:
            self.parsed = _parse(self.path)
        except BaseException as e:  # given to the reading thread, which raises it as its own read would
            self.error = e
        finally:
            self._done.set()

    def result(self) -> _Parsed:
        self._done.wait()
        if self.error is not None:
            raise self.error
        assert self.parsed is not None
        return self.parsed

    def discard(self) -> None:
        """Let go of a parse nobody will use (the file changed, or another run replaced it)."""
        self._done.wait()
        if self.parsed is not None and self.parsed.workbook is not None:
            self.parsed.workbook.close()


# Files being read ahead, by resolved path; only the thread that reads touches this.
_AHEAD: dict[Path, _Ahead] = {}
_MAX_AHEAD = 2  # the file being checked and the next: each holds a parsed workbook in memory


def _identity(p: Path) -> tuple[int, int] | None:
    """(size, modification time) of the file, or None when it is no regular file that can be read
    (the plain read will say why)."""
    try:
        st = p.stat()
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns) if stat.S_ISREG(st.st_mode) else None


def read_ahead(path: str | Path) -> None:
    """Start parsing ``path`` on a thread, for a ``read_sheets`` of it soon after. Harmless when the
    file is never read: the parse is let go, and an unreadable file is left to the plain read."""
    p = Path(path)
    identity = _identity(p)
    if identity is None:
        return
    key = p.resolve()
    if key in _AHEAD:
        return
    while len(_AHEAD) >= _MAX_AHEAD:
        _AHEAD.pop(next(iter(_AHEAD))).discard()
    _AHEAD[key] = _Ahead(p, identity)


def ahead_of(paths: Sequence[Path]) -> Iterator[Path]:
    """Each of ``paths`` in turn, the next one parsed ahead while the caller reads and checks this
    one (its parse is Rust's, the check Python's: they run side by side on two cores). A parse the
    caller did not take (it stopped early, on an error) is let go when the loop ends."""
    try:
        for i, p in enumerate(paths):
            if i + 1 < len(paths):
                read_ahead(paths[i + 1])
            yield p
    finally:
        for p in paths[1:]:
            _drop_ahead(p)


def _drop_ahead(p: Path) -> None:
    ahead = _AHEAD.pop(p.resolve(), None) if _AHEAD else None
    if ahead is not None:
        ahead.discard()


def settle() -> None:
    """Wait for the parses still running ahead and let them go (before the process exits, so that
    no thread is inside python-calamine while the interpreter shuts down)."""
    while _AHEAD:
        _AHEAD.popitem()[1].discard()


def _take_ahead(p: Path) -> _Parsed | None:
    """The parse read ahead for ``p`` when there is one and the file is as it was; else None."""
    if not _AHEAD:
        return None
    ahead = _AHEAD.pop(p.resolve(), None)
    if ahead is None:
        return None
    if _identity(p) != ahead.identity:  # changed (or gone) since: read it anew
        ahead.discard()
        return None
    return ahead.result()


def _open_workbook(p: Path, kind: str) -> CalamineWorkbook:
    """python-calamine picks its parser by the file name; a renamed file (.xls saved as .xlsx or the
    reverse) is opened from its bytes instead, which calamine recognises by content."""
    native = {"xlsx": (".xlsx", ".xlsm", ".xlsb", ".ods"), "xls": (".xls",)}[kind]
    if p.suffix.lower() in native and _utf8(str(p)):  # (a name that is not UTF-8 is opened from its bytes)
        return CalamineWorkbook.from_path(str(p))
    with p.open("rb") as fh:
        return CalamineWorkbook.from_filelike(fh)


def _utf8(text: str) -> bool:
    """A path python-calamine can take: names unzipped from a Chinese-Windows zip are GBK bytes,
    which Python keeps as lone surrogates."""
    try:
        text.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def _reraise_interrupts(e: BaseException) -> None:
    """Rust panics (pyo3's PanicException) derive from BaseException; only real interrupts go on up."""
    if isinstance(e, (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError)):
        raise e


def _put_errors(rows: list[list[object]], facts: SheetFacts) -> None:
    """python-calamine reads an error cell as ""; put the error text back so the rules see it."""
    for (r, c), text in facts.errors.items():
        if r < len(rows) and c < len(rows[r]) and rows[r][c] in ("", None):
            rows[r][c] = ErrorCell(text)


def _sheet_error(p: Path, sheet: str, e: BaseException) -> str:
    if "limit exceeded" in str(e).lower():
        return _too_far(p, f"的工作表“{sheet}”")
    return f"“{p.name}”的工作表“{sheet}”无法读取（{type(e).__name__}），文件可能已损坏。"


def _too_far(p: Path, where: str = "") -> str:
    """calamine's own cap on a grid (an .ods is parsed whole when it is opened)."""
    return (f"“{p.name}”{where}有内容在右侧或下方很远的单元格，整张表超过了 {limits.MAX_GRID:,} 个单元格的上限，"
            "已拒绝读取；请删除多余的行列后另存再试。")


def _open_error(p: Path, kind: str, e: BaseException) -> str:
    name = type(e).__name__
    if "limit exceeded" in str(e).lower():
        return _too_far(p)
    if name == "PasswordError" or "password" in str(e).lower() or "encrypt" in str(e).lower() or _encrypted_ole(p, kind):
        return f"“{p.name}”设置了打开密码，请在 Excel 中取消密码后另存一份再试。"
    if kind == "xls" and p.suffix.lower() == ".xlsx":
        return f"“{p.name}”实际上是旧版 .xls 文件却被改名为 .xlsx，且无法读取，请用 Excel 打开后另存为 .xlsx。"
    return f"“{p.name}”不是有效的 Excel 文件或已损坏（{name}），请用 Excel 打开后另存一份再试。"


_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")


def _encrypted_ole(p: Path, kind: str) -> bool:
    """An Office file with an open password is an OLE container holding an "EncryptionInfo" stream."""
    if kind != "xls":
        return False
    tail = b""
    with p.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            if _ENCRYPTION_STREAM in tail + chunk:
                return True
            tail = chunk[-len(_ENCRYPTION_STREAM):]
    return False
