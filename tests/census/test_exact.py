"""Exact bytes on known heaps, checked against tracemalloc, and the projections checked against
the same heap actually built with __slots__ and as a Record.

Each heap is built in a fresh interpreter (``heaps.py``). tracemalloc's figure carries a
constant of the measurement itself (under 512 bytes, the same for every N), so the exact check
is on the difference between two sizes: what N more instances cost."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEAPS = Path(__file__).with_name("heaps.py")
KINDS = ["plain", "slotted", "dataclass", "record", "plainrecord", "nested", "weak"]


def heap(kind: str, n: int) -> dict:
    out = subprocess.run([sys.executable, str(HEAPS), kind, str(n)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


@pytest.mark.parametrize("kind", KINDS)
def test_bytes_match_tracemalloc(kind):
    small, big = heap(kind, 1500), heap(kind, 3000)
    assert small["row"]["count"] == 1500 and big["row"]["count"] == 3000
    # what 1500 more instances cost, to the byte
    assert big["row"]["bytes"] - small["row"]["bytes"] == big["traced"] - small["traced"]
    # and the whole heap, up to the measurement's own constant
    assert 0 <= big["row"]["bytes"] - big["traced"] <= 512


def test_columns_add_up_and_values_only_held_are_counted():
    row = heap("plain", 1000)["row"]
    assert row["bytes"] == row["instance_bytes"] + row["dict_bytes"] + row["held_bytes"]
    assert row["with_dict"] == 1000
    held = {a["name"]: a["held_bytes"] for a in row["attributes"]}
    # each x is a float (24 bytes) and each y a one-digit int (32) only this instance holds;
    # "shared" is one string for all
    assert held == {"x": 24 * 1000, "y": 32 * 1000, "name": 0}
    kinds = {a["name"]: a["record_kind"] for a in row["attributes"]}
    assert kinds == {"x": "f64", "y": "i64", "name": "str"}
    assert {a["name"]: a["types"] for a in row["attributes"]} == {"x": ["float"], "y": ["int"], "name": ["str"]}


def test_slots_projection_is_what_slotting_gives():
    plain, slotted = heap("plain", 1000)["row"], heap("slotted", 1000)["row"]
    assert plain["slots_bytes"] == slotted["bytes"]
    assert plain["slots_saving"] == plain["bytes"] - slotted["bytes"] > 0
    dataclass = heap("dataclass", 1000)["row"]
    assert dataclass["slots_bytes"] == slotted["bytes"]
    # already slotted: nothing to project under __slots__
    assert slotted["slots_bytes"] is None and slotted["dict_bytes"] == 0


def test_record_projection_is_what_a_record_gives():
    plain, record = heap("plain", 1000)["row"], heap("plainrecord", 1000)["row"]
    assert plain["record_bytes"] == record["bytes"]
    # unboxed x and y: the boxed floats and ints are gone too; no GC header (name is a str)
    assert record["bytes"] == 1000 * (16 + 3 * 8)
    assert record["record_bytes"] is None  # already a Record


def test_nested_containers_keep_object_fields_and_the_gc_header():
    row = heap("nested", 1000)["row"]
    kinds = {a["name"]: a["record_kind"] for a in row["attributes"]}
    assert kinds == {"tags": "object", "meta": "object", "big": "i64", "flag": "bool"}
    held = {a["name"]: a["held_bytes"] for a in row["attributes"]}
    assert held["tags"] == 1000 * sys.getsizeof([1, 2, 3])
    assert held["meta"] == 1000 * sys.getsizeof({"a": 1, "b": 2})
    assert held["flag"] == 0  # True and False are shared
    # GC header (object fields), header, four fields; the lists and dicts stay, the ints go
    assert row["record_bytes"] == 1000 * (16 + 16 + 4 * 8) + held["tags"] + held["meta"]


def test_weak_references_keep_a_weakref_slot():
    row = heap("weak", 1000)["row"]
    assert row["weakrefs"] is True
    weak_slot = 8 if sys.version_info < (3, 12) else 16  # 3.12+: a pre-header pair
    assert row["slots_bytes"] == 1000 * (32 + 8 + weak_slot) + row["held_bytes"]
