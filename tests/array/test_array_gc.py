"""Object columns hold references the cycle collector sees: cycles through an array are
collected; the whole API runs clean under -X dev."""

from __future__ import annotations

import gc
import subprocess
import sys
import weakref
from pathlib import Path

from array_classes import Tagged


class Box:
    pass


def test_cycle_through_an_object_column_is_collected():
    arr = Tagged.array()
    box = Box()
    box.arr = arr
    arr.append(Tagged(1.0, box))
    ref = weakref.ref(box)
    assert gc.is_tracked(arr)
    assert any(r is box for r in gc.get_referents(arr))
    del arr, box
    gc.collect()
    assert ref() is None


def test_self_referencing_array_is_collected():
    log = []

    class Sentinel:
        def __del__(self):
            log.append("gone")

    arr = Tagged.array()
    arr.append(Tagged(0.0, arr))
    arr.append(Tagged(1.0, Sentinel()))
    del arr
    gc.collect()
    assert log == ["gone"]


def test_dev_mode_run_is_clean():
    script = Path(__file__).with_name("array_devmode_script.py")
    r = subprocess.run([sys.executable, "-X", "dev", "-W", "error", str(script)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "ok"
    assert r.stderr == ""
