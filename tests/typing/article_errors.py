"""Mistakes a type checker must report on Records: every line with an E-marker comment."""

from __future__ import annotations

from slotkit import Record


class Point3D(Record):
    x: float
    y: float
    z: float


class Frozen(Record, frozen=True):
    x: int


p = Point3D(1.0, 2.0, 3.0)
p.w = 1  # E: undeclared attribute
Point3D("a", 2.0, 3.0)  # E: wrong argument type
Point3D(1.0, 2.0)  # E: missing argument
Point3D(1.0, 2.0, 3.0, 4.0)  # E: too many arguments
p.x = "a"  # E: wrong assignment type
Frozen(1).x = 2  # E: frozen
