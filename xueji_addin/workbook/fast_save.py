"""Data cells as sheet XML, one formatted string each, for the writers that stream rows
(template_parts.py, streamed_book.py).

openpyxl spends ~15 µs per cell building and serialising cell objects; a school file of 3000
pupils × 71 columns took 7 s. A cell that needs more than a value and a style (a note, a
hyperlink, a date, anything unusual) is left to openpyxl itself.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from functools import lru_cache
from operator import truth

from openpyxl.utils.datetime import to_excel

from xueji_addin.spec.columns import column_letter
from xueji_addin.workbook.cells import XML_ILLEGAL, xml_safe

_NEEDS_ESCAPE = re.compile("[&<>\r" + XML_ILLEGAL.pattern[1:-1] + "]")


def _escape(text: str) -> str:
    """Text as XML content; a carriage return as a character reference, which an XML reader keeps
    (a literal one it reads as a line feed), as openpyxl writes it."""
    if _NEEDS_ESCAPE.search(text) is None:
        return text
    return xml_safe(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")).replace("\r", "&#13;")


def cell_xml(ref: str, style: str, v: object) -> str | None:
    """The <c> element of a plain value, or None when openpyxl should write it."""
    cls = v.__class__
    if cls is str:
        space = ' xml:space="preserve"' if v != v.strip() or "\n" in v else ""  # type: ignore[attr-defined]
        return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{_escape(v)}</t></is></c>'  # type: ignore[arg-type]
    if cls is int or (cls is float and v == v and v not in (float("inf"), float("-inf"))):
        return f'<c r="{ref}"{style}><v>{v!r}</v></c>'
    if cls is bool:
        return f'<c r="{ref}"{style} t="b"><v>{int(v)}</v></c>'  # type: ignore[call-overload]
    return None


_TEXT_ONLY = frozenset({str, type(None)})
# White space at either end of a value, in a row's values joined by \x1f (a value that holds \x1f
# itself needs an escape, and is written cell by cell)
_EDGE_SPACE = re.compile(r"(?:^|\x1f)\s|\s(?:\x1f|$)")
# Any character that may need more than the value as it is (an escape, or a look at white space):
# one scan of a row's joined text, which real rows pass; those that do not are looked at closely.
_SUSPECT = re.compile("[\\s&<>" + XML_ILLEGAL.pattern[1:-1] + "]")

# The number formats openpyxl gives these values, which a streamed cell takes by its style id.
TEMPORAL_FORMATS = {dt.datetime: "yyyy-mm-dd", dt.date: "yyyy-mm-dd", dt.time: "h:mm:ss", dt.timedelta: "[hh]:mm:ss"}


@lru_cache(maxsize=1024)
def _text_row(filled: tuple[bool, ...]) -> bytes:
    """The <row> of a row of plain texts in the cells ``filled`` says, as a %-template of its values
    with \x01 for the row number: a row is then two calls at C speed (a roster's rows fill a few
    patterns of cells)."""
    cells = "".join(f'<c r="{column_letter(c)}\x01" t="inlineStr"><is><t>%s</t></is></c>'
                    for c, full in enumerate(filled, start=1) if full)
    return f'<row r="\x01">{cells}</row>'.encode() if cells else b""


def _plain_text(row: list[object]) -> list[str] | None:
    """The texts of a row of text only (an export's, most of a class file's), when each can be written
    as it is (nothing to escape, no white space at either end); else None."""
    if not _TEXT_ONLY.issuperset(map(type, row)):
        return None
    texts: list[str] = list(filter(None, row))  # type: ignore[arg-type]
    joined = "".join(texts)
    if _SUSPECT.search(joined) is not None and (
            _NEEDS_ESCAPE.search(joined) is not None or _EDGE_SPACE.search("\x1f".join(texts)) is not None):
        return None
    return texts


def rows_xml(rows: list[list[object]], first_row: int, styles: dict[type, int], chunk: int = 500) -> Iterator[bytes]:
    """The <row> elements of ``rows`` (sheet row ``first_row`` on) as UTF-8, ``chunk`` rows at a time.

    Values as openpyxl writes them in a cell with no style of its own: text as inline strings
    (never a formula), numbers and booleans as values, dates and times as Excel serials with the
    style id ``styles`` gives their type (see TEMPORAL_FORMATS); anything else as its text."""
    width = max((len(r) for r in rows), default=0)
    letters = [column_letter(c) for c in range(1, width + 1)]
    out: list[bytes] = []
    for i, row in enumerate(rows):
        r = first_row + i
        texts = _plain_text(row)
        if texts:  # tested whole, written by a template of its filled cells
            template = _text_row(tuple(map(truth, row)))
            out.append(template.replace(b"\x01", b"%d" % r) % tuple("\x1f".join(texts).encode().split(b"\x1f")))
        elif texts is not None:
            out.append(b"")  # (a row of nothing is no row; a chunk counts it all the same)
        else:
            out.append(_row_xml(row, r, letters, styles))
        if len(out) >= chunk:
            yield b"".join(out)
            out = []
    if out:
        yield b"".join(out)


def _row_xml(row: list[object], r: int, letters: list[str], styles: dict[type, int]) -> bytes:
    """One row's <row> element, cell by cell."""
    needs_escape = _NEEDS_ESCAPE.search
    cells = []
    append = cells.append
    for c, v in enumerate(row):
        if v.__class__ is str:
            if not v:
                continue
            if v == v.strip() and needs_escape(v) is None:  # the common case, inlined
                append(f'<c r="{letters[c]}{r}" t="inlineStr"><is><t>{v}</t></is></c>')
                continue
        elif v is None:
            continue
        style = styles.get(v.__class__)
        if style is not None:
            append(f'<c r="{letters[c]}{r}" s="{style}"><v>{to_excel(v)!r}</v></c>')  # type: ignore[arg-type]
            continue
        append(cell_xml(f"{letters[c]}{r}", "", v) or cell_xml(f"{letters[c]}{r}", "", str(v)))  # type: ignore[arg-type]
    return f'<row r="{r}">{"".join(cells)}</row>'.encode() if cells else b""
