"""How a sheet's columns map into the template's layout, decided by header, never by position.

Split, merge and import all move rows from a sheet whose header may differ from the template
(a column renamed to a known synonym, moved, missing, extra). ``plan_layout`` maps every column
by its header where that is unambiguous and says in Chinese exactly what it remapped; where it is
not (a column twice, a column with data but no header, columns missing *and* unknown ones
present), it refuses with the exact differences, so no value can land in the wrong column.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter

from xueji_addin.spec.columns import column_letter
from xueji_addin.spec.profiles import Profile
from xueji_addin.spec.headers import HeaderMatch
from xueji_addin.workbook.names import EXTRA_SHEET  # noqa: F401 (also the layout's API)
from xueji_addin.workbook.reader import Sheet, data_rows, is_blank


@dataclass
class Layout:
    """One sheet's data rows and where each template column comes from."""

    sheet: Sheet
    match: HeaderMatch
    source_index: dict[str, int]  # profile key → 0-based column index in the sheet
    extra: list[tuple[int, str]]  # (index, header) of columns the template does not have
    rows: list[int] = field(default_factory=list)  # sheet row number of each data row
    cells: list[list[object]] = field(default_factory=list)  # each data row's cells as read
    remapped: list[str] = field(default_factory=list)  # what was mapped by header (sentences)
    refused: list[str] = field(default_factory=list)  # why the sheet cannot be mapped safely
    notes: list[str] = field(default_factory=list)  # what a person should check (sentences)
    _takers: dict[str, tuple[Callable[[list[object]], tuple[object, ...]], int, list[list[None]]]] = field(
        default_factory=dict, repr=False, compare=False)  # template_row's getter by target profile

    @property
    def profile(self) -> Profile:
        return self.match.profile

    @property
    def ok(self) -> bool:
        return not self.refused

    def __len__(self) -> int:
        return len(self.rows)

    def template_row(self, i: int, target: Profile | None = None) -> list[object]:
        """Data row ``i`` in the column order of ``target`` (the sheet's own template by default; the
        version merged into, say), matched by column key; None where the sheet lacks the column."""
        take, need, pads = self._taker(target or self.profile)
        cells = self.cells[i]
        return list(take(cells + pads[need - len(cells) if len(cells) < need else 0]))

    def _taker(self, target: Profile) -> tuple[Callable[[list[object]], tuple[object, ...]], int, list[list[None]]]:
        """For ``target``, once: a getter of its columns from a row padded to ``need`` cells and one
        None more (the last, which a column the sheet lacks takes), and those paddings by shortfall.
        A row is then taken at C speed: a lookup per column per row cost a split 0.1 s a school."""
        if target.id not in self._takers:
            found = [self.source_index.get(c.key, -1) for c in target.columns]
            need = max(found, default=-1) + 1
            take = itemgetter(*found) if len(found) > 1 else (lambda row: tuple(row[j] for j in found))
            self._takers[target.id] = (take, need, [[None] * (k + 1) for k in range(need + 1)])
        return self._takers[target.id]

    def outside(self, target: Profile | None = None) -> list[tuple[int, str]]:
        """(index, header) of the sheet's columns ``target`` has no place for: those its own template
        lacks, and its template's own columns that ``target`` lacks (学籍接续标识 merged into version A)."""
        own = [(j, self.profile.by_key[k].header) for k, j in self.source_index.items()
               if target is not None and k not in target.by_key]
        return sorted(own) + self.extra

    def extra_row(self, i: int, target: Profile | None = None) -> list[object]:
        cells = self.cells[i]
        return [cells[j] if j < len(cells) else None for j, _ in self.outside(target)]

    def extra_headers(self, target: Profile | None = None) -> list[str]:
        return [h for _, h in self.outside(target)]


def plan_layout(sheet: Sheet, match: HeaderMatch, *, what: str = "合并") -> Layout:
    """Map ``sheet`` (whose header ``match`` found) into the template; ``what`` names the operation
    in the sentences ("合并", "拆分", "导入")."""
    rows, cells = data_rows(sheet.rows, match.header_row, match.positions)
    layout = Layout(sheet, match, dict(match.positions), list(match.extra), rows, [list(r) for r in cells])
    _explain(layout, what)
    return layout


def _explain(layout: Layout, what: str) -> None:
    m = layout.match
    refused, remapped = layout.refused, layout.remapped
    for c, letters in m.duplicated_columns():
        refused.append(f"列“{c.header}”出现了{len(letters)}次（{'、'.join(letters)}列），无法确定用哪一列")
    # A column with values but no header: it may be any template column, so nothing is guessed.
    width = max((len(r) for r in layout.cells), default=0)
    for j in range(width):
        if j in m.named:
            continue
        first = next((row for row, r in zip(layout.rows, layout.cells) if j < len(r) and not is_blank(r[j])), None)
        if first is not None:
            refused.append(f"{column_letter(j + 1)}列没有列名，却有内容（从第{first}行起），无法确定它属于模板的哪一列")
    if m.missing and m.extra:
        missing = "、".join(f"“{c.header}”" for c in m.missing_columns())
        extra = "、".join(f"{letter}列“{h}”" for letter, h in m.extra_columns())
        refused.append(f"缺少模板列{missing}，同时有模板中没有的列{extra}：无法确定后者是不是前者改了名")
    for c, written, letter in m.renamed_columns():
        remapped.append(f"{letter}列“{written}”是模板列“{c.header}”的另一种写法，已按“{c.header}”{what}")
    for c, letter in m.moved_columns():
        remapped.append(f"列“{c.header}”在{letter}列（模板在{c.letter}列），已按列名{what}到{c.letter}列")
    if not layout.refused:
        for c in m.missing_columns():
            remapped.append(f"缺少列“{c.header}”（模板{c.letter}列），{what}结果中该列为空")
        for letter, h in m.extra_columns():
            remapped.append(f"{letter}列“{h}”不是模板中的列，其内容放在“{EXTRA_SHEET}”表中")

