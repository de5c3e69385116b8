"""Header near-misses: a template header written a little differently (full-width ／（）, spaces, a
unit in brackets, one character added, dropped or miscopied). The column is the template's and is
read as such; the header cell gets a warning, and a fix writes the template's header."""

from __future__ import annotations

import re
import unicodedata

_MARKS = "★*＊"
_UNIT = re.compile(r"[（(][^（）()]{1,6}[)）]$")  # 上下学距离（公里）


def as_written(text: object) -> str:
    """The header as the national import compares it: the ★ marks of required columns aside."""
    return "".join(ch for ch in str(text) if ch not in _MARKS)


def _loose(text: str) -> str:
    s = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in s if not ch.isspace() and ch not in _MARKS)


def _one_edit(a: str, b: str) -> bool:
    """Whether a and b differ by exactly one character added, dropped or replaced."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), len(a))
    return a[i + (len(a) == len(b)):] == b[i + 1:]


def is_near(written: str, header: str, *, typo: bool = True) -> bool:
    """A near-miss of ``header`` (not the header itself): same up to width and spaces, a unit in
    brackets, or (``typo``) one character of a header of at least five."""
    w, h = _loose(written), _loose(header)
    if w == h:
        return as_written(written) != header
    return _UNIT.sub("", w) == h or (typo and len(h) >= 5 and _one_edit(w, h))
