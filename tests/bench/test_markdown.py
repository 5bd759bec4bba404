"""``--markdown``: dunder names in backticks, units in the Programs table, the targets titled as such."""

from __future__ import annotations

import re
from typing import Callable

from slotkit.bench import goals
from slotkit.bench.markdown import code_dunders, render_markdown
from slotkit.bench.results import Run


def test_code_dunders() -> None:
    assert code_dunders("ratios are to __slots__ class") == "ratios are to `__slots__` class"
    assert code_dunders("`__slots__` and __dict__") == "`__slots__` and `__dict__`"
    assert code_dunders("my__slots__x and __init__.py") == "my__slots__x and `__init__`.py"


def test_markdown_never_leaves_a_dunder_bare(synthetic_run: Callable[..., Run]) -> None:
    text = render_markdown([synthetic_run(), synthetic_run("3.12.1")], "slotkit bench")
    assert "| `__slots__` class |" in text
    bare = re.findall(r"(?<!`)__slots__(?!`)", text)
    assert bare == []


def test_program_table_units_and_targets(synthetic_run: Callable[..., Run]) -> None:
    text = render_markdown([synthetic_run()], "slotkit bench --quick")
    program = text[text.index("**Programs"):text.index(f"**{goals.TITLE}")]
    slots = next(line for line in program.splitlines() if line.startswith("| `__slots__` class"))
    assert slots == "| `__slots__` class | 1234 ms (1.00×) | 80.2 ms (1.00×) | 153 MB (1.00×) | 160.4 bytes (1.00×) |"
    assert f"**{goals.TITLE}**: {goals.WHAT}" in text
    assert "goals" not in text.lower().replace("slotkit's targets", "")
