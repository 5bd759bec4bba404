"""Property-based tests: random field kinds, values and class hierarchies round-trip through
construction, attribute access, repr and ==."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from slotkit import Record, fields

KINDS = {
    "float": (float, st.floats(allow_nan=True, allow_infinity=True)),
    "int": (int, st.integers(min_value=-(2**63) + 1, max_value=2**63 - 1)),
    "bool": (bool, st.booleans()),
    "str": (str, st.text(max_size=20)),
    "bytes": (bytes, st.binary(max_size=20)),
    "str | None": (str | None, st.none() | st.text(max_size=5)),
    "object": (object, st.none() | st.integers() | st.lists(st.integers(), max_size=3)),
}

NAMES = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True).filter(lambda n: n not in {"self"})


@st.composite
def hierarchies(draw):
    """A list of levels; each level is a list of (name, kind) pairs, names unique overall."""
    depth = draw(st.integers(1, 3))
    names = draw(st.lists(NAMES, min_size=depth, max_size=12, unique=True))
    cuts = sorted(draw(st.lists(st.integers(0, len(names)), min_size=depth - 1, max_size=depth - 1)))
    bounds = [0, *cuts, len(names)]
    return [
        [(n, draw(st.sampled_from(sorted(KINDS)))) for n in names[bounds[i] : bounds[i + 1]]]
        for i in range(depth)
    ]


def build(levels):
    cls = Record
    for i, level in enumerate(levels):
        ns = {"__annotations__": {n: KINDS[k][0] for n, k in level}, "__module__": __name__, "__qualname__": f"L{i}"}
        cls = type(Record)(f"L{i}", (cls,), ns)
    return cls


def same(a, b):
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))
    return type(a) is type(b) and a == b


def equal_values(a, b):
    """Field equality as records define it: floats by ==, other values by type and ==."""
    if isinstance(a, float) and isinstance(b, float):
        return a == b
    return type(a) is type(b) and a == b


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_round_trip(data):
    levels = data.draw(hierarchies())
    cls = build(levels)
    spec = [pair for level in levels for pair in level]
    assert [f.name for f in fields(cls)] == [n for n, _ in spec]
    values = [data.draw(KINDS[k][1]) for _, k in spec]
    by_position = cls(*values)
    by_keyword = cls(**{n: v for (n, _), v in zip(spec, values)})
    for obj in (by_position, by_keyword):
        for (name, _), value in zip(spec, values):
            assert same(getattr(obj, name), value)
    expected = f"L{len(levels) - 1}(" + ", ".join(f"{n}={v!r}" for (n, _), v in zip(spec, values)) + ")"
    assert repr(by_position) == expected
    has_nan = any(isinstance(v, float) and math.isnan(v) for v in values)
    assert (by_position == by_keyword) is not has_nan
    if spec and not has_nan:
        name, kind = spec[-1]
        other = data.draw(KINDS[kind][1])
        setattr(by_keyword, name, other)
        assert (by_position == by_keyword) is equal_values(values[-1], other)


@settings(max_examples=100, deadline=None)
@given(kind=st.sampled_from(sorted(KINDS)), wrong=st.sampled_from([1.5, 7, True, "s", b"b", None, [1]]))
def test_wrong_types_are_refused_or_stored_exactly(kind, wrong):
    cls = build([[("v", kind)]])
    annotation = KINDS[kind][0]
    accepted = {
        "float": isinstance(wrong, (int, float)) and not isinstance(wrong, bool),
        "int": type(wrong) is int,
        "bool": type(wrong) is bool,
        "str": type(wrong) is str,
        "bytes": type(wrong) is bytes,
        "str | None": wrong is None or type(wrong) is str,
        "object": True,
    }[kind]
    try:
        obj = cls(wrong)
    except TypeError as exc:
        assert not accepted, (annotation, wrong)
        assert str(exc).startswith("L0.v expects ")
    else:
        assert accepted
        assert obj.v == wrong
