"""orjson serializes Records as dataclasses (issue 14). orjson's serializer for dataclasses
without ``__dict__`` releases each ``getattr`` result before writing it and does not check it for
errors; Records keep the last unboxed number read alive and list only set fields on instances,
so neither a fresh float nor an unset field reaches freed memory (docs/ecosystem.md)."""

from __future__ import annotations

import dataclasses

from _optional import need

import slotkit

from .fresh import run
from .records import Point3D, Tagged, sample

orjson = need("orjson")


def test_record_nested_and_list_equal_the_asdict_form():
    t = sample(7)
    assert orjson.dumps(t) == orjson.dumps(slotkit.asdict(t))
    assert orjson.loads(orjson.dumps(t))["where"] == {"x": 7.5, "y": -7.25, "z": 7e10}
    many = [sample(i) for i in range(50)]
    assert orjson.dumps(many) == orjson.dumps([slotkit.asdict(r) for r in many])
    assert orjson.dumps({"points": [Point3D(1.0, 2.0, 3.0)]}) == b'{"points":[{"x":1.0,"y":2.0,"z":3.0}]}'


def test_unset_fields_are_left_out_instead_of_crashing():
    p = Point3D(1.0, 2.0, 3.0)
    del p.y
    assert orjson.dumps(p) == b'{"x":1.0,"z":3.0}'
    assert [f.name for f in dataclasses.fields(p)] == ["x", "z"]
    assert [f.name for f in dataclasses.fields(Point3D)] == ["x", "y", "z"]
    empty = slotkit._core.new_instance(Tagged)
    assert orjson.dumps(empty) == b"{}"


def test_orjson_passthrough_dataclass_option_still_applies():
    p = Point3D(1.0, 2.0, 3.0)
    assert orjson.dumps(p, option=orjson.OPT_PASSTHROUGH_DATACLASS, default=slotkit.asdict) == orjson.dumps(
        slotkit.asdict(p)
    )


def test_many_fields_nested_records_large_ints_under_malloc_debug():
    """Every float and int below is created by the read orjson makes (unboxed fields, ints
    beyond the small-int cache); without the keep-alive, PYTHONMALLOC=debug overwrites each one
    before orjson writes it, and the output differs or the process crashes."""
    out = run("""
        import gc, orjson, slotkit
        from slotkit import Record
        from ecosystem.records import Tagged, sample

        names = [f"f{i}" for i in range(40)]
        Wide = type(Record)("Wide", (Record,), {"__annotations__": {n: (float if i % 2 else int) for i, n in enumerate(names)}})
        Node = type(Record)("Node", (Record,), {"__annotations__": {"v": float, "w": int, "child": object}})

        def chain(depth):
            node = None
            for d in range(depth):
                node = Node(d + 0.1, 2**50 + d, node)
                if d % 3 == 0:  # records of one class with different unset fields, nested
                    del node.w
                if d % 5 == 0:
                    del node.v
            return node

        for round in range(3):
            wide = [Wide(*[(2**45 + i * k) if i % 2 == 0 else (i * k + 0.3) for i in range(40)]) for k in range(200)]
            data = [wide, [sample(i) for i in range(300)], chain(100)]
            got = orjson.dumps(data)
            def plain(x):
                if isinstance(x, list):
                    return [plain(v) for v in x]
                if slotkit._core.is_record_class(type(x)):
                    return {k: plain(v) for k, v in slotkit.asdict(x).items()}
                return x
            want = orjson.dumps(plain(data))
            assert got == want, (len(got), len(want))
            gc.collect()
        print("ok", len(got))
    """)
    assert out.startswith("ok ")
