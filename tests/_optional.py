"""Optional test dependencies, declared once in ``tests/requirements/*.txt``.

``need(name)`` returns the imported module. It skips the calling test only when the
requirement's environment marker excludes this interpreter (no wheel exists for it), and fails
loudly when the marker includes this interpreter but the import fails.
"""

from __future__ import annotations

import importlib
from functools import cache
from pathlib import Path

import pytest
from packaging.requirements import Requirement

_FOLDER = Path(__file__).parent / "requirements"


@cache
def _requirements() -> dict[str, tuple[Requirement, str]]:
    found: dict[str, tuple[Requirement, str]] = {}
    for path in sorted(_FOLDER.glob("*.txt")):
        for line in path.read_text().splitlines():
            line = line.split(" #", 1)[0].strip()
            if not line or line.startswith(("#", "-")):
                continue
            req = Requirement(line)
            found[req.name.lower().replace("_", "-")] = (req, path.name)
    return found


def need(module: str, *, dist: str | None = None):
    """Import ``module`` (from distribution ``dist``, default the module's name)."""
    key = (dist or module.split(".")[0]).lower().replace("_", "-")
    entry = _requirements().get(key)
    if entry is None:
        raise AssertionError(f"{key} is not declared in tests/requirements/*.txt")
    req, file = entry
    if req.marker is not None and not req.marker.evaluate():
        pytest.skip(f"{key} is not installed for this Python ({file}: {req.marker})")
    try:
        return importlib.import_module(module)
    except ImportError as exc:  # declared for this interpreter: its absence is a failure
        raise AssertionError(f"{key} is declared for this Python in {file} but fails to import: {exc}")
