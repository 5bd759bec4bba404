"""The Arrow PyCapsule interface both ways: pyarrow, polars and DuckDB read a RecordArray
without copying its buffers (addresses asserted), and RecordArray.from_arrow reads theirs with
the fields' checks."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from _optional import need

from array_classes import Point3D, Reading, Tagged, reading

from slotkit import Record, RecordArray


def cloud(n: int = 100):
    pts = Point3D.array()
    pts.extend_columns(x=np.arange(n, dtype=float), y=np.arange(n, dtype=float) * 2, z=np.full(n, 0.5))
    return pts


def address(pts, name):
    return pts.column(name).__array_interface__["data"][0]


def test_pyarrow_table_shares_the_buffers():
    pa = need("pyarrow")
    pts = cloud()
    table = pa.table(pts)
    assert table.schema == pa.schema([pa.field(n, pa.float64(), nullable=False) for n in "xyz"])
    for name in "xyz":
        (chunk,) = table.column(name).chunks
        assert chunk.buffers()[1].address == address(pts, name)
    assert pts.exports >= 1
    with pytest.raises(BufferError):
        pts.append(Point3D(0.0, 0.0, 0.0))
    pts.x[0] = 123.0  # shared memory: Arrow sees in-place writes
    assert table.column("x")[0].as_py() == 123.0
    del table, chunk
    assert pts.exports == 0
    pts.append(Point3D(0.0, 0.0, 0.0))


def test_record_batch_through_c_array():
    pa = need("pyarrow")
    pts = cloud(10)
    batch = pa.record_batch(pts)
    assert batch.num_rows == 10 and batch.column(1).buffers()[1].address == address(pts, "y")


def test_every_storage_to_pyarrow_and_back():
    pa = need("pyarrow")
    arr = Reading.array()
    rows = [reading(i) for i in range(50)]
    arr.extend(rows)
    table = pa.table(arr)
    types = {f.name: (f.type, f.nullable) for f in table.schema}
    assert types["sensor"] == (pa.large_string(), False)
    assert types["raw"] == (pa.large_binary(), False)
    assert types["count"] == (pa.int64(), False)
    assert types["ok"] == (pa.bool_(), False)
    assert types["note"] == (pa.large_string(), True)
    assert table.to_pylist() == [dict(zip(arr.field_names, (getattr(r, n) for n in arr.field_names))) for r in rows]
    (chunk,) = table.column("sensor").chunks
    assert chunk.buffers()[2].address != 0
    back = RecordArray.from_arrow(table, Reading)
    assert list(back) == rows
    # Arrow's own string/int32 layouts and slices (offsets) are read too.
    small = table.slice(5, 10).cast(
        pa.schema([pa.field(n, pa.string() if t == pa.large_string() else t) for n, (t, _) in types.items()])
    )
    assert list(RecordArray.from_arrow(small, Reading)) == rows[5:15]


def test_from_arrow_checks_and_writes_nothing_on_error():
    pa = need("pyarrow")
    pts = cloud(3)
    with pytest.raises(ValueError, match="Point3D.z has no column"):
        pts.extend_arrow(pa.table({"x": [1.0], "y": [2.0]}))
    with pytest.raises(ValueError, match="Point3D.y does not take None"):
        pts.extend_arrow(pa.table({"x": [1.0, 2.0], "y": [2.0, None], "z": [0.0, 0.0]}))
    with pytest.raises(TypeError, match="Point3D.x expects float, got an Arrow column of format 'u'"):
        pts.extend_arrow(pa.table({"x": ["a"], "y": [2.0], "z": [0.0]}))
    # A bad value in the second batch: the first is not appended either.
    good = pa.record_batch({"x": [1.0], "y": [1.0], "z": [1.0]})
    bad = pa.record_batch({"x": pa.array([1.0]), "y": pa.array([None], pa.float64()), "z": pa.array([1.0])})
    with pytest.raises(ValueError):
        pts.extend_arrow(pa.Table.from_batches([good, bad.cast(good.schema)]))
    assert len(pts) == 3

    class I(Record):
        i: int

    with pytest.raises(OverflowError):
        RecordArray.from_arrow(pa.table({"i": pa.array([2**63], pa.uint64())}), I)
    ints = RecordArray.from_arrow(pa.table({"i": pa.array([1, 2], pa.int32()), "extra": [0, 0]}), I)
    assert [r.i for r in ints] == [1, 2]


def test_object_columns_do_not_export():
    need("pyarrow")
    arr = Tagged.array()
    arr.append(Tagged(1.0, object()))
    with pytest.raises(TypeError, match="Tagged.payload holds arbitrary Python objects"):
        arr.__arrow_c_stream__()
    assert arr.exports == 0


def test_polars_both_ways():
    pl = need("polars")
    pts = cloud()
    df = pl.DataFrame(pts)
    assert df.shape == (100, 3) and df["y"].sum() == pts.y.sum()
    assert df["x"].to_numpy().__array_interface__["data"][0] == address(pts, "x")
    back = RecordArray.from_arrow(df, Point3D)
    assert back == pts
    arr = Reading.array()
    arr.extend(reading(i) for i in range(20))
    df2 = pl.DataFrame(arr)
    assert df2["note"].to_list() == arr.column_list("note")
    assert list(RecordArray.from_arrow(df2, Reading)) == list(arr)  # polars strings are views


def test_duckdb_both_ways():
    duckdb = need("duckdb")
    pts = cloud()
    con = duckdb.connect()
    con.register("pts", pts)
    assert con.sql("select count(*), sum(y) from pts").fetchall() == [(100, float(pts.y.sum()))]
    result = con.sql("select x, y, z from pts where x >= 90 order by x desc")
    back = RecordArray.from_arrow(result.arrow(), Point3D)
    assert [p.x for p in back] == [float(v) for v in range(99, 89, -1)]
    arr = Reading.array()
    arr.extend(reading(i) for i in range(20))
    con.register("readings", arr)
    rel = con.sql("select * from readings")
    assert list(RecordArray.from_arrow(rel.arrow(), Reading)) == list(arr)


def test_dask_dataframe_from_the_arrow_table():
    pa = need("pyarrow")
    dd = need("dask.dataframe", dist="dask")
    pts = cloud(1000)
    ddf = dd.from_pandas(pa.table(pts).to_pandas(), npartitions=4)
    assert ddf.npartitions == 4
    assert float(ddf.x.sum().compute()) == float(pts.x.sum())
    far = ddf[ddf.x > 500].compute()
    back = RecordArray.from_arrow(pa.Table.from_pandas(far, preserve_index=False), Point3D)
    assert len(back) == 499 and back[0] == pts[501]


def test_parquet_through_pyarrow(tmp_path):
    pa = need("pyarrow")
    pq = need("pyarrow.parquet", dist="pyarrow")
    arr = Reading.array()
    arr.extend(reading(i) for i in range(25))
    path = tmp_path / "readings.parquet"
    pq.write_table(pa.table(arr), path)
    assert RecordArray.from_arrow(pq.read_table(path), Reading) == arr


def test_empty_arrays_both_ways():
    pa = need("pyarrow")
    arr = Reading.array()
    table = pa.table(arr)
    assert table.num_rows == 0 and table.schema.names == list(arr.field_names)
    assert len(RecordArray.from_arrow(table, Reading)) == 0
    del table
    arr.append(reading(1))
    assert list(RecordArray.from_arrow(pa.table(arr), Reading)) == [reading(1)]


def test_bad_arrow_inputs_are_refused_clearly():
    pa = need("pyarrow")
    pts = cloud(2)
    with pytest.raises(TypeError, match="expected a table or struct array, got Arrow format 'g'"):
        pts.extend_arrow(pa.chunked_array([[1.0]]))
    with pytest.raises(TypeError, match="needs an object with __arrow_c_stream__ or __arrow_c_array__, got int"):
        RecordArray.from_arrow(42, Point3D)
    with pytest.raises(ValueError, match="PyCapsule"):
        pts._extend_arrow_stream(object())
    with pytest.raises(ValueError, match="PyCapsule"):  # a capsule of another kind
        pts._extend_arrow_stream(pa.table(cloud(1)).schema.__arrow_c_schema__())
    assert len(pts) == 2


def test_sliced_tables_and_int_range_on_the_copy_path():
    pa = need("pyarrow")
    pts = cloud(10)
    table = pa.table(pts)
    assert RecordArray.from_arrow(table.slice(3, 4), Point3D) == pts[3:7]

    class I(Record):
        i: int

    ints = pa.table({"i": pa.array(np.arange(10, dtype=np.int64))})
    assert [r.i for r in RecordArray.from_arrow(ints.slice(6), I)] == [6, 7, 8, 9]
    with pytest.raises(OverflowError, match=r"I.i: -9223372036854775808 \(row 1\)"):
        RecordArray.from_arrow(pa.table({"i": pa.array([1, -(2**63)], pa.int64())}), I)


def test_import_is_zero_copy_until_written():
    pa = need("pyarrow")

    def address(table, name):
        return table.column(name).chunks[0].buffers()[1].address

    class M(Record):
        x: float
        n: int
        s: str

    source = pa.table({"x": pa.array([1.0, 2.0, 3.0]), "n": pa.array([1, 2, 3]), "s": ["a", "b", "c"]})
    arr = RecordArray.from_arrow(source, M)
    again = pa.table(arr)  # float64 and int64 columns still point into the source's buffers
    assert address(again, "x") == address(source, "x") and address(again, "n") == address(source, "n")
    x = arr.x  # a writable view needs own memory: the column is copied now
    assert x.__array_interface__["data"][0] != address(source, "x")
    x[0] = 99.0
    assert source.column("x")[0].as_py() == 1.0 and again.column("x")[0].as_py() == 1.0
    assert arr[0] == M(99.0, 1, "a")
    del x, again
    arr[1] = M(5.0, 5, "e")  # in-place writes copy the other columns too
    arr.append(M(4.0, 4, "d"))
    assert source.column("n").to_pylist() == [1, 2, 3]
    assert list(arr) == [M(99.0, 1, "a"), M(5.0, 5, "e"), M(3.0, 3, "c"), M(4.0, 4, "d")]


def test_imported_buffers_are_released():
    pa = need("pyarrow")
    before = pa.total_allocated_bytes()
    n = 100_000  # built from Python values: in pyarrow's memory pool, which counts them
    source = pa.table({"x": pa.array(range(n), pa.float64()), "y": pa.array([1.0] * n), "z": pa.array([0.0] * n)})
    assert pa.total_allocated_bytes() > before
    arr = RecordArray.from_arrow(source, Point3D)
    del source
    assert pa.total_allocated_bytes() > before  # kept alive by the array
    assert arr[99_999] == Point3D(99_999.0, 1.0, 0.0)
    del arr
    assert pa.total_allocated_bytes() == before


def test_exports_alive_at_interpreter_exit():
    need("pyarrow")
    code = (
        "import pyarrow as pa, numpy as np\n"
        "from slotkit import Record, RecordArray\n"
        "class P(Record):\n    x: float\n"
        "a = P.array(); a.extend_columns(x=np.arange(5.0))\n"
        "t = pa.table(a); b = RecordArray.from_arrow(t, P); t2 = pa.table(b)\n"
        "holder = {'t': t, 't2': t2, 'a': a, 'b': b}\n"  # freed by the last collection at exit
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0 and r.stderr == "", r.stderr
