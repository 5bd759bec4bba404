"""Markdown rows of the top classes of saved censuses: ``python scripts/census_summary.py A.json [B.json ...]``."""

from __future__ import annotations

import sys

from slotkit.census.result import Census
from slotkit.census.table import size


def main(paths: list[str], top: int = 5) -> None:
    print("| program | class | instances | bytes now | `__slots__` saves | Record saves | `slotkit check` |")
    print("|---|---|---:|---:|---:|---:|---|")
    for path in paths:
        data = Census.load(path).data
        rows = [r for r in data["rows"] if "with_dict" in r][:top]
        for r in rows:
            check = r.get("check") or {}
            verdict = check.get("verdict", "-")
            if verdict == "blocked" and check.get("reasons"):
                verdict += ": " + check["reasons"][0].replace("|", "\\|")
            print(f"| {path.rsplit('/', 1)[-1]} | `{r['class']}` | {r['count']:,} | {size(r['bytes'])} | "
                  f"{size(r['slots_saving'])} | {size(r['record_saving'])} | {verdict} |")


if __name__ == "__main__":
    main(sys.argv[1:])
