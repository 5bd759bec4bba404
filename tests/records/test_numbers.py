"""Numeric values users have (issue 8): numpy scalars, IntEnum, Fraction, anything with
``__index__``; boxed fields; and the messages for what is refused."""

from __future__ import annotations

import enum
import fractions
import gc
import sys

import numpy as np
import pytest

from slotkit import Record, field, fields


class Color(enum.IntEnum):
    RED = 1


class Name(str, enum.Enum):
    ANN = "ann"


class Index:
    def __index__(self):
        return 7


class P(Record):
    x: float
    n: int
    flag: bool


class B(Record, boxed=True):
    x: float
    n: int
    flag: bool


@pytest.mark.parametrize("cls", [P, B])
def test_lossless_numeric_sources_are_accepted(cls):
    p = cls(np.float32(1.5), np.int64(3), np.bool_(True))
    assert (p.x, p.n, p.flag) == (1.5, 3, True)
    assert type(p.x) is float and type(p.n) is int and type(p.flag) is bool
    p.n = Color.RED
    assert p.n == 1 and type(p.n) is int
    p.n = Index()
    assert p.n == 7
    p.x = np.int64(2)
    assert p.x == 2.0 and type(p.x) is float
    p.x = fractions.Fraction(1, 4)
    assert p.x == 0.25
    p.x = np.float64(0.5)
    assert p.x == 0.5 and type(p.x) is float
    p.flag = np.bool_(False)
    assert p.flag is False


@pytest.mark.parametrize("cls", [P, B])
@pytest.mark.parametrize(
    ("attr", "value", "message"),
    [
        ("x", "1.5", "expects float, got str"),
        ("x", True, "expects float, got bool"),
        ("x", np.bool_(True), "expects float, got bool"),
        ("n", 1.0, "expects int, got float"),
        ("n", np.float64(1.0), "expects int, got float64"),
        ("n", True, "expects int, got bool"),
        ("n", "3", "expects int, got str"),
        ("flag", 1, "expects bool, got int"),
        ("flag", "yes", "expects bool, got str"),
    ],
)
def test_strings_and_lossy_values_are_refused(cls, attr, value, message):
    p = cls(1.0, 1, False)
    with pytest.raises(TypeError, match=f"{cls.__name__}.{attr} {message}"):
        setattr(p, attr, value)
    assert (p.x, p.n, p.flag) == (1.0, 1, False)  # a failed write leaves the old value


def test_int_overflow_from_numpy_is_an_overflow_error():
    p = P(1.0, 1, False)
    with pytest.raises(OverflowError, match=r"P.n: .* does not fit an int field"):
        p.n = np.uint64(2**63)


def test_str_subclass_message_says_how_to_store_it():
    class Person(Record):
        name: str

    with pytest.raises(TypeError) as err:
        Person(Name.ANN)
    assert str(err.value) == (
        "test_str_subclass_message_says_how_to_store_it.<locals>.Person.name expects str, got Name "
        "(a subclass of str: the field takes exact str only; annotate it with Name to store such values)"
    )

    class Tagged(Record):
        name: Name

    assert Tagged(Name.ANN).name is Name.ANN


def test_boxed_fields_keep_slot_reads_and_stay_non_gc():
    assert [f.kind for f in fields(B)] == ["float", "int", "boolobj"]
    b = B(1.0, 2, True)
    assert not gc.is_tracked(b)
    assert sys.getsizeof(b) == sys.getsizeof(P(1.0, 2, True)) == 40
    assert type(B.__dict__["x"]).__name__ == "member_descriptor"  # CPython's specialized slot reads
    value = 1.25
    b.x = value
    assert b.x is value  # the object itself is kept
    assert b.x is b.x


def test_boxed_per_field_and_inheritance():
    class Mixed(Record):
        fast: float = field(boxed=True)
        packed: float = 0.0

    class Sub(Mixed, boxed=True):
        more: int = 0

    assert [f.kind for f in fields(Sub)] == ["float", "f64", "int"]
    s = Sub(np.float32(2.0))
    assert s.fast == 2.0 and type(s.fast) is float
    with pytest.raises(TypeError, match="Sub.fast expects float, got str"):
        s.fast = "x"
    with pytest.raises(TypeError, match="Bad.fast expects float, got str as its default"):
        class Bad(Record):
            fast: float = field(default="x", boxed=True)


def test_setattr_assigned_later_still_checks():
    class Q(Record):
        name: str

    q = Q("a")
    log = []

    def logging_setattr(self, key, value):
        log.append(key)
        object.__setattr__(self, key, value)

    Q.__setattr__ = logging_setattr
    q.name = "b"
    assert q.name == "b" and log == ["name"]
    with pytest.raises(TypeError, match="Q.name expects str, got int"):
        q.name = 5
    del Q.__setattr__
    q.name = "c"
    assert q.name == "c"
