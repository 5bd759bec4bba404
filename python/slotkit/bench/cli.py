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
from slotkit.bench.results import ERROR, WRONG, Run
from slotkit.bench.runner import Runner, Settings

INSTALL = "slotkit bench needs rich: pip install 'slotkit[bench]'"


def _names(text: str) -> tuple[str, ...]:
    names = tuple(n.strip() for n in text.split(",") if n.strip())
    for name in names:
        if name not in variants.BY_NAME:
            raise argparse.ArgumentTypeError(f"unknown variant {name!r} (known: {', '.join(variants.BY_NAME)})")
    return names


def _positive(text: str) -> int:
    value = int(text.replace("_", ""))
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="slotkit bench",
        description="Memory and speed of every way to write the article's Employee and Point3D, "
                    "side by side, each figure as a ratio to the __slots__ class of the same run.")
    p.add_argument("--quick", action="store_true", help="fewer instances and repeats: done in under a minute")
    p.add_argument("--n", type=_positive, metavar="N",
                   help="instances per memory (tracemalloc) measurement (default 100,000; quick 10,000)")
    p.add_argument("--live", type=_positive, metavar="N",
                   help="points for the point-cloud pass, gc.collect and peak RSS (default 1,000,000; quick 100,000)")
    p.add_argument("--json", type=Path, metavar="FILE", help="write every figure, sample and ratio as JSON")
    p.add_argument("--plot", type=Path, metavar="FILE.png", help="draw the ratios to __slots__ (needs matplotlib)")
    p.add_argument("--markdown", type=Path, metavar="FILE", help="write the tables as Markdown")
    p.add_argument("--python", action="append", default=[], metavar="PATH",
                   help="also run under this interpreter (repeatable); slotkit must be importable there")
    p.add_argument("--only", type=_names, default=(), metavar="NAME,...",
                   help=f"only these variants (the __slots__ baseline is always run): {', '.join(variants.BY_NAME)}")
    p.add_argument("--list", action="store_true", help="list the variants and exit")
    return p


def main(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    if args.list:
        for v in variants.VARIANTS:
            print(f"{v.name:14} {v.label}")
        return 0
    try:
        from rich.console import Console
    except ImportError:
        print(INSTALL, file=sys.stderr)
        return 2
    if args.plot:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            print("slotkit bench --plot needs matplotlib: pip install 'slotkit[bench]'", file=sys.stderr)
            return 2
    from slotkit.bench.progress import RichProgress
    from slotkit.bench.report import render

    settings = Settings.create(args.quick, args.n, args.live, args.only)
    pythons = list(dict.fromkeys([sys.executable, *args.python]))
    console = Console()
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console = Console(width=130)  # piped to a file: wide enough for every table
    with RichProgress(Console(stderr=True)) as progress:
        runs = Runner(settings, progress).run_all(pythons)
    render(runs, console)
    command = "slotkit bench " + shlex.join(argv)
    if args.json:
        args.json.write_text(json.dumps(to_json(runs, command), indent=1) + "\n", encoding="utf-8")
    if args.markdown:
        from slotkit.bench.markdown import render_markdown

        args.markdown.write_text(render_markdown(runs, command), encoding="utf-8")
    if args.plot:
        from slotkit.bench.plot import plot

        plot(runs, args.plot)
    for path in (args.json, args.markdown, args.plot):
        if path:
            console.print(f"wrote {path}", style="dim", highlight=False)
    failed = any(v.status in (WRONG, ERROR) for r in runs for v in r.variants.values())
    return 1 if failed else 0


def to_json(runs: list[Run], command: str) -> dict[str, Any]:
    from slotkit.bench import figures, goals

    return {
        "schema": 1,
        "command": command,
        "figures": {f.id: {"header": f.header, "unit": f.unit, "description": f.description, "stmt": f.stmt}
                    for f in figures.ALL},
        "runs": [dict(r.to_json(), goals=goals.evaluate(r)) for r in runs],
    }
