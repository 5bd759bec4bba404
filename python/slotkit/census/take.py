"""Taking a census: the Rust heap walk, then the per-class rows (projections, savings, source
location and the ``slotkit check`` verdict), ranked by what slotting would save."""

from __future__ import annotations

import json
import platform
import time
from typing import Any

from slotkit._core import census_walk
from slotkit.census.result import FORMAT, Census
from slotkit.census.source import locate, verdicts

# classes whose source location and check verdict are looked up (the largest savings first)
DEFAULT_VERDICTS = 40


def _attributes(raw: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    out = []
    for name, types, more, seen, held, kind in raw:
        out.append({"name": name, "types": types + (["..."] if more else []), "seen": seen,
                    "held_bytes": held, "record_kind": kind})
    return out


def _row(raw: dict[str, Any]) -> dict[str, Any]:
    now = raw["instance_bytes"] + raw["dict_bytes"] + raw["held_bytes"]
    row: dict[str, Any] = {
        "class": raw["name"],
        "count": raw["count"],
        "instance_bytes": raw["instance_bytes"],
        "dict_bytes": raw["dict_bytes"],
        "held_bytes": raw["held_bytes"],
        "bytes": now,
    }
    if "cls" in raw:
        slots, record = raw.get("slots_bytes"), raw.get("record_bytes")
        row.update({
            "with_dict": raw["with_dict"],
            "weakrefs": raw["weakrefs"],
            "slots_bytes": slots,
            "slots_saving": None if slots is None else now - slots,
            "record_bytes": record,
            "record_saving": None if record is None else now - record,
            "existing_slots": raw.get("slot_names", []),
            "attributes": _attributes(raw.get("attributes", [])),
            "source": None,
            "check": None,
        })
    return row


def _rank(row: dict[str, Any]) -> tuple[int, int]:
    best = max(row.get("slots_saving") or 0, row.get("record_saving") or 0)
    return (-best, -row["bytes"])


def take(reason: str = "call", *, verdict_limit: int = DEFAULT_VERDICTS) -> Census:
    """Walks the heap now and returns the census (see :func:`slotkit.census`)."""
    start = time.perf_counter()
    raw = census_walk([Census])
    walked = time.perf_counter() - start
    classes: dict[str, type] = {}
    rows = []
    for r in raw["rows"]:
        row = _row(r)
        if "cls" in r:
            classes[row["class"]] = r["cls"]
        rows.append(row)
    objects, total = raw["objects"], raw["bytes"]
    del raw
    rows.sort(key=_rank)
    looked_up = [row for row in rows if row["class"] in classes and max(row["slots_saving"] or 0, row["record_saving"] or 0) > 0]
    looked_up = looked_up[:verdict_limit]
    for row in looked_up:
        row["source"] = locate(classes[row["class"]])
    found = verdicts([(row["source"], classes[row["class"]]) for row in looked_up])
    for row, verdict in zip(looked_up, found):
        row["check"] = verdict
    classes.clear()
    data = {
        "format": FORMAT,
        "python": platform.python_version(),
        "reason": reason,
        "objects": objects,
        "bytes": total,
        "walk_seconds": round(walked, 3),
        "seconds": round(time.perf_counter() - start, 3),
        "rows": rows,
    }
    return Census(json.dumps(data, separators=(",", ":")))

