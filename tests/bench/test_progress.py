"""Piped stderr: one plain progress line as each step starts (rich's bar prints nothing off a terminal)."""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console

from slotkit.bench.progress import PlainProgress, RichProgress, for_stderr


def test_plain_lines_count_steps_and_time() -> None:
    stream, now = io.StringIO(), iter([100.0, 100.5, 161.2, 175.0])
    progress = PlainProgress(stream, clock=lambda: next(now))
    progress.begin(12)
    progress.step("Python 3.11.7 · correctness · __slots__ class")
    progress.advance()
    progress.step("Python 3.11.7 · correctness · slotkit.Record")
    progress.advance()
    progress.step("Python 3.11.7 · memory, n=10,000 · __slots__ class")
    assert stream.getvalue().splitlines() == [
        "[ 1/12 0:00] Python 3.11.7 · correctness · __slots__ class",
        "[ 2/12 1:01] Python 3.11.7 · correctness · slotkit.Record",
        "[ 3/12 1:15] Python 3.11.7 · memory, n=10,000 · __slots__ class",
    ]


def test_choice_follows_the_terminal() -> None:
    piped: Any = for_stderr(Console(file=io.StringIO()), io.StringIO())
    assert isinstance(piped, PlainProgress)
    terminal: Any = for_stderr(Console(file=io.StringIO(), force_terminal=True), io.StringIO())
    assert isinstance(terminal, RichProgress)
