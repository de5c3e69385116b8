"""A stand-in for Excel behind xlwings: the part of xlwings' API (and of Excel's object model via
``.api``) that ``xueji_addin.excel`` uses, over an openpyxl workbook, so the Excel host's glue runs in
tests and its result can be saved and read back.

It behaves as Excel does where the glue depends on it: numbers come back as floats; a string
written to a General cell that looks like a number becomes a number unless it starts with an
apostrophe; "=…" becomes a formula unless the cell is Text; ``note`` is None on a cell without
one and ``add_note`` refuses a cell that has one; a conditional format's relative references
are taken from the selected cell (so the glue must select the range's first cell); a data
validation list must name something that exists. Calls it does not model raise AttributeError.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.formatting.rule import Rule
from openpyxl.styles import Font, PatternFill
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def _rgb_of_bgr(value: int) -> str:
    return f"{value & 0xFF:02X}{(value >> 8) & 0xFF:02X}{(value >> 16) & 0xFF:02X}"


class FakeApp:
    def __init__(self) -> None:
        self.screen_updating = self.display_alerts = self.enable_events = True
        self.status_bar: object = False
        self.alerts: list[tuple[str, str]] = []
        self.books = _Books(self)
        self.api = _AppApi(self)
        self.active_book: FakeBook | None = None
        self.previews: list[str] = []

    def alert(self, text: str, title: str = "", mode: str = "info") -> None:
        self.alerts.append((text, mode))


class _Books:
    def __init__(self, app: FakeApp) -> None:
        self.app = app
        self.opened: list[FakeBook] = []

    def open(self, path: str) -> FakeBook:
        book = FakeBook(load_workbook(path), Path(path), self.app)
        self.opened.append(book)
        return book


class _Window:
    def __init__(self, app: FakeApp) -> None:
        self.app = app
        self.SplitColumn = self.SplitRow = 0
        self._frozen = False

    @property
    def FreezePanes(self) -> bool:  # noqa: N802 - Excel's name
        return self._frozen

    @FreezePanes.setter
    def FreezePanes(self, value: bool) -> None:  # noqa: N802
        ws = self.app.active_book.wb.active if self.app.active_book else None
        self._frozen = value
        if ws is not None:
            ws.freeze_panes = f"{get_column_letter(self.SplitColumn + 1)}{self.SplitRow + 1}" if value else None


class _AppApi:
    def __init__(self, app: FakeApp) -> None:
        self.ActiveWindow = _Window(app)


class FakeBook:
    def __init__(self, wb: Workbook, path: Path | None = None, app: FakeApp | None = None) -> None:
        self.wb = wb
        self.fullname = str(path) if path else "工作簿1"
        self.app = app or FakeApp()
        self.app.active_book = self
        self.sheets = _Sheets(self)
        self.names = _Names(self)
        self.selection_ref = "A1"
        self.closed = False

    @property
    def selection(self) -> "FakeRange":
        return self.sheets.active.range(self.selection_ref)

    def close(self) -> None:
        self.closed = True

    def save(self, path: str) -> None:  # Excel's Save As: the book is that file from now on
        self.wb.save(path)
        self.fullname = path


class _Names:
    def __init__(self, book: FakeBook) -> None:
        self.book = book

    def __iter__(self):  # noqa: ANN204
        return iter([_Name(self.book, n) for n in list(self.book.wb.defined_names)])

    def add(self, name: str, refers_to: str) -> None:
        assert refers_to.startswith("="), "xlwings' names.add wants a formula: '=Sheet1!$A$1'"
        self.book.wb.defined_names[name] = DefinedName(name, attr_text=refers_to[1:])


class _Name:
    def __init__(self, book: FakeBook, name: str) -> None:
        self.book, self.name = book, name

    def delete(self) -> None:
        del self.book.wb.defined_names[self.name]


class _Sheets:
    def __init__(self, book: FakeBook) -> None:
        self.book = book

    def __iter__(self):  # noqa: ANN204
        return iter([FakeSheet(self.book, ws) for ws in self.book.wb.worksheets])

    def __len__(self) -> int:
        return len(self.book.wb.worksheets)

    def __getitem__(self, key: str | int) -> "FakeSheet":
        wb = self.book.wb
        return FakeSheet(self.book, wb[key] if isinstance(key, str) else wb.worksheets[key])

    @property
    def active(self) -> "FakeSheet":
        return FakeSheet(self.book, self.book.wb.active)

    def add(self, name: str, after: "FakeSheet | None" = None) -> "FakeSheet":
        index = self.book.wb.worksheets.index(after.ws) + 1 if after is not None else 0
        ws = self.book.wb.create_sheet(name, index)
        self.book.wb.active = ws  # Excel activates a sheet it adds
        return FakeSheet(self.book, ws)


class _UsedRange:
    def __init__(self, ws: Worksheet) -> None:
        self.last_cell = type("Cell", (), {"row": ws.max_row, "column": ws.max_column})()


class _SheetApi:
    def __init__(self, sheet: "FakeSheet") -> None:
        self.sheet = sheet

    def Protect(self) -> None:  # noqa: N802
        self.sheet.ws.protection.sheet = True

    def PrintPreview(self) -> None:  # noqa: N802
        self.sheet.book.app.previews.append(self.sheet.name)


class FakeSheet:
    def __init__(self, book: FakeBook, ws: Worksheet) -> None:
        self.book, self.ws = book, ws
        self.api = _SheetApi(self)

    @property
    def name(self) -> str:
        return self.ws.title

    @property
    def used_range(self) -> _UsedRange:
        return _UsedRange(self.ws)

    def range(self, first: str | tuple[int, int], last: tuple[int, int] | None = None) -> "FakeRange":
        if isinstance(first, tuple):
            a = f"{get_column_letter(first[1])}{first[0]}"
            ref = a if last is None else f"{a}:{get_column_letter(last[1])}{last[0]}"
        else:
            ref = first
        return FakeRange(self, ref)

    def clear(self) -> None:
        for row in self.ws.iter_rows():
            for c in row:
                c.value, c.comment, c.hyperlink = None, None, None
                c.style = "Normal"

    def delete(self) -> None:
        assert not self.book.app.display_alerts, "Excel would ask the teacher to confirm the deletion"
        del self.book.wb[self.name]

    def activate(self) -> None:
        assert self.ws.sheet_state == "visible", "Excel cannot activate a hidden sheet"
        self.book.wb.active = self.ws
        self.book.app.active_book = self.book

    @property
    def visible(self) -> bool:
        return self.ws.sheet_state == "visible"

    @visible.setter
    def visible(self, value: bool) -> None:
        self.ws.sheet_state = "visible" if value else "hidden"

    def copy(self, after: "FakeSheet", name: str) -> "FakeSheet":
        """Across books, as Excel does: cells with their styles, merges, widths, heights, print setup."""
        target = after.book.wb.create_sheet(name, after.book.wb.worksheets.index(after.ws) + 1)
        for row in self.ws.iter_rows():
            for c in row:
                t = target.cell(c.row, c.column, c.value)
                if c.has_style:
                    t.font, t.fill, t.border = copy.copy(c.font), copy.copy(c.fill), copy.copy(c.border)
                    t.alignment, t.number_format = copy.copy(c.alignment), c.number_format
        for merged in self.ws.merged_cells.ranges:
            target.merge_cells(str(merged))
        for key, dim in self.ws.column_dimensions.items():
            target.column_dimensions[key].width = dim.width
        for key, dim in self.ws.row_dimensions.items():
            target.row_dimensions[key].height = dim.height
        target.page_setup = copy.copy(self.ws.page_setup)
        target.page_margins = copy.copy(self.ws.page_margins)
        target.print_options = copy.copy(self.ws.print_options)
        target.sheet_properties.pageSetUpPr = copy.copy(self.ws.sheet_properties.pageSetUpPr)
        target.row_breaks = copy.copy(self.ws.row_breaks)
        target.print_title_rows = self.ws.print_title_rows
        target.oddFooter.center.text = self.ws.oddFooter.center.text
        return FakeSheet(after.book, target)


class _Note:
    def __init__(self, cell: Any) -> None:
        self.cell = cell

    @property
    def text(self) -> str:
        return self.cell.comment.text

    def delete(self) -> None:
        self.cell.comment = None


class _Font:
    def __init__(self, rng: "FakeRange") -> None:
        self._rng = rng

    def _set(self, **kw: object) -> None:
        for c in self._rng.cells():
            f = copy.copy(c.font)
            for k, v in kw.items():
                setattr(f, k, v)
            c.font = f

    @property
    def bold(self) -> bool:
        return bool(self._rng.cells()[0].font.b)

    @bold.setter
    def bold(self, value: bool) -> None:
        self._set(b=value)

    @property
    def color(self) -> None:
        raise AttributeError("not modelled")

    @color.setter
    def color(self, value: str) -> None:
        self._set(color=value.lstrip("#"))


class _Validation:
    """Range.api.Validation: Excel's one validation per cell."""

    def __init__(self, rng: "FakeRange") -> None:
        self._rng = rng
        self._dv: DataValidation | None = None

    def Delete(self) -> None:  # noqa: N802
        ws, mine = self._rng.sheet.ws, self._rng.bounds()
        ws.data_validations.dataValidation = [
            dv for dv in ws.data_validations.dataValidation
            if not any(_inside(range_boundaries(str(part)), mine) for part in str(dv.sqref).split())
        ]

    def Add(self, Type: int, AlertStyle: int = 1, Operator: int | None = None, Formula1: str | None = None) -> None:  # noqa: N803
        ws = self._rng.sheet.ws
        mine = self._rng.bounds()
        for dv in ws.data_validations.dataValidation:
            assert not any(_overlap(range_boundaries(str(p)), mine) for p in str(dv.sqref).split()), \
                "Excel refuses Validation.Add where a validation already is (error 1004): delete first"
        if Type == 3:
            assert Formula1 and Formula1.startswith("="), Formula1
            source = Formula1[1:]
            assert source in self._rng.sheet.book.wb.defined_names, f"list source {source} does not exist (1004)"
            dv = DataValidation(type="list", formula1=source, errorStyle={1: "stop", 2: "warning", 3: "information"}[AlertStyle])
        else:
            assert Type == 0
            dv = DataValidation()
        dv.add(self._rng.ref)
        ws.add_data_validation(dv)
        self._dv = dv

    def __setattr__(self, name: str, value: object) -> None:
        if name.startswith("_"):
            object.__setattr__(self, name, value)
            return
        assert self._dv is not None, "set after Add"
        attr = {"IgnoreBlank": "allow_blank", "InCellDropdown": None, "ShowError": "showErrorMessage",
                "ShowInput": "showInputMessage", "ErrorTitle": "errorTitle", "ErrorMessage": "error",
                "InputTitle": "promptTitle", "InputMessage": "prompt"}[name]
        if name == "InputTitle":
            assert len(str(value)) <= 32, "Excel's input title is at most 32 characters"
        if name == "InputMessage":
            assert len(str(value)) <= 255, "Excel's input message is at most 255 characters"
        if name == "InCellDropdown":
            self._dv.showDropDown = not value  # OOXML says the opposite of what Excel shows
        else:
            setattr(self._dv, attr, value)


class _Colour:
    def __init__(self, apply: Any) -> None:
        object.__setattr__(self, "_apply", apply)

    def __setattr__(self, name: str, value: int) -> None:
        assert name == "Color"
        self._apply(_rgb_of_bgr(value))


class _FormatCondition:
    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self.Interior = _Colour(lambda rgb: setattr(rule.dxf, "fill", PatternFill(bgColor=rgb, fill_type="solid")))
        self.Font = _Colour(lambda rgb: setattr(rule.dxf, "font", Font(color=rgb)))
        self.StopIfTrue = False


class _FormatConditions:
    def __init__(self, rng: "FakeRange") -> None:
        self._rng = rng

    def Delete(self) -> None:  # noqa: N802
        from openpyxl.formatting.formatting import ConditionalFormattingList

        ws, mine = self._rng.sheet.ws, self._rng.bounds()
        kept = ConditionalFormattingList()
        for cf in ws.conditional_formatting:
            if not any(_inside(range_boundaries(str(p)), mine) for p in str(cf.sqref).split()):
                for rule in cf.rules:
                    kept.add(str(cf.sqref), rule)
        ws.conditional_formatting = kept

    def Add(self, Type: int, Formula1: str) -> _FormatCondition:  # noqa: N803
        assert Type == 2 and Formula1.startswith("=")
        book = self._rng.sheet.book
        left, top, _, _ = self._rng.bounds()
        # Excel reads relative references from the active cell: it must be the range's first cell.
        assert book.wb.active is self._rng.sheet.ws, "the sheet must be active"
        assert book.selection_ref == f"{get_column_letter(left)}{top}", \
            f"select {get_column_letter(left)}{top} before adding a conditional format to {self._rng.ref}"
        rule = Rule(type="expression", formula=[Formula1[1:]], dxf=DifferentialStyle())
        self._rng.sheet.ws.conditional_formatting.add(self._rng.ref, rule)
        return _FormatCondition(rule)


class _RangeApi:
    def __init__(self, rng: "FakeRange") -> None:
        self.rng = rng
        self.Validation = _Validation(rng)
        self.FormatConditions = _FormatConditions(rng)

    def ClearComments(self) -> None:  # noqa: N802
        for c in self.rng.cells():
            c.comment = None


def _inside(part: tuple, outer: tuple) -> bool:
    return part[0] >= outer[0] and part[1] >= outer[1] and part[2] <= outer[2] and part[3] <= outer[3]


def _overlap(a: tuple, b: tuple) -> bool:
    return not (a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1])


class FakeRange:
    def __init__(self, sheet: FakeSheet, ref: str) -> None:
        self.sheet, self.ref = sheet, ref.replace("$", "")
        self.api = _RangeApi(self)

    def bounds(self) -> tuple[int, int, int, int]:
        parts = [range_boundaries(p) for p in self.ref.split(",")]
        left, top, right, bottom = parts[0]
        if top is None:  # whole columns
            top, bottom = 1, 1048576
        return left, top, right, bottom

    def cells(self) -> list[Any]:
        out = []
        for part in self.ref.split(","):
            left, top, right, bottom = range_boundaries(part)
            if top is None:
                continue  # whole columns: only their format is set, see number_format
            out += [self.sheet.ws.cell(r, c) for r in range(top, bottom + 1) for c in range(left, right + 1)]
        return out

    @property
    def address(self) -> str:
        return "$" + self.ref.replace(":", ":$")

    def options(self, ndim: int = 2) -> "FakeRange":
        return self

    @property
    def value(self) -> list[list[object]]:
        left, top, right, bottom = range_boundaries(self.ref)
        get = self.sheet.ws._cells.get
        return [[_excel_out(c.value if (c := get((r, col))) is not None else None) for col in range(left, right + 1)]
                for r in range(top, bottom + 1)]

    @value.setter
    def value(self, rows: object) -> None:
        left, top, _, _ = range_boundaries(self.ref)
        rows = rows if isinstance(rows, list) and rows and isinstance(rows[0], list) else [[rows]]
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                cell = self.sheet.ws.cell(top + i, left + j)
                column = self.sheet.ws.column_dimensions.get(cell.column_letter)
                if cell.number_format == "General" and column is not None and column.number_format == "@":
                    cell.number_format = "@"  # a cell of a Text column is Text
                cell.value = _excel_in(v, text=cell.number_format == "@")

    @property
    def formula(self) -> str:
        return str(self.cells()[0].value)

    @formula.setter
    def formula(self, text: str) -> None:
        cell = self.cells()[0]
        cell.number_format = "General"
        cell.value = text

    @property
    def color(self) -> tuple[int, int, int] | None:
        fill = self.cells()[0].fill
        if fill is None or fill.fill_type != "solid":
            return None
        rgb = str(fill.fgColor.rgb)[-6:]
        return int(rgb[0:2], 16), int(rgb[2:4], 16), int(rgb[4:6], 16)

    @color.setter
    def color(self, value: str | None) -> None:
        for c in self.cells():
            c.fill = PatternFill("solid", fgColor=value.lstrip("#")) if value else PatternFill(fill_type=None)

    @property
    def note(self) -> _Note | None:
        cell = self.cells()[0]
        return _Note(cell) if cell.comment else None

    def add_note(self, text: str) -> _Note:
        cells = self.cells()
        assert len(cells) == 1 and cells[0].comment is None, "xlwings' add_note: one cell without a note"
        cells[0].comment = Comment(text, "Excel")
        return _Note(cells[0])

    @property
    def font(self) -> _Font:
        return _Font(self)

    @property
    def number_format(self) -> str:
        return self.cells()[0].number_format

    @number_format.setter
    def number_format(self, fmt: str) -> None:
        for part in self.ref.split(","):
            left, top, right, _ = range_boundaries(part)
            if top is None:  # whole columns: the column's own format, and the cells it already has
                for col in range(left, right + 1):
                    self.sheet.ws.column_dimensions[get_column_letter(col)].number_format = fmt
                    for (r, c), cell in list(self.sheet.ws._cells.items()):
                        if c == col:
                            cell.number_format = fmt
        for c in self.cells():
            c.number_format = fmt

    @property
    def column_width(self) -> float:
        return self.sheet.ws.column_dimensions[self.ref.split(":")[0].rstrip("0123456789")].width

    @column_width.setter
    def column_width(self, width: float) -> None:
        left, _, right, _ = range_boundaries(self.ref)
        for col in range(left, right + 1):
            self.sheet.ws.column_dimensions[get_column_letter(col)].width = width

    @property
    def wrap_text(self) -> bool:
        return bool(self.cells()[0].alignment.wrap_text)

    @wrap_text.setter
    def wrap_text(self, value: bool) -> None:
        for c in self.cells():
            a = copy.copy(c.alignment)
            a.wrap_text = value
            c.alignment = a

    def add_hyperlink(self, target: str, text_to_display: str = "") -> None:
        cell = self.cells()[0]
        cell.hyperlink = target
        cell.value = text_to_display

    def select(self) -> None:
        assert self.sheet.book.wb.active is self.sheet.ws, "Excel selects on the active sheet only"
        self.sheet.book.selection_ref = self.ref


def _excel_in(v: object, *, text: bool) -> object:
    """What Excel stores for a value written through COM."""
    if not isinstance(v, str) or text:
        return v
    if v.startswith("'"):
        return v[1:]
    if _NUMBER.match(v.strip()):
        return float(v)
    return v


def _excel_out(v: object) -> object:
    """What Excel gives back: every number a float."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return v if not isinstance(v, dt.date) or isinstance(v, dt.datetime) else dt.datetime(v.year, v.month, v.day)
    return float(v)
