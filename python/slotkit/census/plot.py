"""``--plot FILE.png``: the top classes, bytes now against projected under __slots__ and as a Record."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def plot(data: dict[str, Any], path: Path, top: int = 15) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [r for r in data["rows"] if "with_dict" in r][:top]
    names = [r["class"] for r in rows][::-1]
    mib = 1024 * 1024
    now = [r["bytes"] / mib for r in rows][::-1]
    slots = [(r["slots_bytes"] if r["slots_bytes"] is not None else r["bytes"]) / mib for r in rows][::-1]
    record = [(r["record_bytes"] if r["record_bytes"] is not None else r["bytes"]) / mib for r in rows][::-1]
    fig, ax = plt.subplots(figsize=(10, 1.2 + 0.45 * max(len(rows), 1)))
    y = range(len(rows))
    h = 0.27
    ax.barh([i + h for i in y], now, h, label="now", color="#888888")
    ax.barh(list(y), slots, h, label="__slots__", color="#4c72b0")
    ax.barh([i - h for i in y], record, h, label="slotkit Record", color="#dd8452")
    ax.set_yticks(list(y), names, fontsize=8)
    ax.set_xlabel("MiB (instances + their __dict__s + values only they hold)")
    ax.set_title(f"slotkit census, Python {data['python']}: top classes, bytes now and projected")
    ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
