"""pickle, copy, deepcopy and == on arrays."""

from __future__ import annotations

import copy
import pickle

import numpy as np

from array_classes import Point3D, Reading, Tagged, reading


def test_pickle_and_copies_of_every_storage():
    arr = Reading.array()
    arr.extend(reading(i) for i in range(30))
    for proto in range(pickle.HIGHEST_PROTOCOL + 1):
        back = pickle.loads(pickle.dumps(arr, protocol=proto))
        assert back == arr and type(back) is type(arr) and list(back) == list(arr)
    assert copy.copy(arr) == arr
    assert copy.deepcopy(arr) == arr


def test_copies_are_independent():
    pts = Point3D.array()
    pts.extend_columns(x=np.arange(3.0), y=np.arange(3.0), z=np.arange(3.0))
    c = copy.copy(pts)
    c.x[0] = 99.0
    assert pts[0].x == 0.0


def test_deepcopy_copies_object_cells():
    arr = Tagged.array()
    arr.append(Tagged(1.0, [1, 2]))
    d = copy.deepcopy(arr)
    assert d == arr and d[0].payload is not arr[0].payload
    assert copy.copy(arr)[0].payload is arr[0].payload


def test_equality():
    a, b = Point3D.array(), Point3D.array()
    assert a == b
    a.append(Point3D(1.0, 2.0, 3.0))
    assert a != b
    b.append(Point3D(1.0, 2.0, 3.0))
    assert a == b
    b[0] = Point3D(1.0, 2.0, 4.0)
    assert a != b
    assert a != [Point3D(1.0, 2.0, 3.0)]
    nan = Point3D.array()
    nan.append(Point3D(float("nan"), 0.0, 0.0))
    assert nan != copy.copy(nan)  # NaN != NaN, as between records
