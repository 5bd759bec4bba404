"""rich pretty-prints nested Records field by field (``__rich_repr__``, issue 14)."""

from __future__ import annotations

from rich.pretty import pretty_repr

from .records import Point3D, sample


def test_nested_records_expand():
    text = pretty_repr([sample(2)], max_width=40)
    assert "Tagged(" in text and "where=Point3D(" in text
    lines = text.splitlines()
    assert any(line.strip() == "name='n2'," for line in lines)
    assert any(line.strip() == "x=2.5," for line in lines)  # the nested record is laid out too


def test_short_records_stay_on_one_line_and_unset_fields_are_left_out():
    p = Point3D(1.0, 2.0, 3.0)
    assert pretty_repr(p) == repr(p) == "Point3D(x=1.0, y=2.0, z=3.0)"
    del p.y
    assert pretty_repr(p) == "Point3D(x=1.0, z=3.0)"


def test_rich_and_dataclasses_functions_under_malloc_debug():
    from .fresh import run

    out = run("""
        import dataclasses, slotkit
        from rich.pretty import pretty_repr
        from ecosystem.records import sample
        items = [sample(i) for i in range(200)]
        text = pretty_repr(items, max_width=60)
        assert text.count("Tagged(") == 200 and text.count("where=Point3D(") == 200
        assert [dataclasses.asdict(t) for t in items] == [slotkit.asdict(t) for t in items]
        assert [dataclasses.astuple(t) for t in items] == [slotkit.astuple(t) for t in items]
        assert [dataclasses.replace(t, count=1).count for t in items] == [1] * 200
        print("ok")
    """)
    assert out == "ok\n"
