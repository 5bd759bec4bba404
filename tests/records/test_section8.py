"""The article's section 8, "When NOT to use __slots__", rewritten with Records: each problem it
shows has an answer."""

from __future__ import annotations

import weakref

import pytest

from slotkit import Record


# Problem 1: dynamic attribute assignment fails. Answer: extra=True keeps a dict, created only
# when the first undeclared attribute is set.
def test_problem1_dynamic_attributes():
    class ConfigWithSlots(Record):
        debug: bool = True
        port: int = 8080

    config = ConfigWithSlots()
    with pytest.raises(AttributeError, match="'ConfigWithSlots' object has no attribute 'host'"):
        config.host = "localhost"

    class FlexibleConfig(Record, extra=True):
        debug: bool = True
        port: int = 8080

    flexible = FlexibleConfig()
    flexible.host = "localhost"
    assert flexible.host == "localhost" and flexible.port == 8080


# Problem 2: weak references need __weakref__ in __slots__. Answer: weakref=True, without a GC
# header and safe on 3.12+ (where CPython's managed weakref would assume one).
def test_problem2_weak_references():
    class NoWeak(Record):
        name: str

    with pytest.raises(TypeError, match="cannot create weak reference"):
        weakref.ref(NoWeak("test"))

    class SlottedWithWeakref(Record, weakref=True):
        name: str

    obj = SlottedWithWeakref("test")
    ref = weakref.ref(obj)
    assert ref() is obj
    del obj
    assert ref() is None


# Problem 3: multiple inheritance with two slotted bases raises CPython's bare "multiple bases
# have instance lay-out conflict". Answer: a message that says what to do, and mixins without
# fields that combine freely.
def test_problem3_multiple_inheritance():
    class A(Record):
        a: int

    class B(Record):
        b: int

    with pytest.raises(TypeError, match=r"C cannot inherit fields from more than one Record base \(.*A adds 'a'; .*B adds 'b'\)"):

        class C(A, B):
            c: int

    class BMixin:
        __slots__ = ()

        def describe(self):
            return f"a={self.a}"

    class Combined(A, BMixin):
        c: int

    assert Combined(1, 2).describe() == "a=1"
