"""The article's classes, written as Records (sections 1-7 of slots-article.txt)."""

from __future__ import annotations

import math

from slotkit import Record


class Employee(Record):
    name: str
    employee_id: str
    department: str = "Engineering"


class SlottedEmployee:
    __slots__ = ["name", "employee_id", "department"]

    def __init__(self, name, employee_id, department):
        self.name = name
        self.employee_id = employee_id
        self.department = department


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


class SlottedPoint3D:
    __slots__ = ["x", "y", "z"]

    def __init__(self, x, y, z):
        self.x = x
        self.y = y
        self.z = z


class Vehicle(Record):
    make: str
    model: str
    year: int


class Car(Vehicle):
    doors: int
    fuel_type: str

    def __str__(self) -> str:
        return f"{self.year} {self.make} {self.model} ({self.doors} doors, {self.fuel_type})"


class BankAccount(Record):
    _account_number: str
    _balance: float = 0.0

    @property
    def balance(self) -> float:
        return self._balance

    @balance.setter
    def balance(self, value: float) -> None:
        if value < 0:
            raise ValueError("Balance cannot be negative")
        self._balance = value

    def deposit(self, amount: float) -> None:
        if amount <= 0:
            raise ValueError("Deposit amount must be positive")
        self._balance += amount

    def __str__(self) -> str:
        return f"Account {self._account_number}: ${self._balance:.2f}"
