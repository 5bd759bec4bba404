"""Exactness: a RecordArray of Point3D costs 24 bytes per row (3 x float64) at 10M rows,
measured with tracemalloc and RSS in a fresh process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("array_memory_script.py")
ROWS = 10_000_000


def measure(mode: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, str(SCRIPT), mode, str(ROWS)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["columns", "append"])
def test_ten_million_points_cost_24_bytes_each(mode):
    m = measure(mode)
    assert m["nbytes"] == 24.0
    assert abs(m["traced"] - 24) / 24 < 0.02, m
    assert abs(m["rss"] - 24) / 24 < 0.02, m
