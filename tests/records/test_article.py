"""The article's sections 1-7, rewritten with Records: each claim the article makes for
``__slots__`` holds for a Record, with smaller numbers."""

from __future__ import annotations

import sys

import pytest

from slotkit import fields
from slotkit.measure import bytes_per_instance

from .article_classes import (
    BankAccount,
    Car,
    Employee,
    Point3D,
    SlottedEmployee,
    SlottedPoint3D,
    Vehicle,
)


# Section 1-2: no __dict__, fixed attributes.
def test_section2_no_dict_and_no_dynamic_attributes():
    emp = Employee("Bob Smith", "E002", "Marketing")
    assert (emp.name, emp.employee_id, emp.department) == ("Bob Smith", "E002", "Marketing")
    with pytest.raises(AttributeError, match="'Employee' object has no attribute '__dict__'"):
        emp.__dict__  # noqa: B018
    with pytest.raises(AttributeError, match="'Employee' object has no attribute 'salary'"):
        emp.salary = 80000
    assert not hasattr(emp, "salary")


def test_section2_sizes_exact():
    assert sys.getsizeof(SlottedEmployee("Bob Smith", "E002", "Marketing")) == 56
    assert sys.getsizeof(Employee("Bob Smith", "E002", "Marketing")) == 40


# Section 3: memory comparison with tracemalloc.
def test_section3_employee_bytes_per_instance_exact():
    shared = ("Emp", "E0001", "Eng")
    assert bytes_per_instance(lambda: Employee(*shared), 100_000) == 40.0
    assert bytes_per_instance(lambda: SlottedEmployee(*shared), 100_000) == 56.0


def test_section3_employee_with_fresh_values_costs_only_the_strings_more():
    counter = iter(range(10**9))

    def make_record():
        i = next(counter)
        return Employee(f"Emp_{i:06d}", f"E{i:06d}", "Eng")

    def make_slotted():
        i = next(counter)
        return SlottedEmployee(f"Emp_{i:06d}", f"E{i:06d}", "Eng")

    # Two fresh compact ASCII strings per instance: 10 and 7 characters.
    strings = sys.getsizeof("Emp_000000") + sys.getsizeof("E000000")
    assert bytes_per_instance(make_record, 100_000) == 40 + strings
    assert bytes_per_instance(make_slotted, 100_000) == 56 + strings


# Section 4: attribute access works (speed is measured by `slotkit bench`, not asserted).
def test_section4_attribute_read_and_write():
    emp = Employee("Test", "E1")
    emp.name = "Other"
    assert emp.name == "Other"


# Section 5: the point cloud.
def test_section5_point_sizes_exact():
    assert sys.getsizeof(Point3D(1.0, 2.0, 3.0)) == 40
    assert sys.getsizeof(SlottedPoint3D(1.0, 2.0, 3.0)) == 56


def test_section5_point_bytes_with_fresh_float_values():
    counter = iter(range(10**9))

    def make_record():
        i = next(counter)
        return Point3D(float(i), i * 2.0, i * 3.0)

    def make_slotted():
        i = next(counter)
        return SlottedPoint3D(float(i), i * 2.0, i * 3.0)

    # Unboxed: the three floats live inside the 40-byte record. Boxed: 3 x 24-byte floats more.
    assert bytes_per_instance(make_record, 100_000) == 40.0
    assert bytes_per_instance(make_slotted, 100_000) == 56.0 + 3 * sys.getsizeof(1.5)


def test_section5_point_cloud_math():
    points = [Point3D(i, i * 2, i * 3) for i in range(1000)]
    origin = Point3D(0, 0, 0)
    for p in points:
        p.translate(1, 1, 1)
    assert points[10] == Point3D(11.0, 21.0, 31.0)
    assert points[0].distance_to(origin) == pytest.approx(3**0.5)
    total = sum(p.distance_to(origin) for p in points)
    expected = sum(((i + 1) ** 2 + (2 * i + 1) ** 2 + (3 * i + 1) ** 2) ** 0.5 for i in range(1000))
    assert total == pytest.approx(expected)


# Section 6: inheritance.
def test_section6_inheritance():
    car = Car("Toyota", "Camry", 2023, 4, "Hybrid")
    assert str(car) == "2023 Toyota Camry (4 doors, Hybrid)"
    assert sys.getsizeof(car) == 16 + 5 * 8  # __slots__ gives 72 for the same five
    assert isinstance(car, Vehicle)
    assert [f.name for f in fields(Car)] == ["make", "model", "year", "doors", "fuel_type"]
    with pytest.raises(AttributeError, match="'Car' object has no attribute 'color'"):
        car.color = "Red"


# Section 7: properties with validation.
def test_section7_properties():
    account = BankAccount("12345678", 1000.0)
    assert str(account) == "Account 12345678: $1000.00"
    account.deposit(500)
    assert str(account) == "Account 12345678: $1500.00"
    with pytest.raises(ValueError, match="Balance cannot be negative"):
        account.balance = -100
    account.balance = 10
    assert account.balance == 10.0
    assert sys.getsizeof(account) == 32
