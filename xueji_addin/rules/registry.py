"""The records of the row, roster and book rules: what each reads, emits and applies to.

Each rule function is declared with ``@checks(…)`` next to its code, as frictionless' checks declare
their errors. The engine's run lists, the partial re-check of a few rows (校验选中行, the live edit:
which columns to read for every row) and the README's catalogue are all derived from these records,
so a new rule needs no second list anywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from functools import cache
from typing import TYPE_CHECKING

from xueji_addin.spec.profiles import Profile, Role

if TYPE_CHECKING:
    from xueji_addin.rules.context import Context
    from xueji_addin.rules.findings import Finding


class Scope(str, Enum):
    """Where a rule looks: one row at a time, all rows of a table, or the tables of a book together."""

    ROW = "row"
    ROSTER = "roster"
    BOOK = "book"


RuleFn = Callable[["Context"], None]


@dataclass(frozen=True)
class RuleRecord:
    fn: Callable[..., None]
    scope: Scope
    roles: frozenset[Role]
    reads: tuple[str, ...] | None  # the columns it compares; None: whichever the profile declares
    emits: tuple[str, ...]  # the finding codes it can produce
    supersedes: tuple[str, ...] = ()  # codes its finding replaces on the same cell (one finding per cause)

    @property
    def name(self) -> str:
        return f"{self.fn.__module__.rsplit('.', 1)[-1]}.{self.fn.__name__}"

    def applies(self, profile: Profile) -> bool:
        """A rule runs on a table of its role whose profile has every column it reads."""
        return profile.role in self.roles and (self.reads is None or all(k in profile.by_key for k in self.reads))


RECORDS: list[RuleRecord] = []


def checks(scope: Scope, *, roles: tuple[Role, ...], emits: tuple[str, ...], reads: tuple[str, ...] | None = None,
           supersedes: tuple[str, ...] = ()) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Declare a rule function's record (the function itself is returned unchanged)."""
    def declare(fn: Callable[..., None]) -> Callable[..., None]:
        RECORDS.append(RuleRecord(fn, scope, frozenset(roles), reads, emits, supersedes))
        return fn
    return declare


def _load() -> None:
    # Every module that declares rules, so the records are complete whoever asks first.
    from xueji_addin.rules import (  # noqa: F401
        consistency, crossrow, crosstable, family, rows, tables_class, tables_school, tables_teacher,
    )


@cache
def run_list(profile: Profile, scope: Scope) -> tuple[RuleRecord, ...]:
    """The rules of ``scope`` that apply to ``profile``, in declaration order."""
    _load()
    return tuple(r for r in RECORDS if r.scope is scope and r.applies(profile))


def book_rules() -> tuple[RuleRecord, ...]:
    _load()
    return tuple(r for r in RECORDS if r.scope is Scope.BOOK)


def compared_columns(profile: Profile) -> tuple[str, ...]:
    """The columns the roster and book rules of ``profile`` compare across rows and tables: what a
    check of a few rows must read for every row (and where a mark may belong to another row's cause)."""
    keys: dict[str, None] = {}
    for r in (*run_list(profile, Scope.ROSTER), *(b for b in book_rules() if profile.role in b.roles)):
        for k in r.reads if r.reads is not None else profile.by_key:
            keys.setdefault(k)
    return tuple(k for k in keys if k in profile.by_key)


def roster_codes(profile: Profile) -> frozenset[str]:
    """The codes the roster rules of ``profile`` emit."""
    return frozenset(c for r in run_list(profile, Scope.ROSTER) for c in r.emits)


def superseded() -> dict[str, tuple[str, ...]]:
    """code → the codes its finding replaces on the same cell."""
    _load()
    return {c: r.supersedes for r in RECORDS if r.supersedes for c in r.emits}


def without_superseded(findings: list[Finding], by: list[Finding]) -> list[Finding]:
    """``findings`` without those a finding of ``by`` replaces on its cell: one finding per cell and
    cause (the class table's XJ1501 over the settings' XJ622), in the whole check and the partial."""
    replaced = superseded()
    gone = {(f.cell, old) for f in by for old in replaced.get(f.code, ())}
    return [f for f in findings if (f.cell, f.code) not in gone] if gone else findings
