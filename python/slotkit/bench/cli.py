"""``slotkit bench`` options, and the run from options to printed and written results."""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
from pathlib import Path
from typing import Any

from slotkit.bench import variants
from slotkit.bench.outputs import BadArgument, check_outputs, check_python
from slotkit.bench.results import ERROR, OK, WRONG, Run
from slotkit.bench.runner import Runner, Settings

INSTALL = "slotkit bench needs rich: pip install 'slotkit[bench]'"
NO_MATPLOTLIB = "slotkit bench --plot needs matplotlib: pip install 'slotkit[plot]'"
ARTICLE = "\"Memory Optimization in Python: How slots Works\" by Abhay Palakkode"


def _names(text: str) -> tuple[str, ...]:
    names = tuple(n.strip() for n in text.split(",") if n.strip())
    for name in names:
        if name not in variants.BY_NAME:
            raise argparse.ArgumentTypeError(f"unknown variant {name!r} (known: {', '.join(variants.BY_NAME)})")
    return names


def _positive(text: str) -> int:
    try:
        value = int(text.replace(",", "_"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number such as 10000 or 10_000, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {text!r}")
    return value


def _sizes(text: str) -> tuple[int, ...]:
    """``1000000,10_000_000`` (commas separate sizes; write thousands with ``_``)."""
    return tuple(_positive(part) for part in text.split(",") if part.strip())


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="slotkit bench",
        description=f"Memory and speed of every way to write the Employee and Point3D classes of the article "
                    f"{ARTICLE}, side by side, each figure as a ratio to the __slots__ class of the same run.",
        epilog="Every output path and format is checked before anything is measured. Exit status: 0; 1 if a "
               "variant failed its correctness check or crashed, or an interpreter could not run the benchmark; "
               "2 for a bad option.")
    p.add_argument("--quick", action="store_true", help="fewer instances and repeats: done in under a minute")
    p.add_argument("--n", type=_positive, metavar="N",
                   help="instances per memory (tracemalloc) measurement (default 100,000; quick 10,000)")
    p.add_argument("--live", type=_positive, metavar="N",
                   help="points for the point-cloud pass, gc.collect and peak RSS (default 1,000,000; quick 100,000)")
    p.add_argument("--json", type=Path, metavar="FILE", help="write every figure, sample and ratio as JSON")
    p.add_argument("--plot", type=Path, metavar="FILE.png",
                   help="draw the ratios to __slots__ (needs matplotlib; .png, .svg, .pdf, ...)")
    p.add_argument("--markdown", type=Path, metavar="FILE", help="write the tables as Markdown")
    p.add_argument("--python", action="append", default=[], metavar="PATH",
                   help="also run under this interpreter (repeatable); slotkit must be importable there")
    p.add_argument("--only", type=_names, default=(), metavar="NAME,...",
                   help=f"only these variants (the __slots__ baseline is always run): {', '.join(variants.BY_NAME)}")
    p.add_argument("--list", action="store_true", help="list the variants and exit")
    p.add_argument("--arrays", type=_sizes, metavar="N,...",
                   help="sizes of the point cloud at scale: lists, RecordArray, numpy, pyarrow "
                        "(default 1,000,000,10,000,000; quick 100,000)")
    p.add_argument("--no-arrays", action="store_true", help="skip the point cloud at scale")
    return p


def main(argv: list[str]) -> int:
    p = parser()
    args = p.parse_args(argv)
    if args.list:
        for v in variants.VARIANTS:
            print(f"{v.name:14} {v.label}")
        return 0
    try:
        from rich.console import Console
    except ImportError:
        print(INSTALL, file=sys.stderr)
        return 2
    try:  # before anything is measured: a run's results must never be lost to a bad path
        check_outputs(args.json, args.markdown, args.plot)
        extra = [check_python(name) for name in args.python]
    except BadArgument as exc:
        p.print_usage(sys.stderr)
        print(f"slotkit bench: error: {exc}", file=sys.stderr)
        return 2
    if args.plot:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            print(NO_MATPLOTLIB, file=sys.stderr)
            return 2
    from slotkit.bench.progress import for_stderr
    from slotkit.bench.report import render

    settings = Settings.create(args.quick, args.n, args.live, args.only)
    pythons = list(dict.fromkeys([sys.executable, *extra]))
    console = Console()
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console = Console(width=100)  # piped to a file
    with for_stderr(Console(stderr=True), sys.stderr) as progress:
        runs = Runner(settings, progress).run_all(pythons)
    render(runs, console)
    arrays = None
    if not args.no_arrays:
        from slotkit.bench import arrays_report

        sizes = args.arrays or (arrays_report.QUICK_SIZES if args.quick else arrays_report.FULL_SIZES)
        with for_stderr(Console(stderr=True), sys.stderr) as progress:
            arrays = arrays_report.run_arrays(sys.executable, sizes, progress)
        arrays_report.render_arrays(arrays, console)
    failed = not write_outputs(args, runs, "slotkit bench " + shlex.join(argv), console, arrays)
    failed = failed or any(r["status"] in (WRONG, ERROR) for r in arrays or [])
    failed = failed or any(v.status in (WRONG, ERROR) for r in runs for v in r.variants.values())
    for run in runs:
        if run.status != OK:
            failed = True
            print(f"slotkit bench: {run.python} could not run the benchmark: {run.reason}", file=sys.stderr)
    return 1 if failed else 0


def write_outputs(args: argparse.Namespace, runs: list[Run], command: str, console: Any,
                  arrays: list[dict[str, Any]] | None = None) -> bool:
    """Each requested file, JSON first; one that still cannot be written (disk full, ...) is
    reported without losing the others or the tables already printed. False if one failed."""
    from slotkit.bench.markdown import render_markdown

    writers = (
        (args.json, lambda p: p.write_text(json.dumps(to_json(runs, command, arrays), indent=1) + "\n", encoding="utf-8")),
        (args.markdown, lambda p: p.write_text(render_markdown(runs, command) + _arrays_markdown(arrays), encoding="utf-8")),
        (args.plot, lambda p: _plot(runs, p)),
    )
    ok = True
    for path, write in writers:
        if not path:
            continue
        try:
            write(path)
        except (OSError, ValueError) as exc:
            print(f"slotkit bench: could not write {path}: {exc}", file=sys.stderr)
            ok = False
        else:
            console.print(f"wrote {path}", style="dim", highlight=False)
    return ok


def _arrays_markdown(arrays: list[dict[str, Any]] | None) -> str:
    if not arrays:
        return ""
    from slotkit.bench.arrays_report import markdown_arrays

    return "\n" + markdown_arrays(arrays)


def _plot(runs: list[Run], path: Path) -> None:
    from slotkit.bench.plot import plot

    plot(runs, path)


def to_json(runs: list[Run], command: str, arrays: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    from slotkit.bench import figures, goals

    return {
        "schema": 1,
        "command": command,
        "figures": {f.id: {"header": f.header, "unit": f.unit, "description": f.description, "stmt": f.stmt}
                    for f in figures.ALL},
        "runs": [dict(r.to_json(), goals=goals.evaluate(r)) for r in runs],
        **({"arrays": arrays} if arrays is not None else {}),
    }
