"""``slotkit.measure`` and ``slotkit.compare``: the article's memory measurement, for any class.

``measure(factory)`` calls ``factory()`` ``n`` times under :mod:`tracemalloc`, keeps every object
alive, and divides what was allocated by ``n``: the bytes one more instance costs, including
anything ``factory`` allocates with it (fresh field values, a ``__dict__``). It also reports
``sys.getsizeof`` of one instance and the time of one ``factory()`` call.

Standard library only; it never imports :class:`slotkit.Record`.
"""

from __future__ import annotations

import gc
import sys
import tracemalloc
from dataclasses import dataclass
from typing import Any, Callable, Iterable, TextIO

from slotkit.bench.timing import time_stmt

__all__ = ["Measurement", "bytes_per_instance", "compare", "measure"]


@dataclass(frozen=True)
class Measurement:
    label: str  # the name of the type the factory builds, unless given
    n: int  # instances measured
    tracemalloc_bytes: float  # bytes per instance: tracemalloc delta over n live instances / n
    getsizeof_bytes: int  # sys.getsizeof of one instance (the object alone, no field values)
    construct_ns: float  # median time of one factory() call, timeit loop overhead included

    @property
    def total_bytes(self) -> int:
        return round(self.tracemalloc_bytes * self.n)

    def __str__(self) -> str:
        return (f"{self.label}: {self.tracemalloc_bytes:g} B/instance by tracemalloc over {self.n:,}, "
                f"{self.getsizeof_bytes} B by sys.getsizeof, {self.construct_ns:.0f} ns to construct")


def bytes_per_instance(factory: Callable[[], Any], n: int) -> float:
    """Bytes allocated per ``factory()`` call over ``n`` calls whose results are all kept alive.

    The list that holds them is allocated before tracing starts and the cyclic GC is paused. The
    first traced call is left out (it pays one-time costs, such as tracemalloc materialising frame
    objects), and the loop's own allocations (its counter) are measured by running the same loop
    with a factory that allocates nothing, and subtracted: what is left is the objects alone.
    Rounded to 0.1 byte.
    """
    if n < 2:
        raise ValueError("n must be at least 2")
    keep: list[Any] = [None] * n
    sample = factory()  # warm-up: caches, specialisation, lazily built type state
    stray = _traced_loop(lambda: sample, keep)
    return round((_traced_loop(factory, keep) - stray) / (n - 1), 1)


def _traced_loop(factory: Callable[[], Any], keep: list[Any]) -> int:
    """Bytes still allocated after calls 2..n of ``factory``, each result stored in ``keep``."""
    gc.collect()
    gc_was_enabled = gc.isenabled()
    gc.disable()
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    try:
        keep[0] = factory()
        before = tracemalloc.get_traced_memory()[0]
        for i in range(1, len(keep)):
            keep[i] = factory()
        return tracemalloc.get_traced_memory()[0] - before
    finally:
        if not was_tracing:
            tracemalloc.stop()
        if gc_was_enabled:
            gc.enable()


def measure(factory: Callable[[], Any], n: int = 10_000, *, label: str | None = None,
            repeat: int = 5) -> Measurement:
    """Measure the objects ``factory()`` builds: bytes per instance and construction time.

    >>> class Point:
    ...     __slots__ = ("x", "y", "z")
    ...     def __init__(self, x, y, z):
    ...         self.x, self.y, self.z = x, y, z
    >>> m = measure(lambda: Point(1.0, 2.0, 3.0))
    >>> m.tracemalloc_bytes, m.getsizeof_bytes
    (56.0, 56)
    """
    sample = factory()
    return Measurement(
        label=label or type(sample).__qualname__,
        n=n,
        tracemalloc_bytes=bytes_per_instance(factory, n),
        getsizeof_bytes=sys.getsizeof(sample),
        construct_ns=time_stmt(factory, repeat=repeat, min_seconds=0.02).median * 1e9,
    )


def compare(*factories: Callable[[], Any], n: int = 10_000, labels: Iterable[str] | None = None,
            file: TextIO | None = None) -> list[Measurement]:
    """Print the article's ``compare_memory_usage`` table for several factories; return the rows.

    The first factory is the reference: the last column is the memory saved relative to it.
    """
    names = list(labels) if labels is not None else [None] * len(factories)
    if len(names) != len(factories):
        raise ValueError("labels must name every factory")
    rows = [measure(f, n, label=name) for f, name in zip(factories, names)]
    (file or sys.stdout).write(format_table(rows))
    return rows


def format_table(rows: list[Measurement]) -> str:
    if not rows:
        return ""
    header = ("class", f"MB for {rows[0].n:,}", "B/instance", "getsizeof", "construct", "savings")
    ref = rows[0].tracemalloc_bytes
    lines = [header]
    for i, m in enumerate(rows):
        saving = "" if i == 0 or not ref else f"{(ref - m.tracemalloc_bytes) / ref * 100:.1f}%"
        lines.append((m.label, f"{m.total_bytes / 1024 / 1024:.2f}", f"{m.tracemalloc_bytes:g}",
                      str(m.getsizeof_bytes), f"{m.construct_ns:.0f} ns", saving))
    widths = [max(len(row[c]) for row in lines) for c in range(len(header))]
    out = []
    for row in lines:
        cells = [row[0].ljust(widths[0])] + [cell.rjust(w) for cell, w in zip(row[1:], widths[1:])]
        out.append("  ".join(cells).rstrip())
    return "\n".join(out) + "\n"
