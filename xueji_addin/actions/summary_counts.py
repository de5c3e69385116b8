"""The counts of 学生情况统计表: each class's and the school's students by gender, 民族, 户口性质,
留守儿童, 随迁子女, 残疾, 住校 …, and the students without a resident ID; from normalised student tables."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from xueji_addin.rules.context import Context
from xueji_addin.rules.ids import RIC

NO_CLASS = "（未填班号）"

Row = dict[str, str]  # one student's texts (coded columns as names) by profile key


def _no_id(row: Row) -> bool:
    return row["id_type"] != RIC or not row["id_number"]


class Measure(NamedTuple):
    """One counted column of the table: its group header (merged above), header, key and test."""

    group: str
    header: str
    key: str
    counts: Callable[[Row], bool]


# The printed columns, in order; each says once what it counts.
MEASURES: tuple[Measure, ...] = (
    Measure("性别", "男", "male", lambda r: r["gender"] == "男"),
    Measure("性别", "女", "female", lambda r: r["gender"] == "女"),
    Measure("民族", "汉族", "han", lambda r: r["ethnicity"] == "汉族"),
    Measure("民族", "少数民族", "minority", lambda r: bool(r["ethnicity"]) and r["ethnicity"] != "汉族"),
    Measure("户口性质", "农业户口", "agricultural", lambda r: r["hukou_type"] == "农业户口"),
    Measure("户口性质", "非农业户口", "non_agricultural", lambda r: r["hukou_type"] == "非农业户口"),
    Measure("", "留守儿童", "left_behind", lambda r: r["left_behind"] in ("单亲留守儿童", "双亲留守儿童")),
    Measure("", "随迁子女", "migrant", lambda r: r["migrant_child"] == "是"),
    Measure("", "残疾", "disabled", lambda r: bool(r["disability_type"]) and r["disability_type"] != "无残疾"),
    Measure("", "住校", "boarding", lambda r: r["study_mode"] == "住校"),
    Measure("", "无身份证", "no_id", _no_id),
)


@dataclass
class Counts:
    """The students of a class (or of the school): in all, and per measure (``counts["male"]``)."""

    total: int = 0
    by: dict[str, int] = field(default_factory=lambda: dict.fromkeys((m.key for m in MEASURES), 0))

    def __getitem__(self, key: str) -> int:
        return self.by[key]

    def add(self, other: "Counts") -> None:
        self.total += other.total
        for key, n in other.by.items():
            self.by[key] += n


@dataclass(frozen=True)
class NoIdStudent:
    class_no: str
    name: str
    gender: str
    birth_date: str
    id_type: str
    id_number: str
    source: str  # file and sheet row, to find the record


@dataclass
class SchoolSummary:
    school: str
    classes: dict[str, Counts] = field(default_factory=dict)  # 班号 → counts, in 班号 order
    class_names: dict[str, str] = field(default_factory=dict)
    no_id: list[NoIdStudent] = field(default_factory=list)
    files: int = 0
    duplicates: int = 0  # rows left out: the same ID number already counted (a student in two files)

    @property
    def total(self) -> Counts:
        out = Counts()
        for c in self.classes.values():
            out.add(c)
        return out


# The columns a count reads (with the class's: Profile.class_keys)
COUNTED = ("gender", "ethnicity", "hukou_type", "left_behind", "migrant_child", "disability_type", "study_mode",
           "id_type", "id_number", "name", "birth_date")


def counted_keys(class_keys: Iterable[str]) -> frozenset[str]:
    """The columns to normalise for a count: COUNTED, the class's and the school code (its name's fallback)."""
    return frozenset((*COUNTED, *class_keys, "school_code"))


def count(contexts: Iterable[Context], *, school: str = "", class_names: dict[str, str] | None = None) -> SchoolSummary:
    """Count the students of the normalised student tables (coded values read through their names)."""
    summary = SchoolSummary(school, class_names=dict(class_names or {}))
    per_class: dict[str, Counts] = {}
    seen: set[str] = set()
    for ctx in contexts:
        n = len(ctx.roster)
        cols = {k: ctx.names(k) if k in ctx.roster.profile.by_key and ctx.roster.profile.by_key[k].code_table else ctx.v(k)
                for k in COUNTED}
        cols["class_no"] = ctx.classes()
        for i in range(n):
            row = {k: v[i] for k, v in cols.items()}
            number = row["id_number"].upper()
            if number and number in seen:
                summary.duplicates += 1  # e.g. the school file and a class file in the same folder
                continue
            seen.add(number)
            c = per_class.setdefault(row["class_no"] or NO_CLASS, Counts())
            c.total += 1
            for m in MEASURES:
                c.by[m.key] += m.counts(row)
            if _no_id(row):
                summary.no_id.append(NoIdStudent(row["class_no"], row["name"], row["gender"], row["birth_date"],
                                                 row["id_type"], row["id_number"], f"{ctx.roster.source} 第{ctx.roster.rows[i]}行"))
    summary.classes = {k: per_class[k] for k in sorted(per_class, key=lambda k: (k == NO_CLASS, k))}
    summary.no_id.sort(key=lambda s: (s.class_no, s.name))
    return summary
