"""The ``slotkit fix --verify`` command line (see the package docstring)."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import NoReturn

from slotkit._verify import analyzer
from slotkit._verify.driver import Verifier
from slotkit._verify.journal import recover
from slotkit._verify.report import text, write_json


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="slotkit fix --verify",
        description="Add __slots__, keeping only the edits the command CMD still passes with.",
    )
    p.add_argument("--verify", required=True, metavar="CMD", help='the test command, run through the shell (e.g. "pytest -x -q")')
    p.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="files or folders to fix (default .)")
    p.add_argument("--unsafe-fixes", action="store_true", help="also try the unsafe fixes")
    p.add_argument("--python", metavar="3.N", help="target Python for layouts and savings")
    p.add_argument("--timeout", type=float, metavar="SECONDS", help="stop a run of CMD after this long (counts as a failure)")
    p.add_argument("--max-rounds", type=int, default=50, help="give up (changing nothing) after this many rounds")
    p.add_argument("--report-json", type=Path, metavar="FILE", help="also write the report as JSON")
    return p


def _terminate(signum: int, frame: FrameType | None) -> NoReturn:  # noqa: ARG001
    raise SystemExit(128 + signum)


def main(argv: list[str]) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as e:  # --help, or a usage error already printed by argparse
        return int(e.code or 0)
    recover(Path.cwd())
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        verifier = Verifier(
            args.verify,
            args.paths,
            python=args.python,
            unsafe=args.unsafe_fixes,
            timeout=args.timeout,
            max_rounds=args.max_rounds,
        )
        result = verifier.run()
    except (analyzer.AnalyzerFailed, RuntimeError, OSError) as e:
        sys.stderr.write(f"slotkit: error: {e}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("slotkit: interrupted; the original files are in place\n")
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)
    sys.stdout.write(text(result))
    if args.report_json:
        write_json(result, args.report_json)
    return 1 if result.gave_up else 0
