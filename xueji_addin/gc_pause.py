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
def gc_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
