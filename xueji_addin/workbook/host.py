"""The Host: the only thing an action knows about a spreadsheet (DESIGN.md, "Layers").

``FileHost`` implements it over an openpyxl workbook; ``xueji_addin.excel.host`` over live Excel
through xlwings. Addresses are A1 strings; colours are RRGGBB hex strings or None for "no fill".
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from xueji_addin.spec.profiles import Profile
from xueji_addin.spec.settings import Settings
from xueji_addin.workbook.atomic import atomic_path
from xueji_addin.workbook.cells import set_text
from xueji_addin.workbook.styling import style_roster_sheet


class Host(Protocol):
    def sheet_names(self) -> list[str]: ...
    def read(self, sheet: str) -> list[list[object]]: ...
    def write(self, sheet: str, cells: dict[str, object]) -> None: ...
    def fills(self, sheet: str, addresses: list[str]) -> dict[str, str | None]: ...
    def paint(self, sheet: str, fills: dict[str, str | None]) -> None: ...
    def notes(self, sheet: str, addresses: list[str]) -> dict[str, str | None]: ...
    def set_notes(self, sheet: str, notes: dict[str, str | None]) -> None: ...
    def replace_sheet(self, name: str, rows: list[list[object]], *, links: dict[str, str] | None = None,
                      hidden: bool = False, widths: dict[str, float] | None = None) -> None: ...
    def delete_sheet(self, name: str) -> None: ...
    def apply_template(self, sheet: str, profile: Profile, settings: Settings | None = None) -> None: ...


class FileHost:
    """A Host over an openpyxl workbook (a file on disk, or one built in memory)."""

    def __init__(self, workbook: Workbook) -> None:
        self.wb = workbook

    @classmethod
    def open(cls, path: str | Path) -> "FileHost":
        return cls(load_workbook(path, rich_text=False))

    @classmethod
    def from_rows(cls, sheet: str, rows: list[list[object]]) -> "FileHost":
        wb = Workbook()
        ws = wb.active
        ws.title = sheet
        for r, row in enumerate(rows, start=1):
            for c, v in enumerate(row, start=1):
                if v is not None and v != "":
                    set_text(ws.cell(r, c), v)
        return cls(wb)

    def sheet_names(self) -> list[str]:
        return self.wb.sheetnames

    def read(self, sheet: str) -> list[list[object]]:
        return [list(r) for r in self.wb[sheet].iter_rows(values_only=True)]

    def write(self, sheet: str, cells: dict[str, object]) -> None:
        ws = self.wb[sheet]
        for addr, v in cells.items():
            set_text(ws[addr], v)

    def fills(self, sheet: str, addresses: list[str]) -> dict[str, str | None]:
        ws = self.wb[sheet]
        out: dict[str, str | None] = {}
        for addr in addresses:
            f = ws[addr].fill
            rgb = f.fgColor.rgb if f is not None and f.fill_type == "solid" else None
            out[addr] = rgb[-6:] if isinstance(rgb, str) else None
        return out

    def paint(self, sheet: str, fills: dict[str, str | None]) -> None:
        ws = self.wb[sheet]
        for addr, colour in fills.items():
            ws[addr].fill = PatternFill("solid", fgColor=colour) if colour else PatternFill(fill_type=None)

    def notes(self, sheet: str, addresses: list[str]) -> dict[str, str | None]:
        ws = self.wb[sheet]
        return {a: (ws[a].comment.text if ws[a].comment else None) for a in addresses}

    def set_notes(self, sheet: str, notes: dict[str, str | None]) -> None:
        ws = self.wb[sheet]
        for addr, text in notes.items():
            if text:
                c = Comment(text, "学籍助手")
                c.width, c.height = 300, 120
                ws[addr].comment = c
            else:
                ws[addr].comment = None

    def replace_sheet(self, name: str, rows: list[list[object]], *, links: dict[str, str] | None = None,
                      hidden: bool = False, widths: dict[str, float] | None = None) -> None:
        if name in self.wb.sheetnames:
            del self.wb[name]
        ws = self.wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, v in enumerate(row, start=1):
                if v is not None:
                    set_text(ws.cell(r, c), v)
        for addr, target in (links or {}).items():
            ws[addr].hyperlink = target
            ws[addr].style = "Hyperlink"
        for letter, width in (widths or {}).items():
            ws.column_dimensions[letter].width = width
        if rows:
            ws.freeze_panes = "A2"
        if hidden:
            ws.sheet_state = "hidden"

    def delete_sheet(self, name: str) -> None:
        if name in self.wb.sheetnames:
            del self.wb[name]

    def apply_template(self, sheet: str, profile: Profile, settings: Settings | None = None) -> None:
        """The template's formats, dropdowns, notes and conditional formats on ``sheet`` (values untouched)."""
        style_roster_sheet(self.wb, self.wb[sheet], profile, settings)

    def build_sheet(self, name: str, build: Callable[[Worksheet], None], *, after: str | None = None) -> None:
        """A fresh sheet ``name`` (replacing one of that name) after ``after``, laid out by ``build``.

        The Excel host builds it in a scratch openpyxl workbook and copies the sheet in, print setup
        included, so layouts such as the confirmation sheets are written once, with openpyxl.
        """
        from xueji_addin.workbook.confirm_sheet import add_sheet

        build(add_sheet(self.wb, name, after=after))

    def print_preview(self, sheet: str) -> None:
        """A file has no preview: the sheet becomes the one the file opens on."""
        for ws in self.wb.worksheets:
            ws.sheet_view.tabSelected = ws.title == sheet
        self.wb.active = self.wb.sheetnames.index(sheet)

    def save(self, path: str | Path, *, protect: tuple[str | Path, ...] = ()) -> None:
        with atomic_path(path, protect=protect) as tmp:
            self.wb.save(tmp)
