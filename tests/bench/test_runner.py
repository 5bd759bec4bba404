"""The runner's handling of interpreters and workers, with a fake worker (nothing is measured)."""

from __future__ import annotations

from typing import Any

from slotkit.bench.results import ERROR, OK, SKIPPED
from slotkit.bench.runner import Runner, Settings, WorkerFailed
from slotkit.bench.worker import PROTOCOL

SETTINGS = Settings.create(quick=True, n=10, live=10, only=("slots",))


def test_an_interpreter_without_slotkit_is_skipped_with_the_reason() -> None:
    def worker(python: str, args: list[str], timeout: float) -> dict[str, Any]:
        raise WorkerFailed("No module named 'slotkit'")

    (run,) = Runner(SETTINGS, worker=worker).run_all(["/usr/bin/python3.12"])
    assert run.status == SKIPPED and "No module named 'slotkit'" in (run.reason or "")
    assert run.variants["slots"].status == SKIPPED


def test_an_interpreter_with_another_worker_protocol_is_skipped() -> None:
    def worker(python: str, args: list[str], timeout: float) -> dict[str, Any]:
        return {"info": {"python": "3.12.1"}, "unavailable": {}, "protocol": PROTOCOL - 1}

    (run,) = Runner(SETTINGS, worker=worker).run_all(["/old/python"])
    assert run.status == SKIPPED and "protocol" in (run.reason or "")


def test_an_unreadable_answer_marks_the_variant_as_error_and_the_run_goes_on() -> None:
    calls: list[str] = []

    def worker(python: str, args: list[str], timeout: float) -> dict[str, Any]:
        calls.append(args[1] if len(args) > 1 else args[0])
        if args == ["info"]:
            return {"info": {"python": "3.11.7"}, "unavailable": {}, "protocol": PROTOCOL}
        return {"something": "else"}

    (run,) = Runner(SETTINGS, worker=worker).run_all(["python"])
    assert run.status == OK
    assert run.variants["slots"].status == ERROR
    assert "unexpected worker answer" in (run.variants["slots"].reason or "")
    assert calls[:2] == ["info", "check"]
