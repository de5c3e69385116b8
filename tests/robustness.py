"""Helpers for the robustness tests: the CLI in-process with wide consoles, and real roster rows."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from xueji_addin.cli.app import console, err_console, run
from xueji_addin.spec.profiles import default_profile
from xueji_addin.synth import class_roster


@pytest.fixture
def cli(capsys):
    """Run ``xueji`` in-process; returns (exit code, stdout, stderr). Consoles are wide: one line stays one line."""
    old = console.width, err_console.width
    console.width = err_console.width = 400

    def call(*args: object) -> tuple[int, str, str]:
        code = run([str(a) for a in args])
        cap = capsys.readouterr()
        return code, cap.out, cap.err

    yield call
    console.width, err_console.width = old


def roster_rows(seed: int = 3, size: int = 6) -> list[list[object]]:
    """Header row plus ``size`` valid records in the template's layout."""
    p = default_profile()
    return [list(p.headers)] + [[r.get(k, "") for k in p.by_key] for r in class_roster(seed, size)]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


REPO = Path(__file__).resolve().parents[1]


def xueji(*args: object, timeout: float = 300, **kw: object) -> subprocess.CompletedProcess[str]:
    """The command as a user runs it, in a process of its own: a native abort or a hang fails the
    test instead of taking the suite down."""
    return subprocess.run([sys.executable, "-m", "xueji_addin", *map(str, args)], cwd=REPO, capture_output=True,
                          text=True, timeout=timeout, **kw)  # type: ignore[call-overload]
