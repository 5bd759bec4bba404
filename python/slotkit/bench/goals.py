"""slotkit's targets: what slotkit.Record is built to reach, and where this run's Record stands.

They are reported, never asserted: a missed target is printed with the amount it is missed by. A
target is only compared with figures measured under its own conditions (the gc.collect() target is
for 1,000,000 live points, so a ``--quick`` run shows it as not compared).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slotkit.bench import figures
from slotkit.bench.results import OK, Run
from slotkit.bench.variants import BASELINE

SUBJECT = "record"
GC_GOAL_LIVE = 1_000_000
TITLE = "slotkit's targets"
WHAT = ("what slotkit.Record is designed to reach, checked against this run's figures; "
        "a miss is a limit of slotkit, not a problem with your machine")


def percent(fraction: float) -> str:
    """``0.2`` -> ``20%``; small amounts keep a digit (``0.4%``), and never read as ``0%``."""
    if fraction >= 0.01:
        return f"{fraction:.0%}"
    return f"{fraction:.1%}" if fraction >= 0.001 else "under 0.1%"


def _shown(value: float, limit: float, unit: str) -> str:
    """The measured figure, with one more digit when two would print it equal to the limit."""
    digits = 2
    while digits < 4 and value != limit and f"{value:.{digits}f}" == f"{limit:.{digits}f}":
        digits += 1
    return f"{value:.{digits}f}{unit}"


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
        else:
            measured = run.value(SUBJECT, self.figure)
        if measured is None:
            row["note"] = "figure not measured"
            return row
        shown = _shown(measured, self.limit, "×") if self.against else f"{measured:g} {unit}"
        row["measured"], row["shown"] = measured, shown
        live = run.settings.get("live")
        if self.figure == "gc.time" and live != GC_GOAL_LIVE:
            row["note"] = (f"not compared: the target is for {GC_GOAL_LIVE:,} live points, this run had {live:,} "
                           f"(run without --quick, or with --live {GC_GOAL_LIVE})")
            return row
        if measured <= self.limit:  # the target's text states the limit
            row["status"] = "met"
            spare = 1 - measured / self.limit
            row["note"] = f"{percent(spare)} to spare" if spare > 0 else "exactly at the limit"
        else:
            row["status"] = "missed"
            row["note"] = f"missed by {percent(measured / self.limit - 1)}"
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
