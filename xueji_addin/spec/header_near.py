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


def _deletions(text: str) -> set[str]:
    return {text[:i] + text[i + 1:] for i in range(len(text))}


class NearIndex:
    """The headers of a profile, looked up by near-miss in a few dict probes per cell (the header
    search tries every cell of a sheet's first rows, data included): a text one edit from a header
    shares a key with it (itself or itself less one character), then ``is_near`` confirms."""

    def __init__(self, headers: list[str]) -> None:
        self._keys: dict[str, set[int]] = {}
        for n, header in enumerate(headers):
            h = _loose(header)
            for key in {h} | (_deletions(h) if len(h) >= 5 else set()):
                self._keys.setdefault(key, set()).add(n)
        self._headers = headers
        self._longest = max((len(_loose(h)) for h in headers), default=0) + 8  # a unit in brackets at most
        self._found: dict[str, list[int]] = {}  # a sheet's first rows repeat their values (男, 汉族, 是)

    def find(self, written: str) -> list[int]:
        """The indexes of the headers ``written`` is a near-miss of."""
        if written.isascii() or len(written) > self._longest:  # numbers, codes, dates, addresses
            return []
        found = self._found.get(written)
        if found is None:
            if len(self._found) > 4096:
                self._found.clear()
            found = self._found[written] = self._probe(written)
        return found

    def _probe(self, written: str) -> list[int]:
        w = _loose(written)
        probes = {w, _UNIT.sub("", w)} | (_deletions(w) if 4 <= len(w) <= 40 else set())
        found = set().union(*(self._keys.get(k, ()) for k in probes))
        return sorted(n for n in found if is_near(written, self._headers[n]))


def is_near(written: str, header: str, *, typo: bool = True) -> bool:
    """A near-miss of ``header`` (not the header itself): same up to width and spaces, a unit in
    brackets, or (``typo``) one character of a header of at least five."""
    w, h = _loose(written), _loose(header)
    if w == h:
        return as_written(written) != header
    return _UNIT.sub("", w) == h or (typo and len(h) >= 5 and _one_edit(w, h))
