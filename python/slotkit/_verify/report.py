"""The final report of ``slotkit fix --verify`` (text, and JSON for scripts)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from slotkit._verify.driver import Result, plural


def text(result: Result) -> str:
    lines = []
    slotted = result.slotted
    safe = sum(1 for c in slotted if c.applicability == "safe")
    lines.append(
        f"Verified in {plural(result.rounds, 'round', 'rounds')}, {plural(result.runs, 'run', 'runs')} of the command, {result.seconds:.1f} s."
    )
    if result.gave_up:
        lines.append("Gave up after the maximum number of rounds: no file was changed.")
    saved = sorted(c.saved for c in slotted)
    if not saved:
        span = ""
    elif saved[0] == saved[-1]:
        span = f"; ~{saved[0]} B saved per instance each"
    else:
        span = f"; ~{saved[0]}-{saved[-1]} B saved per instance"
    lines.append(
        f"Slotted {plural(len(slotted), 'class', 'classes')} ({safe} safe, {len(slotted) - safe} unsafe fixes){span}:"
    )
    for c in slotted:
        extra = f" (added by verify: {', '.join(c.added)})" if c.added else ""
        lines.append(f"  {c.path}:{c.line} {c.name}: __slots__ = {tuple(c.slots)!r}, ~{c.saved} B per instance [{c.applicability}]{extra}")
    if result.dropped:
        lines.append(f"Left {plural(len(result.dropped), 'class', 'classes')} unslotted:")
        for d in result.dropped:
            lines.append(f"  {d.id}: {d.why}; {d.test}: {d.error}")
    return "\n".join(lines) + "\n"


def write_json(result: Result, path: Path) -> None:
    data = {
        "rounds": result.rounds,
        "runs": result.runs,
        "seconds": round(result.seconds, 2),
        "gave_up": result.gave_up,
        "baseline": {
            "returncode": result.baseline.returncode,
            "tests": result.baseline.tests,
            "failures": sorted(result.baseline.failures or []),
        },
        "slotted": [dataclasses.asdict(c) | {"saved": c.saved} for c in result.slotted],
        "dropped": [dataclasses.asdict(d) for d in result.dropped],
    }
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
