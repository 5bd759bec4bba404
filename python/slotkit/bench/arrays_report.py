"""The point cloud at scale (:mod:`slotkit.bench.arrays`): runs every store at every size in a
fresh process, checks the sums, and shows the results on the terminal, in Markdown and in JSON."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from typing import Any

from slotkit.bench.arrays import LABELS, STORES
from slotkit.bench.workloads import expected_cloud_sum

FULL_SIZES = (1_000_000, 10_000_000)
QUICK_SIZES = (100_000,)
TITLE = "Point cloud at scale: one store of n points, built, translated and measured"
LEGEND = ("B/pt: bytes per point (tracemalloc; RSS growth); build: seconds to hold n points "
          "(lists: one constructor call per point; columnar stores: from float64 columns); "
          "rows: translate + distance sum, Python code per point; vector: the same pass on whole "
          "columns; ratios to the list of __slots__ objects")


def run_store(python: str, store: str, n: int, timeout: float = 1800.0) -> dict[str, Any]:
    cmd = [python, "-m", "slotkit.bench.arrays", store, str(n)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return {"error": str(exc)}
    lines = proc.stdout.strip().splitlines()
    try:
        return json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        return {"error": (proc.stderr.strip().splitlines() or [f"exit status {proc.returncode}"])[-1]}


def run_arrays(python: str, sizes: tuple[int, ...], progress: Any) -> list[dict[str, Any]]:
    """One result per (size, store): the worker's figures plus ``n``, ``store``, ``status``."""
    progress.begin(len(sizes) * len(STORES))
    results = []
    for n in sizes:
        expected = expected_cloud_sum(n)
        for store in STORES:
            progress.step(f"point cloud at scale · {n:,} points · {LABELS[store]}")
            r = run_store(python, store, n)
            r.update(n=n, store=store, label=LABELS[store])
            r["status"] = "skipped" if "skipped" in r else "error" if "error" in r else "ok"
            if r["status"] == "ok":
                wrong = [k for k in ("rows_sum", "vector_sum") if k in r and not math.isclose(r[k], expected, rel_tol=1e-9)]
                if wrong:
                    r["status"], r["error"] = "WRONG", f"{', '.join(wrong)} != {expected!r}"
            results.append(r)
            progress.advance()
    return results


def _seconds(v: float | None) -> str:
    if v is None:
        return "—"
    if v < 0.01:
        return f"{v * 1000:.2f} ms"
    return f"{v * 1000:.0f} ms" if v < 1 else f"{v:.2f} s"


def _ratio(v: float | None, base: float | None) -> str:
    if v is None or not base:
        return ""
    r = v / base
    return f"×{r:.2f}" if r >= 0.1 else f"×{r:.3f}"


def rows_for(results: list[dict[str, Any]]) -> list[tuple[str, list[tuple[str, str]]]]:
    """(label, cells) per result, each cell (value, ratio to the __slots__ list of that n):
    n, B/pt traced, B/pt RSS, build, rows, vector."""
    out = []
    base = {r["n"]: r for r in results if r["store"] == "slots" and r["status"] == "ok"}
    for r in results:
        b = base.get(r["n"], {})
        if r["status"] != "ok":
            why = r.get("skipped") or r.get("error", "")
            out.append((r["label"], [(f"{r['n']:,}", ""), (r["status"], ""), (why, ""), ("", ""), ("", ""), ("", "")]))
            continue
        rss = f"{r['rss']:.1f}" if r.get("rss") is not None else "—"
        out.append((r["label"], [
            (f"{r['n']:,}", ""),
            (f"{r['traced']:.1f}", _ratio(r["traced"], b.get("traced"))),
            (rss, _ratio(r.get("rss"), b.get("rss"))),
            (_seconds(r["build"]), _ratio(r["build"], b.get("build"))),
            (_seconds(r["rows"]), _ratio(r["rows"], b.get("rows"))),
            (_seconds(r.get("vector")), _ratio(r.get("vector"), b.get("rows"))),
        ]))
    return out


HEADERS = ("n", "B/pt", "B/pt RSS", "build", "rows", "vector")


def render_arrays(results: list[dict[str, Any]], console: Any) -> None:
    from rich.table import Table

    table = Table(title=TITLE, title_justify="left", title_style="bold", caption=LEGEND,
                  caption_justify="left", caption_style="dim")
    table.add_column("store", overflow="fold", min_width=14)
    for h in HEADERS:
        table.add_column(h, justify="right", no_wrap=True)
    for label, cells in rows_for(results):
        table.add_row(label, *(f"{v}\n[dim]{r}[/]" if r else v for v, r in cells))
    console.print(table)


def markdown_arrays(results: list[dict[str, Any]]) -> str:
    lines = [f"## {TITLE}", "", "| store | " + " | ".join(HEADERS) + " |", "|---|" + "---:|" * len(HEADERS)]
    for label, cells in rows_for(results):
        lines.append(f"| {label} | " + " | ".join(f"{v} ({r})" if r else v for v, r in cells) + " |")
    lines += ["", LEGEND + ".", ""]
    return "\n".join(lines)


def _main() -> None:
    """``python -m slotkit.bench.arrays_report [N ...]``: this section alone."""
    from rich.console import Console

    from slotkit.bench.runner import NoProgress

    sizes = tuple(int(a.replace("_", "")) for a in sys.argv[1:]) or FULL_SIZES
    found = run_arrays(sys.executable, sizes, NoProgress())
    render_arrays(found, Console())
    print(markdown_arrays(found))


if __name__ == "__main__":
    _main()
