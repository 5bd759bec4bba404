"""Slices, masks, index arrays and sorting give new arrays (copies of the selected rows)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from array_classes import Point3D, Reading, reading


def pts_of(xs):
    pts = Point3D.array()
    pts.extend(Point3D(float(x), float(i), 0.0) for i, x in enumerate(xs))
    return pts


def test_slices():
    pts = pts_of(range(10))
    assert [p.x for p in pts[2:5]] == [2.0, 3.0, 4.0]
    assert [p.x for p in pts[::-3]] == [9.0, 6.0, 3.0, 0.0]
    assert len(pts[5:2]) == 0
    sub = pts[1:3]
    sub.x[:] = 0.0
    assert pts[1].x == 1.0  # a copy


def test_masks_and_indices():
    pts = pts_of(range(6))
    assert [p.x for p in pts[pts.x > 3]] == [4.0, 5.0]
    assert [p.x for p in pts[[True, False] * 3]] == [0.0, 2.0, 4.0]
    assert [p.x for p in pts[[5, -1, 0]]] == [5.0, 5.0, 0.0]
    assert [p.x for p in pts[np.array([1, -2])]] == [1.0, 4.0]
    with pytest.raises(IndexError):
        pts[[True, False]]
    with pytest.raises(IndexError):
        pts[[6]]
    with pytest.raises(TypeError):
        pts["x"]


def test_sort_is_stable_and_puts_nan_last():
    pts = pts_of([3, 1, math.nan, 1, 2])
    s = pts.sorted(by="x")
    assert [p.y for p in s] == [1.0, 3.0, 4.0, 0.0, 2.0]
    r = pts.sorted(by="x", reverse=True)
    assert [p.y for p in r] == [0.0, 4.0, 1.0, 3.0, 2.0]
    pts.sort(by="x")
    assert [p.y for p in pts] == [1.0, 3.0, 4.0, 0.0, 2.0]


def test_sort_text_and_nullable_columns():
    arr = Reading.array()
    rows = [reading(i) for i in range(12)]
    arr.extend(rows)
    assert list(arr.sorted(by="sensor")) == sorted(rows, key=lambda r: r.sensor)
    by_level = list(arr.sorted(by="level"))
    assert [r.level for r in by_level] == sorted(r.level for r in rows if r.level is not None) + [None] * 3
    with pytest.raises(KeyError):
        arr.sort(by="nope")
