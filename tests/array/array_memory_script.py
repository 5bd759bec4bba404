"""Bytes per row of a RecordArray of Point3D (run in a fresh process by test_array_memory.py):
prints a JSON dict with tracemalloc and RSS deltas per row."""

import itertools
import json
import sys
import tracemalloc

import numpy as np

from slotkit import Record


class Point3D(Record):
    x: float
    y: float
    z: float


def rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


mode, n = sys.argv[1], int(sys.argv[2])
chunk = np.arange(1_000_000, dtype=float)
tracemalloc.start()
t0, r0 = tracemalloc.get_traced_memory()[0], rss()
if mode == "columns":
    pts = Point3D.array(capacity=n)
    for start in range(0, n, len(chunk)):
        part = chunk[: min(len(chunk), n - start)]
        pts.extend_columns(x=part, y=part, z=part)
elif mode == "append":
    pts = Point3D.array()
    append = pts.append
    p = Point3D(1.0, 2.0, 3.0)
    for _ in itertools.repeat(None, n):  # no int object per iteration
        append(p)
    pts.shrink_to_fit()
else:
    raise SystemExit(f"unknown mode {mode}")
t1, r1 = tracemalloc.get_traced_memory()[0], rss()
assert len(pts) == n
print(json.dumps({"traced": (t1 - t0) / n, "rss": (r1 - r0) / n, "nbytes": pts.nbytes / n}))
