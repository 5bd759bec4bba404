"""The targets slotkit is built for, and where the measured slotkit.Record stands against them.

They are reported, never asserted: a missed goal is printed with the amount it is missed by.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slotkit.bench import figures
from slotkit.bench.results import OK, Run
from slotkit.bench.variants import BASELINE

SUBJECT = "record"
GC_GOAL_LIVE = 1_000_000


@dataclass(frozen=True)
class Goal:
    text: str
    figure: str
    limit: float
    against: str | None = BASELINE  # None: an absolute limit, in the figure's unit

    def evaluate(self, run: Run) -> dict[str, Any]:
        row: dict[str, Any] = {"goal": self.text, "figure": self.figure, "limit": self.limit,
                               "against": self.against, "measured": None, "status": "n/a", "note": ""}
        for name in (SUBJECT, self.against):
            result = run.variants.get(name) if name else None
            if name and (result is None or result.status != OK):
                why = result.reason if result else "not selected (--only)"
                row["note"] = f"{result.label if result else name} not measured: {why}"
                return row
        unit = figures.BY_ID[self.figure].unit
        if self.against:
            measured = run.ratio(SUBJECT, self.figure, to=self.against)
            shown = f"{measured:.2f}×" if measured is not None else "—"
        else:
            measured = run.value(SUBJECT, self.figure)
            shown = f"{measured:g} {unit}" if measured is not None else "—"
        if measured is None:
            row["note"] = "figure not measured"
            return row
        row["measured"], row["shown"] = measured, shown
        limit = (f"{self.limit:g} {unit}" if not self.against
                 else f"{self.limit:g}× {run.variants[self.against].label}")
        if measured <= self.limit:
            row["status"] = "met"
            row["note"] = f"limit {limit}, {1 - measured / self.limit:.0%} to spare"
        else:
            row["status"] = "missed"
            row["note"] = f"missed by {measured / self.limit - 1:.0%}: limit {limit}"
        live = run.settings.get("live")
        if self.figure == "gc.time" and live != GC_GOAL_LIVE:
            row["note"] += f" (measured with {live:,} live points, the goal is for {GC_GOAL_LIVE:,})"
        return row


def _construction() -> list[Goal]:
    goals = []
    for fid in ("point.new", "point.new_kw", "employee.new", "employee.new_kw"):
        stmt = figures.BY_ID[fid].stmt
        goals.append(Goal(f"{stmt} ≤ 0.45 × __slots__", fid, 0.45))
        goals.append(Goal(f"{stmt} no slower than msgspec.Struct, gc=False", fid, 1.0, "msgspec-nogc"))
    return goals


GOALS: tuple[Goal, ...] = (
    Goal("Point3D bytes, field values included ≤ 0.35 × __slots__ (the limit is 40 B)", "point.bytes_values", 0.35),
    Goal("Employee bytes per instance ≤ 40 B", "employee.bytes", 40.0, None),
    *_construction(),
    Goal("object-field read e.name ≤ 1.05 × __slots__", "employee.read", 1.05),
    Goal("write to an unchecked object field box.value ≤ 1.05 × __slots__", "box.write", 1.05),
    Goal("write to a checked str field e.name ≤ 2.5 × __slots__", "employee.write", 2.5),
    Goal("unboxed float read p.x ≤ 2.5 × __slots__", "point.read", 2.5),
    Goal("gc.collect() with 1,000,000 live Point3D ≤ 0.2 × __slots__", "gc.time", 0.2),
)


def evaluate(run: Run) -> list[dict[str, Any]]:
    return [goal.evaluate(run) for goal in GOALS]
