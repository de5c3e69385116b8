"""Property tests: valid records pass; every single-field corruption is caught at its own cell."""

from __future__ import annotations

from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SETTINGS
from xueji_addin import synth
from xueji_addin.rules.engine import check
from xueji_addin.rules.roster import Roster
from xueji_addin.spec.columns import Kind, Required
from xueji_addin.spec.profiles import default_profile

PROFILE = default_profile()


@cache
def _class(seed: int) -> tuple[dict[str, str], ...]:
    return tuple(synth.class_roster(seed, 6))


def _roster(records) -> Roster:
    return Roster.from_records(PROFILE, [dict(r) for r in records])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000))
def test_every_generated_valid_class_passes(seed):
    assert check(_roster(_class(seed)), SETTINGS) == []


def _flip_digit(value: str, pos: int, new: int) -> str:
    pos %= 17
    old = int(value[pos])
    digit = (old + 1 + new % 9) % 10
    return value[:pos] + str(digit) + value[pos + 1:]


CORRUPTIBLE = [c for c in PROFILE.columns if c.kind in (
    Kind.CODE, Kind.ID_NUMBER, Kind.DATE, Kind.YEAR_MONTH, Kind.PHONE, Kind.POSTCODE, Kind.REGION,
    Kind.SCHOOL_CODE, Kind.CLASS_NO, Kind.PERSON_NAME, Kind.ADDRESS, Kind.TEXT)]


@st.composite
def corruption(draw):
    col = draw(st.sampled_from(CORRUPTIBLE))
    how = draw(st.sampled_from(["shape", "invisible", "empty"]))
    return col, how, draw(st.integers(0, 10**6)), draw(st.integers(0, 10**6))


def corrupt(col, how: str, value: str, a: int, b: int) -> str | None:
    """A corrupted value, or None when this kind of corruption does not apply to the value."""
    if not value:
        return None
    if how == "empty":
        return "" if col.required is Required.YES else None
    if how == "invisible":
        return value[: a % len(value)] + "\u200b" + value[a % len(value):]
    k = col.kind
    if k is Kind.CODE:
        return "不存在的选项" + str(a % 100)
    if k is Kind.ID_NUMBER:
        return _flip_digit(value, a, b)
    if k is Kind.DATE:
        return value[:4] + ("13" if a % 2 else "00") + value[6:] if b % 2 else value[:7]
    if k is Kind.YEAR_MONTH:
        return value[:4] + "13" if a % 2 else value + "0"
    if k in (Kind.PHONE, Kind.POSTCODE, Kind.REGION, Kind.SCHOOL_CODE, Kind.CLASS_NO):
        return value[:-1]
    if k is Kind.PERSON_NAME:
        return value + "A"
    return None


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 300), row=st.integers(0, 5), change=corruption())
def test_every_single_field_corruption_is_caught_at_its_cell(seed, row, change):
    col, how, a, b = change
    records = [dict(r) for r in _class(seed)]
    bad = corrupt(col, how, records[row].get(col.key, ""), a, b)
    if bad is None:
        return
    records[row][col.key] = bad
    findings = check(_roster(records), SETTINGS)
    here = [f for f in findings if f.row == row + 2 and f.column == col.letter]
    assert here, (col.header, how, [f.text() for f in findings])
    assert all(f.sheet == PROFILE.sheet_name for f in findings)
