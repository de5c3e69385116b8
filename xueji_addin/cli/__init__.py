"""The ``xueji`` command line (typer + rich). Each command lives in its own module; they all
share ``app`` and the error handling here: bad input is one Chinese sentence and exit code 2."""

from __future__ import annotations

import sys

from xueji_addin.cli.app import app, run

# Importing the command modules registers their commands on ``app``.
from xueji_addin.cli import validate  # noqa: E402,F401
from xueji_addin.cli import rules_cmd  # noqa: E402,F401
from xueji_addin.cli import tables  # noqa: E402,F401
from xueji_addin.cli import template  # noqa: E402,F401
from xueji_addin.cli import registrar  # noqa: E402,F401
from xueji_addin.cli import print_cmd  # noqa: E402,F401


def main() -> None:
    sys.exit(run(sys.argv[1:]))


__all__ = ["app", "main"]
