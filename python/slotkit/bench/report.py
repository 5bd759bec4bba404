"""The results on the terminal, with rich: environment, tables, notes, slotkit's targets.

Every table fits an 80-column terminal: short headers explained by a legend under the table, and
with several interpreters the Python version goes under the variant's name instead of in a column.
"""

from __future__ import annotations

from typing import Any

from slotkit.bench import goals, tables
from slotkit.bench.results import Run

_TONE = {"better": "green", "worse": "red", "same": "dim"}
_STATUS = {"ok": "", "skipped": "dim", "WRONG": "bold red", "error": "red"}
_GOAL = {"met": "green", "missed": "yellow", "n/a": "dim"}


def render(runs: list[Run], console: Any) -> None:
    from rich.table import Table

    for line in tables.header_lines(runs):
        console.print(line, style="dim", highlight=False)
    several = len(runs) > 1
    for model in tables.build(runs):
        table = Table(title=model.title, title_justify="left", title_style="bold", caption=model.legend,
                      caption_justify="left", caption_style="dim")
        table.add_column("variant" + (", python" if several else ""), overflow="fold")
        for header in model.headers:
            table.add_column(header, justify="right", no_wrap=True)
        for row in model.rows:
            first = f"[{_STATUS[row.status]}]{row.label}[/]" if _STATUS[row.status] else row.label
            if several:
                first += f"\n[dim]{row.python}[/]"
            table.add_row(first, *(_format(c) for c in row.cells))
        console.print(table)
    for note in tables.notes(runs):
        console.print(f"• {note}", highlight=False, markup=False)
    for run in runs:
        _render_targets(run, console, several)


def _format(cell: tables.Cell) -> str:
    if not cell.ratio:
        return cell.value
    return f"{cell.value}\n[{_TONE[cell.tone]}]{cell.ratio}[/]"


def _render_targets(run: Run, console: Any, several: bool) -> None:
    """Target, measured, met/missed, and by how much; one caption when Record was not measured."""
    from rich.table import Table

    if goals.SUBJECT not in run.variants:
        return
    title = goals.TITLE + (f" ({run.label})" if several else "")
    rows = goals.evaluate(run)
    common = {row["note"] for row in rows if row["status"] == "n/a"}
    caption = common.pop() if len(common) == 1 and all(r["status"] == "n/a" for r in rows) else None
    console.print()
    console.print(f"[bold]{title}[/]: {goals.WHAT}", highlight=False)
    table = Table(caption=caption, caption_justify="left", caption_style="dim")
    table.add_column("target")
    table.add_column("measured", justify="right")
    table.add_column("")
    table.add_column("margin / why not")
    for row in rows:
        style = _GOAL[row["status"]]
        note = "" if caption else row["note"]
        table.add_row(row["goal"], row.get("shown", "—"), f"[{style}]{row['status']}[/]", note)
    console.print(table)
