"""``slotkit census``: runs a program unchanged and reports; ``--compare``; bad input."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

PROGRAM = textwrap.dedent("""
    import sys
    import slotkit

    class Node:
        def __init__(self, i):
            self.weight = i * 0.5
            self.index = i

    nodes = [Node(i) for i in range(5000)]
    print("out:", len(nodes))
    print("err", file=sys.stderr)
    if "--call" in sys.argv:
        slotkit.census()
    sys.exit(int(sys.argv[1]))
""")


# a hang guard, not a speed check: the census must finish (a blow-up in the analyzer it runs
# once hung the whole test run)
HANG = 300


def run_bounded(*args, **kwargs):
    kwargs.setdefault("timeout", HANG)
    return subprocess.run(*args, **kwargs)


def slotkit_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "slotkit", "census", *args]


@pytest.fixture
def program(tmp_path: Path) -> Path:
    p = tmp_path / "prog.py"
    p.write_text(PROGRAM)
    return p


def test_program_output_and_exit_status_are_unchanged(program, tmp_path):
    plain = run_bounded([sys.executable, str(program), "7"], capture_output=True, text=True)
    out = tmp_path / "c.json"
    run = run_bounded(slotkit_cmd("--json", str(out), "--", sys.executable, str(program), "7"),
                         capture_output=True, text=True)
    assert run.returncode == plain.returncode == 7
    assert run.stdout == plain.stdout
    assert run.stderr.startswith(plain.stderr)
    assert "slotkit census (exit" in run.stderr and "__main__.Node" in run.stderr
    data = json.loads(out.read_text())
    row = next(r for r in data["rows"] if r["class"] == "__main__.Node")
    assert row["count"] == 5000
    assert row["source"] == f"{program}:5"
    assert row["check"]["verdict"] == "safe"
    assert {a["name"]: a["record_kind"] for a in row["attributes"]} == {"weight": "f64", "index": "i64"}


def test_script_and_module_forms(program, tmp_path):
    run = run_bounded(slotkit_cmd("--quiet", str(program), "0"), capture_output=True, text=True)
    assert run.returncode == 0 and run.stdout == "out: 5000\n" and "slotkit census" not in run.stderr
    pkg = tmp_path / "pkgdemo"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "main.py").write_text(PROGRAM)
    out = tmp_path / "m.json"
    run = run_bounded(slotkit_cmd("--quiet", "--json", str(out), "-m", "pkgdemo.main", "3"),
                         capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 3 and run.stdout == "out: 5000\n"
    row = next(r for r in json.loads(out.read_text())["rows"] if r["class"] == "__main__.Node")
    assert row["source"] == f"{pkg / 'main.py'}:5"


def test_each_census_call_is_kept(program, tmp_path):
    out = tmp_path / "c.json"
    run = run_bounded(slotkit_cmd("--quiet", "--json", str(out), str(program), "0", "--call"),
                         capture_output=True, text=True)
    assert run.returncode == 0
    reasons = [json.loads((tmp_path / f"c-{n}.json").read_text())["reason"] for n in (1, 2)]
    assert reasons == ["call", "exit"]
    assert json.loads(out.read_text())["reason"] == "exit"


@pytest.mark.skipif(not hasattr(signal, "SIGUSR1"), reason="no SIGUSR1 on this platform")
def test_sigusr1_takes_a_census(tmp_path):
    prog = tmp_path / "wait.py"
    flag = tmp_path / "ready"
    prog.write_text(textwrap.dedent(f"""
        import os, time
        class Item:
            def __init__(self): self.a = 1
        items = [Item() for _ in range(100)]
        open({str(flag)!r}, "w").close()
        while not os.path.exists({str(tmp_path / 'stop')!r}):
            time.sleep(0.05)
    """))
    out = tmp_path / "s.json"
    proc = subprocess.Popen(slotkit_cmd("--quiet", "--json", str(out), str(prog)),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for _ in range(400):
        if flag.exists():
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGUSR1)  # to the slotkit process: forwarded to the program
    # the program records the census before it sees the stop file (the handler runs between
    # two of its bytecodes); give the walk time on a loaded machine
    time.sleep(3.0)
    (tmp_path / "stop").write_text("")
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0
    assert "census taken (SIGUSR1)" in err
    assert [json.loads((tmp_path / f"s-{n}.json").read_text())["reason"] for n in (1, 2)] == ["signal", "exit"]


def test_compare(program, tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    run_bounded(slotkit_cmd("--quiet", "--json", str(a), str(program), "0"), check=True, capture_output=True)
    smaller = tmp_path / "small.py"
    smaller.write_text(PROGRAM.replace("range(5000)", "range(1000)"))
    run_bounded(slotkit_cmd("--quiet", "--json", str(b), str(smaller), "0"), check=True, capture_output=True)
    run = run_bounded(slotkit_cmd("--compare", str(a), str(b)), capture_output=True, text=True)
    assert run.returncode == 0
    line = next(x for x in run.stdout.splitlines() if x.startswith("__main__.Node"))
    assert "5,000" in line and "1,000" in line
    grew = run_bounded(slotkit_cmd("--compare", str(b), str(a), "--max-growth", "1"), capture_output=True, text=True)
    assert grew.returncode == 1 and "more than --max-growth" in grew.stderr


@pytest.mark.parametrize("args, message", [
    (["--compare", "nope.json", "nope2.json"], "no such file"),
    (["--json", "/nonexistent-dir/x.json", "--", sys.executable, "x.py"], "does not exist"),
    (["--plot", "out.txt", "--", sys.executable, "x.py"], "not an image format"),
    (["--", sys.executable, "missing_script.py"], "no such file"),
    (["--", sys.executable, "-c", "pass"], "-c is not supported"),
    (["--top", "zero", "x.py"], "positive whole number"),
    (["--frobnicate"], "unknown option"),
    ([], "no program given"),
])
def test_bad_input_is_a_clear_error(args, message, tmp_path):
    run = run_bounded(slotkit_cmd(*args), capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 2
    assert message in run.stderr
    assert "Traceback" not in run.stderr


def test_plot(program, tmp_path):
    png = tmp_path / "c.png"
    run = run_bounded(slotkit_cmd("--quiet", "--plot", str(png), str(program), "0"), capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_compare_refuses_a_file_that_is_not_a_census(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("not json")
    run = run_bounded(slotkit_cmd("--compare", str(bad), str(bad)), capture_output=True, text=True)
    assert run.returncode == 2 and "Traceback" not in run.stderr
