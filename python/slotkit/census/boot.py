"""The program side of ``slotkit census -- ...``: runs the target as ``__main__`` (as
``python script.py`` or ``python -m module`` would) and records a census at exit, on
``SIGUSR1`` and at each ``slotkit.census()`` call, as JSON files in ``$SLOTKIT_CENSUS_DIR``.
Nothing is written to the program's stdout; its exit status is unchanged.

Usage (made by the ``slotkit census`` command): ``python -m slotkit.census.boot script.py ARGS``
or ``python -m slotkit.census.boot -m module ARGS``.
"""

from __future__ import annotations

import atexit
import builtins
import io
import os
import runpy
import signal
import sys
import types
from typing import Any

from slotkit.census.state import count as _count
from slotkit.census.state import main_file


def record(result: Any) -> None:
    """Writes a census to the run's folder (numbered, with the reason in the name)."""
    folder = os.environ.get("SLOTKIT_CENSUS_DIR")
    if not folder:
        return
    _count[0] += 1
    reason = result.data["reason"]
    try:
        result.save(os.path.join(folder, f"{os.getpid()}-{_count[0]:04d}-{reason}.json"))
    except OSError as e:
        sys.stderr.write(f"slotkit census: could not save a census: {e}\n")


def _take(reason: str) -> Any:
    from slotkit.census.take import take

    try:
        result = take(reason)
        record(result)
        return result
    except Exception as e:  # noqa: BLE001 - a census must never break the program
        sys.stderr.write(f"slotkit census: census at {reason} failed: {type(e).__name__}: {e}\n")
        return None


def _on_signal(signum: int, frame: Any) -> None:
    result = _take("signal")
    if result is not None:
        if os.environ.get("SLOTKIT_CENSUS_QUIET") != "1":
            sys.stderr.write(result.table() + "\n")
        sys.stderr.write("slotkit census: census taken (SIGUSR1)\n")


def _remember_module(name: str) -> None:
    import importlib.util

    try:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.submodule_search_locations is not None:
            spec = importlib.util.find_spec(name + ".__main__")
    except (ImportError, ValueError):
        return
    if spec is not None and spec.origin and os.path.isfile(spec.origin):
        main_file.append(spec.origin)


def main(argv: list[str]) -> None:
    if not argv or argv == ["-m"]:
        sys.stderr.write("usage: python -m slotkit.census.boot (script.py | -m module) [args]\n")
        raise SystemExit(2)
    atexit.register(_take, "exit")
    if hasattr(signal, "SIGUSR1"):
        signal.signal(signal.SIGUSR1, _on_signal)
    # a fresh `__main__` module that stays in sys.modules, as under `python script.py`: the
    # program's globals are alive when the census at exit is taken (runpy.run_path and
    # run_module would drop them on return)
    main_module = types.ModuleType("__main__")
    main_module.__dict__["__builtins__"] = builtins
    sys.modules["__main__"] = main_module
    if argv[0] == "-m":
        sys.argv = [argv[1], *argv[2:]]
        sys.path[0] = os.getcwd()
        _remember_module(argv[1])
        # what `python -m` itself runs: the module's code in the `__main__` module's namespace
        runpy._run_module_as_main(argv[1], alter_argv=True)  # type: ignore[attr-defined]
    else:
        script = argv[0]
        sys.argv = list(argv)
        path = os.path.abspath(script)
        sys.path[0] = os.path.dirname(path)
        main_file.append(path)
        with io.open_code(path) as f:
            code = compile(f.read(), script, "exec", dont_inherit=True)
        main_module.__dict__.update(__file__=script, __cached__=None, __loader__=None, __spec__=None,
                                    __package__=None)
        exec(code, main_module.__dict__)


if __name__ == "__main__":
    main(sys.argv[1:])
