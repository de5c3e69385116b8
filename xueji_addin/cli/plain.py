"""The one console printer: everything from a file is printed as plain text.

Cell values, sheet and file names reach the screen in messages and tables. Read as rich markup,
``[/]`` in a cell crashed the report and ``[link=…]`` made a clickable link; an ESC sequence in a
file name would recolour or retitle the terminal. So the consoles parse no markup and no emoji
codes, and show each control character as its visible picture (␛, ␇ …; one character for one, so
styles stay where they are). Our own styles are given as ``styled`` pieces, never as markup.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.text import Text

_VISIBLE = {c: 0x2400 + c for c in range(0x20) if c not in (0x09, 0x0A)} | {0x7F: 0x2421}
# C1 controls (0x9B starts an escape sequence on some terminals), the bidi overrides that would
# show a name reversed; and lone surrogates (a file name that is not UTF-8: no terminal can print them)
_VISIBLE |= {c: 0xFFFD for c in (*range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A), *range(0xD800, 0xE000))}


def visible(text: str) -> str:
    """``text`` as the screen may show it: control characters as their pictures."""
    return text.translate(_VISIBLE)


def styled(text: str, style: str) -> Text:
    """Our own words in a style (红色的“无法完成：”); add data to it with ``+``, as plain text."""
    t = Text(visible(text))
    t.stylize(style, 0, len(t))
    return t


class PlainConsole(Console):
    """A rich console without markup, emoji codes or highlighting, that shows control characters."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(markup=False, emoji=False, highlight=False, **kwargs)

    def render_str(self, text: str, **kwargs: Any) -> Text:  # every str printed, table cells too
        kwargs.update(markup=False, emoji=False)
        return super().render_str(visible(text), **kwargs)

    def print(self, *objects: Any, **kwargs: Any) -> None:
        kwargs.pop("markup", None)
        super().print(*(_visible_text(o) for o in objects), **kwargs)


def _visible_text(o: Any) -> Any:
    if isinstance(o, Text):
        o = o.copy()
        o.plain = visible(o.plain)  # one character for one: the spans keep their places
    return o
