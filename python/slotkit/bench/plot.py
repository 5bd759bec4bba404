"""``--plot FILE.png``: the key figures as ratios to ``__slots__``, one panel per figure."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from slotkit.bench import figures
from slotkit.bench.results import Run
from slotkit.bench.tables import format_value
from slotkit.bench import variants
from slotkit.bench.variants import VARIANTS

PANELS = {  # figure -> panel title
    "point.bytes_values": "Point3D bytes, its 3 fresh floats included (tracemalloc)",
    "employee.bytes": "Employee bytes, the instance alone (tracemalloc)",
    "rss.peak": "peak RSS building the live points",
    "point.new": "construct Point3D(a, b, c)",
    "employee.new_kw": "construct Employee(name=.., employee_id=.., department=..)",
    "employee.read": "read e.name (object field)",
    "box.write": "write box.value = s (unchecked object field)",
    "point.read": "read p.x (float field)",
    "gc.time": "one gc.collect() with the live points",
}
HIGHLIGHT = "record"
LABEL_BOX = {"facecolor": "white", "edgecolor": "none", "pad": 0.6}


def plot(runs: list[Run], path: Path) -> None:
    import matplotlib.pyplot as plt

    fig = draw(runs)
    fig.savefig(path, dpi=80 if len(runs) == 1 else 64)
    plt.close(fig)


def draw(runs: list[Run]) -> Any:
    """The matplotlib figure (Agg backend), one panel per figure in PANELS."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = [v.name for v in VARIANTS if any(v.name in r.variants for r in runs)]
    labels = {v.name: v.label for v in VARIANTS}
    fig, axes = plt.subplots(3, 3, figsize=(15, 11 * (1 + 0.4 * (len(runs) - 1))), sharey=True)
    height = 0.8 / len(runs)
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for ax, (figure_id, title) in zip(axes.flat, PANELS.items()):
        fig_def = figures.BY_ID[figure_id]
        for k, run in enumerate(runs):
            for i, name in enumerate(names):
                ratio = run.ratio(name, figure_id)
                y = i + (k - (len(runs) - 1) / 2) * height
                if ratio is None:
                    status = run.variants[name].status if name in run.variants else "not run"
                    if fig_def.writes and not variants.get(name).mutable:
                        status = "immutable"
                    ax.text(0.02, y, f"({status if status != 'ok' else 'n/a'})", va="center", fontsize=8,
                            color="grey", transform=ax.get_yaxis_transform())
                    continue
                color = colors[k % len(colors)] if len(runs) > 1 else colors[1 if name == HIGHLIGHT else 0]
                ax.barh(y, ratio, height=height * 0.9, color=color, label=run.label if i == 0 else None, zorder=2)
                value = format_value(run.value(name, figure_id), fig_def.unit)
                label = f" {ratio:.2f}× ({value} {fig_def.unit})" if len(runs) == 1 else f" {ratio:.2f}×"
                # Drawn over the dashed 1.0 line on a white box, so the line never runs through a label.
                ax.text(ratio, y, label, va="center", fontsize=8 if len(runs) == 1 else 7, zorder=4,
                        bbox=LABEL_BOX)
        ax.axvline(1.0, color="black", linewidth=0.8, linestyle="--", zorder=1)
        ax.set_title(title, fontsize=10)
        ax.set_xlim(0, max(2.0, ax.get_xlim()[1] * 1.35))
        ax.set_xlabel("ratio to __slots__ (lower is better)", fontsize=8)
    for ax in axes[:, 0]:
        ax.set_yticks(range(len(names)), [labels[n] for n in names], fontsize=9)
    axes[0, 0].invert_yaxis()
    if len(runs) > 1:
        axes[0, 0].legend(fontsize=8, loc="lower right")
    s = runs[0].settings
    fig.suptitle(f"slotkit bench: ratio to __slots__ from the same run "
                 f"(tracemalloc n={s['n']:,}; {s['live']:,} live points for RSS and gc)\n"
                 + ("; ".join(_env(r) for r in runs) if len(runs) == 1 else ", ".join(r.label for r in runs)),
                 fontsize=10)
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.5 / fig.get_figheight()))
    return fig


def _env(run: Run) -> str:
    if not run.info:
        return f"{run.python}: skipped"
    return f"Python {run.info['python']} ({run.info['build']})"
