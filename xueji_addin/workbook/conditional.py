"""Native conditional formatting, generated from the profile: the template's first tier of live
highlighting, which works in Excel, WPS and LibreOffice with no Python at all.

Each formula says "this cell is wrong" for one column. They are written for the oldest engines we
meet (Excel 2007, WPS, LibreOffice 7): no LET, no REGEX, no dynamic arrays, no array constants; a
"digits only" test strips the ten digits with SUBSTITUTE (exact and case-sensitive, unlike
COUNTIF/MATCH, which read ``*`` and ``?`` as wildcards). Code lists, school-type and province
codes, county codes and the school's classes come from defined names on the hidden 代码表 sheet.

What each formula claims is held to the Python rules by ``tests/test_template_agreement.py``,
which evaluates the formulas in LibreOffice on hundreds of values and compares cell by cell.
What the formulas do not claim (said in README too):

- 居民身份证 birthplace (XJ307): whether the first six digits were a county *in the birth year*
  needs the code's history, which a formula cannot look up; region columns (XJ602) do check the
  county code against the full list of known codes, current and historical.
- names, addresses, e-mail, URLs, 身份证件有效期, 上下学距离: text heuristics left to the Python
  checks; only "required and empty" is highlighted for them.
- row and roster rules (ID ↔ birth date/sex, duplicates, age, consistency) stay in Python.
- 联系电话 with an extension (010-12345678-123) is accepted loosely (digits and hyphens).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from openpyxl.formatting.rule import Rule
from openpyxl.styles import Font, PatternFill
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.worksheet.worksheet import Worksheet

from xueji_addin.rules import ids
from xueji_addin.rules.cells import column_blanks
from xueji_addin.rules.normalize import NULLS
from xueji_addin.spec.codes import code_table
from xueji_addin.spec.columns import Column, Kind, Required, column_letter
from xueji_addin.spec.profiles import Profile
from xueji_addin.spec.settings import Settings
from xueji_addin.workbook import names
from xueji_addin.workbook.names import PREFILL_KEYS

DIGITS = "0123456789"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ERROR_STYLE = DifferentialStyle(font=Font(color="9C0006"), fill=PatternFill(bgColor="FFC7CE", fill_type="solid"))
WARNING_STYLE = DifferentialStyle(font=Font(color="9C5700"), fill=PatternFill(bgColor="FFEB9C", fill_type="solid"))
_RIC_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)

Ref = Callable[[str], str]  # column key → reference to that column's cell on the same row


@dataclass(frozen=True)
class CellFormula:
    """One conditional format: ``formula`` is true where the cell needs attention."""

    key: str
    formula: str
    severity: str  # "error" | "warning"
    what: str  # "format" (the value itself) | "required" (empty where it must be filled)


# --- building blocks ---------------------------------------------------------------------------


def _q(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def strip(x: str, chars: str) -> str:
    """``x`` with every one of ``chars`` removed (nested SUBSTITUTE)."""
    for ch in chars:
        x = f"SUBSTITUTE({x},{_q(ch)},\"\")"
    return x


def not_digits(x: str) -> str:
    return f'{strip(x, DIGITS)}<>""'


def blank(x: str) -> str:
    return f"LEN(TRIM({x}))=0"


def placeholder(x: str, col: Column) -> str:
    """``x`` is a placeholder the rules read as empty (NULL, None, nan; 无 / - where a code is
    expected): Excel's = ignores case, as ``normalize.is_placeholder`` does for the nulls."""
    return "OR(" + ",".join(f"TRIM({x})={_q(w)}" for w in sorted(NULLS | column_blanks(col))) + ")"


def empty(x: str, col: Column) -> str:
    """What the required rules read as empty: nothing, or a placeholder."""
    return f"OR({blank(x)},{placeholder(x, col)})"


def _date_bad(y: str, m: str, d: str, *, future: bool) -> str:
    """Day/month/year not a real date (year 0 included). Excel's DATE adds 1900 to years below 1900
    and believes in 1900-02-29, so those years are checked 2000 years later: the same leap rules
    (a 400-year cycle) without either quirk."""
    yy = f"{y}+IF({y}<=1900,2000,0)"
    checks = [f"{y}=0", f"MONTH(DATE({yy},{m},{d}))<>{m}", f"DAY(DATE({yy},{m},{d}))<>{d}"]
    if future:
        # IF, not AND: LibreOffice's DATE fails on years before 1583 and AND evaluates every argument.
        checks.append(f"IF({y}>1900,DATE({y},{m},{d})>TODAY(),FALSE)")
    return f"IFERROR(OR({','.join(checks)}),TRUE)"


# --- per kind ----------------------------------------------------------------------------------


def format_formula(col: Column, ref: Ref, settings: Settings) -> str | None:
    """The "value is wrong" formula of a column, or None where formulas cannot judge the value."""
    x = ref(col.key)
    kind = col.kind
    if kind is Kind.CODE:
        return f"SUMPRODUCT(--EXACT({x},{names.code_list(col.code_table or '')}))=0"
    if kind is Kind.SCHOOL_CODE:
        parts = [f"ISNUMBER({x})", f"LEN({x})<>10", not_digits(x),
                 f"ISNA(MATCH(LEFT({x},2),{names.SCHOOL_TYPES},0))", f"ISNA(MATCH(MID({x},3,2),{names.PROVINCE_CODES},0))"]
        if settings.school_code:
            parts.append(f"{x}<>{_q(settings.school_code)}")
        return f"OR({','.join(parts)})"
    if kind is Kind.CLASS_NO:
        parts = [f"ISNUMBER({x})", not_digits(x), f"AND(LEN({x})<>6,LEN({x})<>8)"]
        if settings.classes:
            parts.append(f"SUMPRODUCT(--EXACT({x},{names.CLASSES}))=0")
        return f"OR({','.join(parts)})"
    if kind is Kind.DIGITS:
        return f"OR(ISNUMBER({x}),{not_digits(x)})"
    if kind is Kind.TEXT_CODE:
        return f'{strip(f"UPPER({x})", DIGITS + LETTERS)}<>""'
    if kind is Kind.POSTCODE:
        return f"OR(ISNUMBER({x}),LEN({x})<>6,{not_digits(x)})"
    if kind is Kind.REGION:
        known = f'FIND(","&MID({x},5,2)&",",VLOOKUP(LEFT({x},4),{names.COUNTIES},2,0))'
        return f"OR(ISNUMBER({x}),LEN({x})<>12,{not_digits(x)},ISERROR({known}))"
    if kind is Kind.YEAR_MONTH:
        y, m = f"VALUE(LEFT({x},4))", f"VALUE(RIGHT({x},2))"
        return (f"IF(OR(LEN({x})<>6,{not_digits(x)}),TRUE,"
                f"OR({m}<1,{m}>12,{y}*12+{m}>YEAR(TODAY())*12+MONTH(TODAY())))")
    if kind is Kind.DATE:
        y, m, d = f"VALUE(LEFT({x},4))", f"VALUE(MID({x},5,2))", f"VALUE(RIGHT({x},2))"
        return f"IF(OR(LEN({x})<>8,{not_digits(x)}),TRUE,{_date_bad(y, m, d, future=True)})"
    if kind is Kind.PHONE:
        return phone_formula(x, mobile_only=settings.mobile_only)
    if kind is Kind.ID_NUMBER:
        return id_formula(x, ref(col.key.replace("id_number", "id_type")))
    return None


def phone_formula(x: str, *, mobile_only: bool) -> str:
    mobile = f'AND(LEN({x})=11,{strip(x, DIGITS)}="",LEFT({x},1)="1",ISNUMBER(FIND(MID({x},2,1),"3456789")))'
    if mobile_only:
        return f"OR(ISNUMBER({x}),NOT({mobile}))"
    compact = strip(x, " -—()")
    landline = (f'AND(LEFT({x},1)<>" ",RIGHT({x},1)<>" ",LEFT({compact},1)="0",'
                f'LEN({compact})>=10,LEN({compact})<=12,{strip(compact, DIGITS)}="")')
    extension = (f'AND(LEFT({x},1)="0",ISNUMBER(FIND("-",{x})),{strip(x, DIGITS + "-")}="",'
                 f'LEN(SUBSTITUTE({x},"-",""))>=11,LEN(SUBSTITUTE({x},"-",""))<=18)')
    return f"OR(ISNUMBER({x}),NOT(OR({mobile},{landline},{extension})))"


def ric_formula(x: str) -> str:
    """居民身份证 (GB 11643): 18 characters, 17 digits and a digit or X, a real birth date in digits
    7–14, and the MOD 11-2 check digit."""
    shape = f'OR(LEN({x})<>18,{strip(f"LEFT({x},17)", DIGITS)}<>"",ISERROR(FIND(RIGHT({x},1),"0123456789X")))'
    y, m, d = f"VALUE(MID({x},7,4))", f"VALUE(MID({x},11,2))", f"VALUE(MID({x},13,2))"
    total = "+".join(f"MID({x},{i},1)*{w}" for i, w in enumerate(_RIC_WEIGHTS, start=1))
    check = f'IFERROR(MID("10X98765432",MOD({total},11)+1,1)<>RIGHT({x},1),TRUE)'
    return f"IF({shape},TRUE,OR({_date_bad(y, m, d, future=False)},{check}))"


def other_id_types() -> list[str]:
    """Document types whose numbers are only letters and digits (never read as a 居民身份证)."""
    return [n for n in code_table("SFZJLX").names if n not in (ids.RIC, ids.NO_ID)]


def id_formula(x: str, id_type: str) -> str:
    """身份证件号 by the row's 身份证件类型, as ``rules.ids.check_id`` reads it: 居民身份证, or no type
    (or 其他) with a 15/18-digit number, is checked as a resident ID; other types take letters and
    digits; 其他 takes anything else."""
    not_other = ",".join(f"{id_type}<>{_q(t)}" for t in other_id_types())
    looks_ric = (f'OR({id_type}={_q(ids.RIC)},AND({not_other},OR(LEN({x})=15,LEN({x})=18),'
                 f'{strip(f"LEFT({x},15)", DIGITS)}=""))')
    alnum_bad = f'AND({id_type}<>{_q(ids.NO_ID)},{strip(f"UPPER({x})", DIGITS + LETTERS)}<>"")'
    edge = f'OR(LEFT({x},1)=" ",RIGHT({x},1)=" ")'  # stripped and reported whatever the type
    return f"OR(AND(ISNUMBER({x}),{x}>=1E15),{edge},IF({looks_ric},{ric_formula(x)},{alnum_bad}))"


# --- required ----------------------------------------------------------------------------------


def _counta(ref: Ref, keys: list[str]) -> str:
    return "+".join(f"COUNTA({ref(k)})" for k in keys)


def row_has_data(profile: Profile, ref: Ref, row_span: str) -> str:
    """Something other than the prefillable columns is filled on this row."""
    prefilled = [k for k in PREFILL_KEYS if k in profile.by_key]
    return f"COUNTA({row_span})-({_counta(ref, prefilled)})>0" if prefilled else f"COUNTA({row_span})>0"


def required_formula(col: Column, profile: Profile, ref: Ref, row_span: str, settings: Settings) -> tuple[str, str] | None:
    """(formula, severity) true where the column must be filled and is empty, as rules.rows.required says."""
    x = ref(col.key)
    none = empty(x, col)
    data = row_has_data(profile, ref, row_span)
    if col.required is Required.YES:
        return f"AND({none},{data})", "error"
    if col.required is Required.UNLESS_NO_ID:
        t = ref(col.key.replace("id_number", "id_type"))
        return f'AND({none},{t}<>"",{t}<>{_q(ids.NO_ID)})', "error"
    if col.required is Required.WHEN_RELATION_OTHER:
        return f'AND({none},{ref(col.key.replace("relation_note", "relation"))}="其他")', "error"
    if col.required is Required.MEMBER2:
        if settings.two_members_required:
            return f"AND({none},{data})", "error"
        starred = [c.key for c in profile.columns if c.required is Required.MEMBER2]
        member2 = [c.key for c in profile.columns if c.member == 2]
        first = col.key == starred[0]
        some = "TRUE" if first else f"({_counta(ref, member2)})>0"
        return f"AND({none},{data},{some})", "warning"
    if col.required is Required.MEMBER_ID:
        n = col.member
        pair = col.key.replace("id_type", "id_number") if col.key.endswith("id_type") else col.key.replace("id_number", "id_type")
        if col.key.endswith("id_number"):
            own = f'AND({none},{ref(pair)}<>"",{ref(pair)}<>{_q(ids.NO_ID)})'
        else:
            own = f'AND({none},NOT({empty(ref(pair), profile.by_key[pair])}))'
        if n != 1 or "id_type" not in profile.by_key:
            return own, "error"
        # A student without an ID number: member 1's type and number unless a member has both.
        members = [m for m in (1, 2) if f"m{m}_id_type" in profile.by_key and f"m{m}_id_number" in profile.by_key]
        number = {m: ref(f"m{m}_id_number") for m in members}
        some_member = ",".join(f'AND({ref(f"m{m}_id_type")}<>"",NOT({empty(number[m], profile.by_key[f"m{m}_id_number"])}))'
                               for m in members)
        no_id = f'AND({ref("id_type")}={_q(ids.NO_ID)},{empty(ref("id_number"), profile.by_key["id_number"])},NOT(OR({some_member})))'
        return f"OR({own},AND({none},{no_id}))", "error"
    return None


def cell_formulas(profile: Profile, settings: Settings, ref: Ref, row_span: str) -> list[CellFormula]:
    """Every conditional format of the profile, in column order, required checks first."""
    out: list[CellFormula] = []
    for col in profile.columns:
        req = required_formula(col, profile, ref, row_span, settings)
        if req is not None:
            out.append(CellFormula(col.key, req[0], req[1], "required"))
        fmt = format_formula(col, ref, settings)
        if fmt is not None:
            x = ref(col.key)
            out.append(CellFormula(col.key, f"AND(NOT({blank(x)}),OR({placeholder(x, col)},{fmt}))", "error", "format"))
    return out


def sheet_ref(profile: Profile, row: int, sheet: str | None = None) -> tuple[Ref, str]:
    """References for a formula written for ``row`` (column absolute, row relative in a CF range)."""
    prefix = f"'{sheet}'!" if sheet else ""
    letters = {c.key: c.letter for c in profile.columns}
    last = column_letter(len(profile.columns))
    return (lambda key: f"{prefix}${letters[key]}{row}"), f"{prefix}$A{row}:${last}{row}"


def add_conditional_formats(ws: Worksheet, profile: Profile, settings: Settings, first_row: int, last_row: int) -> int:
    """Add every rule to ``ws`` over rows ``first_row``…``last_row``; returns the number of rules."""
    ref, span = sheet_ref(profile, first_row)
    rules = cell_formulas(profile, settings, ref, span)
    for priority, cf in enumerate(rules, start=1):
        letter = profile.by_key[cf.key].letter
        style = ERROR_STYLE if cf.severity == "error" else WARNING_STYLE
        rule = Rule(type="expression", formula=[cf.formula], dxf=style, priority=priority)
        ws.conditional_formatting.add(f"{letter}{first_row}:{letter}{last_row}", rule)
    return len(rules)
