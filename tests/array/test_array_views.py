"""numpy views of columns: zero-copy and writable, and never dangling (the array refuses to
change its length while a view or an Arrow export lives, as bytearray does)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from array_classes import Point3D, Reading, reading


def filled(n: int):
    pts = Point3D.array()
    pts.extend_columns(x=np.arange(n, dtype=float), y=np.ones(n), z=np.zeros(n))
    return pts


def test_view_shares_memory_both_ways():
    pts = filled(5)
    x = pts.x
    assert x.dtype == np.float64 and x.shape == (5,)
    assert x.__array_interface__["data"][0] == pts.column("x").__array_interface__["data"][0]
    x[2] = 42.0
    assert pts[2].x == 42.0
    pts[3] = Point3D(-1.0, -2.0, -3.0)
    assert x[3] == -1.0 and pts.z[3] == -3.0


def test_vectorized_math_through_views():
    pts = filled(1000)
    pts.x[:] += 1.0
    d = np.sqrt(pts.x**2 + pts.y**2 + pts.z**2)
    assert d[0] == pytest.approx(np.sqrt(2.0))
    assert pts[999].x == 1000.0


def test_growth_refused_while_a_view_lives_then_allowed():
    pts = filled(3)
    x = pts.x
    assert pts.exports == 1
    for grow in (
        lambda: pts.append(Point3D(0.0, 0.0, 0.0)),
        lambda: pts.extend([Point3D(0.0, 0.0, 0.0)]),
        lambda: pts.extend_columns(x=[1.0], y=[1.0], z=[1.0]),
        pts.clear,
        pts.shrink_to_fit,
        lambda: pts.sort(by="x"),
    ):
        with pytest.raises(BufferError, match="live export"):
            grow()
    assert len(pts) == 3 and x[2] == 2.0
    del x
    assert pts.exports == 0
    pts.append(Point3D(9.0, 9.0, 9.0))
    assert len(pts) == 4


def test_memoryview_counts_too():
    pts = filled(2)
    with memoryview(pts._view("y")) as m:
        assert m.format == "d" and m.tolist() == [1.0, 1.0] and not m.readonly
        with pytest.raises(BufferError):
            pts.append(Point3D(0.0, 0.0, 0.0))
    pts.append(Point3D(0.0, 0.0, 0.0))


def test_int_and_bool_views():
    arr = Reading.array()
    arr.extend(reading(i) for i in range(6))
    assert arr.count.dtype == np.int64 and list(arr.count) == list(range(6))
    assert arr.ok.dtype == np.bool_ and list(arr.ok) == [i % 2 == 0 for i in range(6)]
    arr.ok[1] = True
    assert arr[1].ok is True
    assert list(arr.validity("level")) == [i % 4 != 0 for i in range(6)]
    assert list(arr.validity("value")) == [True] * 6


def test_text_and_object_columns_have_no_view():
    arr = Reading.array()
    with pytest.raises(TypeError, match="only float, int and bool columns have a numpy view"):
        arr.sensor
    with pytest.raises(AttributeError):
        arr.nonexistent


def test_slotkit_does_not_import_numpy_until_a_view_is_asked_for():
    code = (
        "import sys\n"
        "from slotkit import Record\n"
        "class P(Record):\n    x: float\n"
        "a = P.array(); a.append(P(1.0)); a.extend_columns(x=[2.0]); list(a); a[0:1]; a.sort(by='x')\n"
        "import pickle; pickle.loads(pickle.dumps(a))\n"
        "assert 'numpy' not in sys.modules, 'numpy imported'\n"
        "a.x\n"
        "assert 'numpy' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_text_rewrites_that_move_bytes_wait_for_exports():
    arr = Reading.array()
    arr.extend(reading(i) for i in range(4))
    view = arr.count  # any export pins every buffer
    same = reading(2)
    same.sensor = "s9"  # same length as "s2": written in place
    arr[2] = same
    longer = reading(2)
    longer.sensor = "a longer name"
    with pytest.raises(BufferError):
        arr[2] = longer
    assert arr[2] == same
    del view
    arr[2] = longer
    assert arr[2].sensor == "a longer name"
