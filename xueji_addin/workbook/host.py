"""``FileHost``: the Host (``xueji_addin/host.py``, the protocol every action is written against)
over an openpyxl workbook — a file on disk, or one built in memory. The command line drives the
actions through it; ``xueji_addin.excel.host`` is the same protocol over live Excel.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from contextlib import nullcontext
from typing import IO, Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.styles.fills import Fill
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.xml.functions import fromstring, tostring

from xueji_addin.host import Host  # noqa: F401 (the protocol, for the actions that import it from here)
from xueji_addin.spec.profiles import Profile
from xueji_addin.spec.settings import Settings
from xueji_addin.workbook.atomic import XLSX, atomic_path
from xueji_addin.workbook.cells import needs_text_format, set_text, xml_safe
from xueji_addin.workbook.errors import ReadError
from xueji_addin.workbook.sheets import read_sheets
from xueji_addin.workbook.styling import style_roster_sheet


class FileHost:
    """A Host over an openpyxl workbook (a file on disk, or one built in memory)."""

    def __init__(self, workbook: Workbook, path: Path | None = None) -> None:
        self.wb = workbook
        self.path = path  # the file it was opened from (never written to: see ``save``)

    @classmethod
    def open(cls, path: str | Path) -> "FileHost":
        """The workbook of ``path`` to make a copy of, its formulas already replaced by their values."""
        return cls.load(path, Path(path))

    @classmethod
    def load(cls, source: str | Path | IO[bytes], path: Path) -> "FileHost":
        """The workbook in ``source`` (the file at ``path``, or a package made from it) to copy."""
        try:
            wb = load_workbook(source, rich_text=False)
        except Exception as e:  # XML that calamine reads leniently (a raw control byte …) but openpyxl cannot
            if isinstance(e, (MemoryError, OSError)):
                raise
            raise ReadError(f"“{path.name}”能检查，但无法生成副本（{type(e).__name__}：文件中有 Excel 格式不允许的内容）；"
                            "请用 Excel 或 WPS 打开后另存一份再试。") from None
        _formulas_to_values(wb, path)
        wb._external_links = []  # links to other workbooks (and DDE servers) that the formulas used
        return cls(wb, path)

    @property
    def folder(self) -> Path | None:
        return self.path.parent if self.path is not None else None

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

    def active_sheet(self) -> str:
        return self.wb.active.title

    def selected_rows(self) -> list[int]:
        """The rows of the active sheet's saved selection (what Excel shows selected on opening)."""
        view = self.wb.active.sheet_view
        sqref = view.selection[0].sqref if view.selection and view.selection[0].sqref else "A1"
        rows: set[int] = set()
        for part in str(sqref).split():
            _, top, _, bottom = range_boundaries(part)
            rows.update(range(top or 1, (bottom or top or 1) + 1))
        return sorted(rows)

    def read(self, sheet: str) -> list[list[object]]:
        return [list(r) for r in self.wb[sheet].iter_rows(values_only=True)]

    def read_range(self, sheet: str, ref: str) -> list[list[object]]:
        """One rectangular block ("A5:BS5", "M2:M60") as rows of values."""
        left, top, right, bottom = range_boundaries(ref)
        cells = self.wb[sheet]._cells  # looked up, not created: iter_rows would add every empty cell
        get = cells.get
        return [[c.value if (c := get((r, col))) is not None else None for col in range(left, right + 1)]
                for r in range(top, bottom + 1)]

    def max_row(self, sheet: str) -> int:
        return self.wb[sheet].max_row

    def write(self, sheet: str, cells: dict[str, object]) -> None:
        """As the live add-in writes (excel/host.py): text Excel would turn into a number, date or
        formula when the cell is next edited (an ID, 0101, 2024-9-1) goes into a Text (@) cell."""
        ws = self.wb[sheet]
        for addr, v in cells.items():
            cell = _anchor(ws, addr)
            set_text(cell, v)
            if needs_text_format(v):
                cell.number_format = "@"

    def fills(self, sheet: str, addresses: list[str]) -> dict[str, str | None]:
        ws = self.wb[sheet]
        return {addr: _fill_token(ws[addr].fill) for addr in addresses}

    def paint(self, sheet: str, fills: dict[str, str | None]) -> None:
        ws = self.wb[sheet]
        for addr, token in fills.items():
            ws[addr].fill = _fill_of(token)

    def notes(self, sheet: str, addresses: list[str]) -> dict[str, str | None]:
        ws = self.wb[sheet]
        return {a: (c.comment.text if (c := _anchor(ws, a)).comment else None) for a in addresses}

    def set_notes(self, sheet: str, notes: dict[str, str | None]) -> None:
        """A note on a cell covered by a merge goes on the merge's first cell (the only one that can
        hold one), together with that cell's own."""
        ws = self.wb[sheet]
        texts: dict[str, list[str]] = {}
        for addr, text in notes.items():
            texts.setdefault(_anchor(ws, addr).coordinate, [])
            if text:
                texts[_anchor(ws, addr).coordinate].append(text)
        for addr, parts in texts.items():
            if parts:
                c = Comment(xml_safe("\n".join(dict.fromkeys(parts))), "学籍助手")
                c.width, c.height = 300, 120
                ws[addr].comment = c
            else:
                ws[addr].comment = None

    def replace_sheet(self, name: str, rows: list[list[object]], *, links: dict[str, str] | None = None,
                      hidden: bool = False, widths: dict[str, float] | None = None) -> None:
        index, was_active = None, False
        if name in self.wb.sheetnames:  # keep its place in the tabs (and the focus, if it had it)
            index, was_active = self.wb.sheetnames.index(name), self.wb.active.title == name
            del self.wb[name]
        ws = self.wb.create_sheet(name, index)
        for r, row in enumerate(rows, start=1):
            for c, v in enumerate(row, start=1):
                if v is not None:
                    set_text(ws.cell(r, c), v)
        for addr, target in (links or {}).items():
            if target.startswith("#"):  # a place in this workbook: an internal link, not a file
                ws[addr].hyperlink = Hyperlink(ref=addr, location=target[1:], display=str(ws[addr].value or ""))
            else:
                ws[addr].hyperlink = target
            ws[addr].style = "Hyperlink"
        for letter, width in (widths or {}).items():
            ws.column_dimensions[letter].width = width
        if rows:
            ws.freeze_panes = "A2"
        if hidden:
            ws.sheet_state = "hidden"
            if was_active:
                self.wb.active = next(i for i, w in enumerate(self.wb.worksheets) if w.sheet_state == "visible")
        elif was_active:
            self.activate(name)

    def delete_sheet(self, name: str) -> None:
        if name in self.wb.sheetnames:
            was_active = self.wb.active.title == name
            del self.wb[name]
            if was_active:
                self.wb.active = next(i for i, ws in enumerate(self.wb.worksheets) if ws.sheet_state == "visible")

    def activate(self, sheet: str) -> None:
        for ws in self.wb.worksheets:
            ws.sheet_view.tabSelected = ws.title == sheet
        self.wb.active = self.wb.sheetnames.index(sheet)

    def apply_template(self, sheet: str, profile: Profile, settings: Settings | None = None) -> None:
        """The template's formats, dropdowns, notes and conditional formats on ``sheet`` (values untouched)."""
        style_roster_sheet(self.wb, self.wb[sheet], profile, settings)

    def build_sheet(self, name: str, build: Callable[[Worksheet], None], *, after: str | None = None) -> None:
        """A fresh sheet ``name`` (replacing one of that name) after ``after``, laid out by ``build``.

        The Excel host builds it in a scratch openpyxl workbook and copies the sheet in, print setup
        included, so layouts such as the confirmation sheets are written once, with openpyxl.
        """
        from xueji_addin.workbook.print_layout import add_sheet

        build(add_sheet(self.wb, name, after=after))

    def print_preview(self, sheet: str) -> None:
        """A file has no preview: the sheet becomes the one the file opens on."""
        self.activate(sheet)

    def show_preview(self) -> None:
        """Nothing to show: the file opens on the sheet ``print_preview`` chose."""

    def quiet(self) -> nullcontext[None]:
        """A file has no screen to hold still."""
        return nullcontext()

    def save(self, path: str | Path, *, protect: tuple[str | Path, ...] = ()) -> None:
        with atomic_path(path, protect=protect, kind=XLSX) as tmp:
            self.wb.save(tmp)


_XML = "xml:"


def _fill_token(fill: Fill | None) -> str | None:
    """A plain solid colour as RRGGBB; no fill as None; anything else as its XML, to be put back as is."""
    if fill is None or (isinstance(fill, PatternFill) and fill.fill_type is None):
        return None
    if isinstance(fill, PatternFill) and fill.fill_type == "solid" and fill.fgColor.type == "rgb":
        plain = str(fill.fgColor.rgb)[-6:]
        if _fill_of(plain) == fill:
            return plain
    return _XML + tostring(fill.to_tree()).decode("utf-8")


_FORMULA_TYPES = (ArrayFormula, DataTableFormula)


def _formulas_to_values(wb: Workbook, path: Path) -> None:
    """A copy never carries its input's formulas live: =HYPERLINK, a DDE ``cmd|…`` or =WEBSERVICE
    would run when the copy is opened. Each becomes the value the file saved for it (as the reader
    read it, and as it was checked: XJ116 says so in 校验结果), text staying text."""
    saved: dict[str, list[list[object]]] | None = None
    for ws in wb.worksheets:
        for cell in [c for c in ws._cells.values() if c.data_type == "f" or isinstance(c.value, _FORMULA_TYPES)]:
            if saved is None:
                saved = {s.name: s.rows for s in read_sheets(path)}
            rows = saved.get(ws.title, [])
            r, c = cell.row - 1, cell.column - 1
            value = rows[r][c] if r < len(rows) and c < len(rows[r]) else None
            set_text(cell, "" if value is None else value)


def _anchor(ws: Worksheet, addr: str) -> Cell:
    """The cell at ``addr``, or the first cell of the merge that covers it (a merged header is a
    common layout; openpyxl's MergedCell holds no value and no note)."""
    cell = ws[addr]
    if not isinstance(cell, MergedCell):
        return cell
    for rng in ws.merged_cells.ranges:
        if cell.coordinate in rng:
            return ws.cell(rng.min_row, rng.min_col)
    return cell


def _fill_of(token: str | None) -> Fill:
    if not token:
        return PatternFill(fill_type=None)
    if token.startswith(_XML):
        return Fill.from_tree(fromstring(token[len(_XML):]))
    return PatternFill("solid", fgColor=token)
