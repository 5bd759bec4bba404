"""The census result: per-class rows, a table when printed, JSON when saved.

Its data is kept as one JSON string, so that a later census, which leaves out objects of this
class, also leaves out everything this one holds (a string reachable only through it).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FORMAT = "slotkit-census/1"


class Census:
    """What :func:`slotkit.census` returns."""

    __slots__ = ("_json",)

    def __init__(self, data: str) -> None:
        self._json = data

    @property
    def data(self) -> dict[str, Any]:
        """The whole census as a dict (a new one on each access)."""
        return json.loads(self._json)

    @property
    def rows(self) -> list[dict[str, Any]]:
        """One dict per type with live objects, ranked by the larger projected saving."""
        return self.data["rows"]

    def row(self, name: str) -> dict[str, Any] | None:
        """The row of a class by its ``module.qualname`` (``"__main__.Point"``), or None."""
        return next((r for r in self.rows if r["class"] == name), None)

    @property
    def total_bytes(self) -> int:
        return self.data["bytes"]

    def to_json(self) -> str:
        return json.dumps(self.data, indent=1)

    def save(self, path: str | Path) -> None:
        Path(path).write_text(self.to_json() + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> Census:
        """A census saved with :meth:`save` (``ValueError`` if the file is not one)."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError(f"{path}: not a slotkit census JSON file (format {FORMAT})")
        return cls(json.dumps(data, separators=(",", ":")))

    def table(self, top: int = 15) -> str:
        from slotkit.census.table import render

        return render(self.data, top)

    def __str__(self) -> str:
        """The table: drawn by rich when it is installed, plain text otherwise."""
        try:
            import io
            import shutil

            from rich.console import Console
        except ImportError:
            return self.table()
        from slotkit.census.table import rich_table

        out = io.StringIO()
        Console(file=out, width=shutil.get_terminal_size((160, 24)).columns, color_system=None).print(rich_table(self.data, 15))
        return out.getvalue().rstrip("\n")

    def __repr__(self) -> str:
        d = self.data
        return f"<slotkit Census: {d['objects']:,} objects, {d['bytes']:,} bytes, {len(d['rows'])} types>"

    def __rich__(self) -> Any:
        from slotkit.census.table import rich_table

        return rich_table(self.data, 15)
