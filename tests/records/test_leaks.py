"""Memory safety: create/destroy loops, failed constructions and class churn leave refcounts and
traced memory flat."""

from __future__ import annotations

import gc
import sys
import tracemalloc

import pytest

from slotkit import Record, field

from .article_classes import Employee, Point3D, Vehicle


def traced_growth(loop, warmups: int = 1) -> int:
    """Bytes still allocated after `loop()` that were not before (after warm-up runs, which let
    caches and free lists reach their steady size)."""
    for _ in range(warmups):
        loop()
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        loop()
        gc.collect()
        return tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()


def test_one_million_create_destroy_cycles_are_flat():
    name, dept = "n" * 40, "d" * 40
    refs = (sys.getrefcount(Point3D), sys.getrefcount(Employee), sys.getrefcount(name), sys.getrefcount(dept))

    def loop():
        for i in range(500_000):
            Point3D(1.0, 2.0, i)
            Employee(name, "E", department=dept)

    assert traced_growth(loop) < 2048
    assert (sys.getrefcount(Point3D), sys.getrefcount(Employee), sys.getrefcount(name), sys.getrefcount(dept)) == refs


def test_gc_records_create_destroy_flat():
    class Node(Record):
        payload: object
        children: list = field(default_factory=list)

    payload = object()
    before = (sys.getrefcount(Node), sys.getrefcount(payload))

    def loop():
        for _ in range(200_000):
            n = Node(payload)
            n.children.append(n)  # a cycle each time, freed by the collector

    assert traced_growth(loop) < 4096
    gc.collect()
    assert (sys.getrefcount(Node), sys.getrefcount(payload)) == before


def test_failed_constructions_leave_nothing_behind():
    class Boom(Record):
        a: str
        b: list = field(default_factory=list)

        def __post_init__(self):
            if self.a == "boom":
                raise ValueError("boom")

    def failing_factory():
        raise RuntimeError("factory")

    class Broken(Record):
        a: str
        b: object = field(default_factory=failing_factory)

    value = "v" * 30
    cases = [
        (TypeError, lambda: Point3D(1.0, value, 3.0)),
        (TypeError, lambda: Point3D(1.0, 2.0)),
        (TypeError, lambda: Point3D(1.0, 2.0, 3.0, w=value)),
        (TypeError, lambda: Employee(value, value, value, value)),
        (TypeError, lambda: Employee(value, employee_id=5)),
        (OverflowError, lambda: Vehicle(value, value, 2**70)),
        (ValueError, lambda: Boom("boom")),
        (RuntimeError, lambda: Broken(value)),
    ]
    refs_before = [sys.getrefcount(x) for x in (value, Point3D, Employee, Vehicle, Boom, Broken)]

    def loop():
        for _ in range(100_000 // len(cases)):
            for exc, call in cases:
                try:
                    call()
                except exc:
                    pass
                else:  # pragma: no cover
                    raise AssertionError("did not fail")

    assert traced_growth(loop) < 4096
    assert [sys.getrefcount(x) for x in (value, Point3D, Employee, Vehicle, Boom, Broken)] == refs_before


def test_attribute_churn_is_flat():
    e = Employee("a", "b")
    p = Point3D(1, 2, 3)
    s = "x" * 50
    before = sys.getrefcount(s)

    def loop():
        for i in range(200_000):
            e.name = s
            e.department = s
            del e.department
            p.x = i
            p.y += 1.0
            try:
                e.name = i
            except TypeError:
                pass
        e.name = "a"

    assert traced_growth(loop) < 1024
    assert sys.getrefcount(s) == before


def test_class_creation_and_deletion_leaks_nothing():
    import weakref

    meta = type(Record)
    meta_refs = sys.getrefcount(meta)
    base_refs = sys.getrefcount(Vehicle)

    def make():
        class Temp(Vehicle):
            doors: int
            owner: object = None
            weight: float = 1.0

            def method(self):
                return super().__init__

        Temp("a", "b", 1, 4).method()
        return weakref.ref(Temp)

    def round_growth(n=300):
        gc.collect()
        before = sys.getallocatedblocks()
        refs = [make() for _ in range(n)]
        gc.collect()
        assert all(r() is None for r in refs)
        del refs
        return sys.getallocatedblocks() - before

    # The interpreter's own caches (type versions, specialization) grow while the first couple
    # of thousand classes come and go, then stay level; a leak of even one object per class
    # would add 300 blocks to every round.
    for _ in range(10):
        round_growth()
    growth = [round_growth() for _ in range(5)]
    assert max(growth) < 150 and sum(growth) < 300, growth
    assert sys.getrefcount(meta) == meta_refs
    assert sys.getrefcount(Vehicle) == base_refs


@pytest.mark.parametrize("cls_kind", ["scalar", "gc"])
def test_instances_hold_their_class(cls_kind):
    import weakref

    def make():
        class T(Record):
            x: float
            if cls_kind == "gc":
                y: object = None

        return T(1.0), weakref.ref(T)

    obj, ref = make()
    gc.collect()
    assert ref() is not None  # the instance keeps its class alive
    del obj
    gc.collect()
    assert ref() is None
