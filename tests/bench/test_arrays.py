"""The point cloud at scale (slotkit.bench.arrays): every store computes the reference sums,
holds what it should, and the report shows skipped and wrong results as such."""

from __future__ import annotations

import math

import pytest

from slotkit.bench import arrays, arrays_report
from slotkit.bench.cli import parser
from slotkit.bench.workloads import expected_cloud_sum


@pytest.mark.parametrize("store", ["records", "slots", "recordarray", "numpy"])
def test_every_store_computes_the_reference(store):
    r = arrays.measure(store, 2000)
    expected = expected_cloud_sum(2000)
    assert r["rows_sum"] == expected  # same order of additions as the reference
    if "vector_sum" in r:
        assert math.isclose(r["vector_sum"], expected, rel_tol=1e-12)
    assert r["build"] > 0 and r["rows"] > 0
    if store in ("recordarray", "numpy"):
        assert abs(r["traced"] - 24) < 1
    if store == "records":
        assert 40 <= r["traced"] < 60


def test_pyarrow_store_or_its_reason():
    r = arrays.measure("pyarrow", 2000)
    if "skipped" in r:
        assert "pyarrow" in r["skipped"]
    else:
        assert math.isclose(r["vector_sum"], expected_cloud_sum(2000), rel_tol=1e-12)


def test_unknown_store():
    with pytest.raises(ValueError, match="unknown store"):
        arrays.store("nope")


def test_rows_show_ratios_and_failures():
    results = [
        {"n": 10, "store": "slots", "label": "slots", "status": "ok", "traced": 136.0, "rss": 168.0,
         "build": 2.0, "rows": 1.0},
        {"n": 10, "store": "recordarray", "label": "RA", "status": "ok", "traced": 24.0, "rss": None,
         "build": 0.001, "rows": 2.0, "vector": 0.005},
        {"n": 10, "store": "pyarrow", "label": "pa", "status": "skipped", "skipped": "pyarrow is not installed"},
    ]
    rows = dict(arrays_report.rows_for(results))
    assert rows["RA"][1] == ("24.0", "×0.18") and rows["RA"][2] == ("—", "")
    assert rows["RA"][3] == ("1.00 ms", "×0.001") and rows["RA"][5] == ("5.00 ms", "×0.005")
    assert rows["pa"][1][0] == "skipped" and "not installed" in rows["pa"][2][0]
    md = arrays_report.markdown_arrays(results)
    assert "| RA | 10 | 24.0 (×0.18) |" in md


def test_run_arrays_marks_wrong_sums(monkeypatch):
    monkeypatch.setattr(arrays_report, "run_store", lambda python, store, n: {"build": 1.0, "traced": 24.0, "rss": 24.0,
                                                                           "rows": 1.0, "rows_sum": 1.0})
    from slotkit.bench.runner import NoProgress

    found = arrays_report.run_arrays("python", (5,), NoProgress())
    assert {r["status"] for r in found} == {"WRONG"}
    assert "rows_sum" in found[0]["error"]


def test_cli_sizes_option():
    assert parser().parse_args(["--arrays", "1_000,20000"]).arrays == (1000, 20000)
    assert parser().parse_args(["--no-arrays"]).no_arrays
    with pytest.raises(SystemExit):
        parser().parse_args(["--arrays", "0"])
