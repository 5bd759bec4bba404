"""What the benchmark reports: every figure's id, column header, unit and meaning, once."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    id: str
    header: str  # table column
    unit: str  # "B", "ns", "ms", "MB"
    table: str  # "memory", "construction", "access" or "program"
    description: str
    stmt: str | None = None  # the timeit statement (construction and access figures)
    writes: bool = False  # not available on immutable variants (namedtuple)


# The names the timeit statements use (see worker.time_namespace).
MEMORY = (
    Figure("point.bytes", "Point3D", "B", "memory",
           "tracemalloc bytes per Point3D over N instances; field values built beforehand"),
    Figure("point.bytes_values", "Point3D +values", "B", "memory",
           "tracemalloc bytes per Point3D(float(i), i*2.0, i*3.0), the fresh floats included"),
    Figure("point.getsizeof", "getsizeof(p)", "B", "memory", "sys.getsizeof of one Point3D"),
    Figure("employee.bytes", "Employee", "B", "memory",
           "tracemalloc bytes per Employee over N instances; field values built beforehand"),
    Figure("employee.bytes_values", "Employee +values", "B", "memory",
           "the article's method: Employee(f'Emp_{i}', f'E{i:04d}', 'Eng'), fresh strings included"),
    Figure("employee.getsizeof", "getsizeof(e)", "B", "memory", "sys.getsizeof of one Employee"),
)
OPERATIONS = (
    Figure("point.new", "P(a,b,c)", "ns", "construction", "construct a Point3D, positional",
           "P(a, b, c)"),
    Figure("point.new_kw", "P(x=..)", "ns", "construction", "construct a Point3D, keywords",
           "P(x=a, y=b, z=c)"),
    Figure("employee.new", "E(a,b,c)", "ns", "construction", "construct an Employee, positional",
           "E(s1, s2, s3)"),
    Figure("employee.new_kw", "E(name=..)", "ns", "construction", "construct an Employee, keywords",
           "E(name=s1, employee_id=s2, department=s3)"),
    Figure("employee.read", "e.name", "ns", "access", "read an object (str) field", "e.name"),
    Figure("employee.write", "e.name=", "ns", "access", "write a str field (checked by Record)",
           "e.name = s1", writes=True),
    Figure("box.write", "box.value=", "ns", "access", "write an unchecked object field",
           "box.value = s1", writes=True),
    Figure("point.read", "p.x", "ns", "access", "read a float field (unboxed in Record)", "p.x"),
    Figure("point.write", "p.x=", "ns", "access", "write a float field", "p.x = a",
           writes=True),
    Figure("point.distance_to", "p.dist(q)", "ns", "access", "call a method",
           "p.distance_to(q)"),
)
PROGRAM = (
    Figure("cloud.time", "point cloud", "ms", "program",
           "section 5 as a program: build N points, translate all, sum distances to the origin"),
    Figure("gc.time", "gc.collect()", "ms", "program", "one full gc.collect() with N Point3D alive"),
    Figure("rss.peak", "peak RSS", "MB", "program",
           "peak RSS of a process that builds N Point3D with values, minus one that builds none"),
    Figure("rss.per_point", "RSS/point", "B", "program", "the peak RSS difference divided by N"),
)
ALL = MEMORY + OPERATIONS + PROGRAM
BY_ID = {f.id: f for f in ALL}
TABLES = (
    ("memory", "Memory: bytes per instance", MEMORY),
    ("construction", "Construction, ns per instance (timeit loop overhead included)", OPERATIONS[:4]),
    ("access", "Attribute access and a method call, ns (timeit loop overhead included)", OPERATIONS[4:]),
    ("program", "Programs: point cloud, garbage collection, peak RSS", PROGRAM),
)
