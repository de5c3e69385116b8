"""The collector's pause (gc_pause.py): what a kept pause built goes to the oldest generation
without a walk, and nothing of the collector's is lost on the way."""

from __future__ import annotations

import gc
import weakref

from xueji_addin.gc_pause import gc_paused


class _Node:
    me: object = None


def test_what_a_kept_pause_built_goes_to_the_oldest_generation() -> None:
    gc.collect()
    with gc_paused(kept=True):
        assert not gc.isenabled()
        built = [[i] for i in range(5000)]
    assert gc.isenabled()
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert all(id(b) in oldest for b in built)
    assert gc.get_count()[0] < 1000  # the young generation starts afresh: no pass over the 5,000 due


def test_a_plain_pause_leaves_the_young_generation_as_it_was() -> None:
    gc.collect()
    with gc_paused():
        built = [[i] for i in range(5000)]
    young = {id(o) for o in gc.get_objects(generation=0)} | {id(o) for o in gc.get_objects(generation=1)}
    assert sum(id(b) in young for b in built) > 4000


def test_garbage_built_under_a_kept_pause_is_still_collected() -> None:
    with gc_paused(kept=True):
        node = _Node()
        node.me = node  # a cycle: only the collector frees it
        ref = weakref.ref(node)
        del node
    assert ref() is not None
    gc.collect()
    assert ref() is None
    assert gc.get_freeze_count() == 0


def test_a_freeze_made_before_is_not_undone() -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert frozen > 0
        with gc_paused(kept=True):
            built = [[1], [2]]
        assert gc.get_freeze_count() >= frozen
        assert built
    finally:
        gc.unfreeze()


def test_a_pause_inside_a_pause_leaves_the_collector_paused() -> None:
    with gc_paused():
        with gc_paused(kept=True):
            pass
        assert not gc.isenabled()
    assert gc.isenabled()
