"""A census of a heap with every kind of object in it, in a fresh interpreter under ``-X dev``:
no crash, no Python code run by the walk, and values reachable only through non-GC Records or
untracked containers are counted once."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

PROGRAM = textwrap.dedent("""
    import asyncio, collections, decimal, fractions, io, json, sys, types, weakref
    import numpy as np
    import slotkit
    from slotkit import Record

    class Name(Record):              # non-GC: every field is atomic
        first: str
        last: str

    class SizeofInPython:
        def __sizeof__(self):
            raise RuntimeError("the census must not call this")

    class Both:
        __slots__ = ("a", "__dict__", "__weakref__")

    class Sub(bytes):
        pass

    def gen():
        yield 1

    async def coro():
        return 1

    names = [Name("first-%d" % i, "last-%d" % i) for i in range(200)]   # strings held only there
    frozen = tuple("only-in-tuple-%d" % i for i in range(100))           # an untracked tuple
    objs = [SizeofInPython() for _ in range(10)]
    both = Both(); both.a = 1; both.b = 2; ref = weakref.ref(both)
    sub = Sub(b"xyz"); sub.tag = "t"
    misc = [np.arange(1000), np.array([object(), None], dtype=object), memoryview(b"abc"),
            gen(), types.SimpleNamespace(a=1), collections.OrderedDict(a=1), collections.deque([1]),
            decimal.Decimal("1.5"), fractions.Fraction(1, 3), io.StringIO("x"), bytearray(b"ab"),
            weakref.proxy(both), range(5), slice(1, 2), frozenset({1}), {1, 2}, sys._getframe(), 1j]
    c = coro(); misc.append(c)
    try:
        raise ValueError("x")
    except ValueError as e:
        err = e
    census = slotkit.census()
    c.close()
    rows = {r["class"]: r for r in census.rows}
    out = {
        "objects": census.data["objects"],
        "name": rows["__main__.Name"],
        "str": rows["str"]["count"],
        "both": rows["__main__.Both"],
        "sub": rows["__main__.Sub"],
        "sizeof": rows["__main__.SizeofInPython"]["instance_bytes"],
    }
    print(json.dumps(out))
""")


def test_a_heap_of_everything():
    run = subprocess.run([sys.executable, "-X", "dev", "-c", PROGRAM], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    name = out["name"]
    assert name["count"] == 200
    assert name["instance_bytes"] == 200 * (16 + 2 * 8)  # non-GC, two object fields
    # the strings only these records hold, counted as theirs (first-i and last-i)
    held = {a["name"]: a["held_bytes"] for a in name["attributes"]}
    expected = sum(sys.getsizeof("first-%d" % i) for i in range(200))
    assert held["first"] == expected
    assert name["record_bytes"] is None  # already a Record
    assert out["sizeof"] == 10 * sys.getsizeof(object.__new__(type("X", (), {})))
    both = out["both"]
    assert {a["name"] for a in both["attributes"]} == {"a", "b"}
    assert both["weakrefs"] is True
    assert out["sub"]["dict_bytes"] > 0 and out["sub"]["slots_bytes"] is None
