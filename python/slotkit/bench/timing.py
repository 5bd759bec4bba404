"""timeit, done the way the figures need it: autorange, several repeats, median, loop overhead.

Standard library only: :mod:`slotkit.measure` uses it too.
"""

from __future__ import annotations

import statistics
import timeit
from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True)
class Timing:
    """Seconds per loop of one statement: every sample, and their median."""

    samples: tuple[float, ...]
    number: int  # loops per sample

    @property
    def median(self) -> float:
        return statistics.median(self.samples)


def autorange(timer: timeit.Timer, min_seconds: float) -> int:
    """The loop count (1, 2, 5, 10, 20, 50, ...) whose run takes at least ``min_seconds``."""
    base = 1
    while True:
        for factor in (1, 2, 5):
            number = base * factor
            if timer.timeit(number) >= min_seconds:
                return number
        base *= 10


def time_stmt(stmt: str | Callable[[], Any], namespace: dict[str, Any] | None = None, *,
              repeat: int = 5, min_seconds: float = 0.05) -> Timing:
    """Time ``stmt`` like ``python -m timeit``: gc disabled while timing, loop overhead included."""
    timer = timeit.Timer(stmt, globals=namespace or {})
    number = autorange(timer, min_seconds)
    samples = tuple(t / number for t in timer.repeat(repeat=repeat, number=number))
    return Timing(samples, number)


def loop_overhead(*, repeat: int = 5, min_seconds: float = 0.05) -> Timing:
    """The cost of one empty timeit loop (``pass``), included in every statement's time."""
    return time_stmt("pass", repeat=repeat, min_seconds=min_seconds)


def time_once(func: Callable[[], Any]) -> tuple[float, Any]:
    """Wall time of one call (for whole programs and gc.collect), and its result."""
    start = timeit.default_timer()
    result = func()
    return timeit.default_timer() - start, result
