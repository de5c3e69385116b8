"""The ``xueji`` command line (typer + rich). Each command lives in its own module, imported only
when that command runs (``app.load_commands``); they all share ``app`` and the error handling there:
bad input is one Chinese sentence and exit code 2."""

from __future__ import annotations

import sys

from xueji_addin.cli.app import app, load_commands, run


def main() -> None:
    sys.exit(run(sys.argv[1:]))


__all__ = ["app", "load_commands", "main", "run"]
