"""Serialize 300,000 Point3D to JSON with orjson and msgspec: Records against dataclasses with and
without slots and msgspec Structs (docs/ecosystem.md). Best of 5, ns per point.

    python scripts/ecosystem-dump.py [N]
"""

from __future__ import annotations

import dataclasses
import sys
import time

import msgspec
import orjson

from slotkit import Record


class Point3D(Record):
    x: float
    y: float
    z: float


@dataclasses.dataclass(slots=True)
class SlotsPoint:
    x: float
    y: float
    z: float


@dataclasses.dataclass
class DictPoint:
    x: float
    y: float
    z: float


class StructPoint(msgspec.Struct, gc=False):
    x: float
    y: float
    z: float


def best(encode, points) -> float:
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        encode(points)
        times.append(time.perf_counter() - t0)
    return min(times) * 1e9 / len(points)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300_000
    print(f"{n:,} points, Python {sys.version.split()[0]}, ns per point (best of 5)")
    print("| class | orjson.dumps | msgspec.json.encode |")
    print("|---|---|---|")
    for label, cls in [("slotkit.Record", Point3D), ("dataclass(slots=True)", SlotsPoint),
                       ("dataclass", DictPoint), ("msgspec.Struct, gc=False", StructPoint)]:
        points = [cls(i * 0.5, 1.0, 2.0) for i in range(n)]
        o = f"{best(orjson.dumps, points):.0f}" if cls is not StructPoint else "(not supported)"
        print(f"| {label} | {o} | {best(msgspec.json.encode, points):.0f} |")


if __name__ == "__main__":
    main()
