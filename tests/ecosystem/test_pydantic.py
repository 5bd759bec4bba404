"""pydantic validates into Records through ``__get_pydantic_core_schema__`` (issue 14): the
fields are validated by pydantic (its own errors), then the class is called."""

from __future__ import annotations

import pytest
from _optional import need

import slotkit
from slotkit import Record

from .fresh import run
from .records import Point3D, Tagged, sample

pydantic = need("pydantic")


def test_validate_python_and_json_return_records():
    ta = pydantic.TypeAdapter(Tagged)
    data = slotkit.asdict(sample(4))
    t = ta.validate_python(data)
    assert type(t) is Tagged and t == sample(4) and type(t.where) is Point3D
    assert ta.validate_json(ta.dump_json(t)) == t
    assert ta.dump_python(t) == data
    assert ta.validate_python(t) is t  # an instance passes through
    schema = ta.json_schema()
    assert list(schema["properties"]) == [f.name for f in slotkit.fields(Tagged)]
    assert schema["required"] == ["name", "count", "big", "ratio", "flag"]
    assert pydantic.TypeAdapter(list[Point3D]).validate_python([{"x": 1, "y": 2, "z": 3}]) == [Point3D(1.0, 2.0, 3.0)]


def test_bad_input_is_a_pydantic_validation_error():
    ta = pydantic.TypeAdapter(Point3D)
    with pytest.raises(pydantic.ValidationError) as err:
        ta.validate_python({"x": "abc", "y": 2.0})
    locs = sorted(e["loc"] for e in err.value.errors())
    assert locs == [("x",), ("z",)]
    assert {e["type"] for e in err.value.errors()} == {"float_parsing", "missing"}


def test_constructor_and_post_init_errors_become_validation_errors():
    class Positive(Record):
        v: float

        def __post_init__(self):
            if self.v <= 0:
                raise TypeError("v must be positive")

    with pytest.raises(pydantic.ValidationError, match="v must be positive"):
        pydantic.TypeAdapter(Positive).validate_python({"v": -1.0})


def test_records_inside_models():
    class Scene(pydantic.BaseModel):
        points: list[Point3D]
        label: Tagged | None = None

    s = Scene(points=[{"x": 1, "y": 2, "z": 3}], label=slotkit.asdict(sample(1)))
    assert s.points == [Point3D(1.0, 2.0, 3.0)] and s.label == sample(1)
    assert Scene.model_validate_json(s.model_dump_json()) == s


def test_many_records_under_malloc_debug():
    out = run("""
        import pydantic, slotkit
        from ecosystem.records import Tagged, sample
        ta = pydantic.TypeAdapter(list[Tagged])
        items = [sample(i) for i in range(300)]
        assert ta.validate_json(ta.dump_json(items)) == items
        assert ta.dump_python(items) == [slotkit.asdict(t) for t in items]
        print("ok")
    """)
    assert out == "ok\n"
