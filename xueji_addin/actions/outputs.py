"""Where a ribbon button's files go: beside the open workbook, never over a file already there.

The command line names its outputs (``--out``); a button cannot ask, so it writes next to the
workbook under a name that says what the file is, and adds (2), (3)… rather than replace anything.
"""

from __future__ import annotations

from pathlib import Path

from xueji_addin.workbook.host import Host
from xueji_addin.workbook.reader import ReadError


def workbook_folder(host: Host, button: str) -> Path:
    """The folder of the open workbook; a sentence when it was never saved."""
    folder = host.folder
    if folder is None or not folder.is_dir():
        raise ReadError(f"请先把工作簿保存到电脑上的文件夹里，再点“{button}”：生成的文件会放在工作簿旁边。")
    return folder


def free_path(path: Path) -> Path:
    """``path``, or ``name(2).ext``, ``name(3).ext``… : the first that does not exist yet."""
    if not path.exists():
        return path
    n = 2
    while (candidate := path.with_name(f"{path.stem}({n}){path.suffix}")).exists():
        n += 1
    return candidate
