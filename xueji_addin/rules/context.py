"""The state one check run shares: normalised values by column, and the findings so far."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from xueji_addin.rules.findings import WARNING, Finding, Issue
from xueji_addin.rules.ids import RicInfo
from xueji_addin.rules.roster import Roster
from xueji_addin.spec.codes import code_table
from xueji_addin.spec.settings import Settings


@dataclass
class Context:
    roster: Roster
    settings: Settings
    values: dict[str, list[str]] = field(default_factory=dict)  # key → normalised text per row
    ric: dict[str, list[RicInfo | None]] = field(default_factory=dict)  # ID key → parsed resident ID
    findings: list[Finding] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._blank = [""] * len(self.roster)
        self._names: dict[str, list[str]] = {}
        self._letters = {k: self.roster.letter(k) for k in self.roster.profile.by_key}

    def has(self, key: str) -> bool:
        return key in self.values

    def v(self, key: str) -> list[str]:
        """The column's texts; blanks where the file lacks the column (its absence is reported once)."""
        return self.values.get(key, self._blank)

    def names(self, key: str) -> list[str]:
        """A coded column's values mapped to canonical names where the mapping is certain."""
        done = self._names.get(key)
        if done is not None:
            return done
        values = self.v(key)
        col = self.roster.profile.by_key[key]
        table = code_table(col.code_table or "")
        mapping = {}
        for text in set(values):
            if text and text not in table:
                m = table.match(text)
                if m.name:
                    mapping[text] = m.name
        out = values if not mapping else [mapping.get(t, t) for t in values]
        self._names[key] = out
        return out

    def add(self, issue: Issue, i: int, key: str) -> None:
        col = self.roster.profile.by_key[key]
        if col.low_confidence and issue.severity is not WARNING:
            issue = replace(issue, severity=WARNING)  # spec/tables: low confidence → a warning, never an error
        self.findings.append(
            issue.at(sheet=self.roster.sheet, row=self.roster.rows[i], column=self._letters[key], header=col.header)
        )

    def at_row(self, key: str, i: int) -> str:
        """A cell reference for messages that point at another cell, e.g. "D7"."""
        return f"{self._letters[key]}{self.roster.rows[i]}"
