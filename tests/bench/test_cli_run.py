"""`slotkit bench` as a user runs it: real commands in a subprocess.

Bad options and bad output paths must fail with exit status 2 and one clear message *before*
anything is measured: stderr is piped here, so a started run would print its plain progress lines.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import slotkit.bench
from slotkit.bench.cli import NO_MATPLOTLIB

SOURCE = str(Path(slotkit.bench.__file__).resolve().parents[2])
HAVE_MATPLOTLIB = importlib.util.find_spec("matplotlib") is not None
PROGRESS_LINE = re.compile(r"^\[\s*\d+/\d+ \d+:\d\d\] ", re.M)
TINY = ["--quick", "--n", "200", "--live", "500", "--only", "slots", "--no-arrays"]


def slotkit(*args: str, pythonpath: str | None = None) -> subprocess.CompletedProcess[str]:
    path = (pythonpath, SOURCE, os.environ.get("PYTHONPATH"))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in path if p))
    env.pop("COLUMNS", None)
    return subprocess.run([sys.executable, "-m", "slotkit", *args], capture_output=True, text=True, env=env,
                          timeout=300)


def refused(proc: subprocess.CompletedProcess[str], message: str) -> None:
    assert proc.returncode == 2, proc.stderr
    assert f"slotkit bench: error: {message}" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
    assert not PROGRESS_LINE.search(proc.stderr) and proc.stdout == ""  # no progress, no table: nothing measured


@pytest.mark.parametrize("option", ["--json", "--markdown", "--plot"])
def test_output_into_a_missing_folder_fails_before_measuring(option: str, tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / ("out.png" if option == "--plot" else "out")
    refused(slotkit("bench", *TINY, option, str(target)),
            f"{option} {target}: the folder {target.parent} does not exist; create it first")
    assert not target.parent.exists()


def test_plot_in_a_format_matplotlib_cannot_write(tmp_path: Path) -> None:
    proc = slotkit("bench", *TINY, "--plot", str(tmp_path / "p.txt"))
    refused(proc, f"--plot {tmp_path / 'p.txt'}: '.txt' is not an image format matplotlib can write; use one of:")
    assert ".png" in proc.stderr and ".svg" in proc.stderr
    assert not (tmp_path / "p.txt").exists()


def test_output_that_is_a_folder_or_twice_the_same_file(tmp_path: Path) -> None:
    refused(slotkit("bench", *TINY, "--markdown", str(tmp_path)), f"--markdown {tmp_path}: is a directory")
    same = tmp_path / "out"
    refused(slotkit("bench", *TINY, "--json", str(same), "--markdown", str(same)),
            f"--json and --markdown name the same file, {same}")


@pytest.mark.parametrize(("value", "message"), [
    ("abc", "argument --n: expected a whole number such as 10000 or 10_000, got 'abc'"),
    ("0", "argument --n: must be at least 1, got '0'"),
])
def test_bad_numbers(value: str, message: str) -> None:
    refused(slotkit("bench", *TINY, "--n", value), message)


def test_python_that_does_not_exist(tmp_path: Path) -> None:
    missing = tmp_path / "bin" / "python3.99"
    refused(slotkit("bench", *TINY, "--python", str(missing)), f"--python {missing}: no such file")
    refused(slotkit("bench", *TINY, "--python", "python3.99-nope"),
            "--python python3.99-nope: no such command on PATH; give the interpreter's path")


def test_interpreter_that_cannot_run_the_bench_exits_1_and_says_why() -> None:
    proc = slotkit("bench", *TINY, "--python", "/bin/false")
    assert proc.returncode == 1, proc.stderr
    assert "slotkit bench: /bin/false could not run the benchmark: slotkit.bench not importable there" in proc.stderr
    assert "__slots__ class" in proc.stdout  # this interpreter's results are still shown


def test_plot_without_matplotlib_is_refused_before_measuring(tmp_path: Path) -> None:
    if HAVE_MATPLOTLIB:  # what a user without the [bench] extra gets; simulated by hiding matplotlib
        (tmp_path / "matplotlib.py").write_text("raise ImportError('hidden by the test')\n")
    proc = slotkit("bench", *TINY, "--plot", str(tmp_path / "p.png"), pythonpath=str(tmp_path))
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.strip() == NO_MATPLOTLIB
    assert not (tmp_path / "p.png").exists()


def test_piped_run_prints_a_progress_line_per_step_and_writes_every_output(tmp_path: Path) -> None:
    out, md, png = tmp_path / "r.json", tmp_path / "r.md", tmp_path / "r.png"
    plot = ["--plot", str(png)] if HAVE_MATPLOTLIB else []  # without it: the test above
    proc = slotkit("bench", *TINY, "--json", str(out), "--markdown", str(md), *plot)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.splitlines()
    assert all(PROGRESS_LINE.match(line) for line in lines)
    assert lines[0].startswith("[1/1 0:00] ") and "which variants can run" in lines[0]
    assert any(line.startswith("[1/") and "correctness · __slots__ class" in line for line in lines)
    assert any("point cloud + gc.collect, 500 points, round 1/1 · __slots__ class" in line for line in lines)
    assert json.loads(out.read_text())["runs"][0]["settings"]["live"] == 500
    assert "| `__slots__` class |" in md.read_text()
    assert not HAVE_MATPLOTLIB or png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert max(len(line) for line in proc.stdout.splitlines()) <= 100  # piped: the fixed width


def test_help_names_the_article() -> None:
    proc = slotkit("bench", "--help")
    assert proc.returncode == 0
    text = " ".join(proc.stdout.split())
    assert '"Memory Optimization in Python: How slots Works" by Abhay Palakkode' in text
