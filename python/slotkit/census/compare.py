"""``slotkit census --compare BEFORE.json AFTER.json``: what changed, class by class."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from slotkit.bench.outputs import BadArgument
from slotkit.census.table import size


def load(path: Path) -> dict[str, Any]:
    from slotkit.census.result import Census

    if not path.is_file():
        raise BadArgument(f"--compare {path}: no such file")
    try:
        return Census.load(path).data
    except ValueError as e:  # includes json.JSONDecodeError
        raise BadArgument(f"--compare {path}: {e}") from None


def diff(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """Per class present in either: count and bytes before and after, largest change first."""
    a = {r["class"]: r for r in before["rows"]}
    b = {r["class"]: r for r in after["rows"]}
    out = []
    for name in a.keys() | b.keys():
        ra, rb = a.get(name), b.get(name)
        row = {"class": name,
               "count_before": ra["count"] if ra else 0, "count_after": rb["count"] if rb else 0,
               "bytes_before": ra["bytes"] if ra else 0, "bytes_after": rb["bytes"] if rb else 0}
        row["bytes_change"] = row["bytes_after"] - row["bytes_before"]
        if row["bytes_change"] or row["count_after"] != row["count_before"]:
            out.append(row)
    out.sort(key=lambda r: (-abs(r["bytes_change"]), r["class"]))
    return out


def compare_files(before: Path, after: Path, top: int, max_growth: float | None) -> int:
    da, db = load(before), load(after)
    rows = diff(da, db)
    change = db["bytes"] - da["bytes"]
    pct = 100.0 * change / da["bytes"] if da["bytes"] else 0.0
    print(f"total: {size(da['bytes'])} -> {size(db['bytes'])} ({'+' if change >= 0 else ''}{size(change)}, "
          f"{pct:+.1f}%); objects {da['objects']:,} -> {db['objects']:,}")
    if rows:
        w = max(len("class"), *(len(r["class"]) for r in rows[:top]))
        print(f"{'class'.ljust(w)}  {'count before':>12}  {'count after':>12}  {'bytes before':>12}  {'bytes after':>12}  {'change':>12}")
        for r in rows[:top]:
            print(f"{r['class'].ljust(w)}  {r['count_before']:>12,}  {r['count_after']:>12,}  {size(r['bytes_before']):>12}  "
                  f"{size(r['bytes_after']):>12}  {size(r['bytes_change']):>12}")
    else:
        print("no class changed")
    if max_growth is not None and pct > max_growth:
        sys.stderr.write(f"slotkit census: total grew by {pct:.1f}%, more than --max-growth {max_growth:g}%\n")
        return 1
    return 0
