"""The goals section: met/missed, and by how much, from a synthetic run (nothing is timed)."""

from __future__ import annotations

from slotkit.bench import goals, variants
from slotkit.bench.results import SKIPPED, Run, VariantResult


def _run(record: dict[str, float], live: int = 1_000_000) -> Run:
    run = Run(python="python", settings={"live": live})
    base = {"point.bytes_values": 128.0, "employee.bytes": 56.0, "point.new": 100.0, "gc.time": 80.0}
    for name, values in (("slots", base), ("msgspec-nogc", {"point.new": 40.0}), ("record", record)):
        run.variants[name] = VariantResult(name, variants.get(name).label, values=dict(values))
    return run


def _row(run: Run, text_start: str) -> dict:
    return next(r for r in goals.evaluate(run) if r["goal"].startswith(text_start))


def test_met_and_missed_with_amounts() -> None:
    run = _run({"point.bytes_values": 40.0, "employee.bytes": 48.0, "point.new": 50.0, "gc.time": 8.0})
    memory = _row(run, "Point3D bytes")
    assert (memory["status"], memory["shown"]) == ("met", "0.31×")
    assert "to spare" in memory["note"]
    employee = _row(run, "Employee bytes")
    assert (employee["status"], employee["shown"], employee["note"]) == ("missed", "48 B", "missed by 20%: limit 40 B")
    construct = _row(run, "P(a, b, c) ≤ 0.45")
    assert construct["status"] == "missed" and construct["note"].startswith("missed by 11%")
    vs_msgspec = _row(run, "P(a, b, c) no slower")
    assert (vs_msgspec["status"], vs_msgspec["shown"]) == ("missed", "1.25×")
    assert _row(run, "gc.collect()")["status"] == "met"


def test_goal_not_measured_says_why() -> None:
    run = _run({})
    run.variants["record"].fail(SKIPPED, "slotkit.Record not available: no module")
    row = _row(run, "Employee bytes")
    assert row["status"] == "n/a" and "slotkit.Record not available" in row["note"]


def test_gc_goal_notes_a_smaller_live_count() -> None:
    row = _row(_run({"gc.time": 8.0}, live=100_000), "gc.collect()")
    assert "measured with 100,000 live points" in row["note"]
