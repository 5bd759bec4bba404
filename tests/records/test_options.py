"""Class options: weakref, extra, frozen, eq, order, kw_only, gc — and their contradictions."""

from __future__ import annotations

import gc
import sys
import weakref

import pytest

from slotkit import FrozenInstanceError, Record, field


class WPoint(Record, weakref=True):
    x: float
    y: float


def test_weakref_option_supports_every_weakref_tool():
    p = WPoint(1.0, 2.0)
    assert sys.getsizeof(p) == 16 + 2 * 8 + 8  # one pointer more, still no GC header
    assert gc.is_tracked(p) is False
    r = weakref.ref(p)
    assert r() is p
    values = weakref.WeakValueDictionary({"p": p})
    keys = weakref.WeakKeyDictionary()
    with pytest.raises(TypeError):  # records are unhashable unless frozen
        keys[p] = 1
    ws = weakref.WeakSet()
    log = []
    weakref.finalize(p, log.append, "finalized")
    proxy = weakref.proxy(p)
    assert proxy.x == 1.0
    del p
    assert r() is None and "p" not in values and len(ws) == 0 and log == ["finalized"]


def test_weakref_on_frozen_records_in_weak_key_dict_and_set():
    class Key(Record, weakref=True, frozen=True):
        name: str

    k = Key("a")
    d = weakref.WeakKeyDictionary({k: 1})
    s = weakref.WeakSet([k])
    assert d[Key("a")] == 1 and k in s
    del k
    assert len(d) == 0 and len(s) == 0


def test_weakref_missing_gives_a_hint():
    class P(Record):
        x: float

    with pytest.raises(TypeError, match="cannot create weak reference to 'P' object"):
        weakref.ref(P(1.0))


@pytest.mark.parametrize("gc_option", [None, True, False])
def test_weakref_with_every_gc_combination_is_safe(gc_option):
    class Node(Record, weakref=True, gc=gc_option):
        value: int
        link: object = None

    nodes = [Node(i) for i in range(100)]
    refs = [weakref.ref(n) for n in nodes]
    for a, b in zip(nodes, nodes[1:]):
        a.link = b
    if gc_option is not False:
        nodes[-1].link = nodes[0]  # a cycle, collected when the class is a GC type
    del nodes, a, b
    gc.collect()
    if gc_option is not False:
        assert all(r() is None for r in refs)


def test_weakref_subclass_inherits_and_gc_subclass_clears_weakrefs():
    class Sub(WPoint):
        extra: object = None

    s = Sub(1.0, 2.0)
    assert gc.is_tracked(s)
    r = weakref.ref(s)
    s.extra = s
    del s
    gc.collect()
    assert r() is None


def test_extra_allows_undeclared_attributes_lazily():
    class Config(Record, extra=True):
        debug: bool
        port: int

    c = Config(True, 8080)
    assert sys.getsizeof(c) == 16 + 2 * 8 + 8 + 16  # the dict pointer, and a GC header
    c.host = "localhost"
    assert c.host == "localhost" and vars(c) == {"host": "localhost"}
    assert repr(c) == f"{Config.__qualname__}(debug=True, port=8080)"
    del c.host
    with pytest.raises(AttributeError):
        c.host  # noqa: B018
    with pytest.raises(TypeError, match="Config.port expects int, got str"):
        c.port = "80"  # declared fields stay checked


def test_extra_dict_cycles_are_collected():
    class Bag(Record, extra=True):
        name: str

    log = []

    class Sentinel:
        def __del__(self):
            log.append(1)

    b = Bag("b")
    b.me = b
    b.s = Sentinel()
    del b
    gc.collect()
    assert log == [1]


def test_frozen():
    class P(Record, frozen=True):
        x: float
        name: str

    p = P(1.0, "a")
    for action in (lambda: setattr(p, "x", 2.0), lambda: setattr(p, "other", 1)):
        with pytest.raises(FrozenInstanceError, match="cannot assign to field"):
            action()
    with pytest.raises(FrozenInstanceError, match="cannot delete field 'x'"):
        del p.x
    assert isinstance(FrozenInstanceError("x"), AttributeError)
    assert p.x == 1.0
    assert hash(p) == hash(P(1.0, "a")) == hash((1.0, "a"))
    assert {p: "v"}[P(1.0, "a")] == "v"
    assert p.__hash__() == hash(p)


def test_frozen_user_init_uses_object_setattr():
    class P(Record, frozen=True):
        x: float

        def __init__(self, x):
            object.__setattr__(self, "x", x * 2)

    assert P(2.0).x == 4.0


def test_eq_false_means_identity():
    class Ident(Record, eq=False):
        x: int

    a, b = Ident(1), Ident(1)
    assert a != b and a == a
    assert hash(a) == object.__hash__(a)


def test_order():
    class Version(Record, order=True):
        major: int
        minor: int
        tag: str = ""

    vs = [Version(1, 2), Version(1, 0, "b"), Version(0, 9), Version(1, 0, "a")]
    assert sorted(vs) == [Version(0, 9), Version(1, 0, "a"), Version(1, 0, "b"), Version(1, 2)]
    assert Version(1, 0) <= Version(1, 0) and not Version(1, 0) < Version(1, 0)
    assert Version(2, 0) > Version(1, 9) and Version(2, 0) >= Version(2, 0)
    unset = Version.__new__(Version)
    with pytest.raises(TypeError, match="field 'major' is unset"):
        unset < Version(1, 0)


def test_without_order_comparisons_are_refused():
    class P(Record):
        x: int

    with pytest.raises(TypeError, match="'<' not supported"):
        P(1) < P(2)


def test_kw_only_option():
    class Opts(Record, kw_only=True):
        a: int
        b: int = 2

    assert Opts(a=1) == Opts(b=2, a=1)
    with pytest.raises(TypeError, match="takes 1 positional argument but 2 were given"):
        Opts(1)

    class Mixed(Opts, kw_only=False):
        c: int

    assert Mixed(3, a=1).c == 3


def test_gc_option():
    class Forced(Record, gc=True):
        x: float

    class Unsafe(Record, gc=False):
        items: list

    assert gc.is_tracked(Forced(1.0)) is True
    assert gc.is_tracked(Unsafe([])) is False
    assert sys.getsizeof(Unsafe([])) == 24


def test_options_are_inherited():
    class Base(Record, frozen=True, order=True):
        x: int

    class Sub(Base):
        y: int

    with pytest.raises(FrozenInstanceError):
        Sub(1, 2).x = 3
    assert Sub(1, 2) < Sub(1, 3)
    assert Sub.__slotkit_options__["frozen"] is True


@pytest.mark.parametrize(
    ("make", "exc", "message"),
    [
        (lambda: type(Record)("X", (Record,), {}, order=True, eq=False), ValueError, "order=True needs eq=True"),
        (lambda: type(Record)("X", (Record,), {}, frozen=True, extra=True), TypeError, "frozen=True and extra=True contradict"),
        (lambda: type(Record)("X", (Record,), {}, gc=False, extra=True), TypeError, "gc=False is refused with extra=True"),
        (lambda: type(Record)("X", (Record,), {}, frozen="yes"), TypeError, "frozen= expects True or False, got 'yes'"),
        (lambda: type(Record)("X", (WPoint,), {}, weakref=False), TypeError, "weakref=False cannot remove weak reference support"),
    ],
)
def test_contradictions_are_refused(make, exc, message):
    with pytest.raises(exc, match=message):
        make()


def test_frozen_mismatch_with_base_refused():
    class Base(Record, frozen=True):
        x: int

    with pytest.raises(TypeError, match="cannot inherit a non-frozen Record from the frozen"):

        class Sub(Base, frozen=False):
            y: int

    class Thawed(Record):
        x: int

    with pytest.raises(TypeError, match="cannot inherit a frozen Record from the non-frozen"):

        class Sub2(Thawed, frozen=True):
            y: int


def test_default_factory_with_frozen():
    class F(Record, frozen=True):
        tags: tuple = field(default_factory=tuple)

    assert F().tags == ()
