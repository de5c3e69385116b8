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
    cb = check_source(src, SETTINGS, keep_contexts=True)
    fix_book(src, cb.tables, out, cb.settings)
    fixed = fixed_book(cb.book, [f for c in cb.tables for f in c.findings])
    assert fixed is not None  # synth rosters have no formula, their header no fix, each row a name
    fresh = check_book(fixed, cb.settings)
    assert _said(fresh) == _said(check_source(out, cb.settings).tables)
    # what the command says: the columns no fix touched taken over from the first check (rules/reuse.py)
    reused = check_book(fixed, cb.settings, earlier=cb.tables, keep_contexts=True)
    assert [c.findings for c in reused] == [c.findings for c in fresh]
    for before, again in zip(cb.tables, reused):
        kept = [k for k, v in again.roster.cells.items() if v is before.roster.cells[k]]
        assert kept and all(again.context.results[("cells", k)] is before.context.results[("cells", k)] for k in kept)


def test_a_fix_that_makes_two_ids_the_same_is_found_in_the_recheck(tmp_path):
    """Only each column's own cell checks are taken over: rules across rows run again on the fixed
    column (the ID fixed from full-width digits is the other row's)."""
    from xueji_addin import synth
    from xueji_addin.samples import write_roster_xlsx

    recs = [dict(r) for r in synth.class_roster(11, 6)]
    wide = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
    recs[4]["id_type"], recs[4]["id_number"] = recs[1]["id_type"], str(recs[1]["id_number"]).translate(wide)
    src = tmp_path / "班级.xlsx"
    write_roster_xlsx(src, recs)
    cb = check_source(src, SETTINGS, keep_contexts=True)
    fixed = fixed_book(cb.book, [f for c in cb.tables for f in c.findings])
    assert fixed.rosters[0].cells["id_number"] is not cb.book.rosters[0].cells["id_number"]  # the fix is in it
    again = check_book(fixed, cb.settings, earlier=cb.tables)
    assert _said(again) == _said(check_book(fixed, cb.settings))
    assert any(f.code == "XJ901" for c in again for f in c.findings)


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
