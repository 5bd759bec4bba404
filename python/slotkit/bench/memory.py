"""Memory figures, measured inside a worker process (one fresh process per variant)."""

from __future__ import annotations

import itertools
import sys
from typing import Any, Callable

from slotkit.bench.workloads import employee_values, point_values
from slotkit.measure import bytes_per_instance


def _prebuilt(cls: type, values: Callable[[int], tuple[Any, ...]], n: int) -> Callable[[], Any]:
    """A factory over values built now, outside tracing: the instance alone is measured."""
    it = iter([values(i) for i in range(n + 1)])  # +1: bytes_per_instance warms up once
    return lambda: cls(*next(it))


def _fresh(cls: type, values: Callable[[int], tuple[Any, ...]]) -> Callable[[], Any]:
    """A factory that builds fresh field values per instance, as real programs do."""
    counter = itertools.count()
    return lambda: cls(*values(next(counter)))


def memory_figures(classes: dict[str, type], n: int) -> dict[str, float]:
    figures: dict[str, float] = {}
    for key, cls, values in (("point", classes["Point3D"], point_values),
                             ("employee", classes["Employee"], employee_values)):
        figures[f"{key}.bytes"] = bytes_per_instance(_prebuilt(cls, values, n), n)
        figures[f"{key}.bytes_values"] = bytes_per_instance(_fresh(cls, values), n)
        figures[f"{key}.getsizeof"] = sys.getsizeof(cls(*values(1)))
    return figures


def peak_rss(point_cls: type, n: int, baseline: bool) -> int:
    """Peak RSS in bytes of this process after building n points with values (none if baseline).

    Both runs allocate the list that holds the points, so the difference is the points alone.
    """
    keep: list[Any] = [None] * n
    if not baseline:
        for i in range(n):
            keep[i] = point_cls(float(i), i * 2.0, i * 3.0)
    return _peak_rss_bytes()


def _peak_rss_bytes() -> int:
    """This process's peak resident set size.

    On Linux, VmHWM from /proc: ``ru_maxrss`` survives ``exec`` and starts at the RSS of the
    parent that forked the worker, which would hide every figure below the parent's own size.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    import resource  # Unix only: on Windows the figure is reported as unavailable

    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return maxrss if sys.platform == "darwin" else maxrss * 1024  # bytes on macOS, KiB elsewhere
