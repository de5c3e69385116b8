"""Searching sheet XML for a mark of a few bytes ("<row", "</row>", "<f") by one byte of it that
sheet data seldom holds (the "w" of row, the "f" of <f>).

Python's search for a few bytes steps through a sheet's "<" every few bytes at about 1.5 ns a byte
(0.03-0.05 s of a 10,000-pupil sheet's 48 MB for each mark); a search for one byte is memchr's,
many times faster, and each place it finds is checked for the whole mark. Where the byte turns out
common (text in the sheet full of it), the plain search takes over.
"""

from __future__ import annotations

_TRIES = 8  # places of the byte that are not the mark, before the plain search takes over


def find_by(body: bytes, mark: bytes, at: int, start: int = 0) -> int:
    """``body.find(mark, start)`` (``start`` >= 0), looking for the byte ``mark[at]`` first."""
    byte = mark[at:at + 1]
    i = body.find(byte, start + at)
    for _ in range(_TRIES):
        if i < 0:
            return -1
        if body.startswith(mark, i - at):
            return i - at
        i = body.find(byte, i + 1)
    return body.find(mark, i - at) if i >= 0 else -1


def count_by(body: bytes, mark: bytes, at: int) -> int:
    """``body.count(mark)`` for a mark that cannot overlap itself, looking for ``mark[at]`` first.
    The byte may stand as often elsewhere as in the mark (the "w" of </row> beside <row's)."""
    byte = mark[at:at + 1]
    found = missed = 0
    i = body.find(byte, at)
    while i >= 0:
        if body.startswith(mark, i - at):
            found += 1
        else:
            missed += 1
            if missed > found + _TRIES:
                return found + body.count(mark, i - at)
        i = body.find(byte, i + 1)
    return found
