"""Known heaps for the census tests, run in a fresh interpreter: ``python heaps.py KIND N``
builds N instances of one kind of class under tracemalloc and prints, as JSON, the bytes
tracemalloc saw and the census row of that class."""

from __future__ import annotations

import dataclasses
import gc
import json
import sys
import tracemalloc

import slotkit
from slotkit import Record


class Plain:
    def __init__(self, i):
        self.x = float(i) + 0.5
        self.y = i * 1000 + 100_000
        self.name = "shared"


class Slotted:
    __slots__ = ("x", "y", "name")

    def __init__(self, i):
        self.x = float(i) + 0.5
        self.y = i * 1000 + 100_000
        self.name = "shared"


@dataclasses.dataclass
class Data:
    x: float
    y: int
    name: str


class Point(Record):
    x: float
    y: float
    label: str


class PlainRecord(Record):
    x: float
    y: int
    name: str


class Nested:
    def __init__(self, i):
        self.tags = [1, 2, 3]
        self.meta = {"a": 1, "b": 2}
        self.big = i * 1000 + 100_000
        self.flag = i % 2 == 0


class Weak:
    def __init__(self, i):
        self.v = i * 1000 + 100_000


MAKERS = {
    "plain": Plain,
    "slotted": Slotted,
    "dataclass": lambda i: Data(float(i) + 0.5, i * 1000 + 100_000, "shared"),
    "record": lambda i: Point(float(i), 2.0, "shared"),
    "plainrecord": lambda i: PlainRecord(float(i) + 0.5, i * 1000 + 100_000, "shared"),
    "nested": Nested,
    "weak": Weak,
}
CLASSES = {"plain": Plain, "slotted": Slotted, "dataclass": Data, "record": Point, "plainrecord": PlainRecord, "nested": Nested, "weak": Weak}


def measure(make, n: int, weak: bool) -> tuple[int, list, list]:
    """Bytes tracemalloc sees while ``n`` objects are made and kept (weakly referenced too, with
    the weak references themselves left out)."""
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    objs = [make(i) for i in range(n)]
    refs = []
    if weak:
        import weakref

        refs = [weakref.ref(o) for o in objs]
    traced = tracemalloc.get_traced_memory()[0] - before - sys.getsizeof(refs) - sum(sys.getsizeof(r) for r in refs)
    tracemalloc.stop()
    return traced, objs, refs


def main(kind: str, n: int) -> None:
    make = MAKERS[kind]
    # settle the class's shared keys (3.11/3.12 shrink each new instance's values array until
    # dk_usable reaches 1), then empty CPython's free lists so that every object made below is
    # a fresh allocation tracemalloc sees
    warm = [make(i) for i in range(64)]
    del warm
    keep = [float(i) + 0.25 for i in range(300)], [[i] for i in range(300)], [{"k": i} for i in range(300)], \
        [(i, i) for i in range(300)], [i * 10**6 + 7 for i in range(300)]
    gc.collect()
    gc.disable()
    # what the measurement costs by itself (the comprehension, an empty list), then the list
    baseline = measure(make, 0, False)[0] - sys.getsizeof([])
    traced, objs, refs = measure(make, n, kind == "weak")
    traced -= sys.getsizeof(objs)
    gc.enable()
    census = slotkit.census()
    name = f"{CLASSES[kind].__module__}.{CLASSES[kind].__qualname__}"
    print(json.dumps({"traced": traced - baseline, "row": census.row(name), "python": sys.version_info[:2], "keep": len(keep)}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
