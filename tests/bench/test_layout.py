"""The terminal tables fit 80 and 120 columns: nothing cut, every header and unit shown (rich, fixed width)."""

from __future__ import annotations

import io
from typing import Callable

import pytest
from rich.console import Console

from slotkit.bench import figures, goals
from slotkit.bench.report import render
from slotkit.bench.results import Run


def _text(runs: list[Run], width: int) -> str:
    console = Console(width=width, file=io.StringIO(), record=True, color_system=None)
    render(runs, console)
    return console.export_text()


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("pythons", [1, 3])
def test_tables_fit_and_nothing_is_cut(width: int, pythons: int, synthetic_run: Callable[..., Run]) -> None:
    runs = [synthetic_run(p) for p in ("3.11.7", "3.12.1", "3.13.0")[:pythons]]
    text = _text(runs, width)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= width
    assert "…" not in text
    headers = "\n".join(line for line in lines if line.startswith("┃"))  # the tables' header rows
    for group in figures.TABLES:
        assert group.title.split(",")[0] in text
        for fig in group.figures:
            assert f" {fig.header} " in headers, (group.key, fig.header)
    assert goals.TITLE in text


@pytest.mark.parametrize("width", [80, 120])
def test_program_cells_carry_their_units(width: int, synthetic_run: Callable[..., Run]) -> None:
    text = _text([synthetic_run()], width)
    program = text[text.index("Programs"):]
    slots_line = next(line for line in program.splitlines() if "__slots__ class" in line)
    assert "1234 ms" in slots_line and "80.2 ms" in slots_line
    assert "153 MB" in slots_line and "160.4 bytes" in slots_line


def test_wide_terminal_keeps_variant_names_on_one_line(synthetic_run: Callable[..., Run]) -> None:
    assert "msgspec.Struct, gc=False" in _text([synthetic_run()], 120)


def test_each_table_has_a_legend_for_its_short_headers(synthetic_run: Callable[..., Run]) -> None:
    text = " ".join(_text([synthetic_run()], 120).split())
    assert "+values: with its 3 fresh floats" in text
    assert "P: Point3D, E: Employee" in text
    assert "p.dist(q): p.distance_to(q)" in text
