"""Running the user's command and reading its result.

The command runs through the shell in the current directory, in its own process group.
``PYTEST_ADDOPTS`` gains ``--junitxml=<temporary file>``: when the command runs pytest
(directly, through ``python -m pytest``, tox, make...), its result is the set of failing
test ids with their error text. Otherwise (or if the report is missing) the result is
the exit code and the output.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path


@dataclasses.dataclass
class Outcome:
    returncode: int
    output: str
    seconds: float
    #: failing test id -> error text (message and traceback); None without a test report
    failures: dict[str, str] | None
    tests: int = 0
    timed_out: bool = False

    def summary(self) -> str:
        if self.timed_out:
            return "timed out"
        if self.failures is None:
            return f"exit code {self.returncode}"
        return f"{self.tests} {'test' if self.tests == 1 else 'tests'}, {len(self.failures)} failed"


def read_junit(path: Path) -> tuple[int, dict[str, str]] | None:
    """(number of tests, failing id -> text) from a JUnit XML report."""
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        return None
    failures: dict[str, str] = {}
    tests = 0
    for case in root.iter("testcase"):
        tests += 1
        classname, name = case.get("classname", ""), case.get("name", "")
        test_id = f"{classname}::{name}" if classname else name
        for kind in ("failure", "error"):
            for node in case.findall(kind):
                text = "\n".join(t for t in (node.get("message", ""), node.text or "") if t)
                failures[test_id] = (failures.get(test_id, "") + "\n" + text).strip()
    return tests, failures


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Stop the command and everything it started (its own process group)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()


def run(command: str, timeout: float | None = None, on_start: Callable[[int], None] | None = None) -> Outcome:
    """Run ``command`` once and collect its outcome."""
    with tempfile.TemporaryDirectory(prefix="slotkit-verify-") as tmp:
        report = Path(tmp) / "junit.xml"
        env = dict(os.environ)
        env["PYTEST_ADDOPTS"] = f"{env.get('PYTEST_ADDOPTS', '')} --junitxml={report}".strip()
        start = time.monotonic()
        proc = subprocess.Popen(
            command,
            shell=True,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        if on_start is not None:
            on_start(proc.pid)
        timed_out = False
        try:
            out, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            _kill_group(proc)
            out, _ = proc.communicate()
        except BaseException:
            _kill_group(proc)
            proc.wait()
            raise
        seconds = time.monotonic() - start
        text = out.decode("utf-8", "replace")
        parsed = read_junit(report) if report.is_file() else None
    tests, failures = parsed if parsed is not None else (0, None)
    return Outcome(proc.returncode, text, seconds, failures, tests, timed_out)


def baseline_problem(baseline: Outcome) -> str | None:
    """Why ``baseline`` cannot judge a fix, or None. A command that fails on the untouched
    tree as a whole (no test passes, or a plain command exits non-zero) would accept any edit."""
    if baseline.failures is not None:
        if baseline.tests == 0:
            return "the command ran no test on the untouched tree"
        if len(baseline.failures) >= baseline.tests:
            return f"no test passes on the untouched tree ({baseline.summary()})"
        return None
    if baseline.returncode != 0:
        return f"the command fails on the untouched tree (exit code {baseline.returncode})"
    return None


def tail(output: str, lines: int = 12) -> str:
    """The last ``lines`` non-empty lines of ``output``, indented."""
    kept = [line for line in output.splitlines() if line.strip()][-lines:]
    return "\n".join(f"    {line}" for line in kept)


@dataclasses.dataclass
class Verdict:
    same: bool
    #: test id (or a pseudo id) -> error text, for what is new compared to the baseline
    new: dict[str, str]


def compare(baseline: Outcome, now: Outcome) -> Verdict:
    """Is ``now`` the baseline's result (no new failure)?"""
    if now.timed_out and not baseline.timed_out:
        return Verdict(False, {"<timeout>": now.output[-4000:]})
    if baseline.failures is not None and now.failures is not None:
        new = {t: text for t, text in now.failures.items() if t not in baseline.failures}
        # pytest exit codes: 0 passed, 1 tests failed, 2+ interrupted/internal/usage/none collected
        if not new and now.returncode not in (0, 1) and now.returncode != baseline.returncode:
            new = {f"<exit code {now.returncode}>": now.output[-4000:]}
        return Verdict(not new, new)
    if now.returncode == baseline.returncode:
        return Verdict(True, {})
    return Verdict(False, {f"<exit code {now.returncode}>": now.output[-8000:]})
