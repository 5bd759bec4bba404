"""The leak and safety checks of test_leaks.py, for the class options and protocols."""

from __future__ import annotations

import copy
import gc
import pickle
import sys
import weakref

from slotkit import FrozenInstanceError, Record, replace

from .test_leaks import traced_growth


class W(Record, weakref=True):
    x: float
    name: str


class X(Record, extra=True):
    x: float


class F(Record, frozen=True):
    x: float
    name: str


def test_weakref_records_create_destroy_flat():
    name = "n" * 30
    before = (sys.getrefcount(W), sys.getrefcount(name))

    def loop():
        for i in range(200_000):
            w = W(i, name)
            r = weakref.ref(w)
            del w
            assert r() is None

    assert traced_growth(loop) < 2048
    assert (sys.getrefcount(W), sys.getrefcount(name)) == before


def test_extra_records_create_destroy_flat():
    value = "v" * 30
    before = (sys.getrefcount(X), sys.getrefcount(value))

    def loop():
        for i in range(100_000):
            x = X(i)
            x.note = value
            x.me = x

    assert traced_growth(loop) < 4096
    gc.collect()
    assert (sys.getrefcount(X), sys.getrefcount(value)) == before


def test_frozen_failures_and_hash_flat():
    name = "n" * 30
    before = (sys.getrefcount(F), sys.getrefcount(name))

    def loop():
        for i in range(100_000):
            f = F(i, name)
            hash(f)
            try:
                f.x = 1.0
            except FrozenInstanceError:
                pass

    assert traced_growth(loop) < 2048
    assert (sys.getrefcount(F), sys.getrefcount(name)) == before


def settled_blocks() -> int:
    """Live memory blocks once CPython's type attribute cache is emptied.

    That cache (4096 entries, Objects/typeobject.c) files each lookup under the address of the
    name object and keeps a reference to the name. The unpickler builds the names it reads
    (``'reconstruct'``, the class name) afresh on every load and looks them up on the module
    type, so each ``pickle.loads`` leaves an entry holding its own copy of ``'reconstruct'``
    until another lookup evicts it. The number of such copies is bounded by the cache's size and
    drifts by tens of blocks from one round to the next on every version (clearing the cache
    frees 170-290 of them on 3.11-3.13); on 3.14 and 3.15 the drift went past 50 blocks. With
    the cache emptied before each count, the count is exact on 3.11 to 3.15.
    """
    clear = getattr(sys, "_clear_internal_caches", None) or sys._clear_type_cache
    clear()
    gc.collect()
    return sys.getallocatedblocks()


def test_pickle_copy_replace_round_trips_flat():
    name = "n" * 30
    objs = [W(1.0, name), F(2.0, name)]
    before = sys.getrefcount(name)

    def loop():
        for _ in range(5_000):
            for o in objs:
                pickle.loads(pickle.dumps(o, 5))
                pickle.loads(pickle.dumps(o, 0))
                copy.deepcopy(o)
                replace(o, x=3.0)

    # Live blocks, not tracemalloc bytes: pickle's and copy's own caches are re-allocated in
    # place. A leak of one object per round trip would add 40,000 blocks.
    loop()
    blocks = settled_blocks()  # counted before the int object that holds it is made
    loop()
    assert settled_blocks() - blocks == 1  # that int is the one block more: nothing else stays
    assert sys.getrefcount(name) == before
