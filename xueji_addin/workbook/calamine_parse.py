"""What python-calamine does of a read, in Rust: the zip inspected, the workbook opened and each
worksheet's XML parsed, with the extent guard before any grid is built; and the one sentence for
each way that fails (corrupt, encrypted, renamed, too far)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from python_calamine import CalamineSheet, CalamineWorkbook, SheetMetadata

from xueji_addin.workbook import limits
from xueji_addin.workbook.errors import ReadError
from xueji_addin.workbook.extent import check_extent
from xueji_addin.workbook.file_kind import sniff
from xueji_addin.workbook.old_xls import is_biff5
from xueji_addin.workbook.package import SheetFacts, inspect_package


@dataclass
class Parsed:
    """A file parsed but not yet made into Python values: the workbook and its worksheets. Empty for
    a csv file, which is read whole on the reading thread (the csv module holds the GIL)."""

    workbook: CalamineWorkbook | None = None
    biff5: bool = False  # an Excel 5.0/95 file: read by xlrd on the reading thread (old_xls)
    worksheets: list[tuple[SheetMetadata, CalamineSheet]] = field(default_factory=list)
    facts: dict[str, SheetFacts] = field(default_factory=dict)


def parse(p: Path) -> Parsed:
    """Everything of the read that python-calamine does in Rust: the zip inspected, the workbook
    opened and each worksheet's XML parsed (a text file is read whole on the reading thread)."""
    kind = sniff(p)
    if kind == "csv":
        return Parsed()
    if kind == "xls" and is_biff5(p):
        return Parsed(biff5=True)
    facts = inspect_package(p) if kind == "xlsx" else {}
    try:
        wb = _open_workbook(p, kind)
    except BaseException as e:  # calamine raises several types (and Rust panics) for corrupt, encrypted or foreign files
        reraise_interrupts(e)
        raise ReadError(_open_error(p, kind, e)) from None
    parsed = Parsed(wb, facts=facts)
    try:
        for meta in wb.sheets_metadata:
            if str(meta.typ) not in ("SheetTypeEnum.WorkSheet",):
                continue
            try:
                ws = wb.get_sheet_by_name(meta.name)
            except BaseException as e:
                reraise_interrupts(e)
                raise ReadError(sheet_error(p, meta.name, e)) from None
            # the grid from A1 that to_python would build (.xlsx was measured before calamine's own)
            top, left = ws.start or (0, 0)  # (None for an empty sheet)
            check_extent(p.name, meta.name, top + ws.height, left + ws.width)
            parsed.worksheets.append((meta, ws))
    except BaseException:
        wb.close()
        raise
    return parsed



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


def reraise_interrupts(e: BaseException) -> None:
    """Rust panics (pyo3's PanicException) derive from BaseException; only real interrupts go on up."""
    if isinstance(e, (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError)):
        raise e



def sheet_error(p: Path, sheet: str, e: BaseException) -> str:
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
