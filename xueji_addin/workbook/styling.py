"""The template's look and help on any roster sheet we write, derived from the profile.

Every roster file the tool writes (marked copies, fixed copies, split class files, merged files,
the template itself) goes through ``style_roster_sheet`` so that a teacher who goes on typing in
it keeps the help: red required headers with a note giving the filling rule, Text format on
code-like columns, dropdowns from the hidden 代码表, an input message on every column, the
conditional formats that turn wrong cells red as they are typed, the 行政区划 picker and a frozen
header row. Values are never changed.
"""

from __future__ import annotations

from openpyxl.comments import Comment
from openpyxl.formatting.formatting import ConditionalFormattingList
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from xueji_addin.spec.columns import Required
from xueji_addin.spec.profiles import Profile
from xueji_addin.spec.settings import Settings
from xueji_addin.workbook import names
from xueji_addin.workbook.conditional import add_conditional_formats
from xueji_addin.workbook.print_setup import roster_print_setup
from xueji_addin.workbook.region_picker import Later, write_region_picker
from xueji_addin.workbook.settings_sheet import write_settings_sheet
from xueji_addin.workbook.validation import add_validations, write_code_sheet

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FONT = Font(bold=True, color="C00000")
OPTIONAL_FONT = Font(bold=True, color="000000")
TEXT_FORMAT = "@"
NOTE_AUTHOR = "学籍助手"


def is_required(column_required: Required) -> bool:
    """Headers shown in red: always-required fields (member 2's are red too: the form stars them)."""
    return column_required in (Required.YES, Required.MEMBER2)


def column_width(header: str, max_length: int | None) -> float:
    return max(len(header) * 2.2 + 2, min((max_length or 8) * 1.3 + 2, 24), 8)


def header_note(profile: Profile, order: int) -> str:
    col = profile.columns[order - 1]
    need = "必填" if is_required(col.required) else ("按条件必填" if col.required is not Required.NO else "选填")
    return f"{col.header}（{need}）\n{col.help}".strip()


def style_roster_sheet(wb: Workbook, ws: Worksheet, profile: Profile, settings: Settings | None = None,
                       *, data_rows: int = 1000, later: Later | None = None, helpers: bool = True) -> None:
    """Give ``ws`` the template's formats and help over its data rows (at least ``data_rows`` of them).
    ``later``: the helper sheets' long lists go there, not into openpyxl's cells, for a writer that
    streams them into the saved sheets (template_parts.py). ``helpers``: False for a further roster
    sheet of a workbook whose helper sheets and names this made already (a copy split into a sheet
    per class: built again for each of 200 sheets, the 行政区划 list was most of a minute).

    Idempotent: our own validations, conditional formats, names and helper sheets are replaced,
    whatever the workbook held before (openpyxl drops Excel's x14 validations on load anyway).
    """
    settings = settings or Settings()
    hrow = profile.header_row
    first, last = hrow + 1, max(ws.max_row, hrow + data_rows)
    for col in profile.columns:
        letter = get_column_letter(col.order)
        cell = ws.cell(hrow, col.order)
        cell.font = REQUIRED_FONT if is_required(col.required) else OPTIONAL_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        note = Comment(header_note(profile, col.order), NOTE_AUTHOR)
        note.width, note.height = 260, 110
        cell.comment = note
        ws.column_dimensions[letter].width = column_width(col.header, col.max_length)
    _text_columns(ws, [col.order for col in profile.columns if col.kind.is_text_format], first)
    ws.row_dimensions[hrow].height = 30
    _drop_ours(wb, ws, len(profile.columns), hrow, names_too=helpers)
    if helpers:
        code_ws = write_code_sheet(wb, profile, settings)
        write_region_picker(wb, code_ws, later)
        write_settings_sheet(wb, settings)
    add_validations(ws, profile, settings, first, last)
    add_conditional_formats(ws, profile, settings, first, last)
    name = profile.by_key.get("name")  # repeated on every printed page: whose row it is
    roster_print_setup(ws, hrow, name.order if name else None)
    ws.freeze_panes = f"A{hrow + 1}"  # by its address: the cell may be covered by a merge
    wb.active = wb.sheetnames.index(ws.title)


def table_sheet(wb: Workbook, name: str, widths: dict[str, float] | None = None) -> Worksheet:
    """A new plain sheet of values (来源, 模板外的列…) at the end of ``wb``, in place of one of that
    name: a frozen header row, these column widths."""
    if name in wb.sheetnames:
        del wb[name]
    ws = wb.create_sheet(name)
    for letter, width in (widths or {}).items():
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    return ws


def _text_columns(ws: Worksheet, indexes: list[int], first: int) -> None:
    """Text (@) as the columns' own format, so every new cell typed in them is text (Excel, WPS and
    LibreOffice all apply a column's style to cells created in it). Cells that already exist carry
    their own style: those holding text or nothing get @ too; numbers and dates keep theirs, so
    nothing on screen changes (the checks report them). One walk over the sheet's cells for all
    the columns (a walk per column took 5 s of a 1,000-pupil fix)."""
    for index in indexes:
        ws.column_dimensions[get_column_letter(index)].number_format = TEXT_FORMAT
    wanted = set(indexes)
    for (r, c), cell in ws._cells.items():
        if c in wanted and r >= first and (cell.value is None or isinstance(cell.value, str)):
            cell.number_format = TEXT_FORMAT


def _ours(ranges: object, ncols: int, hrow: int) -> bool:
    """A validation or conditional format over the template's columns below the header."""
    for part in str(ranges).split():
        min_col, min_row, _, _ = range_boundaries(part)
        if min_col is not None and min_col <= ncols and (min_row or hrow + 1) > hrow:
            return True
    return False


def _drop_ours(wb: Workbook, ws: Worksheet, ncols: int, hrow: int, *, names_too: bool = True) -> None:
    dvs = ws.data_validations
    dvs.dataValidation = [dv for dv in dvs.dataValidation if not _ours(dv.sqref, ncols, hrow)]
    kept = ConditionalFormattingList()
    for cf in ws.conditional_formatting:
        if not _ours(cf.sqref, ncols, hrow):
            for rule in cf.rules:
                kept.add(str(cf.sqref), rule)
    ws.conditional_formatting = kept
    if names_too:  # the workbook's names, which the helper sheets define again
        for name in [n for n in wb.defined_names if n.startswith(names.PREFIX)]:
            del wb.defined_names[name]
