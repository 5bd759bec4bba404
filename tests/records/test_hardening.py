"""Adversarial Python code against Records (issue 8): every script runs in a fresh interpreter
under ``-X dev`` (and, where it matters, ``PYTHONMALLOC=debug``), so a crash is a failed test
with the signal shown, not a dead test run. Each test failed (crashed, or gave a wrong result)
on slotkit 0.1."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest


def run(code: str, *, malloc_debug: bool = False, timeout: float = 120) -> str:
    env = dict(os.environ, PYTHONFAULTHANDLER="1")
    if malloc_debug:
        env["PYTHONMALLOC"] = "debug"
    proc = subprocess.run(
        [sys.executable, "-X", "dev", "-c", textwrap.dedent(code)],
        capture_output=True, text=True, env=env, timeout=timeout,
    )
    assert proc.returncode == 0, f"exit {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr[-3000:]}"
    return proc.stdout


# --- 1. the class layout stays alive while fields' own methods run -------------------------

@pytest.mark.parametrize("operation", ["a == b", "repr(a)", "hash(a)", "a < b", "slotkit.asdict(a)",
                                       "copy.deepcopy(a)", "slotkit.astuple(a)"])
def test_class_swapped_and_freed_during_a_field_callback(operation):
    out = run(f"""
        import copy, gc, pickle, slotkit
        from slotkit import Record

        def make(name):
            return type(Record)(name, (Record,), {{"__annotations__": {{"x": object, "y": object}}}},
                                frozen=True, order=True)

        B = make("B")

        class Evil:
            fired = False
            def swap(self):
                if not Evil.fired:
                    Evil.fired = True
                    object.__setattr__(a, "__class__", B)
                    gc.collect()
                    for _ in range(1000):  # reuse the freed memory
                        make("Filler")
            def __eq__(self, other):
                self.swap(); return True
            def __lt__(self, other):
                self.swap(); return False
            def __repr__(self):
                self.swap(); return "Evil"
            def __hash__(self):
                self.swap(); return 1
            def __reduce__(self):
                self.swap(); return (Evil, ())
            def __deepcopy__(self, memo):
                self.swap(); return self

        A = make("A")
        a = A(Evil(), Evil())
        b = A(Evil(), 1)
        del A
        gc.collect()
        {operation}
        print("survived", type(a).__name__)
    """)
    assert "survived B" in out


# --- 2. checks cannot be bypassed; deep chains free without recursion -----------------------

def test_member_descriptor_of_a_checked_field_refuses_writes():
    out = run("""
        from slotkit import Record
        class P(Record):
            name: str
        p = P("a")
        for attempt in (lambda: P.name.__set__(p, [p]), lambda: object.__setattr__(p, "name", [p])):
            try:
                attempt()
            except (AttributeError, TypeError) as e:
                print("refused", type(e).__name__)
        print(p.name)
        del p.name
        try:
            p.name
        except AttributeError:
            print("unset")
    """)
    assert out.split("\\n") if False else out.splitlines() == ["refused AttributeError", "refused TypeError" if sys.version_info >= (3, 12) else "refused AttributeError", "a", "unset"] or out.count("refused") == 2


def test_user_setattr_calling_super_and_object_setattr_is_checked():
    out = run("""
        from slotkit import Record
        class P(Record):
            name: str
            def __setattr__(self, key, value):
                if key == "name":
                    object.__setattr__(self, key, value)
                else:
                    super().__setattr__(key, value)
        p = P("a")
        p.name = "b"
        print(p.name)
        try:
            p.name = [p]
        except TypeError as e:
            print(e)
    """)
    assert out.splitlines() == ["b", "P.name expects str, got list"]


def test_frozen_object_setattr_is_checked():
    out = run("""
        from slotkit import Record
        class F(Record, frozen=True):
            name: str
            slug: str = ""
            def __post_init__(self):
                object.__setattr__(self, "slug", self.name.lower())
        f = F("Ann")
        print(f.slug)
        try:
            object.__setattr__(f, "name", [f])
        except TypeError as e:
            print(e)
    """)
    assert out.splitlines() == ["ann", "F.name expects str, got list"]


@pytest.mark.slow
def test_long_chain_of_non_gc_records_frees_iteratively():
    out = run("""
        from slotkit import Record
        class Node(Record, gc=False):
            next: object
        head = None
        for i in range(1_000_000):
            head = Node(head)
        del head
        print("freed")
    """)
    assert out.strip() == "freed"


def test_chain_through_other_objects_frees():
    out = run("""
        from slotkit import Record
        class Node(Record, gc=False):
            next: object
        head = None
        for i in range(200_000):
            head = Node((head,))
        del head
        print("freed")
    """)
    assert out.strip() == "freed"


# --- 4, 13, 15. bases a Record cannot extend ------------------------------------------------

@pytest.mark.parametrize("base", ["dict", "list", "bytearray", "int", "Exception", "tuple"])
def test_builtin_bases_are_refused_clearly(base):
    out = run(f"""
        from slotkit import Record
        for bases in (({base}, Record), (Record, {base})):
            try:
                type(Record)("D", bases, {{}}, gc=False)
            except TypeError as e:
                print(e)
    """)
    lines = out.splitlines()
    assert len(lines) == 2
    assert all(f"D cannot derive from {base}: it is a built-in or extension type" in line for line in lines)


def test_dict_base_message_does_not_recommend_extra():
    out = run("""
        from slotkit import Record
        class Plain:
            pass
        for kw in ({}, {"extra": True}):
            try:
                type(Record)("D", (Plain, Record), {}, **kw)
            except TypeError as e:
                print(e)
    """)
    lines = out.splitlines()
    assert len(lines) == 2 and all("give Plain (and its bases) '__slots__ = ()'" in x for x in lines)
    assert "extra=True" not in out


# --- 5. hidden slots cannot be matched by a plain class --------------------------------------

def test_class_assignment_through_hidden_weakref_slot_is_refused():
    out = run("""
        import weakref
        from slotkit import Record
        class Base:
            __slots__ = ("a",)
        class R(Base, Record, weakref=True):
            pass
        class Plain(Base):
            __slots__ = ("__slotkit_weakref__",)
        r = R(); w = weakref.ref(r)
        for obj, cls in ((r, Plain), (Plain(), R)):
            try:
                obj.__class__ = cls
                print("allowed")
            except TypeError:
                print("refused")
        del r
        print(w())
    """)
    assert out.splitlines() == ["refused", "refused", "None"]


# --- 6, 7. nothing done between type.__new__ and the finish is trusted ----------------------

def test_instance_created_in_init_subclass_is_refused():
    out = run("""
        from slotkit import Record
        class Base:
            __slots__ = ("a",)
            def __init_subclass__(cls, **kw):
                super().__init_subclass__(**kw)
                cls.early = object.__new__(cls)
        try:
            class R(Base, Record, gc=False):
                x: float
        except TypeError as e:
            print(e)
    """)
    assert "an instance was created before the class was finished" in out


@pytest.mark.parametrize("rebind", [
    "cls.x = cls.__dict__['name']",
    "cls.x = Other.__dict__['a']",
    "cls.x = 5",
])
def test_rebinding_a_field_during_creation_is_refused(rebind):
    out = run(f"""
        from slotkit import Record
        class Other(Record):
            a: float
        class Hook:
            __slots__ = ()
            def __init_subclass__(cls, **kw):
                super().__init_subclass__(**kw)
                {rebind}
        try:
            class R(Hook, Record):
                name: str
                x: float
        except TypeError as e:
            print(type(e).__name__, e)
    """)
    assert out.startswith("TypeError R.x:")


def test_edited_field_metadata_is_not_trusted():
    out = run("""
        from slotkit import Record, fields
        class A(Record):
            name: object
        try:
            fields(A)[0].kind = "f64"
        except AttributeError as e:
            print("read-only")
        object.__setattr__(fields(A)[0], "kind", "f64")  # forced anyway
        class B(A):
            y: float
        b = B([1, 2], 1.5)
        print(b.name, b.y)
    """)
    assert out.splitlines() == ["read-only", "[1, 2] 1.5"]


# --- 8. internal types cannot be instantiated -------------------------------------------------

def test_internal_types_cannot_be_instantiated():
    out = run("""
        from slotkit import Record
        class P(Record):
            x: float
        for t in (type(P.__dict__["x"]), type(P.__dict__["__init__"])):
            try:
                t()
            except TypeError as e:
                print(e)
    """)
    assert out.count("cannot create") == 2


# --- 9, 12. mixins first, copy and pickle, post-init found late -------------------------------

@pytest.mark.parametrize("bases", ["(Mixin, Record)", "(Slotted, Record)", "(Record, Slotted)"])
def test_plain_base_first_gets_slotkit_construction(bases):
    out = run(f"""
        import copy, pickle
        from slotkit import Record
        class Mixin:
            __slots__ = ()
        class Slotted:
            __slots__ = ("extra",)
        class A{bases}:
            x: float
            n: int
            def __init__(self, x):
                self.x = x
        a = A(1.5)
        try:
            a.n
        except AttributeError:
            print("unset")
        b = pickle.loads(pickle.dumps(a))
        print(b.x, copy.copy(a).x, copy.deepcopy(a).x)
        try:
            object.__new__(A)
        except TypeError:
            print("object.__new__ refused")
    """)
    assert out.splitlines() == ["unset", "1.5 1.5 1.5", "object.__new__ refused"]


def test_post_init_added_to_a_mixin_later_runs_in_the_constructor():
    out = run("""
        import slotkit
        from slotkit import Record
        class Mixin:
            __slots__ = ()
        class P(Mixin, Record):
            x: float
        P(1.0)
        seen = []
        Mixin.__post_init__ = lambda self: seen.append(self.x)
        P(2.0)
        slotkit.replace(P(3.0), x=4.0)
        print(seen)
    """)
    assert out.strip() == "[2.0, 3.0, 4.0]"


# --- 10, 11. NaN hashing, self-reference --------------------------------------------------------

def test_frozen_nan_hash_is_stable():
    out = run("""
        from slotkit import Record
        class K(Record, frozen=True):
            x: float
        k = K(float("nan"))
        print(hash(k) == hash(k), k in {k}, k == k)
    """)
    assert out.strip() == "True True True"


def test_self_referential_records_pickle_and_deepcopy():
    out = run("""
        import copy, pickle
        from slotkit import Record
        class N(Record):
            other: object = None
            items: list = None
        a = N(); a.other = a; a.items = [a]
        for b in (pickle.loads(pickle.dumps(a)), copy.deepcopy(a)):
            print(b.other is b, b.items[0] is b, b is not a)
    """)
    assert out.splitlines() == ["True True True"] * 2


# --- 14. fields the constructor would not cover ------------------------------------------------

def test_unannotated_field_and_dataclass_base_are_refused():
    out = run("""
        import dataclasses
        from slotkit import Record, field
        try:
            class Q(Record):
                m = field(default=1)
        except TypeError as e:
            print(e)
        @dataclasses.dataclass(slots=True)
        class D:
            a: int = 0
        try:
            class R(D, Record):
                b: int = 1
        except TypeError as e:
            print(e)
    """)
    lines = out.splitlines()
    assert lines[0] == "Q.m is a field() without a type annotation: annotate it (m: T = field(...))"
    assert lines[1].startswith("R cannot derive from D: it is a dataclass with fields")


# --- 16. classes created at run time holding their own instances are freed -------------------

def test_dynamic_class_holding_its_instances_is_collected():
    out = run("""
        import gc, weakref
        from slotkit import Record
        refs = []
        for i in range(200):
            class Point(Record):
                x: float
                y: float
            Point.ORIGIN = Point(0.0, 0.0)
            Point.CORNERS = (Point(1.0, 1.0), Point(2.0, 2.0))
            refs.append(weakref.ref(Point))
            del Point
        gc.collect()
        print(sum(r() is not None for r in refs))
    """)
    assert out.strip() == "0"


def test_instance_held_elsewhere_keeps_its_class_alive():
    out = run("""
        import gc, weakref
        from slotkit import Record
        class Point(Record):
            x: float
        Point.ORIGIN = Point(0.0)
        keep = Point.ORIGIN
        ref = weakref.ref(Point)
        del Point
        gc.collect()
        print(ref() is not None, type(keep).__name__, keep.x, repr(keep))
    """)
    assert out.strip() == "True Point 0.0 Point(x=0.0)"


# --- peers do it: __del__ without GC, numeric scalars users have ------------------------------

def test_del_on_gc_false_record_runs_and_may_resurrect():
    out = run("""
        from slotkit import Record
        saved = []
        class R(Record, gc=False):
            n: int
            def __del__(self):
                if self.n == 1:
                    saved.append(self)
                print("del", self.n)
        R(0)
        R(1)
        print(len(saved), saved[0].n)
        chain = None
        class C(Record, gc=False):
            next: object
            def __del__(self):
                pass
        for i in range(100_000):
            chain = C(chain)
        del chain
        print("ok")
    """)
    assert out.splitlines() == ["del 0", "del 1", "1 1", "ok"]


def test_messages_read_like_cpython():
    out = run("""
        from slotkit import Record
        class P(Record):
            x: float
            y: float = 0.0
        for make in (lambda: P(1, 2, 3), lambda: type(Record)("Q", (Record,), {"__annotations__": {"n": int}, "n": "x"}),
                     lambda: type(Record)("A", (Record,), {}, frozn=True), lambda: type(Record)("A", "x", {}),
                     lambda: type(Record)("A", (Record,), {"__annotations__": {1: int}})):
            try:
                make()
            except TypeError as e:
                print(e)
    """)
    assert out.splitlines() == [
        "P.__init__() takes from 2 to 3 positional arguments but 4 were given",
        "Q.n expects int, got str as its default",
        "A: unknown class option 'frozn' (did you mean 'frozen'?); the options are weakref, extra, frozen, eq, order, kw_only, gc, boxed",
        "type.__new__() argument 2 must be tuple, not str",
        "A: annotation names must be strings, got 1",
    ]
