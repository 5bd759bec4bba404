"""The article's examples with Records: must type-check with no errors."""

from __future__ import annotations

import math

from slotkit import Record, field, fields, replace


class Point3D(Record):
    x: float
    y: float
    z: float

    def distance_to(self, other: Point3D) -> float:
        return math.sqrt((self.x - other.x) ** 2 + (self.y - other.y) ** 2 + (self.z - other.z) ** 2)

    def translate(self, dx: float, dy: float, dz: float) -> None:
        self.x += dx
        self.y += dy
        self.z += dz


class Employee(Record):
    name: str
    employee_id: str
    department: str = "Engineering"


class Vehicle(Record):
    make: str
    model: str
    year: int


class Car(Vehicle):
    doors: int
    fuel_type: str


class Order(Record, frozen=True):
    items: list[int] = field(default_factory=list)


p = Point3D(1.0, 2.0, 3.0)
q = Point3D(x=1, y=2, z=3)
d: float = p.distance_to(q)
e = Employee("Ann", "E1")
dept: str = e.department
car = Car("Toyota", "Camry", 2023, 4, "Hybrid")
year: int = car.year
o = Order()
o2: Order = replace(o, items=[1])
names = [f.name for f in fields(Car)]
