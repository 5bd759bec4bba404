"""hypothesis builds Records from their signature and annotations (issue 14). An unboxed ``int``
field holds 64 bits while ``integers()`` is unbounded, so the bounds are given as hypothesis
reads them (``Annotated[int, annotated_types.Interval(...)]``, docs/ecosystem.md)."""

from __future__ import annotations

from typing import Annotated, Optional

import pytest
from _optional import need
from hypothesis import given, settings
from hypothesis import strategies as st

from slotkit import Record, field

from .records import Point3D

at = need("annotated_types", dist="annotated-types")

Int64 = Annotated[int, at.Interval(ge=-(2**63) + 1, le=2**63 - 1)]


class Item(Record):
    name: str
    count: Int64
    ratio: float
    flag: bool
    exact: float = field(default=0.5, boxed=True)
    note: Optional[str] = None
    where: Optional[Point3D] = None
    tags: list[str] = field(default_factory=list)


@settings(max_examples=80, deadline=None)
@given(st.from_type(Item), st.builds(Item), st.builds(Point3D))
def test_from_type_and_builds_give_valid_records(a, b, p):
    for t in (a, b):
        assert type(t) is Item
        assert type(t.name) is str and type(t.count) is int and type(t.ratio) is float
        assert type(t.exact) is float and type(t.tags) is list
        assert t.where is None or type(t.where) is Point3D
    assert type(p) is Point3D and type(p.x) is float


def test_an_unbounded_int_field_is_refused_with_a_clear_error():
    class Wide(Record):
        n: int

    with pytest.raises(OverflowError, match=r"Wide.n: .* does not fit an int field"):
        Wide(2**70)
