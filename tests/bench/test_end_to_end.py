"""`slotkit bench --quick` end to end, in a subprocess, on two variants; checks the JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import slotkit.bench
from slotkit.bench import figures, goals

SOURCE = str(Path(slotkit.bench.__file__).resolve().parents[2])


def test_quick_bench_json(tmp_path: Path) -> None:
    out, md = tmp_path / "bench.json", tmp_path / "bench.md"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (SOURCE, os.environ.get("PYTHONPATH")) if p))
    proc = subprocess.run(
        [sys.executable, "-m", "slotkit", "bench", "--quick", "--n", "2000", "--live", "5000",
         "--only", "slots,record", "--arrays", "3000", "--json", str(out), "--markdown", str(md)],
        capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "Memory: Point3D(x, y, z), bytes per instance" in proc.stdout and "__slots__ class" in proc.stdout

    data = json.loads(out.read_text())
    assert data["schema"] == 1 and data["command"].startswith("slotkit bench --quick")
    (run,) = data["runs"]
    assert run["info"]["python"] == ".".join(map(str, sys.version_info[:3]))
    assert run["settings"]["n"] == 2000 and run["settings"]["live"] == 5000
    assert run["overhead_ns"] > 0
    assert set(run["variants"]) == {"slots", "record"}

    slots = run["variants"]["slots"]
    assert slots["status"] == "ok"
    assert set(slots["values"]) >= {f.id for f in figures.ALL}
    assert slots["values"]["point.bytes"] == slots["values"]["point.getsizeof"]
    assert slots["values"]["point.bytes_values"] == slots["values"]["point.bytes"] + 3 * sys.getsizeof(1.0)
    assert all(r in (1.0, None) for r in slots["ratios"].values())  # None: a zero (RSS at tiny N)
    assert slots["ratios"]["point.new"] == 1.0
    assert len(slots["samples"]["point.new"]) == run["settings"]["rounds"] * run["settings"]["repeat"]

    record = run["variants"]["record"]
    if record["status"] == "skipped":  # until slotkit.Record is built
        assert record["reason"].startswith("slotkit.Record not available")
        assert "slotkit.Record (skipped)" in proc.stdout
    else:
        assert record["status"] == "ok", record["reason"]
    assert [g["goal"] for g in run["goals"]] == [g.text for g in goals.GOALS]
    assert "| variant |" in md.read_text()

    # The point cloud at scale: every store, sums checked, RecordArray at 24 bytes per point.
    assert "Point cloud at scale" in proc.stdout and "## Point cloud at scale" in md.read_text()
    stores = {r["store"]: r for r in data["arrays"]}
    assert set(stores) == {"records", "slots", "recordarray", "numpy", "pyarrow"}
    assert all(r["n"] == 3000 and r["status"] in ("ok", "skipped") for r in stores.values())
    assert stores["recordarray"]["status"] == "ok" and abs(stores["recordarray"]["traced"] - 24) < 1
