"""The template's look and help on any roster sheet we write, derived from the profile.

Every roster file the tool writes (marked copies, fixed copies, split class files, merged files,
the template itself) goes through ``style_roster_sheet`` so that a teacher who goes on typing in
it keeps the help: red required headers, Text format on code-like columns, a frozen header row.
"""

from __future__ import annotations

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from xueji_addin.spec.columns import Required
from xueji_addin.spec.profiles import Profile
from xueji_addin.spec.settings import Settings

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FONT = Font(bold=True, color="C00000")
OPTIONAL_FONT = Font(bold=True, color="000000")
TEXT_FORMAT = "@"


def is_required(column_required: Required) -> bool:
    """Headers shown in red: always-required fields (member 2's are red too: the form stars them)."""
    return column_required in (Required.YES, Required.MEMBER2)


def column_width(header: str, max_length: int | None) -> float:
    return max(len(header) * 2.2 + 2, min((max_length or 8) * 1.3 + 2, 24), 8)


def style_roster_sheet(wb: Workbook, ws: Worksheet, profile: Profile, settings: Settings | None = None,
                       *, data_rows: int = 1000) -> None:
    """Header fonts, Text format on code-like columns (existing values untouched), widths, frozen header."""
    hrow = profile.header_row
    for col in profile.columns:
        cell = ws.cell(hrow, col.order)
        cell.font = REQUIRED_FONT if is_required(col.required) else OPTIONAL_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col.order)].width = column_width(col.header, col.max_length)
        if col.kind.is_text_format:
            last = max(ws.max_row, hrow + data_rows)
            for r in range(hrow + 1, last + 1):
                ws.cell(r, col.order).number_format = TEXT_FORMAT
    ws.freeze_panes = ws.cell(hrow + 1, 1)
