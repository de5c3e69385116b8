"""Searching by a rare byte (workbook/rare_byte.py) finds and counts what Python's own search
does, whether the byte is rare or common in the text."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from xueji_addin.workbook.rare_byte import count_by, find_by

_BODIES = st.lists(st.sampled_from([b"w", b"ww", b"f", b"<", b"</ro", b"row>", b"<row", b"</row>", b"</x:row>", b"<rowBreaks",
                                    b"<f", b"<x:f", b"x"]), max_size=80).map(b"".join)
_MARKS = st.sampled_from([b"</row>", b"</x:row>", b"<f", b"<x:f", b"<row"])


def _rare(mark: bytes) -> int:
    return mark.index(b"w") if b"w" in mark else len(mark) - 1


@settings(max_examples=500, deadline=None)
@given(body=_BODIES, start=st.integers(0, 40), mark=_MARKS)
@example(body=b"w" * 20 + b"</row>", start=0, mark=b"</row>")  # the byte turns out common: the plain search
@example(body=b"<w" * 9 + b"<f", start=3, mark=b"<f")
def test_finding_by_a_rare_byte_finds_what_a_plain_search_finds(body, start, mark):
    assert find_by(body, mark, _rare(mark), start) == body.find(mark, start)


@settings(max_examples=500, deadline=None)
@given(body=_BODIES, mark=_MARKS)
@example(body=b"<row r='1'/>" + b"w" * 30 + b"<row/>" * 3, mark=b"<row")  # common: the plain count takes over
@example(body=b"<row></row>" * 50, mark=b"<row")  # a miss for every find: each </row>
def test_counting_by_a_rare_byte_counts_what_a_plain_count_counts(body, mark):
    assert count_by(body, mark, _rare(mark)) == body.count(mark)
