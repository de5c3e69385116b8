"""Where outputs go: never over a file that holds students, never over an input.

The command line names its outputs (``--out``); the writer (``atomic.py``) refuses any that would
replace an input or another output of the same run. A button cannot ask, so it writes next to the
workbook under a name that says what the file is, and adds (2), (3)… rather than replace anything.
"""

from __future__ import annotations

from pathlib import Path

from xueji_addin.workbook.host import Host
from xueji_addin.workbook.atomic import WriteError, only_looking
from xueji_addin.workbook.reader import ReadError, read_book


def workbook_folder(host: Host, button: str) -> Path:
    """The folder of the open workbook; a sentence when it was never saved."""
    folder = host.folder
    if folder is None or not folder.is_dir():
        raise ReadError(f"请先把工作簿保存到电脑上的文件夹里，再点“{button}”：生成的文件会放在工作簿旁边。")
    return folder


def refuse_filled(path: Path, what: str) -> None:
    """A new file (``what``: 模板 …) may replace an old one of its kind, never a roster with students."""
    if not path.exists() or path.is_dir():
        return
    try:
        with only_looking():
            rosters = read_book(path).rosters
    except ReadError:
        rosters = []
    if any(len(r) for r in rosters):
        raise WriteError(f"“{path.name}”中已有学生数据，{what}不会覆盖它，请换一个文件名。")


def free_path(path: Path) -> Path:
    """``path``, or ``name(2).ext``, ``name(3).ext``… : the first that does not exist yet."""
    if not path.exists():
        return path
    n = 2
    while (candidate := path.with_name(f"{path.stem}({n}){path.suffix}")).exists():
        n += 1
    return candidate
