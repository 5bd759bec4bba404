"""Progress on stderr: a rich bar on a terminal, one plain line per step when stderr is piped."""

from __future__ import annotations

import time
from typing import Any, TextIO


class RichProgress:
    def __init__(self, console: Any):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self._progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                                  MofNCompleteColumn(), TimeElapsedColumn(), console=console, transient=True)
        self._task = self._progress.add_task("starting", total=None)

    def __enter__(self) -> "RichProgress":
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def begin(self, total: int) -> None:
        self._progress.reset(self._task, total=total)

    def step(self, description: str) -> None:
        self._progress.update(self._task, description=description)

    def advance(self) -> None:
        self._progress.advance(self._task)


class PlainProgress:
    """``[ 12/99  0:14] Python 3.11.7 · memory, n=10,000 · plain class``, one line as each step starts.

    For logs and CI, where a redrawn bar would print nothing (rich hides it off a terminal).
    """

    def __init__(self, stream: TextIO, clock: Any = time.monotonic):
        self._stream, self._clock = stream, clock
        self._start = clock()
        self._done, self._total = 0, 0

    def __enter__(self) -> "PlainProgress":
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def begin(self, total: int) -> None:
        self._done, self._total = 0, total

    def step(self, description: str) -> None:
        seconds = int(self._clock() - self._start)
        width = len(str(self._total))
        self._stream.write(f"[{self._done + 1:>{width}}/{self._total} {seconds // 60}:{seconds % 60:02d}] "
                           f"{description}\n")
        self._stream.flush()

    def advance(self) -> None:
        self._done += 1


def for_stderr(console: Any, stream: TextIO) -> "RichProgress | PlainProgress":
    """The rich bar when ``console`` (on stderr) is a terminal, plain lines on ``stream`` otherwise."""
    return RichProgress(console) if console.is_terminal else PlainProgress(stream)
