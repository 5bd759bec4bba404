"""``slotkit bench``: memory and speed of every way to write a record class, side by side.

Run ``slotkit bench --help``. The modules: variants (the registry of class styles), workloads
(the article's classes and programs), worker (one measurement per fresh process), runner,
results, goals, tables/report/markdown/plot (output), progress, outputs (checks of paths and
interpreters before a run), cli (options).
"""

from __future__ import annotations


def main(argv: list[str]) -> int:
    from slotkit.bench.cli import main as cli_main

    return cli_main(argv)


__all__ = ["main"]
