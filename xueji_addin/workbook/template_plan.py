"""The template's help on a sheet, as plain data: what ``style_roster_sheet`` puts on a worksheet,
read back from a scratch openpyxl workbook, so that a host which is not a file (live Excel) can
recreate exactly the same dropdowns, input messages, conditional formats, names and helper sheets.

The styling is written once (``workbook.styling``); this module only describes its result.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from xueji_addin.spec.profiles import Profile
from xueji_addin.spec.settings import Settings
from xueji_addin.workbook import names
from xueji_addin.workbook.styling import style_roster_sheet

DATA_ROWS = 1000  # rows below the header that get the help, at least (as the template has)


@dataclass(frozen=True)
class ValidationSpec:
    sqref: str
    kind: str  # "list" (a dropdown) or "input" (only the input message)
    formula1: str  # the list's source, e.g. "XJ_CODE_MZ" ("" for "input")
    alert: str  # "stop" | "warning" | "information"
    prompt_title: str
    prompt: str
    error_title: str
    error: str


@dataclass(frozen=True)
class FormatSpec:
    sqref: str
    formula: str  # relative to the top-left cell of ``sqref``, without "="
    fill: str | None  # RRGGBB
    font: str | None  # RRGGBB


@dataclass(frozen=True)
class CellStyle:
    address: str
    bold: bool
    font: str | None  # RRGGBB
    fill: str | None  # RRGGBB
    wrap: bool
    note: str | None


@dataclass
class SheetPlan:
    name: str
    rows: list[list[object]] = field(default_factory=list)  # values; None where empty or a formula
    formulas: dict[str, str] = field(default_factory=dict)  # address → "=…"
    text_columns: list[str] = field(default_factory=list)  # letters whose cells are Text (@)
    widths: dict[str, float] = field(default_factory=dict)
    styles: list[CellStyle] = field(default_factory=list)
    validations: list[ValidationSpec] = field(default_factory=list)
    formats: list[FormatSpec] = field(default_factory=list)
    freeze: str | None = None  # the top-left cell of the scrolling pane
    hidden: bool = False
    protected: bool = False


@dataclass
class TemplatePlan:
    roster: SheetPlan  # its ``rows`` stay empty: the values on the sheet are the teacher's
    helpers: list[SheetPlan]  # 行政区划, 代码表, 学校设置, in that order
    names: dict[str, str]  # workbook name → what it refers to (no "=")


def _rgb(colour: object) -> str | None:
    rgb = getattr(colour, "rgb", None)
    return str(rgb)[-6:].upper() if isinstance(rgb, str) and getattr(colour, "type", "rgb") == "rgb" else None


def _styles(ws: Worksheet) -> list[CellStyle]:
    out = []
    for (r, c), cell in sorted(ws._cells.items()):
        fill = _rgb(cell.fill.fgColor) if cell.fill is not None and cell.fill.fill_type == "solid" else None
        font = _rgb(cell.font.color) if cell.font is not None and cell.font.color is not None else None
        bold = bool(cell.font is not None and cell.font.b)
        note = cell.comment.text if cell.comment else None
        wrap = bool(cell.alignment is not None and cell.alignment.wrap_text)
        if fill or (font and font != "000000") or bold or note or wrap:
            out.append(CellStyle(cell.coordinate, bold, font, fill, wrap, note))
    return out


def _validations(ws: Worksheet) -> list[ValidationSpec]:
    return [ValidationSpec(str(dv.sqref), "list" if dv.type == "list" else "input", str(dv.formula1 or ""),
                           dv.errorStyle or "stop", dv.promptTitle or "", dv.prompt or "", dv.errorTitle or "",
                           dv.error or "")
            for dv in ws.data_validations.dataValidation]


def _formats(ws: Worksheet) -> list[FormatSpec]:
    out = []
    for cf in ws.conditional_formatting:
        for rule in sorted(cf.rules, key=lambda r: r.priority):
            fill = _rgb(rule.dxf.fill.bgColor) if rule.dxf and rule.dxf.fill else None
            font = _rgb(rule.dxf.font.color) if rule.dxf and rule.dxf.font and rule.dxf.font.color else None
            out.append(FormatSpec(str(cf.sqref), rule.formula[0], fill, font))
    return out


def sheet_plan(ws: Worksheet, *, values: bool) -> SheetPlan:
    """What ``ws`` holds, as data; its cell values too when ``values``."""
    plan = SheetPlan(ws.title, hidden=ws.sheet_state != "visible", protected=bool(ws.protection.sheet))
    if values and ws.max_row:
        for row in ws.iter_rows():
            plan.rows.append([])
            for cell in row:
                v = cell.value
                if isinstance(v, str) and v.startswith("=") and cell.data_type == "f":
                    plan.formulas[cell.coordinate] = v
                    v = None
                plan.rows[-1].append(v)
    for letter, dim in ws.column_dimensions.items():
        if dim.width:
            plan.widths[letter] = float(dim.width)
        if getattr(dim, "number_format", None) == "@":
            plan.text_columns.append(letter)
    plan.styles = _styles(ws)
    plan.validations = _validations(ws)
    plan.formats = _formats(ws)
    plan.freeze = str(ws.freeze_panes) if ws.freeze_panes else None
    return plan


def template_plan(header_rows: list[list[object]], sheet: str, profile: Profile, settings: Settings | None = None,
                  *, data_rows: int = DATA_ROWS, other_sheets: tuple[str, ...] = ()) -> TemplatePlan:
    """The plan for a sheet whose first rows are ``header_rows`` (the rest is not needed: styling
    never changes a value). ``other_sheets`` are the workbook's other sheet names, so that the shared
    代码表 keeps the lists of the other tables it holds."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for other in other_sheets:
        if other != sheet and other not in names.HELPER_SHEETS:
            wb.create_sheet(other)
    for r, row in enumerate(header_rows, start=1):
        for c, v in enumerate(row, start=1):
            if v is not None and v != "":
                ws.cell(r, c).value = str(v)
    style_roster_sheet(wb, ws, profile, settings, data_rows=data_rows)
    helpers = [sheet_plan(wb[n], values=True) for n in names.HELPER_SHEETS if n in wb.sheetnames]
    defined = {n: str(wb.defined_names[n].attr_text) for n in wb.defined_names}
    return TemplatePlan(sheet_plan(ws, values=False), helpers, defined)


def letters(count: int) -> list[str]:
    return [get_column_letter(i) for i in range(1, count + 1)]
