"""Code tables: the value domains of coded columns.

Cells hold the *name* (spec/codes/INDEX.md); a code typed instead of a name, or a known alias,
is recognised so that the rule can offer the canonical name as a fix.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from xueji_addin.spec.countries import add_countries

_CODES_DIR = "data/codes"
# The 学校/校区/班级/教师 tables' own code tables; their ids get this prefix (their SF and NJ differ
# from the student template's).
_TABLES_DIR = "tables"
TABLES_PREFIX = "T_"


def fold(text: str) -> str:
    """The comparison key of a code-table value: NFKC, no spaces, 其它 read as 其他."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(text.split()).replace("其它", "其他").replace("(", "（").replace(")", "）")


@dataclass(frozen=True)
class Match:
    """How a cell value relates to a code table."""

    name: str | None  # the canonical name, when the value can be mapped to one
    exact: bool  # the value already is the canonical name
    how: str = ""  # "code" | "alias" | "label" | "spelling" for a non-exact match


@dataclass(frozen=True)
class Refusal:
    """A value some system offers that the template's list has not: the nearest option and why."""

    nearest: str
    why: str


@dataclass
class CodeTable:
    id: str  # e.g. "MZ"
    title: str  # e.g. "民族"
    names: list[str]  # the options offered in the template, in order
    codes: dict[str, str] = field(default_factory=dict)  # code -> name (template options only)
    aliases: dict[str, str] = field(default_factory=dict)  # folded alias -> name
    labels: set[str] = field(default_factory=set)  # folded aliases that other systems' dropdowns offer
    # Values real dropdowns offer that the national import refuses: folded value -> (nearest name, why).
    refused: dict[str, Refusal] = field(default_factory=dict)
    low_confidence: bool = False  # values from memory, not from a source: a value outside is a warning
    uncertain_codes: set[str] = field(default_factory=set)  # codes paired with their name by inference only
    _folded: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._folded = {fold(n): n for n in self.names}

    def match(self, value: str) -> Match:
        if value in self._folded.values():
            return Match(value, True)
        key = fold(value)
        if key in self._folded:
            return Match(self._folded[key], False, "spelling")
        if key in self.aliases:
            return Match(self.aliases[key], False, "label" if key in self.labels else "alias")
        # A code typed instead of the name; Excel drops the leading zero of "01".
        for code in (key, key.zfill(2)) if key.isdigit() else (key,):
            if code in self.codes:
                return Match(self.codes[code], False, "code")
        return Match(None, False)

    def code_of(self, name: str) -> str | None:
        for code, n in self.codes.items():
            if n == name:
                return code
        return None

    def __contains__(self, name: object) -> bool:
        return name in self._folded.values()


def _read_csv(name: str) -> list[dict[str, str]]:
    text = resources.files("xueji_addin.spec").joinpath(f"{_CODES_DIR}/{name}").read_text("utf-8-sig")
    return list(csv.DictReader(text.splitlines()))


def _load_folder(tables: dict[str, CodeTable], sub: str, prefix: str) -> None:
    folder = resources.files("xueji_addin.spec").joinpath(_CODES_DIR + (f"/{sub}" if sub else ""))
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".csv") or entry.name == "aliases.csv":
            continue
        table_id, _, rest = entry.name[:-4].partition("_")
        title = rest.split("_")[0]
        names: list[str] = []
        codes: dict[str, str] = {}
        uncertain: set[str] = set()
        low = False
        for row in _read_csv(f"{sub}/{entry.name}" if sub else entry.name):
            used = row.get("used_in_template", "").strip()
            name = row["name"].strip()
            low = low or "LOW confidence: value list" in (row.get("note") or "")
            if used.startswith("no") or used in ("unverified", "variant"):
                continue  # valid elsewhere, but not an option of this template
            if name not in names:
                names.append(name)
            code = row["code"].strip()
            if code:
                codes.setdefault(code, name)
                if (row.get("code_confidence") or "").startswith("low"):
                    uncertain.add(code)
        tables[prefix + table_id] = CodeTable(prefix + table_id, title, names, codes, low_confidence=low,
                                              uncertain_codes=uncertain)


@cache
def code_tables() -> dict[str, CodeTable]:
    """Every code table the package carries, by id (the other tables' ones prefixed ``T_``)."""
    tables: dict[str, CodeTable] = {}
    _load_folder(tables, "", "")
    _load_folder(tables, _TABLES_DIR, TABLES_PREFIX)
    for row in _read_csv("aliases.csv"):
        table, key = tables[row["table"]], fold(row["alias"])
        if row["kind"] == "refused":
            table.refused[key] = Refusal(row["name"], row["why"])
            continue
        table.aliases[key] = row["name"]
        if row["kind"] == "label":
            table.labels.add(key)
    add_countries(tables["GJDQ"])
    # 民族 written without 族 (汉 → 汉族) is the commonest alias of all: derive it.
    mz = tables["MZ"]
    for name in mz.names:
        if name.endswith("族") and len(name) >= 2:
            mz.aliases.setdefault(fold(name[:-1]), name)
    return tables


def code_table(table_id: str) -> CodeTable:
    return code_tables()[table_id]
