"""Dropdowns and input messages, from the profile: the hidden 代码表 sheet holds every list, a
defined name points at each, and each coded column gets a list validation through that name.

The error style is "warning": a value that is not in the list (pasted from an old export, say)
is let through after a warning instead of being blocked, and the Python checks report it.
"""

from __future__ import annotations

from openpyxl.styles import Font
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from xueji_addin.spec import regions
from xueji_addin.spec.codes import code_table
from xueji_addin.spec.columns import Column, Kind
from xueji_addin.spec.profiles import Profile
from xueji_addin.spec.settings import Settings
from xueji_addin.workbook import names
from xueji_addin.workbook.cells import set_text

PROMPT_TITLE_MAX = 32  # Excel's limits on an input message
PROMPT_MAX = 255


def define(wb: Workbook, name: str, target: str) -> None:
    if name in wb.defined_names:
        del wb.defined_names[name]
    wb.defined_names[name] = DefinedName(name, attr_text=target)


def _quoted(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def _column(ws: Worksheet, index: int, title: str, values: list[str]) -> str:
    """Write a titled list in column ``index``; returns its absolute range (at least one cell)."""
    from openpyxl.utils import get_column_letter

    letter = get_column_letter(index)
    set_text(ws.cell(1, index), title)
    ws.cell(1, index).font = Font(bold=True)
    for r, v in enumerate(values, start=2):
        set_text(ws.cell(r, index), v)  # class names may come from a file's own 学校设置: text, never a formula
    ws.column_dimensions[letter].width = max(10, min(40, max((len(v) for v in values), default=4) * 2 + 2))
    return f"{_quoted(ws.title)}!${letter}$2:${letter}${max(2, len(values) + 1)}"


def code_tables_used(profile: Profile) -> list[str]:
    seen: list[str] = []
    for c in profile.columns:
        if c.kind is Kind.CODE and c.code_table and c.code_table not in seen:
            seen.append(c.code_table)
    return seen


def write_code_sheet(wb: Workbook, profile: Profile, settings: Settings) -> Worksheet:
    """(Re)build the hidden, protected 代码表 sheet and the names that point into it."""
    if names.CODE_SHEET in wb.sheetnames:
        del wb[names.CODE_SHEET]
    ws = wb.create_sheet(names.CODE_SHEET)
    col = 1
    # One 代码表 serves every table sheet of the workbook (学校, 班级, 教师, 学生 …): its lists are those
    # of every profile whose sheet is here, so styling one sheet never breaks another's dropdowns.
    from xueji_addin.spec.profiles import all_profiles

    present = [p for p in all_profiles() if p.sheet_name in wb.sheetnames and p.id != profile.id]
    used = list(dict.fromkeys(t for p in [profile, *present] for t in code_tables_used(p)))
    for table_id in used:
        table = code_table(table_id)
        define(wb, names.code_list(table_id), _column(ws, col, f"{table.title}（{table_id}）", table.names))
        col += 1
    lookups = [
        (names.SCHOOL_TYPES, "学校标识码第1-2位", list(code_table("XXLB").codes)),
        (names.PROVINCE_CODES, "学校标识码第3-4位", list(code_table("XXBSM").codes)),
        (names.CLASSES, "本校班号", list(settings.classes)),
    ]
    for name, title, values in lookups:
        define(wb, name, _column(ws, col, title, values))
        col += 1
    # Known county codes, compact: one row per 4-digit prefix with its last two digits as ",01,02,"
    # (7000 codes in 500 cells); a region's first six digits are known when VLOOKUP finds the
    # prefix and FIND finds the pair.
    by_prefix: dict[str, list[str]] = {}
    for code in regions.known_codes():
        by_prefix.setdefault(code[:4], []).append(code[4:])
    _column(ws, col, "县级代码前4位", list(by_prefix))
    _column(ws, col + 1, "后2位", ["," + ",".join(v) + "," for v in by_prefix.values()])
    from openpyxl.utils import get_column_letter

    a, b = get_column_letter(col), get_column_letter(col + 1)
    define(wb, names.COUNTIES, f"{_quoted(ws.title)}!${a}$2:${b}${len(by_prefix) + 1}")
    ws.freeze_panes = "A2"
    ws.sheet_state = "hidden"
    ws.protection.sheet = True  # no password: a registrar may unprotect it to look, not by accident
    return ws


def prompt_text(col: Column) -> str:
    text = col.help or col.header
    if col.kind is Kind.REGION:
        text = "12位数字代码，可在“行政区划”表中按省、市、县选出或搜索后复制。" + text
    return text[:PROMPT_MAX]


def add_validations(ws: Worksheet, profile: Profile, settings: Settings, first_row: int, last_row: int) -> int:
    """A list validation on every coded column (and 班号 when the settings list the classes), an
    input message with the filling rule on every column. Returns the number of validations."""
    count = 0
    for col in profile.columns:
        rng = f"{col.letter}{first_row}:{col.letter}{last_row}"
        source = None
        if col.kind is Kind.CODE and col.code_table:
            source = names.code_list(col.code_table)
        elif col.kind is Kind.CLASS_NO and settings.classes:
            source = names.CLASSES
        if source:
            dv = DataValidation(type="list", formula1=source, allow_blank=True, showDropDown=False,
                                showErrorMessage=True, errorStyle="warning",
                                errorTitle="不在下拉列表中",
                                error=f"“{col.header}”应从下拉列表中选择。仍要保留这个值请点“是”，之后用检查功能核对。")
        else:
            dv = DataValidation(allow_blank=True)
        dv.showInputMessage = True
        dv.promptTitle = col.header[:PROMPT_TITLE_MAX]
        dv.prompt = prompt_text(col)
        dv.add(rng)
        ws.add_data_validation(dv)
        count += 1
    return count
