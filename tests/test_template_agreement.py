"""The template's conditional-format formulas agree with the Python rules, cell by cell.

Hundreds of generated valid and invalid values go into real roster files; LibreOffice evaluates
every generated formula against them (a helper sheet of =IF(formula,1,0) cells, recalculated on
load); the Python engine checks the same files. Zero disagreements, on what the formulas claim:

- format formulas: the cell-level rules of the column (normalisation, code lists, shapes, dates,
  check digits, county codes, settings) — not row or roster rules, and not XJ307 (a 居民身份证's
  birthplace code valid in the birth year), which a formula cannot look up;
- required formulas: XJ101–XJ104 (required, member 2, conditional, no-ID student);
- values as a teacher types or pastes them: coded context cells (身份证件类型, 关系) hold a
  dropdown name or something that is no spelling of one; blanks are truly empty;
- compared one way only (formula red ⇒ Python finding), where the formula is knowingly lenient:
  联系电话 with an extension (a hyphen and more than 12 digits) and full-width characters in the
  number of a student whose 身份证件类型 is 其他 (anything goes there but the normalisation).
"""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path

import openpyxl
import pytest

from tests.lo import convert, needs_libreoffice
from xueji_addin import synth
from xueji_addin.rules import ids
from xueji_addin.rules.engine import check
from xueji_addin.rules.findings import RULES
from xueji_addin.samples import write_roster_xlsx
from xueji_addin.spec.codes import code_table
from xueji_addin.spec.columns import Column, Kind
from xueji_addin.spec.profiles import default_profile
from xueji_addin.spec.regions import known_codes, picker_entries
from xueji_addin.spec.settings import Settings
from xueji_addin.workbook.conditional import cell_formulas, other_id_types, sheet_ref
from xueji_addin.workbook.reader import read_roster
from xueji_addin.workbook.styling import style_roster_sheet

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow, needs_libreoffice]

PROFILE = default_profile()
ROWS = 200
REQUIRED_CODES = {"XJ101", "XJ102", "XJ103", "XJ104"}
NOT_CLAIMED = REQUIRED_CODES | {"XJ307", "XJ409"}  # XJ409 is a row rule's warning placed on a cell
CELL_CODES = {c for c, r in RULES.items() if r.scope == "cell"} - NOT_CLAIMED
CONTEXT_TABLES = {"SFZJLX", "GX"}  # cells other formulas read: names or nothing like one
VERDICT_SHEET = "判定"


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _mutate(rng: random.Random, good: str) -> object:
    """A typical way a good value goes wrong."""
    how = rng.randrange(9)
    if how == 0 and good:
        i = rng.randrange(len(good))
        return good[:i] + good[i + 1:]  # a character lost
    if how == 1:
        return good + rng.choice("0123456789X")  # one too many
    if how == 2:
        return " " + good if rng.random() < 0.5 else good + " "
    if how == 3 and good:
        i = rng.randrange(len(good))
        return good[:i] + chr(ord(good[i]) + 0xFEE0) + good[i + 1:] if good[i].isascii() and good[i].isalnum() else good
    if how == 4 and len(good) > 2:
        i = rng.randrange(len(good) - 1)
        return good[:i] + good[i + 1] + good[i] + good[i + 2:]  # neighbours swapped
    if how == 5 and good.isdigit() and good[0] != "0":
        return int(good)  # pasted as a number
    if how == 6 and good:
        i = rng.randrange(len(good))
        return good[:i] + rng.choice("0123456789") + good[i + 1:]  # one digit miscopied
    if how == 7:
        return rng.choice(["无", "不详", "abc", "12-34", "？", "N/A", "0", "1.5", "NULL", "/"])
    return good


def _date_values(rng: random.Random, n: int, today: dt.date) -> str:
    if n == 8:
        pick = rng.randrange(6)
        if pick == 0:
            return rng.choice(["20000229", "19000229", "21000229", "20240229", "20230229", "19000101", "18991231",
                               "00010101", "00000101", "20111301", "20110001", "20110100", "20110431", "99991231"])
        if pick == 1:
            return (today + dt.timedelta(days=rng.choice([0, 1, 30, 400]))).strftime("%Y%m%d")
        if pick == 2:
            return f"{rng.randrange(0, 10000):04d}{rng.randrange(0, 14):02d}{rng.randrange(0, 33):02d}"
        return (dt.date(1990, 1, 1) + dt.timedelta(days=rng.randrange(13000))).strftime("%Y%m%d")
    pick = rng.randrange(4)
    if pick == 0:
        return rng.choice(["201400", "201413", "000009", "999912", f"{today:%Y%m}", "202409"])
    if pick == 1:
        nxt = today.replace(day=1) + dt.timedelta(days=32)
        return f"{nxt:%Y%m}"
    return f"{rng.randrange(1990, 2030)}{rng.randrange(0, 14):02d}"


def _ric(rng: random.Random) -> str:
    code6 = rng.choice(picker_entries()).code12[:6]
    birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(25000))
    return synth.make_id(rng, code6, birth, rng.random() < 0.5)


def generate(col: Column, rng: random.Random, settings: Settings, today: dt.date) -> object:
    """A value for the column: about half valid, the rest wrong in the ways people get it wrong."""
    kind = col.kind
    if kind is Kind.CODE:
        table = code_table(col.code_table or "")
        options = list(table.names) + list(table.aliases) + list(table.codes) + ["其它", "不知道", " 是", "否 "]
        if table.id in CONTEXT_TABLES:
            options = [o for o in options if table.match(o).name in (None, o)]
        return rng.choice(table.names) if rng.random() < 0.5 else rng.choice(options)
    if kind is Kind.SCHOOL_CODE:
        good = settings.school_code or rng.choice(["2161010001", "3111000123", "3461012345", "2137021234"])
        bad = rng.choice(["1161010001", "2199010001", "216101000", f"21{_digits(rng, 8)}", f"{_digits(rng, 10)}"])
        return good if rng.random() < 0.4 else (bad if rng.random() < 0.5 else _mutate(rng, good))
    if kind is Kind.CLASS_NO:
        good = rng.choice(settings.classes or ["20240101", "202401", "20230305"])
        return good if rng.random() < 0.4 else rng.choice([_mutate(rng, good), _digits(rng, rng.randrange(4, 10)), "20249999"])
    if kind is Kind.DIGITS:
        good = str(rng.randrange(1, 60)).zfill(rng.choice([1, 2, 3]))
        return good if rng.random() < 0.5 else _mutate(rng, good)
    if kind is Kind.TEXT_CODE:
        good = rng.choice(["G", "L", "J"]) + _digits(rng, 8) + rng.choice(["", "a", "Z"])
        return good if rng.random() < 0.5 else rng.choice([_mutate(rng, good), good + "-1", "学" + good, good.lower()])
    if kind is Kind.POSTCODE:
        good = rng.choice(["710061", "100000", "010010", "830000"])
        return good if rng.random() < 0.4 else _mutate(rng, good)
    if kind is Kind.REGION:
        pick = rng.random()
        if pick < 0.35:
            return rng.choice(picker_entries()).code12
        if pick < 0.5:
            return rng.choice(known_codes()) + rng.choice(["000000", "000", "001000"])
        if pick < 0.6:
            return f"{rng.randrange(10, 99)}{_digits(rng, 4)}000000"  # mostly unknown counties
        return _mutate(rng, rng.choice(picker_entries()).code12)
    if kind in (Kind.DATE, Kind.YEAR_MONTH):
        n = 8 if kind is Kind.DATE else 6
        good = _date_values(rng, n, today)
        return good if rng.random() < 0.6 else _mutate(rng, good)
    if kind is Kind.PHONE:
        good = rng.choice([synth._phone(rng), "029-88886666", "02988886666", "0912-1234567", "(029)88886666",
                           "029 8888 6666", "010-12345678-123", "0371—66668888", "12912345678", "1391234567",
                           "88886666", "139 1234 5678", "139-1234-5678", "0-1-2", "0101234-5678123"])
        return good if rng.random() < 0.6 else _mutate(rng, good)
    if kind is Kind.ID_NUMBER:
        good = _ric(rng)
        pick = rng.random()
        if pick < 0.35:
            return good
        if pick < 0.45:
            return rng.choice([good[:6] + good[8:17], good[:17] + "x", "E12345678", "H1234567(8)", "AB-12345",
                               good[:6] + "20231399" + good[14:]])
        if pick < 0.5:
            return float(good[:17] + "0")
        return _mutate(rng, good)
    return None  # columns without a format formula keep their valid value


def build_rows(rng: random.Random, settings: Settings, today: dt.date) -> list[dict[str, object]]:
    base = synth.class_roster(rng.randrange(10**6), ROWS, school_code=settings.school_code or "2161010001",
                              class_no=(settings.classes or ["20240101"])[0])
    types = code_table("SFZJLX").names + ["", "", "身份证明书"]
    rows: list[dict[str, object]] = []
    for rec in base:
        row: dict[str, object] = dict(rec)
        for col in PROFILE.columns:
            if rng.random() < 0.45:
                value = generate(col, rng, settings, today)
                if value is not None:
                    row[col.key] = value
            if rng.random() < 0.06:
                row[col.key] = None  # left empty
        for key in ("id_type", "m1_id_type", "m2_id_type"):
            if rng.random() < 0.3:
                row[key] = rng.choice(types)
        if rng.random() < 0.15:  # the second member left out, fully or partly
            for col in PROFILE.columns:
                if col.member == 2 and (rng.random() < 0.8):
                    row[col.key] = None
        rows.append(row)
    return rows


def _verdict_columns(settings: Settings) -> list[tuple[str, str]]:
    ref, span = sheet_ref(PROFILE, 2, PROFILE.sheet_name)
    return [(cf.key, cf.what) for cf in cell_formulas(PROFILE, settings, ref, span)]


def add_verdict_sheet(path: Path, settings: Settings, nrows: int) -> None:
    """A sheet with =IF(<generated formula>,1,0) for every rule and row, referring to the roster."""
    wb = openpyxl.load_workbook(path)
    style_roster_sheet(wb, wb[PROFILE.sheet_name], PROFILE, settings)  # the names the settings fill (XJ_CLASSES)
    ws = wb.create_sheet(VERDICT_SHEET)
    for r in range(2, nrows + 2):
        ref, span = sheet_ref(PROFILE, r, PROFILE.sheet_name)
        for c, cf in enumerate(cell_formulas(PROFILE, settings, ref, span), start=1):
            ws.cell(r, c).value = f"=IF({cf.formula},1,0)"
    wb.save(path)


def _lenient(col: Column, row: dict[str, object]) -> bool:
    value = row.get(col.key)
    if not isinstance(value, str):
        return False
    if col.kind is Kind.PHONE:
        return "-" in value and len(re.sub(r"[^0-9]", "", value)) > 12
    if col.kind is Kind.ID_NUMBER:
        return row.get(col.key.replace("id_number", "id_type")) == ids.NO_ID and not value.isascii()
    return False


SETTINGS_VARIANTS = {
    "defaults": Settings(),
    "school": Settings(school_code="2161010001", classes=["20240101", "20240102", "202403"], mobile_only=True,
                       two_members_required=True),
}


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory):
    """(settings, rows written, LibreOffice verdicts, Python findings) per settings variant."""
    tmp = tmp_path_factory.mktemp("agreement")
    today = dt.date.today()
    made = {}
    for n, (name, settings) in enumerate(SETTINGS_VARIANTS.items()):
        rows = build_rows(random.Random(20261128 + n), settings, today)
        path = tmp / f"{name}.xlsx"
        write_roster_xlsx(path, rows)
        findings = check(read_roster(path), settings)
        add_verdict_sheet(path, settings, len(rows))
        made[name] = (settings, rows, path, findings)
    outs = convert([m[2] for m in made.values()], "xlsx", tmp / "lo")
    result = {}
    for (name, (settings, rows, _, findings)), out in zip(made.items(), outs):
        ws = openpyxl.load_workbook(out, data_only=True, read_only=True)[VERDICT_SHEET]
        grid = [list(r) for r in ws.iter_rows(min_row=2, max_row=len(rows) + 1, values_only=True)]
        result[name] = (settings, rows, grid, findings)
    return result


def test_other_id_types_are_the_rules_own():
    assert set(other_id_types()) == ids.FOREIGN_TYPES


@pytest.mark.parametrize("variant", list(SETTINGS_VARIANTS))
def test_formulas_agree_with_the_python_rules(evaluated, variant):
    settings, rows, grid, findings = evaluated[variant]
    columns = _verdict_columns(settings)
    by_cell: dict[tuple[int, str], set[str]] = {}
    for f in findings:
        if f.row and f.column:
            by_cell.setdefault((f.row, f.column), set()).add(f.code)
    disagreements = []
    compared = {"format": 0, "required": 0}
    flagged = {"format": 0, "required": 0}
    for i, row in enumerate(rows):
        sheet_row = i + 2
        for c, (key, what) in enumerate(columns):
            col = PROFILE.by_key[key]
            raw = grid[i][c] if c < len(grid[i]) else None
            formula_bad = raw == 1
            assert raw in (0, 1), f"{col.header} 第{sheet_row}行的公式没有算出结果：{raw!r}"
            codes = by_cell.get((sheet_row, col.letter), set())
            python_bad = bool(codes & (REQUIRED_CODES if what == "required" else CELL_CODES))
            compared[what] += 1
            flagged[what] += formula_bad
            if what == "format" and _lenient(col, row):
                if formula_bad and not python_bad:
                    disagreements.append((sheet_row, col.header, what, row.get(key), formula_bad, sorted(codes)))
                continue
            if formula_bad != python_bad:
                disagreements.append((sheet_row, col.header, what, row.get(key), formula_bad, sorted(codes)))
    assert not disagreements, f"{len(disagreements)} disagreements, e.g. {disagreements[:15]}"
    # The comparison is not vacuous: hundreds of cells each way, many of them wrong.
    assert compared["format"] > 5000 and compared["required"] > 5000
    assert flagged["format"] > 1000 and flagged["required"] > 300
