"""slotkit.measure and slotkit.compare: exact bytes per instance (timings are never asserted)."""

from __future__ import annotations

import io
import itertools
import sys

from slotkit.measure import Measurement, bytes_per_instance, compare, measure


class SlottedPoint:
    __slots__ = ("x", "y", "z")

    def __init__(self, x, y, z):  # type: ignore[no-untyped-def]
        self.x = x
        self.y = y
        self.z = z


class PlainPoint:
    def __init__(self, x, y, z):  # type: ignore[no-untyped-def]
        self.x = x
        self.y = y
        self.z = z


SLOTTED_3 = 56 if (3, 11) <= sys.version_info[:2] <= (3, 13) else sys.getsizeof(SlottedPoint(1, 2, 3))


def test_slots_class_bytes_are_exact() -> None:
    m = measure(lambda: SlottedPoint(1.0, 2.0, 3.0))
    assert isinstance(m, Measurement)
    assert (m.label, m.n) == ("SlottedPoint", 10_000)
    assert m.getsizeof_bytes == SLOTTED_3
    assert m.tracemalloc_bytes == SLOTTED_3
    assert m.total_bytes == SLOTTED_3 * 10_000
    assert m.construct_ns > 0


def test_fresh_field_values_are_counted() -> None:
    counter = itertools.count()

    def fresh() -> SlottedPoint:
        i = next(counter)
        return SlottedPoint(float(i), i * 2.0, i * 3.0)

    assert bytes_per_instance(fresh, 10_000) == SLOTTED_3 + 3 * sys.getsizeof(1.0)


def test_measure_with_a_small_n_and_a_label() -> None:
    m = measure(lambda: SlottedPoint(1, 2, 3), n=100, label="tiny", repeat=1)
    assert (m.label, m.n, m.tracemalloc_bytes) == ("tiny", 100, SLOTTED_3)


def test_compare_prints_the_article_table() -> None:
    out = io.StringIO()
    rows = compare(lambda: PlainPoint(1, 2, 3), lambda: SlottedPoint(1, 2, 3), n=5_000, file=out)
    plain, slotted = rows
    assert slotted.tracemalloc_bytes == SLOTTED_3
    assert plain.tracemalloc_bytes > slotted.tracemalloc_bytes
    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["class", "MB", "for", "5,000", "B/instance", "getsizeof", "construct", "savings"]
    assert lines[1].startswith("PlainPoint") and lines[2].startswith("SlottedPoint")
    saving = (plain.tracemalloc_bytes - slotted.tracemalloc_bytes) / plain.tracemalloc_bytes * 100
    assert lines[2].endswith(f"{saving:.1f}%")


def test_record_point3d_is_40_bytes() -> None:
    """A Point3D Record keeps its 3 floats unboxed: 16-byte header + 3 x 8, no GC header."""
    from slotkit import Record

    class Point3D(Record):
        x: float
        y: float
        z: float

    counter = itertools.count()

    def fresh() -> Point3D:
        i = next(counter)
        return Point3D(float(i), i * 2.0, i * 3.0)

    m = measure(fresh)
    assert m.getsizeof_bytes == 40
    assert m.tracemalloc_bytes == 40  # fresh float values included: they are not kept
