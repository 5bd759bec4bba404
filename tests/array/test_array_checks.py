"""Every write path checks values as the Record's fields do, with the same messages, and a
rejected write leaves the array unchanged."""

from __future__ import annotations

import numpy as np
import pytest

from slotkit import Record

from array_classes import Point3D, Reading, reading


def record_error(cls, **kwargs):
    with pytest.raises(Exception) as info:
        cls(**kwargs)
    return type(info.value), str(info.value)


def test_extend_columns_messages_match_the_record():
    pts = Point3D.array()
    with pytest.raises(TypeError) as info:
        pts.extend_columns(x=[1.0, "2"], y=[0.0, 0.0], z=[0.0, 0.0])
    assert (TypeError, str(info.value)) == record_error(Point3D, x="2", y=0.0, z=0.0)
    assert len(pts) == 0


def test_conversions_are_the_records():
    class N(Record):
        f: float
        i: int
        b: bool

    arr = N.array()
    arr.extend_columns(f=[1, np.float32(2.5)], i=[np.int64(3), True.__class__(0) + 4], b=[True, np.bool_(False)])
    assert list(arr) == [N(1, 3, True), N(2.5, 4, False)]
    for bad in ({"f": [True]}, {"i": [1.5]}, {"b": [1]}):
        cols = {"f": [1.0], "i": [1], "b": [True]} | bad
        with pytest.raises(TypeError) as info:
            arr.extend_columns(**cols)
        (name, (value,)), = bad.items()
        assert (TypeError, str(info.value)) == record_error(N, **({"f": 1.0, "i": 1, "b": True} | {name: value}))
    assert len(arr) == 2


def test_int_range_matches_the_record():
    class I(Record):
        i: int

    arr = I.array()
    for cols in ([-(2**63)], np.array([5, -(2**63)], dtype=np.int64), [2**64]):
        with pytest.raises(OverflowError):
            arr.extend_columns(i=cols)
    assert len(arr) == 0


def test_extend_is_all_or_nothing():
    pts = Point3D.array()
    pts.append(Point3D(1.0, 1.0, 1.0))
    with pytest.raises(TypeError, match="item 2: RecordArray of Point3D takes Point3D records, got tuple"):
        pts.extend([Point3D(2.0, 2.0, 2.0), Point3D(3.0, 3.0, 3.0), (1.0, 2.0, 3.0)])
    assert list(pts) == [Point3D(1.0, 1.0, 1.0)]


def test_unset_fields_are_refused():
    p = Point3D(1.0, 2.0, 3.0)
    del p.y
    pts = Point3D.array()
    with pytest.raises(ValueError, match=r"Point3D.y is unset: a RecordArray row needs every field set"):
        pts.append(p)
    with pytest.raises(ValueError):
        pts.extend([Point3D(0.0, 0.0, 0.0), p])
    assert len(pts) == 0


def test_subclass_records_are_refused():
    class P4(Point3D):
        w: float

    pts = Point3D.array()
    with pytest.raises(TypeError, match="takes Point3D records, got P4"):
        pts.append(P4(1.0, 2.0, 3.0, 4.0))
    pts.append(Point3D(0.0, 0.0, 0.0))
    with pytest.raises(TypeError):
        pts[0] = P4(1.0, 2.0, 3.0, 4.0)
    assert pts[0] == Point3D(0.0, 0.0, 0.0)


def test_extend_columns_shape_errors_write_nothing():
    pts = Point3D.array()
    with pytest.raises(ValueError, match="columns differ in length"):
        pts.extend_columns(x=[1.0, 2.0], y=[1.0], z=[1.0, 2.0])
    with pytest.raises(TypeError, match="missing column.*z"):
        pts.extend_columns(x=[1.0], y=[1.0])
    with pytest.raises(TypeError, match="has no field 'w'"):
        pts.extend_columns(x=[1.0], y=[1.0], z=[1.0], w=[1.0])
    with pytest.raises(TypeError, match="column must be iterable"):
        pts.extend_columns(x=1.0, y=[1.0], z=[1.0])
    assert len(pts) == 0


def test_text_and_nullable_checks():
    arr = Reading.array()
    arr.append(reading(1))
    good = {name: arr.column_list(name) for name in arr.field_names}
    for name, bad in (("sensor", None), ("note", b"x"), ("raw", "x"), ("level", "1.0"), ("ok", None)):
        with pytest.raises(TypeError) as info:
            arr.extend_columns(**(good | {name: [bad]}))
        kwargs = {n: v[0] for n, v in good.items()} | {name: bad}
        assert (TypeError, str(info.value)) == record_error(Reading, **kwargs)
    assert len(arr) == 1


def test_str_subclass_refused_like_the_record():
    class S(str):
        pass

    arr = Reading.array()
    good = {name: [getattr(reading(1), name)] for name in arr.field_names}
    with pytest.raises(TypeError, match="a subclass of str"):
        arr.extend_columns(**(good | {"sensor": [S("x")]}))


def test_unencodable_str_is_refused_before_writing():
    arr = Reading.array()
    good = {name: [getattr(reading(1), name)] * 2 for name in arr.field_names}
    with pytest.raises(UnicodeEncodeError):
        arr.extend_columns(**(good | {"sensor": ["ok", "\ud800"]}))
    assert len(arr) == 0
