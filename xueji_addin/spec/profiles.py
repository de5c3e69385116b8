"""Profiles: one version of a ministry template (sheet name, ordered columns) and header matching."""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from enum import Enum
from functools import cache, cached_property, lru_cache
from importlib import resources

from xueji_addin.spec.columns import Column, Kind, Required
from xueji_addin.spec.header_near import NearIndex


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

