"""Outputs are written to a temporary file in the same folder and renamed into place, so an
interrupted run leaves the old output or none, never half a file. Inputs are never written."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


class WriteError(Exception):
    """An output that cannot be written; ``str(e)`` is a sentence for the user."""


@contextlib.contextmanager
def atomic_path(target: str | Path, *, protect: tuple[str | Path, ...] = ()) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target``.

    ``protect`` lists input files the output must never overwrite.
    """
    target = Path(target)
    for p in protect:
        try:
            if target.resolve() == Path(p).resolve():
                raise WriteError(f"输出文件不能与输入文件“{Path(p).name}”相同，请换一个文件名（原文件不会被修改）。")
        except OSError:
            pass
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.exists():
        raise WriteError(f"输出文件夹“{folder}”不存在，请先建好或换一个位置。")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=f".tmp{target.suffix}", dir=folder)
    except PermissionError:
        raise WriteError(f"没有权限在“{folder}”中写文件，请换一个位置。") from None
    except OSError as e:
        raise WriteError(f"无法在“{folder}”中写文件（{e.strerror}）。") from None
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        try:
            os.replace(tmp_path, target)
        except PermissionError:
            raise WriteError(f"无法写入“{target.name}”：文件可能正在 Excel 中打开，请关闭后重试。") from None
    finally:
        if tmp_path.exists():
            tmp_path.unlink()
