"""Findings, the unit of output, and the catalogue of rules that produce them.

Modelled on frictionless's errors: every rule has a stable code (users and tools key on it), a
severity, a title and a description; a finding adds the place and a concrete Chinese message.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from pydantic import BaseModel, ConfigDict


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"

    @property
    def label(self) -> str:
        return "错误" if self is Severity.ERROR else "提示"


ERROR = Severity.ERROR
WARNING = Severity.WARNING


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity  # the usual severity; a setting may raise a warning to an error
    scope: str  # "table" | "cell" | "row" | "roster"
    title: str  # what the rule checks, for the catalogue


RULES: dict[str, Rule] = {}

# Findings about the form of a value, not its content: how it is stored or spelled (a code where the
# name belongs, a number cell, spaces, a full-width digit, an alias, a formula). The registrar fixes them
# (``xueji fix``); a parent checking the printed content has nothing to correct, so print leaves them out.
FORM_NOT_CONTENT = frozenset({"XJ110", "XJ112", "XJ115", "XJ116", "XJ118", "XJ119", "XJ120", "XJ202", "XJ203", "XJ312"})


def rule(code: str, severity: Severity, scope: str, title: str) -> str:
    """Declare a rule in the catalogue; returns its code for use at the call site."""
    if code in RULES and RULES[code] != Rule(code, severity, scope, title):
        raise ValueError(f"rule {code} declared twice")
    RULES[code] = Rule(code, severity, scope, title)
    return code


class Finding(BaseModel):
    """One problem at one place. ``row`` is the sheet row (header = row 1), ``column`` the letter."""

    model_config = ConfigDict(frozen=True, json_schema_serialization_defaults_required=True)

    code: str
    severity: Severity
    sheet: str
    row: int | None
    column: str | None
    header: str | None
    message: str
    suggestion: str = ""
    fix: str | None = None

    @property
    def cell(self) -> str:
        if self.column and self.row:
            return f"{self.column}{self.row}"
        return self.column or (f"第{self.row}行" if self.row else "")

    def text(self) -> str:
        """The finding as one Chinese line: where, what, how to fix."""
        where = f"{self.cell}【{self.header}】" if self.header else self.cell
        tail = f"{self.suggestion}" if self.suggestion else ""
        return f"{where}{self.message}" + (f"；{tail}" if tail else "")


@dataclass(frozen=True)
class Issue:
    """What a check says about one value, before it is placed at a cell."""

    code: str
    message: str
    suggestion: str = ""
    fix: str | None = None
    severity: Severity | None = None  # None: the rule's own severity

    def at(self, *, sheet: str, row: int | None, column: str | None, header: str | None) -> Finding:
        return Finding(
            code=self.code,
            severity=self.severity or RULES[self.code].severity,
            sheet=sheet,
            row=row,
            column=column,
            header=header,
            message=self.message,
            suggestion=self.suggestion,
            fix=self.fix,
        )


def all_rules() -> dict[str, Rule]:
    """Every rule of the package. Each rules module registers its own when imported, and a command
    that checks nothing (``xueji rules``) imports only what it needs, so the catalogue loads them all."""
    import importlib
    import pkgutil

    import xueji_addin.rules as package

    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{module.name}")
    return RULES
