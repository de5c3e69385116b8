"""What kind of file a path holds, from its first bytes (whatever its name says), and the refusals
that come before any parser sees it: no such file, a folder, a device or pipe, empty, too big."""

from __future__ import annotations

import stat
from pathlib import Path

from xueji_addin.workbook import limits
from xueji_addin.workbook.atomic import note_input
from xueji_addin.workbook.errors import ReadError

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


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
