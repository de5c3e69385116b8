"""The confirmation form's pages as data, measured: a student's fields grouped by section, packed
three label/value pairs to a row, each row's height from its texts' printed width, and the one grid
scale at which every student's page fits an A4 page. ``confirm_sheet`` writes what this decides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from xueji_addin.rules.records import confirm_code
from xueji_addin.workbook.print_layout import PAGE_FILL, lines_needed, printable_height_pt, row_height

PROBLEM_MARK = "※"  # survives a black-and-white printer, unlike the fill

# Form grid: three (label, value) pairs under a bar per section. Widths in Excel character units
# (≈ 7 px each at 96 dpi); 99 units fill a portrait A4 page between 0.5" margins at 100 %, so a grid
# widened by a factor prints shrunk by that factor.
LABEL_WIDTH, VALUE_WIDTH = 14.0, 19.0
FORM_COLUMNS = 6
VALUE_SIZE, LABEL_SIZE, SECTION_SIZE = 10.5, 9.0, 10.5
FIELD_ROW_MIN = 20.0  # points: room to correct a value by hand
HANDWRITING_ROW = 30.0  # points: a required field left blank, to be written in
CODE_ROW, FORM_QR_PT = 66.0, 58.0  # points: the form's 确认码 row, and its QR code


@dataclass(frozen=True)
class Item:
    """One field on a student's form, as printed."""

    label: str
    value: str
    required: bool = False
    severity: str | None = None  # "error" | "warning" when the field has findings
    min_slots: int = 1  # 2 or 3 for values that need the room (addresses, ID numbers)


@dataclass(frozen=True)
class Section:
    title: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class StudentForm:
    title: str  # 某某小学 20240101班 学生基本信息确认表
    subtitle: str  # 班号、班内学号、源文件行号
    sections: tuple[Section, ...]
    problems: tuple[str, ...] = ()  # "身份证件号：……" lines listed at the foot of the page

    def fields(self) -> list[tuple[str, str]]:
        """What the page prints of the student, (section·label, value) in page order: what the 确认码 hashes."""
        return [(f"{s.title}·{i.label}", i.value) for s in self.sections for i in s.items]

    @property
    def code(self) -> str:
        return confirm_code(self.fields())






# --- the form layout --------------------------------------------------------------------------


@dataclass
class Placed:
    item: Item
    slot: int
    span: int


@dataclass(frozen=True)
class Grid:
    """Column widths of the form; ``scale`` > 1 widens it so that fit-to-width shrinks a tall page."""

    scale: float = 1.0

    @property
    def label(self) -> float:
        return LABEL_WIDTH * self.scale

    @property
    def value(self) -> float:
        return VALUE_WIDTH * self.scale

    def span(self, slots: int) -> float:
        """Width of a value cell merged over ``slots`` pairs."""
        return self.value * slots + self.label * (slots - 1)

    @property
    def full(self) -> float:
        return 3 * (self.label + self.value)


def _slots_for(item: Item, grid: Grid) -> int:
    """The fewest pairs whose merged value cell prints the value on one line (three at most)."""
    for span in range(item.min_slots, 3):
        if lines_needed(item.value, grid.span(span), VALUE_SIZE) == 1:
            return span
    return 3


def pack(items: Sequence[Item], grid: Grid = Grid()) -> list[list[Placed]]:
    """Items in order into rows of three slots; an item that does not fit goes into the first row
    with room for it (a short field may move up beside a long one), and the last item of each row
    widens to fill it."""
    rows: list[list[Placed]] = []
    free: list[int] = []
    for item in items:
        span = _slots_for(item, grid)
        # only the current row and the one before it: the reading order stays the template's
        target = next((r for r in range(max(0, len(rows) - 2), len(rows)) if free[r] >= span), None)
        if target is None:
            rows.append([])
            free.append(3)
            target = len(rows) - 1
        rows[target].append(Placed(item, 3 - free[target], span))
        free[target] -= span
    for placed, left in zip(rows, free):
        placed[-1].span += left
    return rows




def problem_text(form: StudentForm) -> str:
    return f"需核对（表中标 {PROBLEM_MARK} 的项目）：\n" + "\n".join(form.problems)


@dataclass
class FormRow:
    kind: str  # title | subtitle | section | fields | gap | problems | hint | sign | code
    height: float
    placed: list[Placed] = field(default_factory=list)
    section: Section | None = None


def form_rows(form: StudentForm, grid: Grid) -> list[FormRow]:
    """The rows of one student's page with their heights (points)."""
    out = [FormRow("title", 28.0), FormRow("subtitle", 16.0)]
    for section in form.sections:
        out.append(FormRow("section", 17.0, section=section))
        for placed in pack(section.items, grid):
            value_lines = max(lines_needed(p.item.value, grid.span(p.span), VALUE_SIZE) for p in placed)
            label_lines = max(lines_needed(p.item.label + (f" {PROBLEM_MARK}" if p.item.severity else ""),
                                           grid.label, LABEL_SIZE) for p in placed)
            height = max(row_height(value_lines, VALUE_SIZE, FIELD_ROW_MIN), row_height(label_lines, LABEL_SIZE, 0))
            if any(p.item.required and not p.item.value for p in placed):
                height = max(height, HANDWRITING_ROW)
            out.append(FormRow("fields", height, placed))
    out.append(FormRow("gap", 8.0))
    if form.problems:
        out.append(FormRow("problems", row_height(lines_needed(problem_text(form), grid.full, 9.0), 9.0, 0)))
    out.append(FormRow("hint", 15.0))
    out.append(FormRow("sign", 36.0))
    out.append(FormRow("code", CODE_ROW))
    return out


def form_grid(forms: Sequence[StudentForm]) -> Grid:
    """The grid for these pages: 100 % unless the tallest page needs fit-to-width to shrink it."""
    budget = printable_height_pt() * PAGE_FILL

    def fits(grid: Grid, pages: Sequence[StudentForm]) -> bool:
        return all(form_page_height(f, grid) <= budget for f in pages)

    def smallest_scale(pages: Sequence[StudentForm], low: float = 1.0) -> Grid:
        # Wider columns wrap less, so the printed height falls as the scale grows: bisect for the
        # smallest scale that fits, i.e. the largest print.
        if fits(Grid(low), pages):
            return Grid(low)
        high = low * 1.25
        while not fits(Grid(high), pages):
            low, high = high, high * 1.25
        for _ in range(10):
            mid = (low + high) / 2
            low, high = (low, mid) if fits(Grid(mid), pages) else (mid, high)
        return Grid(high)

    # The tallest pages at 100 % decide the scale; the rest are checked once at the end.
    tallest = sorted(forms, key=lambda f: form_page_height(f, Grid()), reverse=True)
    grid = smallest_scale(tallest[:5])
    return grid if fits(grid, tallest) else smallest_scale(tallest, grid.scale)


def form_page_height(form: StudentForm, grid: Grid | None = None) -> float:
    """The printed height (points) of one student's page, after fit-to-width scaling."""
    grid = grid or Grid()
    return sum(r.height for r in form_rows(form, grid)) / grid.scale
