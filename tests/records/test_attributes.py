"""Reading, writing and deleting fields; unset fields; the type checks on assignment."""

from __future__ import annotations

import pytest

from slotkit import Record

from .article_classes import Employee, Point3D


def test_assignment_type_errors_name_class_field_expected_and_given():
    p = Point3D(1.0, 2.0, 3.0)
    with pytest.raises(TypeError, match=r"^Point3D\.x expects float, got str$"):
        p.x = "a"
    assert p.x == 1.0  # a failed write does not clobber the field
    e = Employee("a", "b")
    with pytest.raises(TypeError, match=r"^Employee\.name expects str, got bytes$"):
        e.name = b"x"
    assert e.name == "a"


def test_undeclared_attribute_is_refused_like_slots():
    p = Point3D(1.0, 2.0, 3.0)
    with pytest.raises(AttributeError, match="'Point3D' object has no attribute 'w'"):
        p.w = 1
    with pytest.raises(AttributeError, match="'Point3D' object has no attribute 'w'"):
        p.w  # noqa: B018


def slots_message(cls, name):
    """What CPython says for an unset slot of a __slots__ class with the same names."""
    twin = type(cls.__name__, (), {"__slots__": (name,), "__module__": cls.__module__, "__qualname__": cls.__qualname__})
    try:
        getattr(twin(), name)
    except AttributeError as exc:
        return str(exc)
    raise AssertionError("unreachable")  # pragma: no cover


def test_unset_fields_and_del():
    p = Point3D(1.0, 2.0, 3.0)
    e = Employee("a", "b")
    del p.x, e.name
    for obj, name in ((p, "x"), (e, "name")):
        with pytest.raises(AttributeError) as info:
            getattr(obj, name)
        assert str(info.value) == slots_message(type(obj), name)
        with pytest.raises(AttributeError):
            delattr(obj, name)
    assert repr(p) == "Point3D(x=<unset>, y=2.0, z=3.0)"
    p.x = 4.0
    assert p.x == 4.0


def test_user_init_leaves_unassigned_fields_unset():
    class Config(Record):
        debug: bool
        port: int
        host: str

        def __init__(self):
            self.debug = True
            self.port = 8080

    c = Config()
    assert c.debug is True and c.port == 8080
    with pytest.raises(AttributeError) as info:
        c.host  # noqa: B018
    assert str(info.value) == slots_message(Config, "host")
    assert repr(c).endswith(".Config(debug=True, port=8080, host=<unset>)")  # __qualname__, as dataclasses


def test_unboxed_descriptor_refuses_foreign_objects():
    d = Point3D.__dict__["x"]
    assert d.__name__ == "x" and d.__objclass__ is Point3D
    assert "field 'x' (f64) of 'Point3D'" in repr(d)

    class Other:
        pass

    with pytest.raises(TypeError, match="doesn't apply to a 'Other' object"):
        d.__get__(Other(), Other)
    with pytest.raises(TypeError, match="doesn't apply to a 'Other' object"):
        d.__set__(Other(), 1.0)


def test_nan_payload_reserved_for_unset_is_stored_as_plain_nan():
    import math
    import struct

    reserved = struct.unpack("<d", struct.pack("<Q", 0x7FF8_5107_C17A_0001))[0]
    p = Point3D(reserved, 0, 0)
    assert math.isnan(p.x)  # stays readable: it is not mistaken for "unset"


def test_repr_and_eq():
    assert repr(Employee("A", "E1")) == "Employee(name='A', employee_id='E1', department='Engineering')"
    assert Point3D(1, 2, 3) == Point3D(1.0, 2.0, 3.0)
    assert Point3D(1, 2, 3) != Point3D(1, 2, 4)
    assert (Point3D(1, 2, 3) == (1, 2, 3)) is False
    assert Point3D(0.0, 0, 0) == Point3D(-0.0, 0, 0)
    assert Point3D(float("nan"), 0, 0) != Point3D(float("nan"), 0, 0)


def test_repr_is_recursion_safe():
    class Node(Record):
        value: int
        next: object = None

    n = Node(1)
    n.next = n
    assert repr(n).endswith("<locals>.Node(value=1, next=...)")


def test_eq_only_between_same_class():
    class A(Record):
        x: int

    class B(Record):
        x: int

    assert A(1) != B(1)
    assert A(1) == A(1)


def test_records_are_unhashable_by_default():
    with pytest.raises(TypeError, match="unhashable"):
        hash(Point3D(1, 2, 3))


def test_eq_with_object_fields_uses_their_eq():
    class Holder(Record):
        items: list

    assert Holder([1, 2]) == Holder([1, 2])
    assert Holder([1]) != Holder([2])
