"""The Text style on the cells of the template's Text columns, on a sheet's bytes (light_merge.py).

What ``style_roster_sheet`` does to the cells it holds, done to rows copied as bytes: a cell of a
Text column that holds text or no value takes the Text (@) variant of its style. One expression
finds the cells concerned: those of a Text column (the letters as a trie: trying 18 columns one by
one cost twice as much) with no style of their own or one whose Text variant differs; a file in
the template's styles has none, and the expression only reads through it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from xueji_addin.spec.columns import column_letter

STRING_TYPES = {"s", "inlineStr", "str", "e"}  # cells openpyxl reads as str (an error as its text)
_S = re.compile(rb'\ss="(\d+)"')
_T = re.compile(rb'\st="([^"]*)"')


def letters_pattern(letters: Iterable[str]) -> bytes:
    """An expression matching exactly these column letters (before the row number), as a trie."""
    by_first: dict[str, list[str]] = {}
    for word in sorted(set(letters)):
        by_first.setdefault(word[0], []).append(word[1:])
    alone = [k for k, rests in by_first.items() if rests == [""]]
    parts = [f"[{''.join(alone)}]"] if alone else []
    for first, rests in by_first.items():
        if rests == [""]:
            continue
        inner = letters_pattern([r for r in rests if r]).decode()
        parts.append(f"{first}{inner}?" if "" in rests else f"{first}{inner}")
    return f"(?:{'|'.join(parts)})".encode()


class UnnamedCell(Exception):
    """A cell whose reference is not its first attribute (no writer we know puts one): the rows
    it is in are restyled cell by cell instead."""


def text_restyler(columns: frozenset[int], as_text: dict[int, int], prefix: bytes) -> Callable[[bytes], bytes] | None:
    """A function giving the Text style to the cells concerned in some rows' bytes (None: nothing
    can change). Cells are written ``<c r="…" s="…" t="…">`` by every writer we know; one whose
    style comes after its type keeps it (its style, not its value). The same pass raises
    UnnamedCell at a cell whose reference is not first (a pass of its own over the rows, looking
    for one, cost as much as a third of the restyling)."""
    changing = sorted(sid for sid, new in as_text.items() if new != sid)
    if not changing or not columns:
        return None
    styles = b"|".join(str(s).encode() for s in changing)
    bare = rb'|(?= t="|\s*/?>)' if as_text.get(0, 0) != 0 else b""
    cell = re.compile(b"<" + re.escape(prefix) + b'c(?: r="' + letters_pattern(column_letter(c) for c in columns)
                      + rb'\d+"(?: s="(' + styles + b')"' + bare + rb')|(?! r=")(?P<unnamed>[\s>/]))')
    value = re.compile(rb"\s*<" + re.escape(prefix) + rb"v[\s>/]")

    def one(m: re.Match[bytes]) -> bytes:
        if m.group("unnamed") is not None:
            raise UnnamedCell
        text = m.string
        end = text.index(b">", m.end())
        tag = text[m.start():end + 1]
        t = _T.search(tag)
        if (t is None or t.group(1).decode() not in STRING_TYPES) and not tag.endswith(b"/>") and value.match(text, end + 1):
            return m.group(0)  # a number, a date or a truth value keeps its style
        sid = m.group(1)
        if sid is None and _S.search(tag):
            return m.group(0)  # its style comes after its type: left as it is
        new = as_text.get(int(sid or 0), int(sid or 0))
        head = m.group(0)[:m.start(1) - m.start()] if sid is not None else m.group(0)
        return head + (f'{new}"' if sid is not None else f' s="{new}"').encode()

    return lambda raw: cell.sub(one, raw)
