"""timeit, done the way the figures need it: autorange, several repeats, median, loop overhead.

The clock is the process's CPU time (``time.process_time``), not wall time: on a loaded machine a
wall-clock sample includes whatever time the scheduler gave to other processes (on the 2-CPU
machine these figures were developed on, ``perf_counter`` samples of one attribute read ranged
from 17 to 220 ns, ``process_time`` samples from 21 to 23 ns). Standard library only:
:mod:`slotkit.measure` uses it too.
"""

from __future__ import annotations

import statistics
import time
import timeit
from dataclasses import dataclass
from typing import Any, Callable


CLOCK = time.process_time
CLOCK_NAME = "process CPU time"


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
    timer = timeit.Timer(stmt, timer=CLOCK, globals=namespace or {})
    number = autorange(timer, min_seconds)
    samples = tuple(t / number for t in timer.repeat(repeat=repeat, number=number))
    return Timing(samples, number)


def loop_overhead(*, repeat: int = 5, min_seconds: float = 0.05) -> Timing:
    """The cost of one empty timeit loop (``pass``), included in every statement's time."""
    return time_stmt("pass", repeat=repeat, min_seconds=min_seconds)


def time_once(func: Callable[[], Any]) -> tuple[float, Any]:
    """Wall time of one call (for whole programs and gc.collect), and its result."""
    start = CLOCK()
    result = func()
    return CLOCK() - start, result
