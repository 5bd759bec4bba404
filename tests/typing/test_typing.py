"""Type checkers (mypy and pyright) understand Records through the hand-written stubs
(dataclass_transform), and the stubs match the built module (mypy.stubtest)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
import mypy  # noqa: E402,F401  (installed by scripts/test.sh; a missing mypy must fail, not skip)


def run(*args: str) -> subprocess.CompletedProcess[str]:
    # Run from this folder so mypy finds slotkit only where it is installed, not also as
    # ./python/slotkit of the source tree.
    env = {**os.environ, "MYPY_CACHE_DIR": str(ROOT / ".mypy_cache")}
    return subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True, cwd=HERE, env=env)


def test_article_examples_type_check_clean():
    result = run("mypy", "--strict", "--no-error-summary", str(HERE / "article_ok.py"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_mistakes_are_reported_on_the_marked_lines():
    source = (HERE / "article_errors.py").read_text().splitlines()
    expected = {i + 1 for i, line in enumerate(source) if "# E:" in line}
    result = run("mypy", "--no-error-summary", str(HERE / "article_errors.py"))
    reported = {int(m.group(1)) for m in re.finditer(r"article_errors\.py:(\d+): error", result.stdout)}
    assert reported == expected, result.stdout


def pyright(path: Path) -> subprocess.CompletedProcess[str]:
    # The pyright wheel on PyPI carries its own JavaScript bundle and runs on the machine's node.
    exe = Path(sys.executable).with_name("pyright")
    return subprocess.run(
        [str(exe), "--pythonpath", sys.executable, str(path)], capture_output=True, text=True, cwd=HERE
    )


def test_pyright_article_examples_clean():
    result = pyright(HERE / "article_ok.py")
    assert result.returncode == 0 and "0 errors" in result.stdout, result.stdout + result.stderr


def test_pyright_reports_the_mistakes_on_the_marked_lines():
    source = (HERE / "article_errors.py").read_text().splitlines()
    expected = {i + 1 for i, line in enumerate(source) if "# E:" in line}
    result = pyright(HERE / "article_errors.py")
    reported = {int(m.group(1)) for m in re.finditer(r"article_errors\.py:(\d+):\d+ - error", result.stdout)}
    assert reported == expected, result.stdout


def test_stubs_match_the_runtime():
    result = run("mypy.stubtest", "slotkit", "--mypy-config-file", str(HERE / "mypy.ini"), "--allowlist", str(HERE / "stubtest-allowlist.txt"), "--ignore-unused-allowlist")
    assert result.returncode == 0, result.stdout + result.stderr
