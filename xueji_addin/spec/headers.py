"""Header recognition: which row of a sheet is a table's header, and how it differs from its
template (missing, renamed, moved, extra, near-miss columns). The one header finder is ``find_header``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xueji_addin.spec.columns import Column, column_letter
from xueji_addin.spec.header_near import as_written, is_near
from xueji_addin.spec.profiles import Profile, all_profiles, fold_header

@dataclass
class HeaderMatch:
    """How a sheet's header row relates to a profile.

    ``positions`` maps each profile key found to its 0-based column index in the sheet. The lists
    say exactly how the header differs: nothing is guessed silently.
    """

    profile: Profile
    header_row: int  # 1-based sheet row
    positions: dict[str, int] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)  # profile keys not found
    extra: list[tuple[int, str]] = field(default_factory=list)  # (index, header) unknown to the profile
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (key, header as written): known alias
    near: list[tuple[str, str]] = field(default_factory=list)  # (key, header as written): a near-miss, read as the column
    moved: list[tuple[str, int]] = field(default_factory=list)  # (key, index) not at the profile's place
    duplicated: list[tuple[str, list[int]]] = field(default_factory=list)  # key found in several columns
    named: set[int] = field(default_factory=set)  # indexes of the header cells that hold a name

    @property
    def exact(self) -> bool:
        return not (self.missing or self.extra or self.renamed or self.moved or self.duplicated)

    @property
    def score(self) -> int:
        return len(self.positions)

    # The differences with the sheet's column letters, for sentences (``describe``; workbook.layout's).

    def missing_columns(self) -> list[Column]:
        return [self.profile.by_key[k] for k in self.missing]

    def renamed_columns(self) -> list[tuple[Column, str, str]]:
        """(template column, its header as written, its letter in the sheet) of each renamed column."""
        return [(self.profile.by_key[k], written, column_letter(self.positions[k] + 1)) for k, written in self.renamed]

    def near_columns(self) -> list[tuple[Column, str, str]]:
        """(template column, its header as written, its letter in the sheet) of each near-miss header."""
        return [(self.profile.by_key[k], written, column_letter(self.positions[k] + 1)) for k, written in self.near]

    def moved_columns(self) -> list[tuple[Column, str]]:
        """(template column, its letter in the sheet) of each column away from the template's place."""
        return [(self.profile.by_key[k], column_letter(i + 1)) for k, i in self.moved]

    def extra_columns(self) -> list[tuple[str, str]]:
        """(letter, header) of each column the template does not have."""
        return [(column_letter(i + 1), header) for i, header in self.extra]

    def duplicated_columns(self) -> list[tuple[Column, list[str]]]:
        """(template column, its letters in the sheet) of each column found more than once."""
        return [(self.profile.by_key[k], [column_letter(i + 1) for i in idx]) for k, idx in self.duplicated]

    def describe(self) -> list[str]:
        """The differences as Chinese sentences (one per difference)."""
        return [sentence for _, sentence in self.differences()]

    def differences(self) -> list[tuple[str, str]]:
        """(kind, sentence) of each difference; columns in another order are one sentence, not one per
        column (a shuffled header is one cause, and ``xueji import`` puts it right)."""
        moved = self.moved_columns()
        order = []
        if len(moved) == 1:
            order = [f"列“{moved[0][0].header}”在{moved[0][1]}列，模板规定在{moved[0][0].letter}列"]
        elif moved:
            c, letter = moved[0]
            order = [f"有 {len(moved)} 列不在模板规定的位置（如“{c.header}”在{letter}列，模板规定在{c.letter}列），已按列名读取"]
        return [
            *(("missing", f"缺少列“{c.header}”（模板第{c.order}列，{c.letter}列）") for c in self.missing_columns()),
            *(("renamed", f"列名“{written}”应改为模板列名“{c.header}”") for c, written, _ in self.renamed_columns()),
            *(("moved", sentence) for sentence in order),
            *(("extra", f"{letter}列“{header}”不是模板中的列") for letter, header in self.extra_columns()),
            *(("duplicated", f"列“{c.header}”出现了多次（{'、'.join(letters)}列），只使用第一列")
              for c, letters in self.duplicated_columns()),
        ]


def match_header(profile: Profile, cells: list[object], header_row: int) -> HeaderMatch:
    m = HeaderMatch(profile, header_row)
    seen: dict[str, list[int]] = {}
    typos: set[int] = set()  # header cells matched only as a near-miss
    shifted = False
    unknown: list[tuple[int, object]] = []
    for index, cell in enumerate(cells):
        if fold_header(cell) == "":
            continue
        m.named.add(index)
        col = profile.column_for_header(cell)
        if col is None:
            unknown.append((index, cell))
            continue
        seen.setdefault(col.key, []).append(index)
    # Near-misses only on a row that is a header already (a third of the columns named as written):
    # a data row's cells are never compared with every header, which cost the reader a second a sheet.
    header_like = len(seen) * 3 >= len(profile.columns)
    for index, cell in unknown:
        if header_like and (col := profile.near_column(cell)) is not None:
            typos.add(index)
            seen.setdefault(col.key, []).append(index)
        elif fold_header(cell) in map(fold_header, profile.optional_headers):
            shifted = True  # e.g. the teacher template's leading 学校名称: not an error, columns move by one
        else:
            m.extra.append((index, str(cell).strip()))
    for indexes in seen.values():
        indexes.sort()
    for key, indexes in seen.items():
        col = profile.by_key[key]
        index = indexes[0]
        m.positions[key] = index
        if len(indexes) > 1:
            m.duplicated.append((key, indexes))
        written = fold_header(cells[index])
        if as_written(cells[index]) in col.header_variants:
            continue
        if cells[index] == col.header:
            continue
        if index in typos or written in map(fold_header, col.header_near) or is_near(str(cells[index]), col.header, typo=False):
            m.near.append((key, str(cells[index])))
        elif written != fold_header(col.header) and written not in map(fold_header, col.header_variants):
            m.renamed.append((key, str(cells[index]).strip()))
    m.missing = [c.key for c in profile.columns if c.key not in m.positions]
    # A column is "moved" when it is not where the template puts it; columns merely shifted by
    # a missing or extra column are reported through those lists instead.
    expected_order = [c.key for c in profile.columns if c.key in m.positions]
    actual_order = sorted(m.positions, key=m.positions.__getitem__)
    if expected_order != actual_order:
        m.moved = _out_of_order(expected_order, actual_order, m.positions)
    elif not (m.missing or m.extra or shifted):
        m.moved = [(k, i) for k, i in m.positions.items() if i != profile.by_key[k].order - 1]
    return m


def _out_of_order(expected: list[str], actual: list[str], positions: dict[str, int]) -> list[tuple[str, int]]:
    """Keys outside the longest run that keeps the template's order: the fewest columns that moved."""
    rank = {k: i for i, k in enumerate(expected)}
    seq = [rank[k] for k in actual]
    # longest increasing subsequence (n ≤ ~80, quadratic is fine)
    best: list[list[int]] = []
    for i, v in enumerate(seq):
        prev = max((best[j] for j in range(i) if seq[j] < v), key=len, default=[])
        best.append(prev + [v])
    keep = {expected[v] for v in max(best, key=len, default=[])}
    return [(k, positions[k]) for k in actual if k not in keep]


HEADER_SCAN = 10  # how deep a header is looked for: the first 10 rows of a sheet, everywhere


def find_header(rows: list[list[object]], profiles: list[Profile] | None = None) -> HeaderMatch | None:
    """The one header finder: the row among a sheet's first ``HEADER_SCAN`` rows that names most of
    a profile's columns. Returns None when no row names at least a third of any profile's columns.
    """
    best: HeaderMatch | None = None
    for profile in profiles or all_profiles():
        for r, cells in enumerate(rows[:HEADER_SCAN]):
            m = match_header(profile, list(cells), r + 1)
            if m.score * 3 < len(profile.columns):
                continue
            # The most columns named wins; on a tie, the profile the row covers more fully.
            if best is None or (m.score, m.score / len(profile.columns)) > (best.score, best.score / len(best.profile.columns)):
                best = m
    return best
