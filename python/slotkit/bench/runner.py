"""Runs the workers, in fresh processes, and collects a :class:`~slotkit.bench.results.Run`.

Order per interpreter: correctness check, memory, peak RSS (each variant alone, in its own
process), then timing rounds and point-cloud rounds that go through every variant in turn, so
that a change in machine load during the run is spread over all variants rather than landing on
one of them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable, Protocol

from slotkit.bench import variants
from slotkit.bench.results import ERROR, OK, SKIPPED, WRONG, Run, VariantResult
from slotkit.bench.worker import PROTOCOL
from slotkit.bench.workloads import expected_cloud_sum, expected_values, find_problems


@dataclass(frozen=True)
class Settings:
    quick: bool = False
    n: int = 100_000  # instances per tracemalloc measurement
    live: int = 1_000_000  # instances for the point cloud, gc.collect and peak RSS
    rounds: int = 5  # timing worker processes per variant
    repeat: int = 3  # timeit repeats inside each timing worker
    min_seconds: float = 0.05  # timeit autorange target per repeat
    cloud_rounds: int = 3
    only: tuple[str, ...] = ()
    timeout: float = 900.0

    @classmethod
    def create(cls, quick: bool, n: int | None, live: int | None, only: tuple[str, ...] = ()) -> "Settings":
        if quick:
            return cls(True, n or 10_000, live or 100_000, rounds=2, repeat=3, min_seconds=0.005,
                       cloud_rounds=1, only=only)
        return cls(False, n or 100_000, live or 1_000_000, only=only)

    def selected(self) -> list[variants.Variant]:
        names = set(self.only)
        if names and variants.BASELINE not in names:
            names.add(variants.BASELINE)  # ratios need it
        return [v for v in variants.VARIANTS if not names or v.name in names]


class Progress(Protocol):
    def begin(self, total: int) -> None: ...
    def step(self, description: str) -> None: ...  # announces the next step
    def advance(self) -> None: ...  # the announced step is done


class NoProgress:
    def begin(self, total: int) -> None: pass
    def step(self, description: str) -> None: pass
    def advance(self) -> None: pass


class WorkerFailed(Exception):
    pass


def _env_for(python: str) -> dict[str, str]:
    """Run the worker from the same slotkit as this process, when it is the same interpreter."""
    env = dict(os.environ)
    if os.path.realpath(python) == os.path.realpath(sys.executable):
        here = str(Path(__file__).resolve().parents[2])  # the directory that holds slotkit/
        env["PYTHONPATH"] = os.pathsep.join(p for p in (here, env.get("PYTHONPATH")) if p)
    return env


def call_worker(python: str, args: list[str], timeout: float) -> dict[str, Any]:
    cmd = [python, "-m", "slotkit.bench.worker", *args]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=_env_for(python))
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise WorkerFailed(f"{' '.join(cmd)}: {exc}") from None
    lines = proc.stdout.strip().splitlines()
    try:
        result = json.loads(lines[-1]) if lines else None
    except json.JSONDecodeError:
        result = None
    if not isinstance(result, dict):
        tail = (proc.stderr.strip().splitlines() or [f"exit status {proc.returncode}"])[-1]
        raise WorkerFailed(tail)
    if "error" in result:
        raise WorkerFailed(result["error"].strip().splitlines()[-1])
    return result


class Runner:
    def __init__(self, settings: Settings, progress: Progress | None = None,
                 worker: Callable[[str, list[str], float], dict[str, Any]] = call_worker):
        self.settings = settings
        self.progress = progress or NoProgress()
        self.worker = worker

    def run_all(self, pythons: list[str]) -> list[Run]:
        self.progress.begin(len(pythons))
        runs = [self._probe(p) for p in pythons]
        self.progress.begin(sum(self._steps(r) for r in runs))
        for run in runs:
            if run.status == OK:
                self._measure(run)
                verify(run)
        return runs

    def _steps(self, run: Run) -> int:
        s, k = self.settings, len(self._ready(run))
        return k * (1 + 1 + 2 + s.rounds + s.cloud_rounds)

    def _ready(self, run: Run) -> list[VariantResult]:
        return [v for v in run.variants.values() if v.status == OK]

    def _probe(self, python: str) -> Run:
        run = Run(python=python, settings=asdict(self.settings))
        self.progress.step(f"{python}: which variants can run")
        try:
            answer = self.worker(python, ["info"], self.settings.timeout)
        except WorkerFailed as exc:
            run.status, run.reason = SKIPPED, f"slotkit.bench not importable there: {exc}"
            answer = {}
        self.progress.advance()
        if answer and answer.get("protocol") != PROTOCOL:
            run.status = SKIPPED
            run.reason = (f"its slotkit.bench speaks worker protocol {answer.get('protocol')}, this one {PROTOCOL}: "
                          "install the same slotkit version there")
        run.info = answer.get("info", {})
        unavailable = answer.get("unavailable", {})
        for v in self.settings.selected():
            result = VariantResult(v.name, v.label)
            if run.status != OK:
                result.fail(SKIPPED, run.reason or "")
            elif unavailable.get(v.name):
                result.fail(SKIPPED, unavailable[v.name])
            run.variants[v.name] = result
        return run

    def _each(self, run: Run, what: str, args: list[str], take: Callable[[VariantResult, dict[str, Any]], None]) -> None:
        for result in self._ready(run):
            self.progress.step(f"{run.label} · {what} · {result.label}")
            try:
                answer = self.worker(run.python, [result.name, *args], self.settings.timeout)
                if "skipped" in answer:
                    result.fail(SKIPPED, answer["skipped"])
                else:
                    take(result, answer)
            except WorkerFailed as exc:
                result.fail(ERROR, f"{what}: {exc}")
            except (KeyError, TypeError, ValueError) as exc:  # an answer this runner cannot read
                result.fail(ERROR, f"{what}: unexpected worker answer: {type(exc).__name__}: {exc}")
            self.progress.advance()

    def _measure(self, run: Run) -> None:
        s = self.settings
        self._each(run, "correctness", ["check"], _take_check)
        self._each(run, f"memory, n={s.n:,}", ["memory", "--n", str(s.n)], _take_memory)
        baseline: dict[str, int] = {}

        def take_baseline(result: VariantResult, answer: dict[str, Any]) -> None:
            baseline[result.name] = answer["peak_rss"]

        def take_rss(result: VariantResult, answer: dict[str, Any]) -> None:
            delta = answer["peak_rss"] - baseline[result.name]
            result.values["rss.peak"] = delta / 1024 / 1024
            result.values["rss.per_point"] = delta / s.live

        self._each(run, "peak RSS baseline", ["rss", "--n", str(s.live), "--baseline"], take_baseline)
        self._each(run, f"peak RSS, {s.live:,} points", ["rss", "--n", str(s.live)], take_rss)
        timing_args = ["time", "--repeat", str(s.repeat), "--min-seconds", str(s.min_seconds)]
        for i in range(s.rounds):
            self._each(run, f"timing round {i + 1}/{s.rounds}", timing_args, _take_samples)
        for i in range(s.cloud_rounds):
            self._each(run, f"point cloud + gc.collect, {s.live:,} points, round {i + 1}/{s.cloud_rounds}",
                       ["cloud", "--n", str(s.live)], _take_cloud)


def _take_check(result: VariantResult, answer: dict[str, Any]) -> None:
    result.check = answer["check"]


def _take_memory(result: VariantResult, answer: dict[str, Any]) -> None:
    result.values.update(answer["figures"])


def _take_samples(result: VariantResult, answer: dict[str, Any]) -> None:
    for figure_id, seconds in answer["samples"].items():
        result.add_samples(figure_id, seconds)


def _take_cloud(result: VariantResult, answer: dict[str, Any]) -> None:
    result.add_samples("cloud.time", answer["cloud.time"])
    result.add_samples("gc.time", answer["gc.time"])
    result.cloud_sums.append(answer["cloud_sum"])


def verify(run: Run) -> None:
    """Mark WRONG every variant whose results differ from the reference (before any printing)."""
    live = run.settings["live"]
    cloud = expected_cloud_sum(live)
    for result in run.variants.values():
        if result.status != OK or result.check is None:
            continue
        problems = find_problems(result.check, expected_values(variants.get(result.name).mutable))
        problems += [f"point cloud of {live:,}: got {s!r}, expected {cloud!r}"
                     for s in result.cloud_sums if s != cloud]
        if problems:
            result.fail(WRONG, "; ".join(problems))
