"""The Rust analyzer, called in-process: the plan as JSON, and applying a chosen subset."""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from slotkit._core import analyzer_main


class AnalyzerFailed(RuntimeError):
    pass


def _call(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = analyzer_main(argv)
    return code, out.getvalue(), err.getvalue()


def plan(paths: list[str], python: str | None) -> dict[str, Any]:
    """Every class ``fix`` could slot (safe and unsafe), as printed by ``fix --format json``."""
    argv = ["fix", *paths, "--format", "json"]
    if python:
        argv += ["--python", python]
    code, out, err = _call(argv)
    if code == 2 or not out.strip():
        raise AnalyzerFailed(err.strip() or "the analyzer printed no plan")
    data: dict[str, Any] = json.loads(out)
    return data


def apply(paths: list[str], python: str | None, chosen: dict[str, list[str]]) -> None:
    """Insert ``__slots__`` into exactly the classes of ``chosen`` (id -> slots)."""
    if not chosen:
        return
    request = {"classes": [{"id": i, "slots": s} for i, s in chosen.items()]}
    fd, name = tempfile.mkstemp(prefix="slotkit-plan-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(request, f)
        argv = ["fix", *paths, "--plan", name]
        if python:
            argv += ["--python", python]
        code, out, err = _call(argv)
    finally:
        Path(name).unlink(missing_ok=True)
    if code not in (0, 1):
        raise AnalyzerFailed((err or out).strip())
