"""Outputs are written to a temporary file in the same folder and renamed into place, so an
interrupted run leaves the old output or none, never half a file. Inputs are never written.

The temporary file is ``.<name>.<random>.tmp<suffix>`` beside the output (hidden on Linux/macOS);
it is removed on every error the program sees. Only a killed process (power cut, kill -9) can
leave one behind, and never in place of the output.

The temporary file is private while it is written (mkstemp's 0600); the output then gets the mode
of the file it replaces, or, when it is new, what any new file gets (0666 less the umask).

Within one run of a command (``one_run``) every file read (``note_input``) and every output already
written is remembered: no output may replace either, whichever option named it (--out, --json,
--marked, --pdf, --settings …). This is the one output-path guard of every command.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import os
import signal
import sys
import stat
import tempfile
import threading
from collections.abc import Callable, Iterator
from typing import Any
from pathlib import Path


class WriteError(Exception):
    """An output that cannot be written; ``str(e)`` is a sentence for the user."""


class _Set:
    """The files the atomic writer has put in place inside the innermost ``whole_set`` (None outside one)."""

    written: list[Path] | None = None


class _Run:
    """The files a command has read and written so far (None outside ``one_run``: a library caller
    or the add-in, whose outputs never go over a file anyway)."""

    inputs: dict[tuple[int, int] | Path, Path] | None = None
    outputs: dict[tuple[int, int] | Path, Path] | None = None


@contextlib.contextmanager
def one_run() -> Iterator[None]:
    """Remember the inputs and outputs of one command, for the guard in ``atomic_path``."""
    _Run.inputs, _Run.outputs = {}, {}
    try:
        yield
    finally:
        _Run.inputs = _Run.outputs = None


def _keys(p: Path) -> list[tuple[int, int] | Path]:
    """The ways a file is known: its resolved path, and its inode (a hard link, another spelling)."""
    keys: list[tuple[int, int] | Path] = []
    try:
        keys.append(p.resolve())
        st = os.stat(p)
        keys.append((st.st_dev, st.st_ino))
    except (OSError, RuntimeError, ValueError):
        pass
    return keys


@contextlib.contextmanager
def only_looking() -> Iterator[None]:
    """Reads that only look at an output's old content (is it a roster?) and do not make it an input."""
    inputs, _Run.inputs = _Run.inputs, None
    try:
        yield
    finally:
        _Run.inputs = inputs


def note_input(path: str | Path) -> None:
    """``path`` is read by this run: no output of the run may replace it."""
    if _Run.inputs is not None:
        for k in _keys(Path(path)):
            _Run.inputs[k] = Path(path)


def guard(target: Path) -> None:
    """Refuse ``target`` when it is an input or an earlier output of this run (before any work for it)."""
    for k in _keys(target):
        if _Run.inputs and k in _Run.inputs:
            raise WriteError(f"输出文件不能与输入文件“{_Run.inputs[k].name}”相同，请换一个文件名（原文件不会被修改）。")
        if _Run.outputs and k in _Run.outputs:
            raise WriteError(f"“{target.name}”已是本次的另一个输出文件，两个输出不能用同一个文件名，请换一个。")


MAX_NAME_BYTES = 200  # file systems allow 255 bytes a name; the temporary file's adds a dot, ~10 and .tmp

# What each writer writes: the suffixes its output may have, and its name for the user.
XLSX = ((".xlsx", ".xlsm"), "Excel 工作簿")
JSON = ((".json",), "JSON 报告")
PDF = ((".pdf",), "PDF 文件")


def expect_output(target: str | Path, kind: tuple[tuple[str, ...], str] | None = None, *,
                  protect: tuple[str | Path, ...] = ()) -> Path:
    """Refuse an output that cannot be written as asked, before any work for it: over an input or
    another output, a folder, in a folder that is not there, or (``kind``: XLSX, JSON, PDF) under a
    suffix that is not what will be written (xlsx bytes in 结果.csv)."""
    target = Path(target)
    if len(target.name.encode("utf-8", "surrogateescape")) > MAX_NAME_BYTES:  # the temporary name is longer still
        raise WriteError(f"输出文件名太长（{len(target.name.encode('utf-8', 'surrogateescape'))} 字节，"
                         f"最多 {MAX_NAME_BYTES} 字节，一个汉字占 3 字节），请换一个短一些的文件名。")
    for p in protect:
        if _same_file(target, Path(p)):
            raise WriteError(f"输出文件不能与输入文件“{Path(p).name}”相同，请换一个文件名（原文件不会被修改）。")
    guard(target)
    if _special(target):  # a device or a pipe: a rename would put student data in place of the device
        raise WriteError(f"输出位置“{target.name}”不是普通文件（是设备或管道），请写一个文件名（如 结果.xlsx）。")
    if target.is_dir():
        raise WriteError(f"输出位置“{target.name}”是一个文件夹，请写上文件名（如 结果.xlsx）。")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise WriteError(f"输出文件夹“{folder}”不存在，请先建好或换一个位置。")
    if kind is not None and target.suffix.lower() not in kind[0]:
        suffixes, what = kind
        raise WriteError(f"“{target.name}”的扩展名不对：这里保存的是 {what}，文件名应以 {' 或 '.join(suffixes)} 结尾"
                         f"（如 {target.stem or '结果'}{suffixes[0]}）。")
    return target


@contextlib.contextmanager
def atomic_path(target: str | Path, *, protect: tuple[str | Path, ...] = (),
                kind: tuple[tuple[str, ...], str] | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target``.

    ``protect`` lists input files the output must never overwrite; ``kind`` is what is written
    (XLSX, JSON, PDF), which the suffix must say.
    """
    target = expect_output(target, kind, protect=protect)
    folder = target.parent if str(target.parent) else Path(".")
    with _signals_held():  # a Ctrl+C or SIGTERM between making the temp file and guarding it would leave it
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=f".tmp{target.suffix}", dir=folder)
        except PermissionError:
            raise WriteError(f"没有权限在“{folder}”中写文件，请换一个位置。") from None
        except OSError as e:
            raise WriteError(f"无法在“{folder}”中写文件（{e.strerror}）。") from None
        os.close(fd)
        tmp_path = Path(tmp)
    try:
        try:
            yield tmp_path
        except OSError as e:  # the disk full, the folder gone, a quota: while the output was written
            _let_go_quietly()
            raise WriteError(_write_failed(target, e)) from None
        try:
            os.chmod(tmp_path, _output_mode(target))
            with tmp_path.open("rb+") as fh:  # on disk before the rename, so a power cut cannot leave an empty output
                os.fsync(fh.fileno())
            with _signals_held():  # replaced and counted in its set together (see whole_set)
                os.replace(tmp_path, target)
                if _Set.written is not None:
                    _Set.written.append(target)
            if _Run.outputs is not None:
                for k in _keys(target):
                    _Run.outputs[k] = target
        except PermissionError:
            raise WriteError(f"无法写入“{target.name}”：文件可能正在 Excel 中打开，请关闭后重试。") from None
        except OSError as e:
            raise WriteError(f"无法写入“{target.name}”（{e.strerror or type(e).__name__}），请换一个位置。") from None
    finally:
        with _signals_held():  # nor may a second signal stop the clean-up half way
            if tmp_path.exists():
                tmp_path.unlink()


_HELD = tuple(getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n))


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl+C, SIGTERM and SIGHUP wait until the block is done, then arrive. They are noted by a
    handler of our own, not blocked by the thread's signal mask: the system gives a process's signal
    to any thread that does not block it (a thread reading ahead, a library's), and Python then runs
    its handler in the main thread all the same, in the middle of the block. (Handlers are Python's
    in the main thread only; elsewhere, and for a handler not set from Python, nothing is held.)"""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    before: dict[int, Any] = {}
    try:
        for sig in _HELD:
            if signal.getsignal(sig) is not None:
                before[sig] = signal.signal(sig, lambda n, _frame: caught.append(n))
        yield
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)
        for n in dict.fromkeys(caught):  # now, to the handlers the block found (KeyboardInterrupt …)
            signal.raise_signal(n)


def make_folder(folder: Path) -> Path:
    """An output folder (``--out-dir``), made where it is missing; a sentence when it cannot be."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise WriteError(f"“{folder}”是一个文件，不是文件夹，请换一个位置。") from None
    except PermissionError:
        raise WriteError(f"没有权限建立文件夹“{folder}”，请换一个可以写入的位置。") from None
    except OSError as e:
        raise WriteError(f"无法建立文件夹“{folder}”（{e.strerror or type(e).__name__}），请换一个位置。") from None
    return folder


def _write_failed(target: Path, e: OSError) -> str:
    if e.errno == errno.ENOSPC or e.errno == getattr(errno, "EDQUOT", -1):
        return f"磁盘空间不足，“{target.name}”没有写成（原有的文件保持不变）；请腾出空间或换一个位置后重试。"
    return f"写入“{target.name}”时出错（{e.strerror or type(e).__name__}），没有写成（原有的文件保持不变）；请换一个位置后重试。"


def _let_go_quietly() -> None:
    """A writer that failed half-way may leave a ZipFile that tries to finish itself when it is
    collected, and prints a traceback ("Exception ignored in ZipFile.__del__"): collect it now,
    without that print."""
    hook, sys.unraisablehook = sys.unraisablehook, lambda _: None
    try:
        gc.collect()
    finally:
        sys.unraisablehook = hook


def _special(target: Path) -> bool:
    try:
        mode = os.stat(target).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _output_mode(target: Path) -> int:
    """The permissions the output should end with: what any new file gets (0666 less the umask), or
    those of the file it replaces where they are narrower; never wider than the user's default."""
    default = 0o666 & ~_umask()
    try:
        return stat.S_IMODE(os.stat(target).st_mode) & default
    except OSError:
        return default


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


@contextlib.contextmanager
def whole_set(marker: Path, doing: str, written: Callable[[], list[Path]]) -> Iterator[None]:
    """Files that only make sense together (the class files of a split, the parts of an export)
    appear as a whole set or not at all: a failed or interrupted run (Ctrl+C, SIGTERM, disk full)
    removes the ones it wrote (``written`` says which, as they are written); one killed outright
    (kill -9, power cut) leaves ``marker`` beside them, which says so."""
    try:
        marker.write_text(f"学籍助手正在{doing}。如果这个文件还在，说明那次{doing}没有做完：旁边的文件可能不全，"
                          f"请重新{doing}（做完后本文件会被删除）。\n", "utf-8")
    except OSError as e:
        raise WriteError(f"无法在“{marker.parent}”中写文件（{e.strerror or type(e).__name__}），请换一个位置。") from None
    outer, _Set.written = _Set.written, []
    try:
        yield
    except BaseException:
        # and the ones the atomic writer finished: a signal just after a file's rename came before
        # the caller could count it
        for path in {*written(), *_Set.written}:
            path.unlink(missing_ok=True)
        raise
    finally:
        _Set.written = outer
        marker.unlink(missing_ok=True)
