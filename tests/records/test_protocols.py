"""Pickle, copy, replace, asdict/astuple, match, cached_property and __class__ assignment."""

from __future__ import annotations

import copy
import functools
import gc
import pickle
import sys

import pytest

from slotkit import UNSET, Record, asdict, astuple, field, replace

from .article_classes import Car, Employee, Point3D


class Frozen(Record, frozen=True):
    x: float
    name: str


class Extra(Record, extra=True):
    a: int


class WithList(Record):
    items: list = field(default_factory=list)
    n: int = 0


SAMPLES = [
    lambda: Point3D(1.0, -2.5, float("inf")),
    lambda: Employee("Ann", "E1"),
    lambda: Car("Toyota", "Camry", 2023, 4, "Hybrid"),
    lambda: Frozen(1.0, "f"),
    lambda: WithList([1, [2]], 3),
]


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
@pytest.mark.parametrize("make", SAMPLES)
def test_pickle_round_trip_every_protocol(make, protocol):
    obj = make()
    back = pickle.loads(pickle.dumps(obj, protocol))
    assert type(back) is type(obj) and back == obj and back is not obj


@pytest.mark.parametrize("protocol", [0, 2, 5])
def test_unset_fields_stay_unset_through_pickle_and_copy(protocol):
    p = Point3D(1.0, 2.0, 3.0)
    del p.y
    e = Employee.__new__(Employee)
    for obj in (p, e):
        for clone in (pickle.loads(pickle.dumps(obj, protocol)), copy.copy(obj), copy.deepcopy(obj)):
            assert repr(clone) == repr(obj)
    assert repr(replace(p, x=5.0)) == "Point3D(x=5.0, y=<unset>, z=3.0)"


def test_extra_attributes_travel_too():
    e = Extra(1)
    e.note = "hi"
    for clone in (pickle.loads(pickle.dumps(e)), copy.copy(e), copy.deepcopy(e)):
        assert clone.a == 1 and clone.note == "hi"


def test_copy_is_shallow_and_deepcopy_is_deep():
    w = WithList([[1]], 2)
    shallow, deep = copy.copy(w), copy.deepcopy(w)
    assert shallow.items is w.items
    assert deep.items == w.items and deep.items is not w.items and deep.items[0] is not w.items[0]


def test_replace():
    f = Frozen(1.0, "a")
    g = replace(f, name="b")
    assert g == Frozen(1.0, "b") and f.name == "a"
    with pytest.raises(TypeError, match="Frozen.x expects float, got str"):
        replace(f, x="bad")
    with pytest.raises(TypeError, match=r"Frozen.__replace__\(\) got an unexpected keyword argument 'y'"):
        replace(f, y=1)
    with pytest.raises(TypeError, match="should be called on a Record instance"):
        replace(object())


def test_replace_runs_post_init():
    class Checked(Record):
        n: int

        def __post_init__(self):
            if self.n < 0:
                raise ValueError("negative")

    with pytest.raises(ValueError, match="negative"):
        replace(Checked(1), n=-1)


def test_dunder_replace_and_copy_replace():
    assert Point3D(1, 2, 3).__replace__(z=9) == Point3D(1, 2, 9)
    if sys.version_info >= (3, 13):  # copy.replace is new in 3.13; it calls __replace__
        assert copy.replace(Point3D(1, 2, 3), z=9) == Point3D(1, 2, 9)


def test_asdict_and_astuple_recurse():
    class Line(Record):
        a: object
        b: object
        tags: dict
        notes: list

    line = Line(Point3D(0, 0, 0), Point3D(1, 1, 1), {"k": Point3D(2, 2, 2)}, [Employee("x", "y")])
    d = asdict(line)
    assert d == {
        "a": {"x": 0.0, "y": 0.0, "z": 0.0},
        "b": {"x": 1.0, "y": 1.0, "z": 1.0},
        "tags": {"k": {"x": 2.0, "y": 2.0, "z": 2.0}},
        "notes": [{"name": "x", "employee_id": "y", "department": "Engineering"}],
    }
    assert astuple(line) == ((0.0, 0.0, 0.0), (1.0, 1.0, 1.0), {"k": (2.0, 2.0, 2.0)}, [("x", "y", "Engineering")])
    shared = [1]
    assert asdict(WithList(shared))["items"] is not shared  # values are copied, as dataclasses do
    p = Point3D(1, 2, 3)
    del p.y
    assert asdict(p) == {"x": 1.0, "z": 3.0}
    with pytest.raises(AttributeError):
        astuple(p)
    with pytest.raises(TypeError):
        asdict({"not": "a record"})


def test_match_statement():
    def where(obj):
        match obj:
            case Point3D(0.0, 0.0, 0.0):
                return "origin"
            case Point3D(x, y, z=0.0):
                return f"plane {x},{y}"
            case Employee(name=name, department="Engineering"):
                return f"engineer {name}"
        return "other"

    assert where(Point3D(0, 0, 0)) == "origin"
    assert where(Point3D(1, 2, 0)) == "plane 1.0,2.0"
    assert where(Employee("Ann", "E1")) == "engineer Ann"
    assert where(Employee("Bob", "E2", "Ops")) == "other"


def test_cached_property_without_dict():
    calls = []

    class Circle(Record):
        r: float

        @functools.cached_property
        def area(self):
            calls.append(1)
            return 3.0 * self.r * self.r

    c = Circle(2.0)
    assert c.area == 12.0 and c.area == 12.0 and calls == [1]
    assert not hasattr(c, "__dict__")
    assert Circle.__slots__ == ("r",)
    assert sys.getsizeof(c) == 16 + 8 + 8 + 16  # the cache slot; a GC type (it may hold anything)
    del c.area
    assert c.area == 12.0 and calls == [1, 1]
    c.area = 1.0
    assert c.area == 1.0


def test_class_assignment_between_layouts():
    class A(Record):
        x: float

    class SameAsA(Record):
        x: float

    class StrX(Record):
        x: str

    class ObjX(Record):
        x: object

    class Plain:
        __slots__ = ("x",)

    a = A(1.5)
    a.__class__ = SameAsA
    assert type(a) is SameAsA and a.x == 1.5
    for other in (StrX, ObjX, Plain):
        with pytest.raises(TypeError, match="__class__ assignment"):
            a.__class__ = other
    assert a.x == 1.5
    gc.collect()


def test_unset_marker_repr_and_pickle():
    assert repr(UNSET) == "UNSET"
    assert pickle.loads(pickle.dumps(UNSET)) is UNSET


def test_setstate_refuses_malformed_states_with_the_class_name():
    from slotkit import _core

    class S(Record):
        x: float
        s: str

    q = S.__qualname__

    def fresh():
        return _core.new_instance(S)

    cases = [
        (None, f"{q}.__setstate__() expects the (values, attributes) pair that pickle and copy produce, got NoneType"),
        ((1,), f"{q}.__setstate__() expects the (values, attributes) pair that pickle and copy produce, got tuple"),
        (((1.0, "a"), 5), f"{q}.__setstate__(): attributes must be a dict or None, got int"),
        (
            ((1.0, "a"), {"z": 1}),
            f"{q}.__setstate__(): the state holds attributes ['z'] but {q} instances have no __dict__ "
            "(declare the class with extra=True)",
        ),
        ((("a", "a"), None), f"{q}.x expects float, got str"),
    ]
    for state, message in cases:
        obj = fresh()
        with pytest.raises(TypeError) as err:
            obj.__setstate__(state)
        assert str(err.value) == message
        assert repr(obj) == f"{q}(x=<unset>, s=<unset>)"  # nothing was written


def test_setstate_on_a_filled_record_is_refused_in_one_sentence():
    class S(Record):
        x: float

    s = S(1.0)
    with pytest.raises(TypeError) as err:
        s.__setstate__(((2.0,), None))
    assert str(err.value) == (
        f"{S.__qualname__}.__setstate__() restores a new, empty instance only (as pickle and copy create); "
        "use slotkit.replace() to change a record"
    )
    assert s.x == 1.0
