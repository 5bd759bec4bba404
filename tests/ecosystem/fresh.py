"""Runs a script in a fresh interpreter under ``-X dev`` and ``PYTHONMALLOC=debug`` (freed memory
is overwritten, so a value used after it was freed shows as garbage or a crash): a crash is a
failed test with its signal, not a dead test run."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

_TESTS = str(Path(__file__).resolve().parents[1])


def run(code: str, *, timeout: float = 180) -> str:
    env = dict(os.environ, PYTHONFAULTHANDLER="1", PYTHONMALLOC="debug")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [_TESTS, env.get("PYTHONPATH")]))
    proc = subprocess.run(
        [sys.executable, "-X", "dev", "-c", textwrap.dedent(code)],
        capture_output=True, text=True, env=env, timeout=timeout,
    )
    assert proc.returncode == 0, f"exit {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr[-3000:]}"
    return proc.stdout
