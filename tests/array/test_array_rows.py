"""Rows in and out: append, extend, indexing, assignment, iteration; rows are copies of the
Record class and its methods work on them."""

from __future__ import annotations

import pytest

from slotkit import Record, RecordArray

from array_classes import Point3D, Reading, reading


def test_array_classmethod_and_constructor():
    pts = Point3D.array()
    assert type(pts) is RecordArray and pts.record_class is Point3D and len(pts) == 0
    assert RecordArray(Point3D, capacity=10).nbytes == 3 * 8 * 10
    assert pts.field_names == ("x", "y", "z")


def test_append_index_and_methods_on_rows():
    pts = Point3D.array()
    pts.append(Point3D(1.0, 2.0, 3.0))
    pts.extend(Point3D(float(i), 0.0, 0.0) for i in range(5))
    assert len(pts) == 6
    p = pts[0]
    assert type(p) is Point3D and p == Point3D(1.0, 2.0, 3.0)
    assert pts[-1] == Point3D(4.0, 0.0, 0.0)
    assert pts[0].distance_to(pts[1]) == pytest.approx((1 + 4 + 9) ** 0.5)
    p.x = 100.0  # a copy: the array is unchanged
    assert pts[0].x == 1.0
    with pytest.raises(IndexError):
        pts[6]
    with pytest.raises(IndexError):
        pts[-7]
    # an index too large for any index is an IndexError, as for a list
    with pytest.raises(IndexError, match="cannot fit 'int' into an index-sized integer"):
        pts[2**70]
    with pytest.raises(IndexError, match="cannot fit 'int' into an index-sized integer"):
        pts[2**70] = Point3D(0.0, 0.0, 0.0)
    with pytest.raises(TypeError, match="RecordArray assignment takes one integer index, not str"):
        pts["a"] = Point3D(0.0, 0.0, 0.0)


def test_setitem_writes_a_row_back():
    pts = Point3D.array()
    pts.extend([Point3D(0.0, 0.0, 0.0)] * 3)
    p = pts[1]
    p.y = 5.0
    pts[1] = p
    assert [q.y for q in pts] == [0.0, 5.0, 0.0]
    pts[-1] = Point3D(7.0, 8.0, 9.0)
    assert pts[2] == Point3D(7.0, 8.0, 9.0)


def test_iteration_yields_copies_in_order():
    pts = Point3D.array()
    pts.extend(Point3D(float(i), float(-i), 0.0) for i in range(4))
    assert [p.x for p in pts] == [0.0, 1.0, 2.0, 3.0]
    assert list(pts) == [pts[i] for i in range(4)]


def test_every_storage_round_trips():
    arr = Reading.array()
    rows = [reading(i) for i in range(40)]
    arr.extend(rows)
    assert list(arr) == rows
    assert arr.column_list("note") == [r.note for r in rows]
    assert arr.column_list("raw") == [r.raw for r in rows]


def test_text_setitem_changes_lengths_in_the_middle():
    arr = Reading.array()
    arr.extend(reading(i) for i in range(10))
    r = arr[4]
    r.sensor = "a much longer sensor name"
    r.note = None
    arr[4] = r
    r2 = arr[7]
    r2.sensor = ""
    r2.note = "ü"
    arr[7] = r2
    expected = [reading(i) for i in range(10)]
    expected[4], expected[7] = r, r2
    assert list(arr) == expected


def test_frozen_and_kw_only_classes():
    class Frozen(Record, frozen=True):
        a: int
        b: str

    arr = Frozen.array()
    arr.append(Frozen(1, "x"))
    assert arr[0] == Frozen(1, "x")
    arr[0] = Frozen(2, "y")
    assert arr[0].b == "y"


def test_clear_and_shrink():
    pts = Point3D.array()
    pts.extend([Point3D(1.0, 1.0, 1.0)] * 100)
    pts.clear()
    assert len(pts) == 0 and list(pts) == []
    pts.shrink_to_fit()
    assert pts.nbytes == 0


def test_repr():
    pts = Point3D.array()
    assert repr(pts) == "RecordArray[Point3D]([])"
    pts.extend([Point3D(1.0, 2.0, 3.0)] * 5)
    assert repr(pts) == "RecordArray[Point3D]([" + ", ".join(["Point3D(x=1.0, y=2.0, z=3.0)"] * 3) + ", ... (5 rows)])"


def test_not_a_record_class():
    with pytest.raises(TypeError, match="needs a slotkit Record class"):
        RecordArray(int)


def test_extend_from_itself():
    pts = Point3D.array()
    pts.append(Point3D(1.0, 2.0, 3.0))
    pts.extend(pts)
    pts.extend(iter(pts))
    assert list(pts) == [Point3D(1.0, 2.0, 3.0)] * 4


def test_clear_keeps_nulls_right():
    arr = Reading.array()
    arr.extend(reading(i) for i in range(8))
    arr.clear()
    arr.extend(reading(i) for i in (1, 2, 3))
    assert list(arr) == [reading(1), reading(2), reading(3)]
    assert arr.column_list("note") == [reading(i).note for i in (1, 2, 3)]


def test_class_options_defaults_and_post_init():
    from slotkit import field

    class W(Record, weakref=True, extra=True):
        a: int
        b: str = "x"
        c: float = field(default=1.0, kw_only=True)

        def __post_init__(self):
            if self.a < 0:
                raise ValueError("negative")

    w = W.array()
    w.extend([W(1), W(2, "y", c=3.0)])
    assert list(w) == [W(1), W(2, "y", c=3.0)]
    # Rows written as columns get the fields' checks only: __post_init__ runs when a record is
    # constructed, not when a row is stored or copied out (docs/array.md, limits).
    w.extend_columns(a=[-1], b=["z"], c=[0.0])
    assert w[2].a == -1
    with pytest.raises(TypeError, match="missing column.*b, c"):
        w.extend_columns(a=[5])  # defaults are not applied to columns
