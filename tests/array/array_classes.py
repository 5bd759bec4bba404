"""Record classes shared by the RecordArray tests."""

from __future__ import annotations

import math

from slotkit import Record


class Point3D(Record):
    x: float
    y: float
    z: float

    def distance_to(self, other: Point3D) -> float:
        return math.sqrt((self.x - other.x) ** 2 + (self.y - other.y) ** 2 + (self.z - other.z) ** 2)


class Reading(Record):
    """Every column storage: unboxed numbers, text, nullable forms."""

    sensor: str
    value: float
    count: int
    ok: bool
    raw: bytes
    note: str | None
    level: float | None
    tries: int | None
    flag: bool | None


class Tagged(Record):
    """An object column (anything, visited by the cycle collector)."""

    x: float
    payload: object


def reading(i: int) -> Reading:
    return Reading(
        sensor=f"s{i}",
        value=i * 0.5,
        count=i,
        ok=i % 2 == 0,
        raw=bytes([i % 256]) * (i % 5),
        note=None if i % 3 == 0 else "é" * (i % 4),
        level=None if i % 4 == 0 else float(i),
        tries=None if i % 5 == 0 else -i,
        flag=None if i % 2 else bool(i % 4),
    )
