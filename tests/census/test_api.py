"""``slotkit.census()`` in this process: the result object, its JSON, what it leaves out."""

from __future__ import annotations

import json

import slotkit
from slotkit.census import Census


class Tracked:
    def __init__(self, i):
        self.value = float(i) + 0.5
        self.label = f"label-{i}"


def row_of(c: Census, cls: type) -> dict | None:
    return c.row(f"{cls.__module__}.{cls.__qualname__}")


def test_census_counts_live_instances_and_finds_their_source_and_verdict():
    keep = [Tracked(i) for i in range(300)]
    c = slotkit.census()
    row = row_of(c, Tracked)
    assert row is not None and row["count"] == 300
    path, line = row["source"].rsplit(":", 1)
    assert path == __file__ and int(line) == 11
    assert row["check"]["verdict"] in ("safe", "unsafe")
    # its own attributes, plus what `check` keeps for unknown uses elsewhere in this package
    # (a weak reference on a receiver of unknown type gives `__weakref__`)
    kept = row["check"]["kept"]
    assert [s for s in row["check"]["slots"] if s not in kept] == ["value", "label"]
    assert set(kept) <= set(row["check"]["slots"])
    # each label is a string only its instance holds; each value a float
    held = {a["name"]: a["held_bytes"] for a in row["attributes"]}
    assert held["value"] == 300 * 24 and held["label"] > 300 * 49
    del keep
    assert row_of(slotkit.census(), Tracked) is None


def test_a_census_leaves_out_earlier_results():
    first = slotkit.census()
    second = slotkit.census()
    assert row_of(second, Census) is None
    # the first result's JSON string is reachable only through it: not counted either
    big = len(first._json)
    strings = second.row("str")
    assert strings is not None
    third = slotkit.census()
    assert abs(third.row("str")["instance_bytes"] - strings["instance_bytes"]) < big


def test_json_round_trip_and_table(tmp_path):
    keep = [Tracked(i) for i in range(10)]
    c = slotkit.census()
    path = tmp_path / "c.json"
    c.save(path)
    data = json.loads(path.read_text())
    assert data["format"] == "slotkit-census/1" and data["reason"] == "call"
    assert data["objects"] > 0 and data["bytes"] > 0
    loaded = Census.load(path)
    assert loaded.data == c.data
    text = str(c)
    assert "slotkit census" in text and "__slots__ (saves)" in text
    assert f"{__name__}.Tracked" in c.table(top=1000)
    assert repr(c).startswith("<slotkit Census:")
    del keep


def test_rows_are_ranked_by_projected_saving():
    keep = [Tracked(i) for i in range(2000)]
    rows = [r for r in slotkit.census().rows if "with_dict" in r]
    savings = [max(r["slots_saving"] or 0, r["record_saving"] or 0) for r in rows]
    assert savings == sorted(savings, reverse=True)
    tracked = next(r for r in rows if r["class"].endswith(".Tracked"))
    assert tracked["slots_saving"] > 2000 * 8
    del keep


def test_load_refuses_other_json(tmp_path):
    import pytest

    bad = tmp_path / "x.json"
    bad.write_text('{"rows": []}')
    with pytest.raises(ValueError, match="not a slotkit census"):
        Census.load(bad)


class Tagged(bytes):
    """A bytes subclass with attributes: CPython refuses non-empty __slots__ on it (bytes is
    variable-size), and a Record cannot derive from bytes, so neither projection applies."""


def test_no_projection_where_slots_or_records_are_impossible():
    keep = []
    for i in range(50):
        t = Tagged(b"text %d" % i)
        t.note = i
        keep.append(t)
    row = row_of(slotkit.census(), Tagged)
    assert row is not None and row["count"] == 50 and row["dict_bytes"] > 0
    assert row["slots_bytes"] is None and row["record_bytes"] is None
    del keep


class Label(str):
    """A str subclass can have __slots__ (str is not variable-size to CPython), not be a Record."""


def test_str_subclasses_can_be_slotted_not_made_records():
    keep = []
    for i in range(50):
        t = Label(f"text {i}")
        t.note = i
        keep.append(t)
    row = row_of(slotkit.census(), Label)
    assert row["slots_bytes"] is not None and row["slots_saving"] > 0
    assert row["record_bytes"] is None
    del keep
