"""The ``slotkit`` command: a thin dispatcher to the bench harness and the Rust analyzer."""

from __future__ import annotations

import sys

USAGE = """\
usage: slotkit <command> [options]

commands:
  bench   measure memory and speed of every way to write a record class, side by side
  census  run a program and report its memory class by class, with what __slots__ or a
          Record would save (slotkit census -- python script.py)
  check   static analysis of __slots__ in Python source (never imports it)
  fix     add __slots__ to classes proven safe to slot (--verify CMD: keep only
          the edits your tests pass with)

Run 'slotkit <command> --help' for a command's options; 'slotkit --version' (-V) for the
version, the Python it runs on and whether its extension is a release build.
"""


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        sys.stdout.write(USAGE)
        return 0 if args else 2
    if args[0] in ("-V", "--version"):
        from slotkit.bench.environment import version_text

        print(version_text())
        return 0
    command, rest = args[0], args[1:]
    if command == "bench":
        from slotkit.bench import main as bench_main

        return bench_main(rest)
    if command == "census":
        from slotkit.census.cli import main as census_main

        return census_main(rest)
    if command in ("check", "fix"):
        from pathlib import Path

        from slotkit._verify.journal import recover

        # files left edited by a `fix --verify` run that was killed: put the originals back
        recover(Path.cwd())
        if command == "fix" and any(a == "--verify" or a.startswith("--verify=") for a in rest):
            from slotkit._verify.command import main as verify_main

            return verify_main(rest)
        from slotkit._core import analyzer_main

        return analyzer_main([command, *rest])
    sys.stderr.write(f"slotkit: unknown command {command!r}\n\n{USAGE}")
    return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
