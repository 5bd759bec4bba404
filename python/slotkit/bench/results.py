"""The results of a run, per interpreter and variant, and the ratios computed from them."""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass, field
from typing import Any

from slotkit.bench import figures
from slotkit.bench.variants import BASELINE

OK, SKIPPED, WRONG, ERROR = "ok", "skipped", "WRONG", "error"
_SCALE = {"ns": 1e9, "ms": 1e3}  # time samples are in seconds


@dataclass
class VariantResult:
    name: str
    label: str
    status: str = OK
    reason: str | None = None
    values: dict[str, float] = field(default_factory=dict)  # figure id -> value, in its unit
    samples: dict[str, list[float]] = field(default_factory=dict)  # raw timings, seconds
    check: dict[str, Any] | None = None
    cloud_sums: list[float] = field(default_factory=list)

    def add_samples(self, figure_id: str, seconds: list[float]) -> None:
        self.samples.setdefault(figure_id, []).extend(seconds)
        scale = _SCALE[figures.BY_ID[figure_id].unit] if figure_id in figures.BY_ID else 1e9
        self.values[figure_id] = statistics.median(self.samples[figure_id]) * scale

    def fail(self, status: str, reason: str) -> None:
        if self.status == OK:
            self.status, self.reason = status, reason


@dataclass
class Run:
    """Everything measured under one interpreter."""

    python: str
    settings: dict[str, Any]
    status: str = OK
    reason: str | None = None
    info: dict[str, Any] = field(default_factory=dict)
    variants: dict[str, VariantResult] = field(default_factory=dict)

    @property
    def overhead_ns(self) -> float | None:
        """timeit's empty-loop cost (``pass``), median over every timing worker of this run."""
        samples = [s for v in self.variants.values() for s in v.samples.get("overhead", [])]
        return statistics.median(samples) * 1e9 if samples else None

    def value(self, variant: str, figure_id: str) -> float | None:
        result = self.variants.get(variant)
        return result.values.get(figure_id) if result else None

    def ratio(self, variant: str, figure_id: str, to: str = BASELINE) -> float | None:
        """variant / ``to`` (``__slots__`` by default), None unless both are correct and measured."""
        mine, ref = self.variants.get(variant), self.variants.get(to)
        if not mine or not ref or mine.status != OK or ref.status != OK:
            return None
        a, b = mine.values.get(figure_id), ref.values.get(figure_id)
        return a / b if a is not None and b else None

    @property
    def label(self) -> str:
        return f"Python {self.info['python']}" if self.info else self.python

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["overhead_ns"] = self.overhead_ns
        for name, v in data["variants"].items():
            v["ratios"] = {f: self.ratio(name, f) for f in v["values"] if f != "overhead"}
        return data
