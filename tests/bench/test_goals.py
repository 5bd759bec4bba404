"""slotkit's targets: met/missed, and by how much, from a synthetic run (nothing is timed)."""

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
    assert (employee["status"], employee["shown"], employee["note"]) == ("missed", "48 B", "missed by 20%")
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


def test_gc_target_is_not_compared_with_fewer_live_points() -> None:
    row = _row(_run({"gc.time": 40.0}, live=100_000), "gc.collect()")  # 0.5×: would be "missed"
    assert row["status"] == "n/a" and row["shown"] == "0.50×"
    assert row["note"].startswith("not compared: the target is for 1,000,000 live points, this run had 100,000")


def test_a_tiny_miss_never_reads_as_zero_percent() -> None:
    run = _run({"point.new": 45.02})  # 0.4502× against a 0.45× limit
    row = _row(run, "P(a, b, c) ≤ 0.45")
    assert row["status"] == "missed"
    assert row["shown"] == "0.4502×" and row["note"] == "missed by under 0.1%"
    assert _row(_run({"point.new": 45.3}), "P(a, b, c) ≤ 0.45")["note"] == "missed by 0.7%"
    assert _row(_run({"point.new": 44.9}), "P(a, b, c) ≤ 0.45")["note"] == "0.2% to spare"
    at_limit = _row(_run({"employee.bytes": 40.0}), "Employee bytes")
    assert (at_limit["status"], at_limit["note"]) == ("met", "exactly at the limit")


def test_percent() -> None:
    assert [goals.percent(f) for f in (0.2, 0.01, 0.0049, 0.0004, 0.0)] == ["20%", "1%", "0.5%", "under 0.1%",
                                                                             "under 0.1%"]
