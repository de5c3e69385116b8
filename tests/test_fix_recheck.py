"""fix says what is left from the book with its fixes (fixed_book) instead of reading the copy
again: on random rosters that is what reading and checking the copy says; where it cannot be
certain (a formula, a fix of the header) the copy itself is read."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.rawxlsx import Formula, write_xlsx
from tests.robustness import roster_rows
from tests.test_fast_writers import KEYS, SETTINGS, _roster_file, mistakes
from xueji_addin.actions.collection import check_book
from xueji_addin.actions.fix import fix_book, fixed_book
from xueji_addin.actions.pipeline import check_source


def _said(tables) -> list[tuple]:
    return sorted((c.roster.sheet, f.cell, f.code, f.severity.label, f.message, f.suggestion or "", str(f.fix))
                  for c in tables for f in c.findings)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 500), changes=st.lists(st.tuples(st.integers(0, 50), st.integers(0, len(KEYS) - 1), mistakes), max_size=12))
def test_what_is_left_is_what_the_copy_reads_back_as(tmp_path, seed, changes):
    src, out = tmp_path / "班级.xlsx", tmp_path / "修正.xlsx"
    _roster_file(src, seed, changes)
    cb = check_source(src, SETTINGS)
    fix_book(src, cb.tables, out, cb.settings)
    fixed = fixed_book(cb.book, [f for c in cb.tables for f in c.findings])
    assert fixed is not None  # synth rosters have no formula, their header no fix, each row a name
    assert _said(check_book(fixed, cb.settings)) == _said(check_source(out, cb.settings).tables)


def test_a_formula_or_a_header_fix_reads_the_copy(tmp_path):
    rows = roster_rows(size=3)
    rows[1][1] = " 张三 "  # a certain fix
    plain = check_source(write_xlsx(tmp_path / "a.xlsx", rows), SETTINGS)
    assert fixed_book(plain.book, [f for c in plain.tables for f in c.findings]) is not None
    rows[2][1] = Formula('"李"&"四"', "李四")  # the copy holds its value: XJ116 no longer applies
    with_formula = check_source(write_xlsx(tmp_path / "b.xlsx", rows), SETTINGS)
    assert any(f.code == "XJ116" for c in with_formula.tables for f in c.findings)
    assert fixed_book(with_formula.book, [f for c in with_formula.tables for f in c.findings]) is None
    rows[2][1] = "李四"
    rows[0][1] = "姓 名"  # a header the fix renames (XJ005): the header's match may change
    header = check_source(write_xlsx(tmp_path / "c.xlsx", rows), SETTINGS)
    assert any(f.code == "XJ005" for c in header.tables for f in c.findings)
    assert fixed_book(header.book, [f for c in header.tables for f in c.findings]) is None
