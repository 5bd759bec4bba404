"""Synthetic runs for the output tests: every variant, every figure, realistic magnitudes, nothing timed."""

from __future__ import annotations

from typing import Callable

import pytest

from slotkit.bench import figures, variants
from slotkit.bench.results import Run, VariantResult

# Figures as wide as real ones get: 4-digit times, a 1.2-second point cloud, a fractional byte count.
BASE = {"point.bytes": 56.0, "point.bytes_values": 128.0, "point.getsizeof": 56.0, "employee.bytes": 56.0,
        "employee.bytes_values": 168.8, "employee.getsizeof": 56.0, "point.new": 1234.0, "point.new_kw": 1456.0,
        "employee.new": 1300.0, "employee.new_kw": 1500.0, "employee.read": 20.5, "employee.write": 25.0,
        "box.write": 24.0, "point.read": 21.0, "point.write": 26.0, "point.distance_to": 210.0,
        "cloud.time": 1234.5, "gc.time": 80.2, "rss.peak": 153.4, "rss.per_point": 160.4}
SCALE = {"plain": 1.31, "slots": 1.0, "record": 0.31, "msgspec-nogc": 0.88}


def make_run(python: str = "3.11.7", live: int = 1_000_000, quick: bool = False) -> Run:
    settings = {"quick": quick, "n": 100_000, "live": live, "rounds": 5, "repeat": 3}
    run = Run(python=f"/usr/bin/python{python[:4]}", settings=settings)
    run.info = {"python": python, "build": "CPython, GCC 12.2.0",
                "machine": "AMD EPYC, 2 CPUs, Linux 6.18 x86_64", "peers": {"attrs": "26.1.0"},
                "slotkit_core": None}
    for v in variants.VARIANTS:
        scale = SCALE.get(v.name, 1.1)
        values = {f.id: BASE[f.id] * scale for f in figures.ALL if v.mutable or not f.writes}
        run.variants[v.name] = VariantResult(v.name, v.label, values=values, samples={"overhead": [10e-9]})
    return run


@pytest.fixture
def synthetic_run() -> Callable[..., Run]:
    return make_run
