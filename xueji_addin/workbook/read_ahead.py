"""Reading the next file ahead: of many files, the next is parsed on a thread (python-calamine
parses a worksheet's XML in Rust with the GIL released, about three quarters of a raw read), beside
the Python that checks or merges the file before. Only the parse runs ahead; the Python values are
made on the reading thread, when ``read_sheets`` asks for them."""

from __future__ import annotations

import stat
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

from xueji_addin.workbook.calamine_parse import Parsed, parse


class _Ahead:
    """One file being parsed on a thread of its own: a daemon, which ``settle`` waits for before the
    command exits."""

    def __init__(self, p: Path, identity: tuple[int, int]) -> None:
        self.path, self.identity = p, identity
        self.parsed: Parsed | None = None
        self.error: BaseException | None = None
        self._done = threading.Event()
        threading.Thread(target=self._run, name=f"read-ahead {p.name}", daemon=True).start()

    def _run(self) -> None:
        try:
            self.parsed = parse(self.path)
        except BaseException as e:  # given to the reading thread, which raises it as its own read would
            self.error = e
        finally:
            self._done.set()

    def result(self) -> Parsed:
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


def take_ahead(p: Path) -> Parsed | None:
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
