"""The Host over live Excel through xlwings (DESIGN.md, "Host"): bulk reads and writes, no rules.

Every read is one ``Range.value`` per block; values are written per block of adjacent cells;
fills are set per colour on a union of cells (``"A2,C5,M9"``), and notes cleared per union.
xlwings is imported only when a workbook is opened, so this module imports on a machine without
Excel; the address arithmetic is ``ranges.py``, which the tests exercise.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

from xueji_addin.excel.ranges import hex_colour, rows_of_address, union_refs, write_cells
from xueji_addin.spec.columns import column_letter
from xueji_addin.spec.profiles import Profile
from xueji_addin.spec.settings import Settings

PLATFORM = sys.platform  # where Excel runs: win32 (COM) or darwin (AppleScript); tests set it



def _xlwings() -> Any:
    import xlwings  # noqa: PLC0415 - Excel only exists where the add-in runs

    return xlwings


class ExcelHost:
    """A Host over an open xlwings Book."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self._preview: str | None = None  # the sheet to preview once the screen is live again

    @classmethod
    def caller(cls) -> "ExcelHost":
        """The workbook whose ribbon button or sheet event called Python."""
        return cls(_xlwings().Book.caller())

    @property
    def folder(self) -> Path | None:
        full = str(self.book.fullname)
        return Path(full).parent if ("/" in full or "\\" in full) and "://" not in full else None

    @contextmanager
    def quiet(self) -> Iterator[None]:
        """No screen redraw, alerts or events while an action writes (restored after): our own
        writes must not come back to us as SheetChange events."""
        app = self.book.app
        updating, alerts, events = app.screen_updating, app.display_alerts, app.enable_events
        app.screen_updating = app.display_alerts = app.enable_events = False
        try:
            yield
        finally:
            app.screen_updating, app.display_alerts, app.enable_events = updating, alerts, events

    def _sheet(self, name: str) -> Any:
        return self.book.sheets[name]

    def sheet_names(self) -> list[str]:
        return [s.name for s in self.book.sheets]

    def active_sheet(self) -> str:
        return str(self.book.sheets.active.name)

    def selected_rows(self) -> list[int]:
        selection = self.book.selection
        if selection is None:
            return []
        return rows_of_address(str(selection.address), self.max_row(self.active_sheet()))

    def read(self, sheet: str) -> list[list[object]]:
        sh = self._sheet(sheet)
        last = sh.used_range.last_cell
        return self._block(sh.range((1, 1), (last.row, last.column)))

    def read_range(self, sheet: str, ref: str) -> list[list[object]]:
        return self._block(self._sheet(sheet).range(ref))

    @staticmethod
    def _block(rng: Any) -> list[list[object]]:
        values = rng.options(ndim=2).value
        return [list(r) for r in values] if values else []

    def max_row(self, sheet: str) -> int:
        return int(self._sheet(sheet).used_range.last_cell.row)

    def write(self, sheet: str, cells: dict[str, object]) -> None:
        write_cells(self._sheet(sheet), cells)

    def fills(self, sheet: str, addresses: list[str]) -> dict[str, str | None]:
        sh = self._sheet(sheet)
        return {a: hex_colour(sh.range(a).color) for a in addresses}

    def paint(self, sheet: str, fills: dict[str, str | None]) -> None:
        sh = self._sheet(sheet)
        by_colour: dict[str | None, list[str]] = {}
        for addr, colour in fills.items():
            by_colour.setdefault(colour, []).append(addr)
        for colour, addresses in by_colour.items():
            for ref in union_refs(addresses):
                sh.range(ref).color = f"#{colour}" if colour else None

    def notes(self, sheet: str, addresses: list[str]) -> dict[str, str | None]:
        sh = self._sheet(sheet)
        out: dict[str, str | None] = {}
        for a in addresses:
            note = sh.range(a).note
            out[a] = note.text if note is not None else None
        return out

    def set_notes(self, sheet: str, notes: dict[str, str | None]) -> None:
        sh = self._sheet(sheet)
        for ref in union_refs(list(notes)):
            sh.range(ref).api.ClearComments()
        for addr, text in notes.items():
            if text:
                sh.range(addr).add_note(text)

    def replace_sheet(self, name: str, rows: list[list[object]], *, links: dict[str, str] | None = None,
                      hidden: bool = False, widths: dict[str, float] | None = None) -> None:
        shown = self.active_sheet()
        if name in self.sheet_names():
            sh = self._sheet(name)
            sh.clear()
        else:
            sh = self.book.sheets.add(name, after=self.book.sheets[-1])
        if rows:
            width = max(len(r) for r in rows)
            block = sh.range((1, 1), (len(rows), width))
            block.number_format = "@"  # text format: colour tokens, codes and "=…" stay text as written
            block.value = [[None if v == "" else v for v in r] + [None] * (width - len(r)) for r in rows]
        for addr, target in (links or {}).items():
            cell = sh.range(addr)
            cell.add_hyperlink(target, text_to_display=str(cell.value or ""))
        for letter, w in (widths or {}).items():
            sh.range(f"{letter}:{letter}").column_width = w
        if shown != name:  # Excel shows a sheet it adds; the teacher stays where they were
            self._sheet(shown).activate()
        sh.visible = not hidden

    def delete_sheet(self, name: str) -> None:
        if name in self.sheet_names():
            with self.quiet():
                self._sheet(name).delete()

    def activate(self, sheet: str) -> None:
        self._sheet(sheet).activate()

    def apply_template(self, sheet: str, profile: Profile, settings: Settings | None = None) -> None:
        """The template's help on ``sheet``: the same plan the file host's styling makes, applied live."""
        from xueji_addin.excel.template_apply import apply_plan, refuse_on_mac
        from xueji_addin.workbook.template_plan import DATA_ROWS, template_plan

        refuse_on_mac()
        hrow = profile.header_row
        header = self.read_range(sheet, f"A1:{column_letter(len(profile.columns))}{hrow}")
        rows = max(DATA_ROWS, self.max_row(sheet) - hrow)
        apply_plan(self.book, sheet, template_plan(header, sheet, profile, settings, data_rows=rows,
                                                   other_sheets=tuple(self.sheet_names())))

    def build_sheet(self, name: str, build: Callable[[Worksheet], None], *, after: str | None = None) -> None:
        """Lay the sheet out with openpyxl in a scratch workbook, then copy it in: merged cells, borders
        and print setup come along exactly as the file host writes them."""
        from openpyxl import Workbook

        from xueji_addin.workbook.print_layout import add_sheet

        scratch = Workbook()
        blank = scratch.active
        build(add_sheet(scratch, name))
        scratch.remove(blank)
        # The scratch file may hold pupils' data: it lives in a private temporary folder, removed at once.
        with tempfile.TemporaryDirectory(prefix="xueji-", ignore_cleanup_errors=True) as folder:
            path = Path(folder) / "sheet.xlsx"
            scratch.save(path)
            source = self.book.app.books.open(str(path))
            try:
                if name in self.sheet_names():
                    self._sheet(name).delete()
                names = self.sheet_names()
                target = self._sheet(after) if after in names else self.book.sheets[-1]
                source.sheets[0].copy(after=target, name=name)
            finally:
                source.close()

    def print_preview(self, sheet: str) -> None:
        """Show ``sheet``; its print preview opens once the action is done (``show_preview``)."""
        self.activate(sheet)
        self._preview = sheet

    def show_preview(self) -> None:
        sheet, self._preview = self._preview, None
        if sheet is None:
            return
        if PLATFORM == "win32":
            self._sheet(sheet).api.PrintPreview()
        # Excel for Mac has no preview call: the sheet is shown, and ⌘P prints it.

    def save(self, path: str | Path, *, protect: tuple[str | Path, ...] = ()) -> None:
        """Excel's 另存为 (xlwings' ``Book.save``): the open workbook is kept at ``path`` from now on;
        never over a file the action read (``protect``) nor over the workbook's own file."""
        target = Path(path).resolve()
        if any(target == Path(p).resolve() for p in (*protect, self.book.fullname)):
            from xueji_addin.workbook.atomic import WriteError

            raise WriteError(f"“{Path(path).name}”是正在使用的文件，不会被覆盖，请换一个文件名。")
        self.book.save(str(target))
