"""msgspec encodes Records as dataclasses once they carry ``__dataclass_fields__`` (issue 14);
its decoder fills dataclasses by setting attributes after ``tp_alloc``, which works for unboxed
and unchecked fields and is refused with an error (never a crash) for checked ``str`` fields."""

from __future__ import annotations

import msgspec
import pytest

import slotkit

from .fresh import run
from .records import Point3D, Tagged, sample


def test_encode_equals_the_asdict_form():
    items = [sample(i) for i in range(20)]
    assert msgspec.json.decode(msgspec.json.encode(items)) == [slotkit.asdict(t) for t in items]
    p = Point3D(1.0, 2.0, 3.0)
    del p.y
    assert msgspec.json.encode(p) == b'{"x":1.0,"z":3.0}'


def test_decode_into_records():
    assert msgspec.json.decode(b'[{"x":1,"y":2.5,"z":3}]', type=list[Point3D]) == [Point3D(1.0, 2.5, 3.0)]
    with pytest.raises(msgspec.ValidationError, match="missing required field `z`"):
        msgspec.json.decode(b'{"x":1,"y":2.5}', type=Point3D)
    # msgspec writes attributes with the generic setattr, which a checked str field refuses
    with pytest.raises(AttributeError, match="readonly attribute"):
        msgspec.json.decode(msgspec.json.encode(sample(1)), type=Tagged)


def test_under_malloc_debug():
    out = run("""
        import msgspec, slotkit
        from ecosystem.records import Point3D, sample
        items = [sample(i) for i in range(300)]
        assert msgspec.json.decode(msgspec.json.encode(items)) == [slotkit.asdict(t) for t in items]
        pts = msgspec.json.decode(msgspec.json.encode([Point3D(i + 0.5, 2.0, 3.0) for i in range(500)]), type=list[Point3D])
        assert pts[7] == Point3D(7.5, 2.0, 3.0)
        print("ok")
    """)
    assert out == "ok\n"
