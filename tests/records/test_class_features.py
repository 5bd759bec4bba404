"""Ordinary class machinery on Records: super(), __init_subclass__, user __init__/__new__,
monkeypatching, and the class object's own protocols."""

from __future__ import annotations

import pytest

from slotkit import Record

from .article_classes import Point3D, Vehicle


def test_zero_argument_super_in_methods():
    class Base(Record):
        x: int

        def describe(self):
            return f"x={self.x}"

    class Sub(Base):
        y: int

        def describe(self):
            return super().describe() + f", y={self.y}"

    assert Sub(1, 2).describe() == "x=1, y=2"


def test_init_subclass_with_keywords_runs_once_on_the_final_class():
    registry = []

    class Plugin(Record):
        def __init_subclass__(cls, /, name, **kw):
            super().__init_subclass__(**kw)
            registry.append((name, cls, cls.__slots__))

    class Csv(Plugin, name="csv"):
        path: str

    assert registry == [("csv", Csv, ("path",))]
    assert Csv("a.csv").path == "a.csv"


def test_subclass_init_calls_base_generated_init():
    class Car(Vehicle):
        doors: int

        def __init__(self, make, model, year, doors):
            super().__init__(make, model, year)
            self.doors = doors

    c = Car("Toyota", "Camry", 2023, 4)
    assert (c.make, c.year, c.doors) == ("Toyota", 2023, 4)
    with pytest.raises(TypeError, match=r"Vehicle.__init__\(\) missing 1 required positional argument: 'year'"):
        Car("a", "b", None, 1) if False else Vehicle.__init__(c, "a", "b")


def test_generated_init_refuses_foreign_self():
    with pytest.raises(TypeError, match="needs a 'Vehicle' instance as self"):
        Vehicle.__init__(object(), "a", "b", 1)


def test_user_new():
    class Cached(Record):
        x: int
        made = []

        def __new__(cls, *args, **kwargs):
            obj = super().__new__(cls)
            Cached.made.append(obj)
            return obj

    c = Cached(1)
    assert Cached.made == [c] and c.x == 1


def test_monkeypatching_init_and_post_init_is_noticed():
    class P(Record):
        x: int

    original = P.__init__

    def init(self, x):
        original(self, x * 10)

    P.__init__ = init
    assert P(1).x == 10
    P.__init__ = original
    assert P(1).x == 1

    class Q(P):
        pass

    P.__post_init__ = lambda self: setattr(self, "x", -self.x)
    assert Q(2).x == -2 and P(3).x == -3
    del P.__post_init__
    assert Q(2).x == 2


def test_class_called_through_tuple_and_dict_path():
    import functools

    make = functools.partial(Point3D, 1.0, z=3.0)
    assert make(y=2.0) == Point3D(1.0, 2.0, 3.0)
    assert Point3D(*[1, 2], **{"z": 3}) == Point3D(1, 2, 3)
    assert type(Point3D).__call__(Point3D, 1, 2, 3) == Point3D(1, 2, 3)


def test_new_without_init_gives_unset_instance():
    p = Point3D.__new__(Point3D)
    assert repr(p) == "Point3D(x=<unset>, y=<unset>, z=<unset>)"


def test_record_root_and_metaclass_guard_rails():
    from slotkit._core import _RecordBase

    with pytest.raises(TypeError, match="not a finished slotkit Record class"):
        _RecordBase()
    RecordMeta = type(Record)
    assert RecordMeta("X", (), {}) .__class__ is RecordMeta  # an ordinary class body works too


def test_methods_see_fields():
    p = Point3D(1.0, 2.0, 3.0)
    p.translate(1, 1, 1)
    assert (p.x, p.y, p.z) == (2.0, 3.0, 4.0)


def test_field_names_cannot_be_rebound_on_the_class():
    class P(Record):
        x: float
        name: str

    class Sub(P):
        pass

    for cls, name in ((P, "x"), (P, "name"), (Sub, "x")):
        with pytest.raises(TypeError, match=f"cannot rebind '{name}' on .*: it is a field"):
            setattr(cls, name, property(lambda self: 1))
        with pytest.raises(TypeError, match=f"cannot delete '{name}'"):
            delattr(cls, name)
    p = P(1.0, "a")
    p.name = "b"
    assert (p.x, p.name) == (1.0, "b")
