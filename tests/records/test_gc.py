"""Garbage collection: records that cannot be part of a cycle carry no GC header and are never
tracked; the others are ordinary GC objects whose cycles are collected."""

from __future__ import annotations

import gc
import sys

from slotkit import Record, field

from .article_classes import Car, Employee, Point3D


class Sentinel:
    """Appends its name to `log` when it is finalized."""

    def __init__(self, log, name):
        self.log, self.name = log, name

    def __del__(self):
        self.log.append(self.name)


def test_scalar_and_exact_atomic_records_are_never_tracked():
    class Opt(Record):
        a: str | None
        b: bytes
        c: float | None
        d: bool | None

    for obj in (Point3D(1, 2, 3), Employee("a", "b"), Car("a", "b", 1, 2, "x"), Opt(None, b"", 1.0, True)):
        assert gc.is_tracked(obj) is False
        assert type(obj).__flags__ & (1 << 14) == 0  # Py_TPFLAGS_HAVE_GC
    big = [Point3D(i, i, i) for i in range(1000)]
    tracked = {id(o) for o in gc.get_objects()}
    assert not any(id(p) in tracked for p in big)


def test_object_field_records_are_gc_types_with_the_header():
    class Node(Record):
        value: int
        children: list = field(default_factory=list)

    n = Node(1)
    assert gc.is_tracked(n)
    assert sys.getsizeof(n) == 16 + 2 * 8 + 16  # header, two slots, GC header
    assert gc.get_referents(n) == [n.children] or n.children in gc.get_referents(n)


def test_cycles_through_records_are_collected():
    class Node(Record):
        payload: object
        other: object = None

    log = []
    a = Node(Sentinel(log, "a"))
    b = Node(Sentinel(log, "b"), a)
    a.other = b
    del a, b
    gc.collect()
    assert sorted(log) == ["a", "b"]


def test_self_cycle_through_a_list_is_collected():
    class Holder(Record):
        items: list
        tag: object

    log = []
    h = Holder([], Sentinel(log, "h"))
    h.items.append(h)
    del h
    gc.collect()
    assert log == ["h"]


def test_subclass_adding_object_field_becomes_gc():
    class Base(Record):
        name: str

    class Sub(Base):
        extra: object

    assert gc.is_tracked(Base("a")) is False
    s = Sub("a", None)
    assert gc.is_tracked(s) is True
    log = []
    s.extra = [s, Sentinel(log, "s")]
    del s
    gc.collect()
    assert log == ["s"]


def test_subclass_of_gc_record_stays_gc():
    class Base(Record):
        anything: object

    class Sub(Base):
        x: float

    assert gc.is_tracked(Sub(None, 1.0))


def test_del_method_runs_on_a_non_gc_record():
    log = []

    class Finalized(Record):
        x: float

        def __del__(self):
            log.append(self.x)

    f = Finalized(2.5)
    assert not gc.is_tracked(f)  # __del__ no longer needs a GC header
    del f
    assert log == [2.5]  # run at once, when the last reference goes


def test_gc_collect_with_many_live_records_does_not_visit_them():
    keep = [Point3D(i, i, i) for i in range(100_000)]
    before = len(gc.get_objects())
    more = [Point3D(i, i, i) for i in range(100_000)]
    assert len(gc.get_objects()) - before < 10  # only the list itself may be tracked
    del keep, more
