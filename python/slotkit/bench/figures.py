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
    Figure("point.bytes", "instance", "B", "memory",
           "tracemalloc bytes per Point3D over N instances; field values built beforehand"),
    Figure("point.bytes_values", "+values", "B", "memory",
           "tracemalloc bytes per Point3D(float(i), i*2.0, i*3.0), the fresh floats included"),
    Figure("point.getsizeof", "getsizeof", "B", "memory", "sys.getsizeof of one Point3D"),
    Figure("employee.bytes", "instance", "B", "memory",
           "tracemalloc bytes per Employee over N instances; field values built beforehand"),
    Figure("employee.bytes_values", "+values", "B", "memory",
           "the article's method: Employee(f'Emp_{i}', f'E{i:04d}', 'Eng'), fresh strings included"),
    Figure("employee.getsizeof", "getsizeof", "B", "memory", "sys.getsizeof of one Employee"),
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


@dataclass(frozen=True)
class Group:
    """One result table: few enough columns to fit an 80-column terminal, with a legend for them."""

    key: str
    title: str
    figures: tuple[Figure, ...]
    legend: str
    unit: str | None  # the unit of every cell, named in the title; None: each cell names its own


TABLES = (
    Group("memory.point", "Memory: Point3D(x, y, z), bytes per instance", MEMORY[:3],
          "instance: the instance alone, values built beforehand (tracemalloc over N) · "
          "+values: with its 3 fresh floats · getsizeof: sys.getsizeof(p)", "B"),
    Group("memory.employee", "Memory: Employee(name, employee_id, department), bytes per instance", MEMORY[3:],
          "instance: the instance alone, values shared (tracemalloc over N) · "
          "+values: with its 3 fresh strings (the article's method) · getsizeof: sys.getsizeof(e)", "B"),
    Group("construction", "Construction, ns per call", OPERATIONS[:4],
          "P: Point3D, E: Employee; positional, then keywords; timeit loop overhead included", "ns"),
    Group("access.object", "Object fields, ns per operation", OPERATIONS[4:7],
          "e.name: read a str field · e.name=: write it (type-checked by Record) · "
          "box.value=: write an unchecked object field; timeit loop overhead included", "ns"),
    Group("access.float", "Float fields and a method call, ns per operation", OPERATIONS[7:],
          "p.x: read a float field (unboxed in Record) · p.x=: write it · p.dist(q): p.distance_to(q); "
          "timeit loop overhead included", "ns"),
    Group("program", "Programs with the --live points", PROGRAM,
          "point cloud: build, translate and sum the points (section 5) · gc.collect(): one full collection "
          "with them alive · peak RSS: building them, minus a process that builds none", None),
)
