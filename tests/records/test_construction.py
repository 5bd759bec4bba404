"""The generated constructor: positional, keyword, defaults, factories, __post_init__, and the
errors it raises (worded like dataclasses')."""

from __future__ import annotations

import pytest

from slotkit import Record, field

from .article_classes import Employee, Point3D


def test_positional_keyword_and_mixed():
    assert Point3D(1.0, 2.0, 3.0) == Point3D(x=1.0, y=2.0, z=3.0) == Point3D(1.0, z=3.0, y=2.0)


def test_int_accepted_for_float_field_and_stored_as_float():
    p = Point3D(1, 2, 3)
    assert type(p.x) is float and p.x == 1.0


def test_defaults():
    assert Employee("A", "E1").department == "Engineering"
    assert Employee("A", "E1", "Ops").department == "Ops"


def test_default_factory_runs_per_instance():
    class Order(Record):
        items: list = field(default_factory=list)

    a, b = Order(), Order()
    a.items.append(1)
    assert b.items == [] and a.items == [1]


def test_post_init_runs_after_fields_are_set():
    seen = []

    class Checked(Record):
        low: int
        high: int

        def __post_init__(self):
            seen.append((self.low, self.high))
            if self.low > self.high:
                raise ValueError("low > high")

    Checked(1, 2)
    assert seen == [(1, 2)]
    with pytest.raises(ValueError, match="low > high"):
        Checked(3, 2)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: Point3D(1.0, 2.0), r"Point3D.__init__\(\) missing 1 required positional argument: 'z'"),
        (lambda: Point3D(1.0), r"missing 2 required positional arguments: 'y' and 'z'"),
        (lambda: Point3D(), r"missing 3 required positional arguments: 'x', 'y', and 'z'"),
        (lambda: Point3D(1, 2, 3, 4), r"Point3D.__init__\(\) takes 4 positional arguments but 5 were given"),
        (lambda: Point3D(1, 2, 3, x=1), r"Point3D.__init__\(\) got multiple values for argument 'x'"),
        (lambda: Point3D(1, 2, w=3), r"Point3D.__init__\(\) got an unexpected keyword argument 'w'"),
        (lambda: Point3D("a", 2, 3), r"Point3D.x expects float, got str"),
        (lambda: Point3D(1, 2, None), r"Point3D.z expects float, got NoneType"),
        (lambda: Point3D(True, 2, 3), r"Point3D.x expects float, got bool"),
        (lambda: Employee(1, "E"), r"Employee.name expects str, got int"),
    ],
)
def test_argument_errors(call, message):
    with pytest.raises(TypeError, match=message):
        call()


def test_keyword_only_fields():
    class Opts(Record):
        a: int
        b: int = field(kw_only=True)
        c: int = field(default=3, kw_only=True)

    assert Opts(1, b=2) == Opts(a=1, b=2, c=3)
    with pytest.raises(TypeError, match=r"takes 2 positional arguments but 3 were given"):
        Opts(1, 2)
    with pytest.raises(TypeError, match=r"missing 1 required keyword-only argument: 'b'"):
        Opts(1)


def test_int_field_range():
    class Counter(Record):
        n: int

    assert Counter(2**63 - 1).n == 2**63 - 1
    assert Counter(-(2**63) + 1).n == -(2**63) + 1
    for bad in (2**63, -(2**63), 10**30):
        with pytest.raises(OverflowError, match=r"Counter\.n: .* does not fit an int field"):
            Counter(bad)
    c = Counter(5)
    with pytest.raises(OverflowError, match=r"Counter\.n"):
        c.n = 2**64
    assert c.n == 5  # a failed write leaves the old value


def test_bool_field_is_strict():
    class Flag(Record):
        on: bool

    assert Flag(True).on is True and Flag(False).on is False
    with pytest.raises(TypeError, match="Flag.on expects bool, got int"):
        Flag(1)


def test_float_field_special_values():
    import math

    p = Point3D(float("inf"), float("-inf"), float("nan"))
    assert p.x == math.inf and p.y == -math.inf and math.isnan(p.z)
    assert Point3D(-0.0, 0, 0).x.hex() == "-0x0.0p+0"
    big = Point3D(10**300, 0, 0)
    assert big.x == 1e300
    with pytest.raises(OverflowError, match=r"Point3D\.x: .* is too large for a float field"):
        Point3D(10**400, 0, 0)


def test_float_subclass_accepted_and_unboxed():
    class MyFloat(float):
        pass

    p = Point3D(MyFloat(1.5), 0, 0)
    assert type(p.x) is float and p.x == 1.5


def test_exact_atomic_fields_reject_subclasses():
    class MyStr(str):
        pass

    with pytest.raises(TypeError, match="Employee.name expects str, got MyStr"):
        Employee(MyStr("x"), "E")


def test_optional_atomic_fields():
    class Person(Record):
        name: str
        nickname: str | None = None
        age: int | None = None

    p = Person("Ann")
    assert p.nickname is None and p.age is None
    p.nickname = "A"
    p.age = 3
    with pytest.raises(TypeError, match=r"Person.nickname expects str \| None, got int"):
        p.nickname = 5
    with pytest.raises(TypeError, match=r"Person.age expects int \| None, got str"):
        Person("B", age="old")
