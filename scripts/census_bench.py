"""Speed of `slotkit census` against pympler's `summary` and guppy3's `heap()` on the same heap.

    python scripts/census_bench.py --objects 10000000 [--peers]

Builds instances of a plain class (each with a float and an int only it holds, so three objects
per instance), then times, in this one process: the Rust walk alone (`census_walk`), the whole
`slotkit.census()` (walk, rows, source and check verdicts), and with `--peers` pympler
(`muppy.get_objects()` + `summary.summarize`) and guppy3 (`hpy().heap()`). Prints one line per
tool: seconds, objects it saw, bytes it saw, and the ratio to slotkit's full census.
"""

from __future__ import annotations

import argparse
import gc
import platform
import time


class Plain:
    def __init__(self, i):
        self.x = i + 0.5
        self.y = i * 7 + 1_000


def timed(fn):
    gc.collect()
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--objects", type=int, default=1_000_000, help="about how many objects to build")
    ap.add_argument("--peers", action="store_true", help="also time pympler and guppy3 (slow)")
    a = ap.parse_args()
    keep = [Plain(i) for i in range(a.objects // 3)]
    import slotkit
    from slotkit._core import census_walk
    from slotkit.census import Census

    print(f"Python {platform.python_version()}, {len(keep):,} instances")
    results = {}
    t, raw = timed(lambda: census_walk([Census]))
    results["slotkit census_walk (Rust walk only)"] = (t, raw["objects"], raw["bytes"])
    del raw
    t, c = timed(slotkit.census)
    d = c.data
    results["slotkit.census()"] = (t, d["objects"], d["bytes"])
    del c, d
    if a.peers:
        from pympler import muppy, summary

        def pympler_summary():
            objs = muppy.get_objects()
            rows = summary.summarize(objs)
            return len(objs), sum(r[2] for r in rows)

        t, (n, b) = timed(pympler_summary)
        results["pympler muppy.get_objects + summary.summarize"] = (t, n, b)
        from guppy import hpy

        def guppy_heap():
            h = hpy().heap()
            return h.count, h.size

        t, (n, b) = timed(guppy_heap)
        results["guppy3 hpy().heap()"] = (t, n, b)
    base = results["slotkit.census()"][0]
    for name, (t, n, b) in results.items():
        print(f"{name:50s} {t:8.2f} s  {n:>12,} objects  {b / 2**20:10.1f} MiB  {t / base:6.2f}x")
    del keep


if __name__ == "__main__":
    main()
