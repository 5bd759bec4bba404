"""Records combined with bases that add no instance state, and the refusals for bases that do."""

from __future__ import annotations

import abc
import gc
import sys
import typing

import pytest

from slotkit import Record, fields


class Greets:
    __slots__ = ()

    def greet(self):
        return f"hello {self.name}"


def test_mixin_with_empty_slots():
    class Person(Record, Greets):
        name: str

    p = Person("Ann")
    assert p.greet() == "hello Ann"
    assert sys.getsizeof(p) == 24 and gc.is_tracked(p) is False


def test_abc_enforces_abstract_methods():
    class Shape(Record, abc.ABC):
        name: str

        @abc.abstractmethod
        def area(self) -> float: ...

    class Square(Shape):
        side: float

        def area(self):
            return self.side**2

    with pytest.raises(TypeError, match="Can't instantiate abstract class Shape"):
        Shape("s")
    with pytest.raises(TypeError, match="area"):
        Shape.__new__(Shape)
    sq = Square("sq", 3.0)
    assert sq.area() == 9.0
    assert isinstance(sq, Shape) and issubclass(Square, Shape) and not isinstance(1, Shape)

    class Virtual:
        pass

    Shape.register(Virtual)
    assert isinstance(Virtual(), Shape)  # ABC registration still honoured


def test_generic():
    T = typing.TypeVar("T")

    class Box(Record, typing.Generic[T]):
        item: object

    assert Box[int](1) == Box(1)
    assert Box[int].__origin__ is Box


def test_protocol_with_empty_slots():
    @typing.runtime_checkable
    class SupportsClose(typing.Protocol):
        __slots__ = ()

        def close(self) -> None: ...

    class Resource(Record, SupportsClose):
        path: str

        def close(self) -> None:
            pass

    r = Resource("/tmp/x")
    assert isinstance(r, SupportsClose)
    assert sys.getsizeof(r) == 24


def test_diamond_with_one_side_adding_fields():
    class Base(Record):
        a: int

    class Left(Base):
        b: int

    class Right(Base):
        def hello(self):
            return "right"

    class Both(Left, Right):
        c: int

    obj = Both(1, 2, 3)
    assert [f.name for f in fields(Both)] == ["a", "b", "c"]
    assert (obj.a, obj.b, obj.c, obj.hello()) == (1, 2, 3, "right")


def test_two_bases_adding_fields_is_explained():
    class Base(Record):
        a: int

    class Left(Base):
        b: int

    class Right(Base):
        c: str

    with pytest.raises(TypeError) as info:

        class Both(Left, Right):
            pass

    message = str(info.value)
    assert "Left adds 'b'" in message and "Right adds 'c'" in message and "composition" in message


def test_plain_slotted_base_with_state_makes_a_gc_record():
    class Slotted:
        __slots__ = ("legacy",)

    class Mixed(Record, Slotted):
        x: int

    m = Mixed(1)
    m.legacy = [m]  # the base's slot can hold anything, so the class must be a GC type
    assert gc.is_tracked(m)
    import weakref

    class Probe:
        pass

    probe = Probe()
    ref = weakref.ref(probe)
    m.legacy.append(probe)
    del m, probe
    gc.collect()
    assert ref() is None
