"""Outputs are written to a temporary file in the same folder and renamed into place, so an
interrupted run leaves the old output or none, never half a file. Inputs are never written.

The temporary file is ``.<name>.<random>.tmp<suffix>`` beside the output (hidden on Linux/macOS);
it is removed on every error the program sees. Only a killed process (power cut, kill -9) can
leave one behind, and never in place of the output.

The temporary file is private while it is written (mkstemp's 0600); the output then gets the mode
of the file it replaces, or, when it is new, what any new file gets (0666 less the umask).
"""

from __future__ import annotations

import contextlib
import os
import stat
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
        if _same_file(target, Path(p)):
            raise WriteError(f"输出文件不能与输入文件“{Path(p).name}”相同，请换一个文件名（原文件不会被修改）。")
    if target.is_dir():
        raise WriteError(f"输出位置“{target.name}”是一个文件夹，请写上文件名（如 结果.xlsx）。")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
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
            os.chmod(tmp_path, _output_mode(target))
            with tmp_path.open("rb+") as fh:  # on disk before the rename, so a power cut cannot leave an empty output
                os.fsync(fh.fileno())
            os.replace(tmp_path, target)
        except PermissionError:
            raise WriteError(f"无法写入“{target.name}”：文件可能正在 Excel 中打开，请关闭后重试。") from None
        except OSError as e:
            raise WriteError(f"无法写入“{target.name}”（{e.strerror or type(e).__name__}），请换一个位置。") from None
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def _output_mode(target: Path) -> int:
    """The permissions the output should end with: those of the file it replaces, else a new file's."""
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    """The process's umask, read without changing it where the system allows (Linux), as setting it
    to read it back is not safe while other threads create files."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _same_file(a: Path, b: Path) -> bool:
    """The same file on disk: same path after links, or the same inode (a hard link, another spelling)."""
    try:
        if a.resolve() == b.resolve():
            return True
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False
