"""Pausing Python's cyclic garbage collector over work that only builds.

Reading a roster and checking it create hundreds of thousands of objects that all stay alive until
the work is done, and none of them in reference cycles. The collector would still walk them again
and again as they pile up (a tenth of a 10,000-student check went to it), so the work runs with it
paused; plain reference counting frees everything as before.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused(*, kept: bool = False) -> Iterator[None]:
    """``kept``: what the work built outlives it (a command's checked book, a command line's
    modules). The collector counts every object built under the pause as young; resumed, its first
    pass would walk them all (40 ms of a 10,000-pupil fix) and its next ones again as they age. They
    are moved to the oldest generation instead, unwalked: garbage among them is still collected, by
    the next full collection."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if kept and not gc.get_freeze_count():  # (freeze, then unfreeze: every generation into the oldest; nobody else's freeze undone)
                gc.freeze()
                gc.unfreeze()
            gc.enable()
