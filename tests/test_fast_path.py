"""The engine's shortcuts never loosen a check: whatever they let through, the full check passes too.

``cells.fast_check`` lets the engine skip the full check of a cell; the engine's column and row
shortcuts must give exactly the findings of the plain per-cell, per-row reading.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SETTINGS, letter
from xueji_addin import synth
from xueji_addin.rules.cells import cell_checker, fast_check
from xueji_addin.rules.engine import check
from xueji_addin.rules.roster import Roster
from xueji_addin.spec.columns import Kind
from xueji_addin.spec.profiles import default_profile
from xueji_addin.spec.settings import Settings

PROFILE = default_profile()
SETTINGS_VARIANTS = [
    SETTINGS,
    Settings(today=SETTINGS.today, mobile_only=True, address_max_length=20),
]
# One column of each kind of check (the engine groups columns by kind, table and length).
COLUMNS = list({(c.kind, c.code_table, c.max_length): c for c in PROFILE.columns}.values())
VALID = synth.class_roster(11, 8)

# Characters that break a valid value, and texts that are wrong as a whole.
_CHARS = list("019Xx-—.@#/ 号汉·'") + ["１", "９", "Ａ", "\u3000", "\u00a0", "\u200b", "\t", "\n", "\u2028", "٣", "𠀀"]
_WHOLE = ["", "#N/A", "#REF!", "0", "汉", "其它", "01", "x", "NULL", "None", "nan", "无", "/", "-", "'"]


def _valid_values(col) -> list[str]:
    same = [c.key for c in PROFILE.columns if (c.kind, c.code_table, c.max_length) == (col.kind, col.code_table, col.max_length)]
    return sorted({str(r[k]) for r in VALID for k in same if r.get(k)}) or ["文本"]


@st.composite
def column_and_text(draw):
    """A column and a near-miss of one of its valid values (a character replaced, added or dropped)."""
    col = draw(st.sampled_from(COLUMNS))
    text = draw(st.sampled_from(_valid_values(col) + _WHOLE))
    for _ in range(draw(st.integers(0, 2))):
        pos = draw(st.integers(0, len(text)))
        how = draw(st.sampled_from(["replace", "insert", "drop"]))
        ch = draw(st.sampled_from(_CHARS))
        text = text[:pos] + (ch if how != "drop" else "") + text[pos + (how != "insert"):]
    return col, text


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=column_and_text(), which=st.sampled_from(range(len(SETTINGS_VARIANTS))))
def test_fast_check_passes_only_what_the_full_check_passes(case, which):
    col, text = case
    s = SETTINGS_VARIANTS[which]
    fast = fast_check(col, s)
    if fast is None or not fast(text):
        return
    assert cell_checker(col, s)(text) == (text, []), (col.key, text)


def test_full_width_digits_in_digit_columns_are_not_waved_through():
    recs = [dict(r) for r in synth.class_roster(7, 3)]
    recs[0]["postcode"] = "７１００６１"
    recs[1]["phone"] = "13９12345678"
    recs[2]["seat_no"] = "０３"
    found = {(f.code, f.cell, f.fix) for f in check(Roster.from_records(PROFILE, recs), SETTINGS)}
    assert found == {
        ("XJ112", f"{letter('postcode')}2", "710061"),
        ("XJ112", f"{letter('phone')}3", "13912345678"),
        ("XJ112", f"{letter('seat_no')}4", "03"),
    }


def test_excel_error_text_in_a_free_text_column_is_reported():
    """An error cell (the reader marks it) is XJ113; #N/A typed or exported as text is a placeholder."""
    from xueji_addin.rules.normalize import ErrorCell

    recs = [dict(r) for r in synth.class_roster(7, 3)]
    recs[1]["m1_employer"] = ErrorCell("#N/A")
    recs[2]["m1_employer"] = "#N/A"
    found = {(f.code, f.cell) for f in check(Roster.from_records(PROFILE, recs), SETTINGS)}
    assert found == {("XJ113", f"{letter('m1_employer')}3"), ("XJ121", f"{letter('m1_employer')}4")}


def test_invisible_character_in_an_email_is_reported():
    recs = [dict(r) for r in synth.class_roster(7, 2)]
    recs[0]["email"] = "zhang\u200bsan@qq.com"
    found = {(f.code, f.cell, f.fix) for f in check(Roster.from_records(PROFILE, recs), SETTINGS)}
    assert found == {("XJ111", f"{letter('email')}2", "zhangsan@qq.com")}


# Values that stress the joined-column pass: blanks, numbers, None, the separator and the stand-in
# for non-text inside a value, spaces, full-width digits, text of any kind.
_ODD = st.one_of(
    st.sampled_from(["", None, 1.5, 13912345678.0, 110101201101011234.0, "a\x00b", "\x01", "张三\x00", " 张三",
                     "１３９１２３４５６７８", "11010120110101123x", "110101201101011"]),
    st.text(max_size=20),
)
_JOINED_KEYS = ["name", "m1_name", "phone", "m2_phone", "id_number", "m1_id_number", "id_type"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changes=st.lists(st.tuples(st.integers(0, len(VALID) - 1), st.sampled_from(_JOINED_KEYS), _ODD), max_size=12))
def test_column_shortcuts_give_the_findings_and_texts_of_the_cell_by_cell_reading(changes):
    from xueji_addin.rules import engine
    from xueji_addin.rules.context import Context

    recs = [dict(r) for r in VALID]
    for row, key, value in changes:
        recs[row][key] = value
    roster = Roster.from_records(PROFILE, recs)
    fast = Context(roster, SETTINGS)
    engine._cells(fast)
    plain = Context(roster, SETTINGS)
    for key in roster.cells:
        engine._cells_one_by_one(plain, key, cell_checker(PROFILE.by_key[key], SETTINGS))
    for key in roster.cells:
        if PROFILE.by_key[key].kind is Kind.ID_NUMBER:
            engine._ids(plain, key)

    def seen(ctx):
        return sorted((f.row, f.column, f.code, f.message, f.fix or "") for f in ctx.findings)

    assert seen(fast) == seen(plain)
    assert fast.values == plain.values
    assert fast.ric == plain.ric


def test_printable_text_is_clean_text():
    """cells._clean takes printable text without edge spaces as clean without the regex: every
    printable character but the space must pass the regex's edge class (its inner class is wider)."""
    from xueji_addin.rules.cells import _CLEAN

    missed = [hex(i) for i in range(0x110000) if chr(i).isprintable() and chr(i) != " " and not _CLEAN.fullmatch(chr(i))]
    assert missed == []


def test_each_address_detail_character_is_a_detail():
    from xueji_addin.rules.contact import _ADDRESS_DETAIL, ADDRESS_DETAIL_CHARS

    assert all(_ADDRESS_DETAIL.fullmatch(c) for c in ADDRESS_DETAIL_CHARS)


# --- every kind of every profile, from the registry: what the fast path accepts, the full check passes ---

from xueji_addin.rules.cells import fast_pattern  # noqa: E402
from xueji_addin.spec.codes import code_table  # noqa: E402
from xueji_addin.spec.profiles import all_profiles  # noqa: E402

# One column of each check in the registry: every profile's columns, grouped as the engine groups them.
ALL_COLUMNS = list({(c.kind, c.code_table, c.max_length): c for p in all_profiles() for c in p.columns
                    if c.kind is not Kind.ID_NUMBER}.values())  # IDs: checked per row with their type (test_ids)


@st.composite
def accepted_by_fast_path(draw):
    """A column and a text its fast path accepts: drawn from the fast pattern itself, or the code
    table's names, so a verdict added to the full check alone shows up here."""
    s = draw(st.sampled_from(SETTINGS_VARIANTS))
    col = draw(st.sampled_from([c for c in ALL_COLUMNS if fast_check(c, s) is not None]))
    pattern = fast_pattern(col, s)
    if col.kind is Kind.CODE:
        text = draw(st.sampled_from(sorted(code_table(col.code_table or "").names)))
    elif pattern is not None:
        text = draw(st.from_regex(pattern, fullmatch=True))
    else:
        text = draw(st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Zs")), max_size=30))
    return col, s, text


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(case=accepted_by_fast_path())
def test_fast_path_of_every_kind_is_the_full_verdict(case):
    col, s, text = case
    fast = fast_check(col, s)
    if not fast(text):
        return
    out, issues = cell_checker(col, s)(text)
    assert (out, [i.code for i in issues]) == (text, []), (col.key, col.kind, text)


def test_every_kind_of_the_registry_is_covered():
    """A new kind (or a new profile's column) takes part in the property above without a new list."""
    kinds = {c.kind for c in ALL_COLUMNS}
    assert kinds >= {c.kind for p in all_profiles() for c in p.columns} - {Kind.ID_NUMBER}
