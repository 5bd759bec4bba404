"""Output paths and --python, checked before a run; and a write that still fails after the run."""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path
from typing import Callable

import pytest
from rich.console import Console

from slotkit.bench.cli import write_outputs
from slotkit.bench.outputs import BadArgument, check_outputs, check_python
from slotkit.bench.results import Run


def test_good_paths_pass(tmp_path: Path) -> None:
    check_outputs(tmp_path / "r.json", tmp_path / "r.md", tmp_path / "r.svg")
    check_outputs(None, None, None)
    assert not list(tmp_path.iterdir())  # checking creates nothing


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"json": Path("/nonexistent-dir/r.json")}, "--json /nonexistent-dir/r.json: the folder /nonexistent-dir does not exist"),
    ({"plot": Path("p.txt")}, "--plot p.txt: '.txt' is not an image format matplotlib can write"),
    ({"plot": Path("plot")}, "--plot plot: no suffix is not an image format"),
])
def test_bad_paths(kwargs: dict[str, Path], message: str) -> None:
    args = {"json": None, "markdown": None, "plot": None, **kwargs}
    with pytest.raises(BadArgument, match="^" + message.replace(".", r"\.").replace("(", r"\(")):
        check_outputs(**args)


def test_a_file_in_place_of_a_folder(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    with pytest.raises(BadArgument, match="is not a folder"):
        check_outputs(tmp_path / "file" / "r.json", None, None)


def test_python_names() -> None:
    assert check_python(sys.executable) == sys.executable
    assert check_python("python3") == "python3"  # found on PATH, kept as given
    with pytest.raises(BadArgument, match="is a directory"):
        check_python(os.path.dirname(sys.executable))


def test_a_write_that_fails_after_the_run_keeps_the_others(tmp_path: Path, synthetic_run: Callable[..., Run],
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    gone = tmp_path / "gone" / "r.json"  # its folder vanished during the run
    args = argparse.Namespace(json=gone, markdown=tmp_path / "r.md", plot=None)
    console = Console(file=io.StringIO(), width=300)
    assert write_outputs(args, [synthetic_run()], "slotkit bench", console) is False
    assert f"slotkit bench: could not write {gone}: " in capsys.readouterr().err
    assert "| `__slots__` class |" in (tmp_path / "r.md").read_text()
    assert f"wrote {tmp_path / 'r.md'}" in console.file.getvalue()  # type: ignore[attr-defined]
