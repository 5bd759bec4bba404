"""The point cloud at scale, one store per fresh process:
``python -m slotkit.bench.arrays STORE N`` prints one JSON object.

Every store holds the same N points ``(i, 2i, 3i)``, built from the same values, then runs the
article's pass: translate every point by ``SHIFT``, sum the distances to the origin. Stores:
a list of Records, a list of ``__slots__`` objects, a ``RecordArray``, a numpy structured array and a
pyarrow Table. The pass runs row by row (Python code per point: the Record's own methods where
rows are Records) and, for the columnar stores, vectorized (whole-column arithmetic).

Figures: ``build`` seconds, ``traced`` bytes per point (tracemalloc: everything the store keeps,
its source columns freed), ``rss`` bytes per point (resident set growth), ``rows`` and ``vector``
seconds for the pass, and the two sums (checked against the reference by the caller).
"""

from __future__ import annotations

import gc
import json
import math
import sys
import time
import tracemalloc
from typing import Any, Callable

from slotkit.bench.workloads import SHIFT

STORES = ("records", "slots", "recordarray", "numpy", "pyarrow")
LABELS = {
    "records": "list of slotkit Records",
    "slots": "list of __slots__ objects",
    "recordarray": "slotkit RecordArray",
    "numpy": "numpy structured array",
    "pyarrow": "pyarrow Table",
}


def _rss() -> int:
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            return int(f.read().split()[1]) * 4096
    except OSError:  # not Linux: the figure is reported as unavailable
        return 0


def _record_class() -> type:
    from slotkit import Record

    class Point3D(Record):
        x: float
        y: float
        z: float

        def distance_to(self, other: Any) -> float:
            return math.sqrt((self.x - other.x) ** 2 + (self.y - other.y) ** 2 + (self.z - other.z) ** 2)

        def translate(self, dx: float, dy: float, dz: float) -> None:
            self.x += dx
            self.y += dy
            self.z += dz

    return Point3D


def _slots_class() -> type:
    class Point3D:
        __slots__ = ("x", "y", "z")

        def __init__(self, x: float, y: float, z: float) -> None:
            self.x, self.y, self.z = x, y, z

        def distance_to(self, other: Any) -> float:
            return math.sqrt((self.x - other.x) ** 2 + (self.y - other.y) ** 2 + (self.z - other.z) ** 2)

        def translate(self, dx: float, dy: float, dz: float) -> None:
            self.x += dx
            self.y += dy
            self.z += dz

    return Point3D


def _columns(n: int) -> tuple[Any, Any, Any]:
    import numpy as np

    x = np.arange(n, dtype=np.float64)
    return x, x * 2.0, x * 3.0


def _list_store(cls: type) -> dict[str, Callable[..., Any]]:
    def build(n: int) -> Any:
        return [cls(float(i), i * 2.0, i * 3.0) for i in range(n)]

    def rows(points: Any) -> float:
        dx, dy, dz = SHIFT
        for p in points:
            p.translate(dx, dy, dz)
        origin = cls(0.0, 0.0, 0.0)
        total = 0.0
        for p in points:
            total += p.distance_to(origin)
        return total

    return {"build": build, "rows": rows}


def _recordarray() -> dict[str, Callable[..., Any]]:
    cls = _record_class()

    def build(n: int) -> Any:
        x, y, z = _columns(n)
        pts = cls.array(capacity=n)
        pts.extend_columns(x=x, y=y, z=z)
        return pts

    def rows(pts: Any) -> float:
        dx, dy, dz = SHIFT
        for i in range(len(pts)):
            p = pts[i]
            p.translate(dx, dy, dz)
            pts[i] = p
        origin = cls(0.0, 0.0, 0.0)
        total = 0.0
        for p in pts:
            total += p.distance_to(origin)
        return total

    def vector(pts: Any) -> float:
        import numpy as np

        x, y, z = pts.x, pts.y, pts.z
        dx, dy, dz = SHIFT
        x += dx
        y += dy
        z += dz
        return float(np.sqrt(x * x + y * y + z * z).sum())

    return {"build": build, "rows": rows, "vector": vector}


def _numpy() -> dict[str, Callable[..., Any]]:
    import numpy as np

    def build(n: int) -> Any:
        x, y, z = _columns(n)
        a = np.empty(n, dtype=[("x", "f8"), ("y", "f8"), ("z", "f8")])
        a["x"], a["y"], a["z"] = x, y, z
        return a

    def rows(a: Any) -> float:
        dx, dy, dz = SHIFT
        for r in a:  # numpy.void rows write through to the array
            r["x"] += dx
            r["y"] += dy
            r["z"] += dz
        total = 0.0
        for r in a:
            total += math.sqrt(r["x"] ** 2 + r["y"] ** 2 + r["z"] ** 2)
        return float(total)

    def vector(a: Any) -> float:
        dx, dy, dz = SHIFT
        a["x"] += dx
        a["y"] += dy
        a["z"] += dz
        return float(np.sqrt(a["x"] ** 2 + a["y"] ** 2 + a["z"] ** 2).sum())

    return {"build": build, "rows": rows, "vector": vector}


def _pyarrow() -> dict[str, Callable[..., Any]]:
    import pyarrow as pa
    import pyarrow.compute as pc

    def build(n: int) -> Any:
        x, y, z = _columns(n)
        return pa.table({"x": x, "y": y, "z": z})

    def rows(t: Any) -> float:  # immutable: the translated table is built anew
        dx, dy, dz = SHIFT
        xs, ys, zs = [], [], []
        for x, y, z in zip(t.column("x").to_pylist(), t.column("y").to_pylist(), t.column("z").to_pylist()):
            xs.append(x + dx)
            ys.append(y + dy)
            zs.append(z + dz)
        moved = pa.table({"x": xs, "y": ys, "z": zs})
        total = 0.0
        for x, y, z in zip(moved.column("x").to_pylist(), moved.column("y").to_pylist(), moved.column("z").to_pylist()):
            total += math.sqrt(x**2 + y**2 + z**2)
        return total

    def vector(t: Any) -> float:
        dx, dy, dz = SHIFT
        x, y, z = pc.add(t["x"], dx), pc.add(t["y"], dy), pc.add(t["z"], dz)
        sq = pc.add(pc.add(pc.multiply(x, x), pc.multiply(y, y)), pc.multiply(z, z))
        return float(pc.sum(pc.sqrt(sq)).as_py())

    return {"build": build, "rows": rows, "vector": vector}


def store(name: str) -> dict[str, Callable[..., Any]]:
    if name == "records":
        return _list_store(_record_class())
    if name == "slots":
        return _list_store(_slots_class())
    if name == "recordarray":
        return _recordarray()
    if name == "numpy":
        return _numpy()
    if name == "pyarrow":
        return _pyarrow()
    raise ValueError(f"unknown store {name!r} (known: {', '.join(STORES)})")


def measure(name: str, n: int) -> dict[str, Any]:
    try:
        ops = store(name)
    except ImportError as exc:
        return {"skipped": f"{exc.name or exc} is not installed"}
    ops["build"](1)  # imports and first-call costs outside the figures
    gc.collect()
    r0 = _rss()
    start = time.perf_counter()
    data = ops["build"](n)
    build = time.perf_counter() - start
    gc.collect()
    r1 = _rss()
    out: dict[str, Any] = {"build": build, "rss": (r1 - r0) / n if r0 else None}
    start = time.perf_counter()
    out["rows_sum"] = ops["rows"](data)
    out["rows"] = time.perf_counter() - start
    del data
    if "vector" in ops:
        fresh = ops["build"](n)  # the row pass moved the points: start from the same ones
        start = time.perf_counter()
        out["vector_sum"] = ops["vector"](fresh)
        out["vector"] = time.perf_counter() - start
        del fresh
    gc.collect()
    # Last, because tracing slows allocation and takes memory of its own: bytes per point.
    tracemalloc.start()
    t0 = tracemalloc.get_traced_memory()[0]
    data = ops["build"](n)
    gc.collect()
    out["traced"] = (tracemalloc.get_traced_memory()[0] - t0) / n
    tracemalloc.stop()
    return out


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    try:
        result = measure(args[0], int(args[1]))
    except Exception as exc:  # reported to the parent, which shows it in the table
        result = {"error": f"{type(exc).__name__}: {exc}"}
    sys.stdout.write(json.dumps(result) + "\n")
    return 1 if "error" in result else 0


if __name__ == "__main__":
    raise SystemExit(main())
