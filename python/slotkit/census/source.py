"""Where a class is defined, and what ``slotkit check`` says about slotting it."""

from __future__ import annotations

import inspect
import json
import os
import re
import sys
from typing import Any


def _main_file() -> str | None:
    from slotkit.census.state import main_file

    return main_file[0] if main_file else None


def _line_in(path: str, cls: type) -> int:
    """The line of ``class Name`` in ``path`` (the first one at any indentation), or 0."""
    pattern = re.compile(rf"^\s*class\s+{re.escape(cls.__name__)}\b")
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for n, text in enumerate(f, 1):
                if pattern.match(text):
                    return n
    except OSError:
        pass
    return 0


def locate(cls: type) -> str | None:
    """``path:line`` of the class statement, or None (built in C, defined in ``exec``...)."""
    main = _main_file() if cls.__module__ == "__main__" else None
    if main is not None:
        line = getattr(cls, "__firstlineno__", None) or _line_in(main, cls)
        return f"{main}:{line}"
    try:
        path = inspect.getsourcefile(cls)
    except (TypeError, OSError):
        return None
    if not path or not os.path.isfile(path):
        return None
    line = getattr(cls, "__firstlineno__", None)  # 3.13+
    if line is None:
        try:
            line = inspect.getsourcelines(cls)[1]
        except (OSError, TypeError, IndexError):
            line = 0
    return f"{path}:{line}"


def verdicts(located: list[tuple[str | None, type]]) -> list[dict[str, Any] | None]:
    """The check verdict of each class whose source is known. Classes are grouped by top-level
    package (``docutils.nodes`` and ``docutils.parsers.rst`` together, ``__main__`` alone), and
    each group is analysed as one project: the whole package folder for a package, the module's
    file otherwise, as ``slotkit check`` would see it (the analyzer resolves bases and uses
    within the files it is given)."""
    from slotkit._core import census_verdicts

    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    groups: dict[str, list[int]] = {}
    for i, (src, cls) in enumerate(located):
        if src:
            groups.setdefault(cls.__module__.split(".")[0], []).append(i)
    out: list[dict[str, Any] | None] = [None] * len(located)
    for top, members in groups.items():
        paths = sorted({str(located[i][0]).rsplit(":", 1)[0] for i in members})
        package = getattr(sys.modules.get(top), "__path__", None) if top != "__main__" else None
        if package:
            # the whole package, as `slotkit check` would see it (its files are what it uses)
            paths = sorted({p for p in package if os.path.isdir(p)} | set(paths))
        try:
            found = json.loads(census_verdicts(paths, version))
        except (RuntimeError, ValueError):
            continue
        index = {(os.path.realpath(v["path"]), v["qualname"]): v for v in found}
        for i in members:
            src, cls = located[i]
            v = index.get((os.path.realpath(str(src).rsplit(":", 1)[0]), cls.__qualname__))
            if v is not None:
                out[i] = {
                    "verdict": v["verdict"],
                    "slots": v["slots"],
                    "kept": v["kept"],
                    "reasons": v["reasons"],
                    "line": v["line"],
                }
    return out
