"""Exports give back everything: after views, capsules (consumed or not) and Arrow tables are
dropped, the array's reference count and export count are what they were, and repeated
round trips do not grow the process."""

from __future__ import annotations

import gc
import sys

import numpy as np
from _optional import need

from array_classes import Reading, reading

from slotkit import RecordArray


def filled(n=1000):
    arr = Reading.array()
    arr.extend(reading(i) for i in range(n))
    return arr


def test_unconsumed_capsules_and_views_release_the_array():
    arr = filled(10)
    before = sys.getrefcount(arr)
    for _ in range(100):
        arr.__arrow_c_stream__()
        arr.__arrow_c_array__()
        arr.__arrow_c_schema__()
        arr.count
        memoryview(arr._view("value")).release()
    gc.collect()
    assert arr.exports == 0 and sys.getrefcount(arr) == before


def rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


def test_arrow_round_trips_do_not_grow_the_process():
    pa = need("pyarrow")
    arr = filled(20_000)
    before_refs = sys.getrefcount(arr)

    def cycle():
        t = pa.table(arr)
        back = RecordArray.from_arrow(t, Reading)
        assert len(back) == len(arr)
        _ = np.asarray(arr.ok).sum()

    for _ in range(5):
        cycle()
    gc.collect()
    start = rss()
    for _ in range(50):
        cycle()
    gc.collect()
    grown = rss() - start
    assert arr.exports == 0 and sys.getrefcount(arr) == before_refs
    # 50 round trips of a ~1.5 MB table: a leak of the table, its bitmaps or its batches would
    # add tens of MB.
    assert grown < 8 * 1024 * 1024, grown
