"""``--plot``: the dashed 1.0 line is drawn under the value labels, which sit on opaque white boxes.

matplotlib comes with the ``bench`` and ``test`` extras. Where it is not installed, the tests check
what a user then gets instead (an ImportError here; the CLI refuses ``--plot``, see test_cli_run).
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import importlib.util

import pytest

from slotkit.bench.results import Run

HAVE_MATPLOTLIB = importlib.util.find_spec("matplotlib") is not None


def test_reference_line_never_runs_through_a_label(synthetic_run: Callable[..., Run]) -> None:
    from slotkit.bench.plot import PANELS, draw

    if not HAVE_MATPLOTLIB:
        with pytest.raises(ImportError):
            draw([synthetic_run()])
        return
    from matplotlib.lines import Line2D

    fig = draw([synthetic_run()])
    axes = [ax for ax in fig.axes if ax.get_title()]
    assert len(axes) == len(PANELS)
    for ax in axes:
        (line,) = [a for a in ax.get_lines() if isinstance(a, Line2D) and list(a.get_xdata()) == [1.0, 1.0]]
        labels = [t for t in ax.texts if "×" in t.get_text()]
        assert labels
        for text in labels:
            box = text.get_bbox_patch()
            assert box is not None and box.get_facecolor() == (1.0, 1.0, 1.0, 1.0)  # opaque white
            assert text.get_zorder() > line.get_zorder()


def test_plot_writes_the_file(tmp_path: Path, synthetic_run: Callable[..., Run]) -> None:
    from slotkit.bench.plot import plot

    if not HAVE_MATPLOTLIB:
        with pytest.raises(ImportError):
            plot([synthetic_run()], tmp_path / "p.svg")
        return
    plot([synthetic_run(), synthetic_run("3.12.1")], tmp_path / "p.svg")
    assert (tmp_path / "p.svg").read_text().lstrip().startswith("<?xml")
