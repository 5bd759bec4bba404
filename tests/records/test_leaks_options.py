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


def test_pickle_copy_replace_round_trips_flat():
    # In a fresh interpreter, so that no other test's objects share the caches that pickle,
    # copy and the interpreter keep (method caches, copyreg, pickle's dispatch). They fill in
    # the first two rounds (+70 and +14 blocks on 3.11), then move by a few blocks at most
    # (measured: 40196 40198 40198 40198 40198 40199 40199 over rounds 3-9, up to +10 over three
    # rounds under pytest), while a leak of one object per round trip would add 120,000 blocks
    # over three rounds, and of one per 2,500 round trips still 48.
    import subprocess
    import textwrap

    code = textwrap.dedent("""
        import copy, gc, pickle, sys
        from slotkit import Record, replace
        class W(Record, weakref=True):
            x: float
            name: str
        class F(Record, frozen=True):
            x: float
            name: str
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
        counts = []
        for _ in range(6):
            loop()
            gc.collect()
            counts.append(sys.getallocatedblocks())
        print(counts[-1] - counts[2], sys.getrefcount(name) - before)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    growth, refs = map(int, out.split())
    assert growth < 48 and refs == 0
