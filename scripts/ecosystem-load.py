"""Load 1M Point3D from JSON: orjson into Records, orjson into dataclass(slots=True),
msgspec.json.decode into Structs, and msgspec.json.decode into Records (docs/ecosystem.md).

    python scripts/ecosystem-load.py [N]

Writes the JSON once (a list of {"x":..,"y":..,"z":..}), then for each way runs the load twice,
each in a fresh process: once timed, with the peak RSS of the process above its RSS before the
load (VmHWM); once under tracemalloc (which slows allocation down, so it is not timed), for the
peak of traced memory during the load and what the loaded points still hold afterwards. One run
each on a shared machine: the figures are indicative, their ratios are what to read.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r"""
import gc, sys, time, tracemalloc
way, path, mode = sys.argv[1], sys.argv[2], sys.argv[3]
def rss():
    for line in open("/proc/self/status"):
        if line.startswith(("VmHWM", "VmRSS")):
            yield line.split(":")[0], int(line.split()[1]) * 1024
if way.startswith("msgspec"):
    import msgspec
    if way == "msgspec-record":  # msgspec takes a Record as a dataclass (docs/ecosystem.md)
        from slotkit import Record
        class Point3D(Record):
            x: float
            y: float
            z: float
    else:
        class Point3D(msgspec.Struct, gc=False):
            x: float
            y: float
            z: float
    decoder = msgspec.json.Decoder(list[Point3D])
    load = decoder.decode
else:
    import orjson
    if way == "record":
        from slotkit import Record
        class Point3D(Record):
            x: float
            y: float
            z: float
    else:
        import dataclasses
        @dataclasses.dataclass(slots=True)
        class Point3D:
            x: float
            y: float
            z: float
    def load(data):
        return [Point3D(**d) for d in orjson.loads(data)]
data = open(path, "rb").read()
gc.collect()
if mode == "time":
    before = dict(rss())["VmRSS"]
    t0 = time.perf_counter()
    points = load(data)
    seconds = time.perf_counter() - t0
    print(f"{seconds:.3f} {dict(rss())['VmHWM'] - before}")
else:
    tracemalloc.start()
    points = load(data)
    held, peak = tracemalloc.get_traced_memory()
    print(f"{peak} {held}")
assert len(points) > 0 and type(points[0]).__name__ == "Point3D" and points[3].y == 1.75
"""

WAYS = [("record", "orjson.loads -> slotkit.Record(**d)"),
        ("dataclass", "orjson.loads -> dataclass(slots=True)(**d)"),
        ("msgspec", "msgspec.json.decode(type=list[Struct]), gc=False"),
        ("msgspec-record", "msgspec.json.decode(type=list[slotkit.Record])")]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "points.json"
        path.write_text(json.dumps([{"x": i * 0.5, "y": i * 0.25 + 1, "z": -i * 0.125} for i in range(n)]))
        print(f"{n:,} points, {path.stat().st_size / 1e6:.1f} MB of JSON, Python {sys.version.split()[0]}")
        print("| way | time (s) | peak RSS above start (MB) | tracemalloc peak (MB) | held by the points (MB) |")
        print("|---|---|---|---|---|")
        for way, label in WAYS:
            def child(mode: str) -> list[str]:
                cmd = [sys.executable, "-c", CHILD, way, str(path), mode]
                return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.split()
            seconds, rss = child("time")
            peak, held = child("trace")
            print(f"| {label} | {float(seconds):.2f} | {int(rss) / 1e6:.0f} | {int(peak) / 1e6:.0f} | {int(held) / 1e6:.0f} |")


if __name__ == "__main__":
    main()
