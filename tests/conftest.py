"""Shared helpers: real workbooks built from synthetic records, written to disk and read back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from xueji_addin import synth
from xueji_addin.rules.engine import check
from xueji_addin.rules.findings import Finding
from xueji_addin.samples import write_roster_xlsx
from xueji_addin.spec.profiles import default_profile
from xueji_addin.spec.settings import Settings
from xueji_addin.workbook.reader import read_roster

TODAY = dt.date(2026, 11, 28)
SETTINGS = Settings(today=TODAY)
SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture
def clean_records() -> list[dict[str, object]]:
    return [dict(r) for r in synth.class_roster(7, 12)]


def letter(key: str) -> str:
    return default_profile().by_key[key].letter


def roundtrip(tmp_path: Path, records: list[dict[str, object]], settings: Settings = SETTINGS, name: str = "class.xlsx") -> list[Finding]:
    """Write the records as a real .xlsx, read it back and check it."""
    path = tmp_path / name
    write_roster_xlsx(path, records)
    return check(read_roster(path), settings)


def cells(findings: list[Finding]) -> set[tuple[str, str, str]]:
    """(code, cell, severity) of each finding."""
    return {(f.code, f.cell, f.severity.value) for f in findings}
