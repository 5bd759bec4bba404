"""Record classes shared by the ecosystem tests: scalars unboxed and boxed, checked and object
fields, optional and nested records, defaults and a default factory."""

from __future__ import annotations

from typing import Optional

from slotkit import Record, field


class Point3D(Record):
    x: float
    y: float
    z: float


class Tagged(Record):
    name: str
    count: int
    big: int
    ratio: float
    flag: bool
    exact: float = field(default=0.5, boxed=True)
    note: Optional[str] = None
    where: Optional[Point3D] = None
    tags: list[str] = field(default_factory=list)


def sample(i: int) -> Tagged:
    """A Tagged whose numbers are not cached by CPython (ints beyond the small-int range)."""
    return Tagged(
        f"n{i}", 1000 + i, 2**40 + i, i / 7, i % 2 == 0, exact=i * 0.25,
        note=None if i % 3 else "x", where=Point3D(i + 0.5, -i - 0.25, i * 1e10), tags=["a", str(i)],
    )
