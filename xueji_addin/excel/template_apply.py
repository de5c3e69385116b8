"""刷新下拉 in live Excel: a ``TemplatePlan`` (workbook.template_plan) recreated through xlwings.

Values through xlwings' own API (one block per sheet); what xlwings does not wrap — data validation,
conditional formats, sheet protection, frozen panes — through the Excel object model (``.api``),
which is the Windows COM one: Excel for Mac is refused with a sentence before anything changes.
No rule logic here: every formula, list and message comes from the plan.
"""

from __future__ import annotations

from typing import Any

from openpyxl.utils.cell import range_boundaries

from xueji_addin.excel import host as excel_host
from xueji_addin.excel.ranges import union_refs
from xueji_addin.workbook.template_plan import letters
from xueji_addin.spec.columns import column_letter
from xueji_addin.workbook import names
from xueji_addin.workbook.reader import ReadError
from xueji_addin.workbook.template_plan import CellStyle, FormatSpec, SheetPlan, TemplatePlan, ValidationSpec

# Excel object model constants (XlDVType, XlDVAlertStyle, XlFormatConditionType).
VALIDATE_INPUT_ONLY, VALIDATE_LIST = 0, 3
ALERT = {"stop": 1, "warning": 2, "information": 3}
EXPRESSION = 2


def bgr(rgb: str) -> int:
    """RRGGBB as the integer Excel's object model wants (blue in the high byte)."""
    r, g, b = int(rgb[0:2], 16), int(rgb[2:4], 16), int(rgb[4:6], 16)
    return r + (g << 8) + (b << 16)


def refuse_on_mac() -> None:
    if excel_host.PLATFORM == "darwin":
        raise ReadError("Mac 版 Excel 不能由插件添加下拉列表和自动标红。请在终端运行 "
                        "xueji dropdowns 本文件.xlsx --out 带下拉.xlsx，再打开生成的文件继续填写。")


def apply_plan(book: Any, sheet: str, plan: TemplatePlan) -> None:
    """Replace our helper sheets and names in ``book`` and give ``sheet`` the template's help
    (Windows: the caller has refused Excel for Mac before building the plan)."""
    existing = [s.name for s in book.sheets]
    for helper in plan.helpers:
        if helper.name in existing:
            book.sheets[helper.name].delete()
    for n in list(book.names):
        if n.name.split("!")[-1].startswith(names.PREFIX):
            n.delete()
    made = [_write_helper(book, h) for h in plan.helpers]
    for name, refers_to in plan.names.items():  # before any validation: a list's source must exist
        book.names.add(name, "=" + refers_to)
    for sh, helper in zip(made, plan.helpers):
        _help(sh, helper, clear=False)
        if helper.protected:
            sh.api.Protect()
        sh.visible = not helper.hidden
    roster = book.sheets[sheet]
    _help(roster, plan.roster, clear=True)
    roster.activate()


def _write_helper(book: Any, plan: SheetPlan) -> Any:
    sh = book.sheets.add(plan.name, after=book.sheets[-1])
    if plan.rows:
        width = max(len(r) for r in plan.rows)
        block = [[None if v == "" else v for v in r] + [None] * (width - len(r)) for r in plan.rows]
        # A helper's columns hold either text (names, codes such as "01") or counts: the text columns
        # are made Text before the one write, so that codes stay codes and counts stay numbers.
        for j, letter in enumerate(letters(width)):
            if any(isinstance(r[j], str) for r in block):
                sh.range(f"{letter}:{letter}").number_format = "@"
        sh.range((1, 1), (len(block), width)).value = block
    for address, formula in plan.formulas.items():
        sh.range(address).formula = formula
    return sh


def _help(sh: Any, plan: SheetPlan, *, clear: bool) -> None:
    """Formats, notes, dropdowns and conditional formats of ``plan`` on the sheet ``sh``."""
    for letter in plan.text_columns:
        sh.range(f"{letter}:{letter}").number_format = "@"
    for letter, width in plan.widths.items():
        sh.range(f"{letter}:{letter}").column_width = width
    _styles(sh, plan.styles)
    if clear:  # our earlier help (or a copy's stale one) over the same cells goes first, in one go
        block = sh.range(_bounding([v.sqref for v in plan.validations] + [f.sqref for f in plan.formats]))
        block.api.Validation.Delete()
        block.api.FormatConditions.Delete()
    for v in plan.validations:
        _validation(sh, v)
    if plan.formats:
        sh.activate()  # a conditional format's relative references are read from the active cell
        for f in plan.formats:
            _format(sh, f)
    if plan.freeze:
        _freeze(sh, plan.freeze)


def _bounding(refs: list[str]) -> str:
    """The smallest block holding every range of ``refs`` (the template's columns below the header)."""
    boxes = [range_boundaries(r) for r in refs]
    left, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
    right, bottom = max(b[2] for b in boxes), max(b[3] for b in boxes)
    return f"{column_letter(left)}{top}:{column_letter(right)}{bottom}"


def _styles(sh: Any, styles: list[CellStyle]) -> None:
    """Fonts and fills set once per look on a union of cells (a header row has two looks: required
    and optional); notes, which are per cell anyway, one by one."""
    looks: dict[tuple[bool, str | None, str | None, bool], list[str]] = {}
    for st in styles:
        looks.setdefault((st.bold, st.font, st.fill, st.wrap), []).append(st.address)
    for (bold, font, fill, wrap), addresses in looks.items():
        for ref in union_refs(addresses):
            cells = sh.range(ref)
            if bold:
                cells.font.bold = True
            if font:
                cells.font.color = f"#{font}"
            if fill:
                cells.color = f"#{fill}"
            if wrap:
                cells.wrap_text = True
    for st in styles:
        if st.note:
            cell = sh.range(st.address)
            if cell.note is not None:
                cell.note.delete()
            cell.add_note(st.note)


def _validation(sh: Any, v: ValidationSpec) -> None:
    dv = sh.range(v.sqref).api.Validation
    if v.kind == "list":
        dv.Add(Type=VALIDATE_LIST, AlertStyle=ALERT.get(v.alert, 1), Formula1="=" + v.formula1)
        dv.InCellDropdown = True
        dv.ShowError = True
        dv.ErrorTitle, dv.ErrorMessage = v.error_title, v.error
    else:
        dv.Add(Type=VALIDATE_INPUT_ONLY)
    dv.IgnoreBlank = True
    dv.ShowInput = True
    dv.InputTitle, dv.InputMessage = v.prompt_title, v.prompt


def _format(sh: Any, f: FormatSpec) -> None:
    left, top, _, _ = range_boundaries(f.sqref)
    sh.range((top, left)).select()
    fc = sh.range(f.sqref).api.FormatConditions.Add(Type=EXPRESSION, Formula1="=" + f.formula)
    if f.fill:
        fc.Interior.Color = bgr(f.fill)
    if f.font:
        fc.Font.Color = bgr(f.font)
    fc.StopIfTrue = False


def _freeze(sh: Any, top_left: str) -> None:
    left, top, _, _ = range_boundaries(top_left)
    sh.activate()
    window = sh.book.app.api.ActiveWindow
    window.FreezePanes = False
    window.SplitColumn, window.SplitRow = left - 1, top - 1
    window.FreezePanes = True
