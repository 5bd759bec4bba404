"""``fields(cls)`` resolves forward references as ``typing.get_type_hints`` does, once the names
exist: string annotations and ``from __future__ import annotations`` on every version, and the
deferred annotations of 3.14+ (PEP 649/749). Each case is a module built from source, so it can
choose its own ``__future__`` import and define names after the class."""

from __future__ import annotations

import itertools
import sys
import textwrap
import types
import typing

import pytest

from slotkit import fields

_counter = itertools.count()
FUTURE = "from __future__ import annotations\n"
DEFERRED = sys.version_info >= (3, 14)


@pytest.fixture
def module():
    """A fresh module registered in sys.modules (get_type_hints reads a class's module there)."""
    made: list[str] = []

    def make(source: str, future: bool = False) -> types.ModuleType:
        name = f"_slotkit_forward_refs_{next(_counter)}"
        mod = types.ModuleType(name)
        sys.modules[name] = mod
        made.append(name)
        code = (FUTURE if future else "") + "from slotkit import Record, field\nimport typing\n"
        exec(compile(code + textwrap.dedent(source), f"<{name}>", "exec", dont_inherit=True), mod.__dict__)  # noqa: S102
        return mod

    yield make
    for name in made:
        del sys.modules[name]


def types_of(cls: type) -> dict[str, typing.Any]:
    return {f.name: f.type for f in fields(cls)}


def hints_of(cls: type) -> dict[str, typing.Any]:
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in typing.get_type_hints(cls, include_extras=True).items() if k in names}


NODE = """
class Node(Record):
    value: int
    nxt: {q}Later | None{q} = None
    kids: {q}list[Later]{q} = field(default_factory=list)
"""


@pytest.mark.parametrize("future", [True, False], ids=["future-import", "quoted"])
def test_string_annotations_resolve_once_the_name_exists(module, future):
    mod = module(NODE.format(q="" if future else '"'), future=future)
    before = types_of(mod.Node)
    assert before == {"value": int, "nxt": "Later | None", "kids": "list[Later]"}  # "int" resolved

    exec("class Later: pass", mod.__dict__)  # noqa: S102
    assert types_of(mod.Node) == hints_of(mod.Node) == {
        "value": int, "nxt": mod.Later | None, "kids": list[mod.Later]
    }
    assert types_of(mod.Node(1)) == types_of(mod.Node)  # an instance answers the same


def test_unquoted_forward_reference_needs_deferred_annotations(module):
    source = NODE.format(q="")
    if not DEFERRED:  # 3.11-3.13 evaluate the annotation when the class is created
        with pytest.raises(NameError, match="Later"):
            module(source)
        return
    mod = module(source)
    before = types_of(mod.Node)
    assert isinstance(before["nxt"], typing.ForwardRef) and before["nxt"].__forward_arg__ == "Later | None"
    assert typing.get_origin(before["kids"]) is list
    assert typing.get_args(before["kids"])[0].__forward_arg__ == "Later"
    exec("class Later: pass", mod.__dict__)  # noqa: S102
    assert types_of(mod.Node) == hints_of(mod.Node) == {
        "value": int, "nxt": mod.Later | None, "kids": list[mod.Later]
    }


def test_a_class_defined_later_in_the_same_function(module):
    """3.14+: the deferred annotation sees the function's later local (through its closure), as
    get_type_hints does. Before 3.14 only a quoted name is possible, and neither fields() nor
    get_type_hints can see a function's locals: it stays a string."""
    mod = module(
        """
        def make():
            class Tree(Record):
                parent: {q}Later{q} = None
            class Later: pass
            return Tree, Later
        """.format(q="" if DEFERRED else '"')
    )
    tree, later = mod.make()
    if DEFERRED:
        assert types_of(tree) == hints_of(tree) == {"parent": later}
    else:
        with pytest.raises(NameError, match="Later"):
            typing.get_type_hints(tree)
        assert types_of(tree) == {"parent": "Later"}


def test_a_name_still_missing_leaves_only_its_field_unresolved(module):
    mod = module(
        """
        class Pair(Record):
            left: Later
            right: Missing
        class Later: pass
        """,
        future=True,
    )
    with pytest.raises(NameError, match="Missing"):
        typing.get_type_hints(mod.Pair)
    assert types_of(mod.Pair) == {"left": mod.Later, "right": "Missing"}
    exec("class Missing: pass", mod.__dict__)  # noqa: S102
    assert types_of(mod.Pair) == hints_of(mod.Pair) == {"left": mod.Later, "right": mod.Missing}


def test_class_local_alias_and_inherited_fields(module):
    mod = module(
        """
        class Base(Record):
            Alias = typing.Optional[int]
            a: Alias = None
            b: Later = None
        class Child(Base):
            c: typing.Annotated[Later, "meta"] = None
            d: typing.Literal["x", "y"] = "x"
        class Later: pass
        """,
        future=True,
    )
    expected = {
        "a": typing.Optional[int],
        "b": mod.Later,
        "c": typing.Annotated[mod.Later, "meta"],
        "d": typing.Literal["x", "y"],
    }
    assert types_of(mod.Child) == hints_of(mod.Child) == expected
    assert types_of(mod.Base) == {"a": expected["a"], "b": expected["b"]}


def test_resolution_keeps_the_storage_kind_decided_at_class_creation(module):
    mod = module(
        """
        class Row(Record):
            n: int
            other: Later = None
        class Later: pass
        """,
        future=True,
    )
    assert {f.name: (f.type, f.kind) for f in fields(mod.Row)} == {
        "n": (int, "i64"), "other": (mod.Later, "object")
    }
