"""The results as Markdown (``--markdown FILE``), for docs/benchmarks.md and bug reports."""

from __future__ import annotations

import re

from slotkit.bench import goals, tables
from slotkit.bench.results import Run

_DUNDER = re.compile(r"(?<![`\w])(__\w+?__)(?![`\w])")


def code_dunders(text: str) -> str:
    """``__slots__`` -> ``\\`__slots__\\```: Markdown would render the bare name as bold "slots"."""
    return _DUNDER.sub(r"`\1`", text)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(code_dunders(c).replace("|", "\\|") for c in cells) + " |"


def render_markdown(runs: list[Run], command: str) -> str:
    several = len(runs) > 1
    out = [f"Command: `{command}`", ""]
    out += [f"- {code_dunders(line)}" for line in tables.header_lines(runs)]
    for model in tables.build(runs):
        out += ["", f"**{code_dunders(model.title)}**", ""]
        head = ["variant", *(["python"] if several else []), *(f"`{h}`" for h in model.headers)]
        out += [_row(head), _row(["---"] * len(head))]
        for row in model.rows:
            cells = [f"{c.value} ({c.ratio})" if c.ratio else c.value for c in row.cells]
            out.append(_row([row.label, *([row.python] if several else []), *cells]))
        out += ["", code_dunders(model.legend)]
    notes = tables.notes(runs)
    if notes:
        out += ["", *(f"- {code_dunders(n)}" for n in notes)]
    for run in runs:
        if goals.SUBJECT not in run.variants:
            continue
        out += ["", f"**{goals.TITLE}{f' ({run.label})' if several else ''}**: {goals.WHAT}", "",
                _row(["target", "measured", "", "margin / why not"]), _row(["---"] * 4)]
        for g in goals.evaluate(run):
            out.append(_row([g["goal"], g.get("shown", "—"), g["status"], g["note"]]))
    return "\n".join(out) + "\n"
