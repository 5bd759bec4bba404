"""What a class body may declare: field kinds from annotations, ClassVar, string annotations,
and the errors raised when the class is created."""

from __future__ import annotations

import typing
from typing import ClassVar, Optional

import pytest

from slotkit import Record, field, fields


def kinds(cls):
    return {f.name: f.kind for f in fields(cls)}


def test_kinds_from_annotations():
    class K(Record):
        a: float
        b: int
        c: bool
        d: str
        e: bytes
        f: Optional[str]
        g: "int | None"
        h: list[int]
        i: typing.Any
        j: typing.Annotated[float, "meters"]

    assert kinds(K) == {
        "a": "f64", "b": "i64", "c": "bool", "d": "str", "e": "bytes",
        "f": "str?", "g": "int?", "h": "object", "i": "object", "j": "f64",
    }


def test_string_annotations_and_forward_references():
    # This module uses `from __future__ import annotations`: every annotation is a string.
    class Tree(Record):
        label: str
        weight: float
        parent: Tree | None = None  # a forward reference that cannot be evaluated yet

    assert kinds(Tree) == {"label": "str", "weight": "f64", "parent": "object"}
    t = Tree("root", 1.0)
    assert Tree("leaf", 0.5, t).parent is t


def test_classvar_is_not_a_field():
    class Config(Record):
        DEFAULT_PORT: ClassVar[int] = 8080
        port: int = 80

    assert [f.name for f in fields(Config)] == ["port"]
    assert Config.DEFAULT_PORT == 8080
    assert Config().port == 80


def test_class_constants_static_and_class_methods():
    class Temperature(Record):
        ABSOLUTE_ZERO = -273.15
        celsius: float

        @staticmethod
        def from_kelvin_value(k):
            return k + Temperature.ABSOLUTE_ZERO

        @classmethod
        def from_kelvin(cls, k):
            return cls(cls.from_kelvin_value(k))

    t = Temperature.from_kelvin(300)
    assert type(t) is Temperature and t.celsius == pytest.approx(26.85)


def test_mutable_default_rejected_with_hint():
    for value in ([], {}, set()):
        with pytest.raises(ValueError, match="mutable default .* use default_factory"):

            class Bad(Record):
                items: object = value


def test_required_after_default_rejected():
    with pytest.raises(TypeError, match="non-default argument 'b' follows default argument 'a'"):

        class Bad(Record):
            a: int = 1
            b: int


def test_required_after_inherited_default_rejected():
    class Base(Record):
        a: int = 1

    with pytest.raises(TypeError, match="non-default argument 'b' follows default argument 'a'"):

        class Sub(Base):
            b: int


def test_default_of_wrong_type_rejected_at_class_creation():
    with pytest.raises(TypeError, match="Bad.x expects float, got str"):

        class Bad(Record):
            x: float = "zero"


@pytest.mark.parametrize("what", ["method", "property", "classmethod", "staticmethod"])
def test_field_clashing_with_class_body_member(what):
    body = {
        "method": "def x(self): pass",
        "property": "@property\n    def x(self): return 1",
        "classmethod": "@classmethod\n    def x(cls): pass",
        "staticmethod": "@staticmethod\n    def x(): pass",
    }[what]
    src = f"class Bad(Record):\n    x: int\n    {body}\n"
    with pytest.raises(TypeError, match=f"field 'x' clashes with the {what} 'x'"):
        exec(src, {"Record": Record})


def test_subclass_member_hiding_an_inherited_field_rejected():
    class Base(Record):
        x: int

    with pytest.raises(TypeError, match="would hide the inherited field 'x'"):

        class Sub(Base):
            def x(self):
                pass


def test_redeclared_field_rejected():
    class Base(Record):
        x: int

    with pytest.raises(TypeError, match="redeclares the field 'x'"):

        class Sub(Base):
            x: int


def test_explicit_slots_rejected():
    with pytest.raises(TypeError, match="remove __slots__"):

        class Bad(Record):
            __slots__ = ("x",)
            x: int


def test_dunder_field_name_rejected():
    with pytest.raises(TypeError, match="dunder name"):
        exec("class Bad(Record):\n    __weakref__: object\n", {"Record": Record})


def test_base_with_dict_rejected():
    class Plain:
        pass

    with pytest.raises(TypeError, match="cannot derive from .*Plain: its instances carry a __dict__"):

        class Bad(Plain, Record):
            x: int


def test_two_bases_with_fields_rejected_with_explanation():
    class A(Record):
        a: int

    class B(Record):
        b: int

    with pytest.raises(TypeError, match=r"more than one Record base \(.*A adds 'a'; .*B adds 'b'\).*mixins without fields"):

        class C(A, B):
            pass


def test_field_spec_validation():
    with pytest.raises(ValueError, match="both default and default_factory"):
        field(default=1, default_factory=list)
    with pytest.raises(TypeError, match="default_factory must be callable"):
        field(default_factory=5)


def test_fields_of_non_record():
    with pytest.raises(TypeError, match="is not a slotkit Record"):
        fields(int)
    assert fields(Record) == ()


def test_match_args_and_slots_attribute():
    class P(Record):
        x: float
        y: float = 0.0

    assert P.__match_args__ == ("x", "y")
    assert P.__slots__ == ("x", "y")
    match P(1.0, 2.0):
        case P(a, b):
            assert (a, b) == (1.0, 2.0)
