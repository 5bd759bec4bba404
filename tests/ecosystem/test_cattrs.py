"""cattrs structures and unstructures Records through the dataclass protocol (issue 14)."""

from __future__ import annotations

import pytest
from _optional import need

import slotkit

from .fresh import run
from .records import Point3D, Tagged, sample

cattrs = need("cattrs")


def test_unstructure_is_asdict_and_structure_round_trips_nested_and_optional():
    for i in range(6):  # note and where alternate between None and a value
        t = sample(i)
        data = cattrs.unstructure(t)
        assert data == slotkit.asdict(t)
        back = cattrs.structure(data, Tagged)
        assert type(back) is Tagged and back == t
        assert type(back.where) is Point3D


def test_structure_applies_defaults_and_reports_bad_input():
    t = cattrs.structure({"name": "a", "count": 1, "big": 2, "ratio": 0.5, "flag": True}, Tagged)
    assert (t.exact, t.note, t.where, t.tags) == (0.5, None, None, [])
    with pytest.raises(cattrs.errors.ClassValidationError) as err:  # cattrs groups one class's failures
        cattrs.structure({"name": "a", "count": "many", "big": 2, "ratio": 0.5, "flag": True}, Tagged)
    assert cattrs.transform_error(err.value) == ["invalid value for type, expected int @ $.count"]


def test_list_of_records_under_malloc_debug():
    out = run("""
        import cattrs, slotkit
        from ecosystem.records import Tagged, sample
        items = [sample(i) for i in range(300)]
        data = cattrs.unstructure(items)
        assert data == [slotkit.asdict(t) for t in items]
        assert cattrs.structure(data, list[Tagged]) == items
        print("ok")
    """)
    assert out == "ok\n"
