"""The standard dataclass protocol on Records (issue 14): ``dataclasses.is_dataclass``,
``fields``, ``asdict``, ``astuple`` and ``replace`` work, with real ``dataclasses.Field`` objects
that show what the equivalent ``@dataclass`` shows."""

from __future__ import annotations

import copy
import dataclasses
import inspect
import sys
from typing import ClassVar, Optional

import pytest

import slotkit
from slotkit import Record, field


def describe(cls):
    return [
        (f.name, f.type, f.default, f.default_factory, f.init, f.repr, f.compare, f.hash, f.kw_only, dict(f.metadata))
        for f in dataclasses.fields(cls)
    ]


class Base(Record):
    a: int
    b: str = "b"
    K: ClassVar[int] = 1


class Child(Base, kw_only=True):
    c: float
    d: list = field(default_factory=list, metadata={"unit": "items"})
    e: Optional[str] = field(default=None, kw_only=True)


@dataclasses.dataclass
class DBase:
    a: int
    b: str = "b"
    K: ClassVar[int] = 1


@dataclasses.dataclass(kw_only=True)
class DChild(DBase):
    c: float
    d: list = dataclasses.field(default_factory=list, metadata={"unit": "items"})
    e: Optional[str] = dataclasses.field(default=None, kw_only=True)


def test_fields_show_what_the_equivalent_dataclass_shows():
    # string annotations (this module uses `from __future__ import annotations`), inherited
    # fields, class and field kw_only, defaults and factories, ClassVar left out
    assert describe(Child) == describe(DChild)
    assert describe(Base) == describe(DBase)
    assert all(type(f) is dataclasses.Field for f in dataclasses.fields(Child))
    assert [f.name for f in dataclasses.fields(Child)] == [f.name for f in slotkit.fields(Child)]
    assert Child.__dataclass_fields__["K"]._field_type is dataclasses._FIELD_CLASSVAR
    # inherited fields are the base's Field objects, as with dataclasses
    assert Child.__dataclass_fields__["a"] is Base.__dataclass_fields__["a"]


def test_field_metadata_is_kept_read_only_for_other_libraries():
    given = {"unit": "m", "doc": "height"}
    f = field(default=0.0, metadata=given)
    given["unit"] = "changed"

    class P(Record):
        h: float = f
        w: float = 1.0

    class Q(P):
        d: float = 2.0

    (h, w) = slotkit.fields(P)
    # copied when declared, read-only, and shown by dataclasses.fields as for a dataclass
    assert dict(h.metadata) == {"unit": "m", "doc": "height"} and dict(w.metadata) == {}
    with pytest.raises(TypeError):
        h.metadata["unit"] = "x"
    assert dict(dataclasses.fields(P)[0].metadata) == {"unit": "m", "doc": "height"}
    assert dict(slotkit.fields(Q)[0].metadata) == {"unit": "m", "doc": "height"}
    assert "metadata={'unit': 'm', 'doc': 'height'}" in repr(h) and "metadata" not in repr(w)
    with pytest.raises(TypeError, match="metadata must be a mapping, got list"):
        field(metadata=[("unit", "m")])


def test_is_dataclass_params_and_signature():
    class F(Record, frozen=True, order=True):
        x: float

    assert dataclasses.is_dataclass(F) and dataclasses.is_dataclass(F(1.0))
    params = F.__dataclass_params__
    assert (params.frozen, params.order, params.eq, params.init) == (True, True, True, True)
    assert str(inspect.signature(Base)) == "(a: 'int', b: 'str' = 'b') -> None"
    # a factory field shows no default (a Record's __init__ would store dataclasses' placeholder)
    assert str(inspect.signature(Child)) == "(a: 'int', b: 'str' = 'b', *, c: 'float', d: 'list', e: 'Optional[str]' = None) -> None"


def test_asdict_astuple_replace():
    c = Child(1, c=2.5, d=[Base(3)])
    assert dataclasses.asdict(c) == slotkit.asdict(c) == {"a": 1, "b": "b", "c": 2.5, "d": [{"a": 3, "b": "b"}], "e": None}
    assert dataclasses.astuple(c) == (1, "b", 2.5, [(3, "b")], None)
    r = dataclasses.replace(c, a=7)
    assert type(r) is Child and r.a == 7 and r.d == c.d
    with pytest.raises(TypeError, match="expects str"):
        dataclasses.replace(c, b=3)


def test_copy_replace():
    """``copy.replace`` (3.13+) calls ``__replace__``, which every version has."""
    c = Child(1, c=2.5)
    assert c.__replace__(c=4.0) == Child(1, c=4.0)
    if sys.version_info >= (3, 13):
        assert copy.replace(c, c=4.0) == Child(1, c=4.0)
    else:
        assert not hasattr(copy, "replace")


def test_an_instance_lists_only_its_set_fields():
    c = Child(1, c=2.5)
    del c.c
    assert [f.name for f in dataclasses.fields(c)] == ["a", "b", "d", "e"]
    assert dataclasses.asdict(c) == {"a": 1, "b": "b", "d": [], "e": None}
    same = Child(5, c=1.0)
    del same.c
    assert same.__dataclass_fields__ is c.__dataclass_fields__  # one dict per pattern, kept
    assert Child(1, c=2.0).__dataclass_fields__ is Child.__dataclass_fields__


def test_unboxed_reads_are_equal_not_identical():
    """The documented deviation: an unboxed float is created by each read."""
    p = Child(1, c=2.5)
    assert p.c == p.c and p.c is not p.c


def test_a_real_dataclass_base_is_still_refused_and_a_record_base_is_not():
    @dataclasses.dataclass
    class D:
        x: int = 0

    with pytest.raises(TypeError, match="it is a dataclass with fields"):
        class R(D, Record):  # noqa: F811
            y: int = 1

    class Deeper(Child):
        f: int = 0

    assert [f.name for f in dataclasses.fields(Deeper)] == ["a", "b", "c", "d", "e", "f"]


def test_the_descriptor_refuses_other_objects():
    descr = Child.__dict__["__dataclass_fields__"]
    with pytest.raises(TypeError, match="read from a int object"):
        descr.__get__(3, int)
