"""The results as Markdown (``--markdown FILE``), for docs/benchmarks.md and bug reports."""

from __future__ import annotations

from slotkit.bench import goals, tables
from slotkit.bench.results import Run


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def render_markdown(runs: list[Run], command: str) -> str:
    several = len(runs) > 1
    out = [f"Command: `{command}`", ""]
    out += [f"- {line}" for line in tables.header_lines(runs)]
    for model in tables.build(runs):
        out += ["", f"**{model.title}**", ""]
        head = ["variant", *(["python"] if several else []), *(f"`{h}`" for h in model.headers)]
        out += [_row(head), _row(["---"] * len(head))]
        for row in model.rows:
            label = row.label
            cells = [f"{c.value} ({c.ratio})" if c.ratio else c.value for c in row.cells]
            out.append(_row([label, *([row.python] if several else []), *cells]))
    notes = tables.notes(runs)
    if notes:
        out += ["", *(f"- {n}" for n in notes)]
    for run in runs:
        if goals.SUBJECT not in run.variants:
            continue
        out += ["", f"**slotkit goals{f' ({run.label})' if several else ''}**", "",
                _row(["goal", "measured", "", "by how much / why not"]), _row(["---"] * 4)]
        for g in goals.evaluate(run):
            out.append(_row([g["goal"], g.get("shown", "—"), g["status"], g["note"]]))
    return "\n".join(out) + "\n"
