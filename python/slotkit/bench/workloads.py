"""The article's classes, written once: fields, hand-written ``__init__``s, methods, and the
programs every variant runs (the values it computes are what the correctness check compares).

Sections 3 and 5 of the article: ``Employee(name, employee_id, department)`` with three ``str``
fields and ``Point3D(x, y, z)`` with three floats, ``distance_to`` and ``translate``. ``Box`` has a
single ``object`` field: it is the "unchecked object field" that a write can be timed on.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from typing import Any, Callable


def employee_init(self, name, employee_id, department):  # type: ignore[no-untyped-def]
    self.name = name
    self.employee_id = employee_id
    self.department = department


def point_init(self, x, y, z):  # type: ignore[no-untyped-def]
    self.x = x
    self.y = y
    self.z = z


def box_init(self, value):  # type: ignore[no-untyped-def]
    self.value = value


def distance_to(self, other):  # type: ignore[no-untyped-def]
    return math.sqrt((self.x - other.x) ** 2 + (self.y - other.y) ** 2 + (self.z - other.z) ** 2)


def translate(self, dx, dy, dz):  # type: ignore[no-untyped-def]
    self.x += dx
    self.y += dy
    self.z += dz


def translated(self, dx, dy, dz):  # type: ignore[no-untyped-def]
    """``translate`` for immutable variants (namedtuple): returns the moved point."""
    return type(self)(self.x + dx, self.y + dy, self.z + dz)


@dataclass(frozen=True)
class ClassSpec:
    """One of the article's classes, independent of how a variant writes it."""

    name: str
    fields: tuple[tuple[str, type], ...]
    init: Callable[..., None]
    methods: dict[str, Callable[..., Any]] = field(default_factory=dict)
    immutable_methods: dict[str, Callable[..., Any]] = field(default_factory=dict)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.fields)

    def methods_for(self, mutable: bool) -> dict[str, Callable[..., Any]]:
        return dict(self.methods) if mutable else {**self.methods, **self.immutable_methods}


EMPLOYEE = ClassSpec("Employee", (("name", str), ("employee_id", str), ("department", str)), employee_init)
POINT = ClassSpec(
    "Point3D",
    (("x", float), ("y", float), ("z", float)),
    point_init,
    {"distance_to": distance_to, "translate": translate},
    {"translate": translated},
)
BOX = ClassSpec("Box", (("value", object),), box_init)
SPECS = (EMPLOYEE, POINT, BOX)


# Fresh field values per instance, as real programs build them (the article's own expressions).
def employee_values(i: int) -> tuple[str, str, str]:
    return (f"Emp_{i}", f"E{i:04d}", "Eng")


def point_values(i: int) -> tuple[float, float, float]:
    return (float(i), i * 2.0, i * 3.0)


SHIFT = (1.0, -2.0, 0.5)


def point_cloud(point_cls: type, n: int, mutable: bool) -> tuple[list[Any], float]:
    """Section 5 as a program: build n points, translate all, sum distances to the origin.

    Returns the points (still alive, for the gc.collect figure) and the sum. Immutable variants
    cannot translate in place: they build the moved point instead, which is what they cost.
    """
    points = [point_cls(float(i), i * 2.0, i * 3.0) for i in range(n)]
    dx, dy, dz = SHIFT
    if mutable:
        for p in points:
            p.translate(dx, dy, dz)
    else:
        points = [p.translate(dx, dy, dz) for p in points]
    origin = point_cls(0.0, 0.0, 0.0)
    total = 0.0
    for p in points:
        total += p.distance_to(origin)
    return points, total


def digest(value: Any) -> str:
    """A stable fingerprint (``hash()`` of a str differs between processes)."""
    return hashlib.sha256(repr(value).encode()).hexdigest()[:16]


def check_values(classes: dict[str, type], mutable: bool, n: int = 1000) -> dict[str, Any]:
    """What a variant computes, for the correctness check: every variant must return the same."""
    employee_cls, point_cls, box_cls = classes["Employee"], classes["Point3D"], classes["Box"]
    employees = [employee_cls(*employee_values(i)) for i in range(n)]
    by_keyword = [employee_cls(**dict(zip(EMPLOYEE.field_names, employee_values(i)))) for i in range(n)]
    rows = [(e.name, e.employee_id, e.department) for e in employees + by_keyword]
    points = [point_cls(**dict(zip(POINT.field_names, point_values(i)))) for i in range(n)]
    coords = [(p.x, p.y, p.z) for p in points]
    _, cloud_sum = point_cloud(point_cls, n, mutable)
    written = None
    if mutable:
        e, b = employees[0], box_cls(None)
        e.name = "Renamed"
        b.value = rows
        points[1].x = 0.25
        written = [e.name, b.value is rows, points[1].x]
    return {
        "employee_rows": digest(rows),
        "point_coords": digest(coords),
        "distance": points[3].distance_to(points[7]),
        "cloud_sum": cloud_sum,
        "writes": written,
    }


def expected_values(mutable: bool, n: int = 1000) -> dict[str, Any]:
    """The reference answers, computed from plain tuples and floats (no class involved)."""
    rows = [employee_values(i) for i in range(n)] * 2
    coords = [point_values(i) for i in range(n)]
    a, b = coords[3], coords[7]
    return {
        "employee_rows": digest(rows),
        "point_coords": digest(coords),
        "distance": math.sqrt((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2 + (a[2] - b[2]) ** 2),
        "cloud_sum": expected_cloud_sum(n),
        "writes": ["Renamed", True, 0.25] if mutable else None,
    }


def expected_cloud_sum(n: int) -> float:
    """What :func:`point_cloud` must return for n points, from plain floats."""
    dx, dy, dz = SHIFT
    total = 0.0
    for i in range(n):
        x, y, z = point_values(i)
        x, y, z = x + dx, y + dy, z + dz
        total += math.sqrt((x - 0.0) ** 2 + (y - 0.0) ** 2 + (z - 0.0) ** 2)
    return total


def find_problems(got: dict[str, Any], expected: dict[str, Any]) -> list[str]:
    """The differences between what a variant computed and the reference, as readable lines."""
    return [f"{key}: got {got.get(key)!r}, expected {want!r}"
            for key, want in expected.items() if got.get(key) != want]
