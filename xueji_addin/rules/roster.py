"""A roster: one sheet's data rows, keyed by the profile's columns, as raw cell values.

Reading never loses information: an ID number that Excel stored as a float is kept as the float,
so that a rule can say what happened to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xueji_addin.rules.findings import Finding
from xueji_addin.spec.columns import column_letter
from xueji_addin.spec.profiles import Profile
from xueji_addin.spec.headers import HeaderMatch


@dataclass
class Roster:
    profile: Profile
    sheet: str
    header: HeaderMatch
    rows: list[int]  # sheet row number of each data row
    cells: dict[str, list[object]]  # profile key → raw value of each data row (keys found only)
    source: str = ""  # the file name, for reports
    extra: dict[str, list[object]] = field(default_factory=dict)  # unknown columns: header → values
    read_findings: list[Finding] = field(default_factory=list)  # what the reader saw: formulas, merges, hidden rows
    sheet_named: bool = True  # False for a CSV or web page: its sheet name is the file's, not one to rename

    def __len__(self) -> int:
        return len(self.rows)

    def letter(self, key: str) -> str:
        """The sheet's column letter of a profile key (where the file has it, not the template)."""
        index = self.header.positions.get(key)
        return column_letter(index + 1) if index is not None else self.profile.by_key[key].letter

    def record(self, i: int) -> dict[str, object]:
        """Row ``i`` (0-based data index) as key → raw value."""
        return {k: v[i] for k, v in self.cells.items()}

    @classmethod
    def from_records(
        cls, profile: Profile, records: list[dict[str, object]], *, sheet: str | None = None, first_row: int = 2
    ) -> "Roster":
        """A roster in the template's own layout (used by tests, the live check and generators)."""
        from xueji_addin.spec.headers import match_header

        header = match_header(profile, profile.headers, 1)
        cells = {c.key: [r.get(c.key) for r in records] for c in profile.columns}
        rows = list(range(first_row, first_row + len(records)))
        return cls(profile, sheet or profile.sheet_name, header, rows, cells)
