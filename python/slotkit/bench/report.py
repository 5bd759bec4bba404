"""The results on the terminal, with rich: environment, tables, notes, goals."""

from __future__ import annotations

from typing import Any

from slotkit.bench import goals, tables
from slotkit.bench.results import Run

_TONE = {"better": "green", "worse": "red", "same": "dim"}
_STATUS = {"ok": "", "skipped": "dim", "WRONG": "bold red", "error": "red"}
_GOAL = {"met": "green", "missed": "bold red", "n/a": "dim"}


def render(runs: list[Run], console: Any) -> None:
    from rich.table import Table

    for line in tables.header_lines(runs):
        console.print(line, style="dim", highlight=False)
    several = len(runs) > 1
    for model in tables.build(runs):
        table = Table(title=model.title, title_justify="left", title_style="bold")
        table.add_column("variant", no_wrap=True)
        if several:
            table.add_column("python", no_wrap=True)
        for header in model.headers:
            table.add_column(header, justify="right")
        for row in model.rows:
            label = row.label
            first = [f"[{_STATUS[row.status]}]{label}[/]" if _STATUS[row.status] else label]
            if several:
                first.append(row.python)
            table.add_row(*first, *(_format(c) for c in row.cells))
        console.print(table)
    for note in tables.notes(runs):
        console.print(f"• {note}", highlight=False, markup=False)
    for run in runs:
        _render_goals(run, console, several)


def _format(cell: tables.Cell) -> str:
    if not cell.ratio:
        return cell.value
    return f"{cell.value}\n[{_TONE[cell.tone]}]{cell.ratio}[/]"


def _render_goals(run: Run, console: Any, several: bool) -> None:
    """Goal, measured, met/missed, and by how much; one caption when Record was not measured."""
    from rich.table import Table

    if goals.SUBJECT not in run.variants:
        return
    title = "slotkit goals" + (f" ({run.label})" if several else "")
    rows = goals.evaluate(run)
    common = {row["note"] for row in rows if row["status"] == "n/a"}
    caption = common.pop() if len(common) == 1 and all(r["status"] == "n/a" for r in rows) else None
    table = Table(title=title, title_justify="left", title_style="bold", caption=caption,
                  caption_justify="left", caption_style="dim")
    for name, justify in (("goal", "left"), ("measured", "right"), ("", "left"), ("by how much / why not", "left")):
        table.add_column(name, justify=justify)
    for row in rows:
        style = _GOAL[row["status"]]
        note = "" if caption else row["note"]
        table.add_row(row["goal"], row.get("shown", "—"), f"[{style}]{row['status']}[/]", note, end_section=False)
    console.print(table)
