"""Profiles: one version of a ministry template (sheet name, ordered columns) and header matching."""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass, field
from enum import Enum
from functools import cache, cached_property, lru_cache
from importlib import resources

from xueji_addin.spec.columns import Column, Kind, Required, column_letter
from xueji_addin.spec.header_near import NearIndex, as_written, is_near


def fold_header(text: object) -> str:
    """Headers compare without spaces, line breaks, full/half-width differences or ★ marks."""
    if text is None:
        return ""
    return _fold(str(text))


@lru_cache(maxsize=4096)
def _fold(text: str) -> str:
    # Cached: the header search folds the first rows' cells once per profile and per row.
    s = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in s if not ch.isspace() and ch not in "★*＊")


class Role(str, Enum):
    """What a table holds: the tables of one collection are found by role, never by a profile id."""

    STUDENTS = "student"  # the values are the report schema's "role"
    CLASSES = "class"
    TEACHERS = "teacher"
    SCHOOL = "school"
    CAMPUS = "campus"


@dataclass(frozen=True)
class Profile:
    id: str
    title: str
    sheet_name: str
    columns: tuple[Column, ...]
    header_row: int = 1  # sheet row of the headers; data starts on the next row
    optional_headers: tuple[str, ...] = ()  # columns some templates add that are not the profile's (ignored)
    noun: str = "学生"  # what one row is, for messages: 表中没有学生数据
    measure: str = "名"  # its measure word: 45 名学生, 3 个班级
    role: Role = Role.STUDENTS
    version: str = ""  # the template version within its role ("A", "B"); "" where there is one
    names: tuple[str, ...] = ()  # what a user may type for --profile (学生, 班级 …)
    class_keys: tuple[str, ...] = ()  # the columns that name a row's class (班号; 年级 + 班级号 in version B)

    def count(self, n: int) -> str:
        """"45 名学生", "3 个班级": a number of rows as a user says it."""
        return f"{n} {self.measure}{self.noun}"

    @cached_property
    def by_key(self) -> dict[str, Column]:
        return {c.key: c for c in self.columns}

    @cached_property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    @cached_property
    def _header_lookup(self) -> dict[str, Column]:
        """Folded header or alias → column (exact headers win over aliases)."""
        lookup: dict[str, Column] = {}
        for c in self.columns:
            for alias in c.header_aliases:
                lookup.setdefault(fold_header(alias), c)
        for c in self.columns:
            lookup[fold_header(c.header)] = c
        return lookup

    def column_for_header(self, header: object, *, aliases: bool = True) -> Column | None:
        key = fold_header(header)
        col = self._header_lookup.get(key)
        if col is not None and not aliases and fold_header(col.header) != key:
            return None
        return col

    @cached_property
    def _near(self) -> NearIndex:
        return NearIndex(self.headers)

    def near_column(self, header: object) -> Column | None:
        """The one column whose header ``header`` is a near-miss of (``header_near``), or None."""
        found = self._near.find(str(header))
        return self.columns[found[0]] if len(found) == 1 else None

    def keys_of(self, kind: Kind) -> list[str]:
        return [c.key for c in self.columns if c.kind is kind]


@cache
def _index() -> dict[str, dict[str, str]]:
    """The profile registry (data/profiles/INDEX.csv): a new template version is a line there and
    its columns file beside it."""
    text = resources.files("xueji_addin.spec").joinpath("data/profiles/INDEX.csv").read_text("utf-8-sig")
    return {row["id"]: row for row in csv.DictReader(text.splitlines())}


@cache
def load_profile(profile_id: str = "student_A") -> Profile:
    entry = _index()[profile_id]
    text = resources.files("xueji_addin.spec").joinpath(f"data/profiles/{entry['file']}").read_text("utf-8-sig")
    cols = []
    for row in csv.DictReader(text.splitlines()):
        cols.append(
            Column(
                order=int(row["order"]),
                header=row["header"],
                key=row["key"],
                section=row["section"],
                required=Required(row["required"]),
                kind=Kind(row["kind"]),
                max_length=int(row["max_length"]) if row["max_length"] else None,
                code_table=row["code_table"] or None,
                help=row["help"],
                header_aliases=tuple(a.lstrip("=~") for a in row["header_aliases"].split("|") if a and a[0] != "?"),
                # "?…": another system's header for this column when its values are of the column's form
                header_if_values=tuple(a[1:] for a in row["header_aliases"].split("|") if a.startswith("?")),
                # "=…": how the national template of that table writes the header (e.g. 出生日期(yyyy-MM-dd))
                header_variants=tuple(a[1:] for a in row["header_aliases"].split("|") if a.startswith("=")),
                # "~…": a near-miss of the header (a warning, read as the column), not another layout's name
                header_near=tuple(a[1:] for a in row["header_aliases"].split("|") if a.startswith("~")),
                confidence=row.get("confidence") or "high",
            )
        )
    optional = tuple(h for h in entry["optional_headers"].split("|") if h)
    return Profile(profile_id, entry["title"], entry["sheet"], tuple(cols), optional_headers=optional,
                   noun=entry["noun"], measure=entry["measure"], role=Role(entry["role"]),
                   version=entry["version"], names=tuple(n for n in entry["names"].split("|") if n),
                   class_keys=tuple(k for k in entry["class_keys"].split("|") if k))


def default_profile() -> Profile:
    """Version A of the student template: what a new file, a template or an import is written as."""
    return load_profile("student_A")


def all_profiles() -> list[Profile]:
    return [load_profile(pid) for pid in _index()]


def profiles_of(role: Role) -> list[Profile]:
    """Every version of one table (the student template's A, B …), in registry order."""
    return [p for p in all_profiles() if p.role is role]


def resolve_profile(name: str) -> Profile | None:
    """The profile a user means by ``name`` (student_A / student / 学生, class / 班级 …), or None."""
    key = fold_header(name).lower()
    for p in all_profiles():
        if key in (p.id.lower(), p.id.split("_")[0].lower(), *(fold_header(n) for n in p.names)):
            return p
    return None


# --- header recognition -------------------------------------------------------------------


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
        return [
            *(f"缺少列“{c.header}”（模板第{c.order}列，{c.letter}列）" for c in self.missing_columns()),
            *(f"列名“{written}”应改为模板列名“{c.header}”" for c, written, _ in self.renamed_columns()),
            *(f"列“{c.header}”在{letter}列，模板规定在{c.letter}列" for c, letter in self.moved_columns()),
            *(f"{letter}列“{header}”不是模板中的列" for letter, header in self.extra_columns()),
            *(f"列“{c.header}”出现了多次（{'、'.join(letters)}列），只使用第一列" for c, letters in self.duplicated_columns()),
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
