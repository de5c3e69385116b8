"""The state one check run shares: normalised values by column, and the findings so far."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any
from dataclasses import dataclass, field, replace

from xueji_addin.rules.findings import WARNING, Finding, Issue
from xueji_addin.rules.ids import RicInfo
from xueji_addin.rules.roster import Roster
from xueji_addin.spec.codes import code_table
from xueji_addin.spec.settings import Settings


def positions(values: list, wanted: Collection[object]) -> list[int]:
    """The indexes of ``values`` that are in ``wanted``, in order (one pass)."""
    if len(wanted) > _FEW:
        return [i for i, v in enumerate(values) if v in wanted]
    # A few wanted values (a blank, 其他, 是): list.index scans at C speed, and most wanted values
    # are rare, so the Python work is per row found rather than per row.
    found: list[int] = []
    for w in wanted:
        i = -1
        try:
            while True:
                i = values.index(w, i + 1)
                found.append(i)
        except ValueError:
            pass
    return sorted(found) if len(wanted) > 1 else found


_FEW = 3


@dataclass
class Context:
    roster: Roster
    settings: Settings
    values: dict[str, list[str]] = field(default_factory=dict)  # key → normalised text per row
    ric: dict[str, list[RicInfo | None]] = field(default_factory=dict)  # ID key → parsed resident ID
    findings: list[Finding] = field(default_factory=list)
    results: dict[tuple[str, str], Any] = field(default_factory=dict)  # (stage, key) → reuse.ColumnResult, for a recheck

    def __post_init__(self) -> None:
        self._blank = [""] * len(self.roster)
        self._names: dict[str, list[str]] = {}
        # Distinct texts (and names) of a column: most rules can tell from them alone that no row
        # of the column can fail, without a pass over its thousands of rows.
        self._distinct: dict[str, set[str]] = {}
        self._name_sets: dict[str, set[str]] = {}
        # Columns known to hold no blank text (found while they were checked, without a pass of
        # their own): the required-field rules need not look for blanks in names, IDs, phones.
        self._filled: set[str] = set()
        # Column letters as findings need them: a live check of one row touches a few of the 71.
        self._letters: dict[str, str] = {}

    def has(self, key: str) -> bool:
        return key in self.values

    def v(self, key: str) -> list[str]:
        """The column's texts; blanks where the file lacks the column (its absence is reported once)."""
        return self.values.get(key, self._blank)

    def put(self, key: str, texts: list[str], distinct: set[str] | None = None, *, filled: bool = False) -> None:
        """Set a column's texts (and their distinct values, or that none is blank, when the caller
        knows it)."""
        self.values[key] = texts
        self._names.pop(key, None)
        self._name_sets.pop(key, None)
        if filled:
            self._filled.add(key)
        else:
            self._filled.discard(key)
        if distinct is None:
            self._distinct.pop(key, None)
        else:
            self._distinct[key] = distinct

    def known_distinct(self, key: str) -> set[str] | None:
        """The distinct texts of a column where they are known already (None: not worked out)."""
        return self._distinct.get(key)

    def filled(self, key: str) -> bool:
        """Whether the column is known to hold no blank text."""
        return key in self._filled

    def distinct(self, key: str) -> set[str]:
        """The distinct texts of a column."""
        done = self._distinct.get(key)
        if done is None:
            done = self._distinct[key] = set(self.v(key))
        return done

    def names(self, key: str) -> list[str]:
        """A coded column's values mapped to canonical names where the mapping is certain."""
        done = self._names.get(key)
        if done is not None:
            return done
        values = self.v(key)
        col = self.roster.profile.by_key[key]
        table = code_table(col.code_table or "")
        distinct = self.distinct(key)
        mapping = {}
        for text in distinct:
            if text and text not in table:
                m = table.match(text)
                if m.name:
                    mapping[text] = m.name
        out = values if not mapping else [mapping.get(t, t) for t in values]
        self._names[key] = out
        self._name_sets[key] = distinct if not mapping else {mapping.get(t, t) for t in distinct}
        return out

    def name_set(self, key: str) -> set[str]:
        """The distinct canonical names of a coded column."""
        if key not in self._name_sets:
            self.names(key)
        return self._name_sets[key]

    def rows_with(self, key: str, wanted: Collection[str], *, names: bool = False) -> list[int]:
        """The rows whose text (or canonical name) is one of ``wanted``, in order. No pass over the
        rows when the column's distinct values already say that none is."""
        if not names and key not in self._distinct:  # names, IDs, phones: one pass costs less than their set
            if key in self._filled and len(wanted) == 1 and "" in wanted:
                return []
            return positions(self.v(key), wanted)
        distinct = self.name_set(key) if names else self.distinct(key)
        if distinct.isdisjoint(wanted):
            return []
        return positions(self.names(key) if names else self.v(key), wanted)

    def classes(self) -> list[str]:
        """Each row's class as its template names it: the 班号 (version A), 年级 + 班级号 (version B);
        blank where a part is blank. Printing, splitting, counting and comparing go by it."""
        keys = [k for k in self.roster.profile.class_keys if k in self.roster.profile.by_key]
        if len(keys) == 1:
            return self.v(keys[0])
        parts = [self.v(k) for k in keys]
        return ["".join(p) if all(p) else "" for p in zip(*parts)] if parts else self._blank

    def add(self, issue: Issue, i: int, key: str) -> None:
        col = self.roster.profile.by_key[key]
        if col.low_confidence and issue.severity is not WARNING:
            issue = replace(issue, severity=WARNING)  # spec/tables: low confidence → a warning, never an error
        self.findings.append(
            issue.at(sheet=self.roster.sheet, row=self.roster.rows[i], column=self.letter(key), header=col.header)
        )

    def letter(self, key: str) -> str:
        done = self._letters.get(key)
        if done is None:
            done = self._letters[key] = self.roster.letter(key)
        return done

    def at_row(self, key: str, i: int) -> str:
        """A cell reference for messages that point at another cell, e.g. "D7"."""
        return f"{self.letter(key)}{self.roster.rows[i]}"
