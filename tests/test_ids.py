"""ID-number checks agree with python-stdnum, on its own examples and on generated numbers."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

from xueji_addin.rules import ids
from xueji_addin.spec import regions

# python-stdnum's own examples (stdnum/cn/ric.py doctest and its test file's style of cases).
STDNUM_VALID = ["360426199101010071", "11010519491231002X", "110101199003074477", "610113201801010025"]
STDNUM_INVALID = [
    "440524188001010014",  # county not assigned in 1880
    "360426199101010072",  # check digit
    "36042619910101007",  # length
    "3604261991010100A1",  # format
    "360426199113010079",  # birth month 13
    "990426199101010073",  # unknown province
]


def verdict(number: str) -> bool:
    """Ours: no error and no unknown-birthplace warning means stdnum must call it valid."""
    issues, info = ids.check_id(number, number, ids.RIC, member=False)
    return not issues and info is not None


@pytest.mark.parametrize("number", STDNUM_VALID + STDNUM_INVALID)
def test_agrees_with_stdnum_on_its_examples(number):
    assert verdict(number) == ric.is_valid(number)


@pytest.mark.parametrize("number", STDNUM_VALID)
def test_fast_path_equals_full_check(number):
    info = ids.fast_ric(number)
    assert info is not None and info.birth == number[6:14]
    assert info.male == (int(number[16]) % 2 == 1)


_codes = sorted(regions._loc()[1])


@settings(max_examples=300, deadline=None)
@given(
    code=st.sampled_from(_codes + ["999999", "110000", "610199"]),
    year=st.integers(1940, 2025),
    month=st.integers(0, 13),
    day=st.integers(0, 32),
    seq=st.integers(0, 999),
    tamper=st.booleans(),
)
def test_agrees_with_stdnum_on_generated_numbers(code, year, month, day, seq, tamper):
    body = f"{code}{year:04d}{month:02d}{day:02d}{seq:03d}"
    check = ric.calc_check_digit(body + "0")
    if tamper:
        check = "0" if check != "0" else "1"
    number = body + check
    # stdnum takes a 港澳台居民居住证 number (81/82/83) for a resident ID; we say what it is (XJ318)
    valid = ric.is_valid(number) and number[:2] not in ids.PERMIT_PREFIXES
    assert verdict(number) == valid
    assert (ids.fast_ric(number) is not None) == valid


def test_birthplace_index_agrees_with_stdnum_lookup():
    rng = random.Random(5)
    for code in rng.sample(_codes, 800):
        year = rng.choice((1950, 1983, 1997, 2005, 2016, 2022))
        body = f"{code}{year}0101001"
        number = body + ric.calc_check_digit(body + "0")
        try:
            ric.get_birth_place(number)
            expected = True
        except Exception:
            expected = False
        assert ids._known_birthplace(code, year) == expected, (code, year)


def test_unknown_birthplace_is_a_warning_not_an_error():
    body = "619999201801010" + "01"
    number = body + ric.calc_check_digit(body + "0")
    issues, info = ids.check_id(number, number, ids.RIC, member=False)
    assert [i.code for i in issues] == [ids.UNKNOWN_PLACE] and info is not None


def test_member_15_digit_id_gets_the_18_digit_fix():
    issues, _ = ids.check_id("110105491231002", "110105491231002", ids.RIC, member=True)
    assert [i.code for i in issues] == [ids.OLD_15_MEMBER]
    assert issues[0].fix == "11010519491231002X" and ric.is_valid(issues[0].fix)


def test_library_failures_become_findings_not_crashes(monkeypatch):
    def boom(_number):
        raise KeyError("half-known code")

    monkeypatch.setattr(ids.ric, "calc_check_digit", boom)
    issues, info = ids.check_id("360426199101010071", "360426199101010071", ids.RIC, member=False)
    assert [i.code for i in issues] == [ids.CHECKSUM] and info is None
