"""The ``xueji`` command line (typer + rich). Each command lives in its own module, imported only
when that command runs (``app.load_commands``); they all share ``app`` and the error handling there:
bad input is one Chinese sentence and exit code 2."""

from __future__ import annotations

import gc
import signal
import sys

from xueji_addin.gc_pause import gc_paused

with gc_paused(kept=True):  # the start-up's modules live to the end: the collector need not walk them as they are built
    from xueji_addin.cli import startup  # noqa: F401  (first: before anything imports openpyxl)
    from xueji_addin.cli.app import app, load_commands, run
    from xueji_addin.workbook.read_ahead import settle


def _terminated(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # so every temporary file and folder is removed on the way out


def main() -> None:
    # SIGTERM (kill, a closed terminal session, a service stopping) ends the run as Ctrl+C does:
    # the writers' cleanup runs, and LibreOffice is stopped with its temporary copy of the data.
    signal.signal(signal.SIGTERM, _terminated)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, _terminated)
    try:
        code = run(sys.argv[1:])
    finally:
        settle()  # no thread left parsing a file ahead (after an interrupt) while Python shuts down
    # The process ends here. Python collects once more at exit, walking every object the command
    # built only to find nothing to free (a few per cent of a large check); frozen, they are skipped.
    gc.freeze()
    sys.exit(code)


__all__ = ["app", "load_commands", "main", "run"]
