"""The result tables as plain data (cells of text), rendered by report.py (rich) and markdown.py."""

from __future__ import annotations

from dataclasses import dataclass, field

from slotkit.bench import figures
from slotkit.bench.environment import one_line, warning
from slotkit.bench.results import OK, Run
from slotkit.bench.timing import CLOCK_NAME
from slotkit.bench.variants import BASELINE, VARIANTS


@dataclass(frozen=True)
class Cell:
    value: str  # the figure in its unit, "—" when there is none
    ratio: str = ""  # "0.71×" to __slots__ from the same run
    tone: str = ""  # "better", "worse", "same" (ratio) or "" (no ratio)


@dataclass
class Row:
    variant: str
    python: str
    status: str  # ok, skipped, WRONG, error
    cells: list[Cell]

    @property
    def label(self) -> str:
        return self.variant if self.status == OK else f"{self.variant} ({self.status})"


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    legend: str = ""  # what the short headers mean
    rows: list[Row] = field(default_factory=list)


UNIT_WORDS = {"B": "bytes", "ns": "ns", "ms": "ms", "MB": "MB"}


def format_value(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "B":
        return f"{value:.0f}" if abs(value - round(value)) < 0.05 else f"{value:.1f}"
    if unit == "ns" and value >= 100:
        return f"{value:.0f}"
    return f"{value:.3g}" if value < 10 else f"{value:.1f}" if value < 100 else f"{value:.0f}"


def _cell(run: Run, variant: str, fig: figures.Figure, with_unit: bool) -> Cell:
    value = run.value(variant, fig.id)
    ratio = run.ratio(variant, fig.id)
    text = format_value(value, fig.unit)
    if with_unit and value is not None:
        text += f" {UNIT_WORDS[fig.unit]}"
    if ratio is None:
        return Cell(text)
    tone = "better" if ratio < 0.95 else "worse" if ratio > 1.05 else "same"
    return Cell(text, f"{ratio:.2f}×", tone)


def build(runs: list[Run]) -> list[Table]:
    tables = []
    order = [v.name for v in VARIANTS]
    for group in figures.TABLES:
        figs = group.figures
        table = Table(group.key, group.title, [f.header for f in figs], group.legend)
        for name in order:
            for run in runs:
                result = run.variants.get(name)
                if result is None or run.status != OK:  # a skipped interpreter: one header line says why
                    continue
                cells = [_cell(run, name, f, group.unit is None) for f in figs]  # partial figures of a failed variant too
                table.rows.append(Row(result.label, run.label, result.status, cells))
        tables.append(table)
    return tables


def header_lines(runs: list[Run]) -> list[str]:
    """Environment and method, one line each; printed above the tables."""
    lines = []
    for run in runs:
        if run.status != OK:
            lines.append(f"{run.python}: skipped: {run.reason}")
        elif run.info:
            lines.append(one_line(run.info))
            if warning(run.info):
                lines.append(warning(run.info) or "")
    s = runs[0].settings
    overheads = ", ".join(f"{r.label} {r.overhead_ns:.1f} ns" for r in runs if r.overhead_ns is not None)
    lines.append(
        f"{'quick' if s['quick'] else 'full'} mode: tracemalloc over n={s['n']:,} instances; point cloud, "
        f"gc.collect and peak RSS with {s['live']:,} points; every figure in a fresh process per variant; "
        f"times are medians of {s['rounds']} rounds × {s['repeat']} repeats, clock: {CLOCK_NAME}")
    lines.append(f"timeit loop overhead (pass), included in every time: {overheads or 'not measured'}; "
                 f"ratios are to {BASELINE_LABEL} from the same run")
    return lines


BASELINE_LABEL = next(v.label for v in VARIANTS if v.name == BASELINE)


def notes(runs: list[Run]) -> list[str]:
    """Why a variant has no figures, or why its figures are not compared."""
    out = []
    for run in runs:
        if run.status != OK:
            continue  # the header line gives the reason
        for result in run.variants.values():
            if result.status != OK:
                where = f" under {run.label}" if len(runs) > 1 else ""
                out.append(f"{result.label}{where}: {result.status}: {result.reason}")
    return out
