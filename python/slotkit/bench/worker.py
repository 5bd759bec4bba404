"""One measurement in a fresh process: ``python -m slotkit.bench.worker VARIANT FIGURE [options]``.

Prints one JSON object on stdout: ``{"figures": {...}, ...}``, ``{"skipped": reason}`` or
``{"error": traceback}``. ``python -m slotkit.bench.worker info`` describes the interpreter and
which variants it can build. The parent (:mod:`slotkit.bench.runner`) never measures anything
itself, so one variant's garbage and caches cannot hide another's cost.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import traceback
from typing import Any

from slotkit.bench import environment, figures, memory, timing, variants, workloads

KINDS = ("check", "memory", "rss", "time", "cloud")
PROTOCOL = 2  # bump when a figure's JSON changes: a --python interpreter must run the same worker


def time_namespace(classes: dict[str, type]) -> dict[str, Any]:
    """The objects the timeit statements of :data:`figures.OPERATIONS` use."""
    P, E, B = classes["Point3D"], classes["Employee"], classes["Box"]
    a, b, c = 1.5, 2.5, 3.5
    s1, s2, s3 = "Alice Johnson", "E001", "Engineering"
    return {"P": P, "E": E, "B": B, "a": a, "b": b, "c": c, "s1": s1, "s2": s2, "s3": s3,
            "p": P(a, b, c), "q": P(4.0, 5.0, 6.0), "e": E(s1, s2, s3), "box": B(s1)}


def run_time(classes: dict[str, type], mutable: bool, repeat: int, min_seconds: float) -> dict[str, Any]:
    ns = time_namespace(classes)
    out: dict[str, Any] = {"overhead": list(timing.loop_overhead(repeat=repeat, min_seconds=min_seconds).samples)}
    for fig in figures.OPERATIONS:
        if fig.writes and not mutable:
            continue
        out[fig.id] = list(timing.time_stmt(fig.stmt or "", ns, repeat=repeat, min_seconds=min_seconds).samples)
    return out


def run_cloud(classes: dict[str, type], mutable: bool, n: int) -> dict[str, Any]:
    gc.collect()
    seconds, (points, total) = timing.time_once(lambda: workloads.point_cloud(classes["Point3D"], n, mutable))
    gc.collect()  # settle: the timed collection below is a full pass over n live points
    gc_seconds, _ = timing.time_once(gc.collect)
    del points
    return {"cloud.time": [seconds], "gc.time": [gc_seconds], "cloud_sum": total}


def run(args: argparse.Namespace) -> dict[str, Any]:
    if args.variant == "info":
        available = {}
        for v in variants.VARIANTS:
            try:
                variants.build_classes(v)
                available[v.name] = None
            except variants.VariantUnavailable as exc:
                available[v.name] = str(exc)
        return {"info": environment.describe(), "unavailable": available, "protocol": PROTOCOL}
    variant = variants.get(args.variant)
    try:
        classes = variants.build_classes(variant)
    except variants.VariantUnavailable as exc:
        return {"skipped": str(exc)}
    if args.kind == "check":
        return {"check": workloads.check_values(classes, variant.mutable)}
    if args.kind == "memory":
        return {"figures": memory.memory_figures(classes, args.n)}
    if args.kind == "rss":
        return {"peak_rss": memory.peak_rss(classes["Point3D"], args.n, args.baseline)}
    if args.kind == "time":
        return {"samples": run_time(classes, variant.mutable, args.repeat, args.min_seconds)}
    if args.kind == "cloud":
        return run_cloud(classes, variant.mutable, args.n)
    raise ValueError(f"unknown figure {args.kind!r}")


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m slotkit.bench.worker")
    p.add_argument("variant", help="a variant name, or 'info'")
    p.add_argument("kind", nargs="?", choices=KINDS)
    p.add_argument("--n", type=int, default=10_000)
    p.add_argument("--baseline", action="store_true", help="rss: build nothing")
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--min-seconds", type=float, default=0.05)
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    try:
        result = run(args)
    except Exception:
        result = {"error": traceback.format_exc()}
    sys.stdout.write(json.dumps(result) + "\n")
    return 1 if "error" in result else 0


if __name__ == "__main__":
    raise SystemExit(main())
