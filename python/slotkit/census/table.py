"""The census as a table: plain text (``str``) or a rich ``Table`` (``rich.print``)."""

from __future__ import annotations

from typing import Any

HEADERS = ("class", "count", "bytes now", "__slots__ (saves)", "Record (saves)", "check", "attributes seen")


def size(n: int | None) -> str:
    if n is None:
        return "-"
    sign = "-" if n < 0 else ""
    value = float(abs(n))
    for unit in ("B", "KiB", "MiB"):
        if value < 1024:
            return f"{sign}{value:,.0f} {unit}" if unit == "B" else f"{sign}{value:,.1f} {unit}"
        value /= 1024
    return f"{sign}{value:,.1f} GiB"


def _projected(row: dict[str, Any], key: str) -> str:
    b = row.get(f"{key}_bytes")
    if b is None:
        return "-"
    return f"{size(b)} ({size(row[f'{key}_saving'])})"


def _attrs(row: dict[str, Any], width: int = 48) -> str:
    parts = []
    for a in row.get("attributes", []):
        kind = a["record_kind"]
        parts.append(f"{a['name']}:{kind}" if kind in ("f64", "i64", "bool") else a["name"])
    text = ", ".join(parts)
    return text if len(text) <= width else text[: width - 3] + "..."


def _check(row: dict[str, Any]) -> str:
    c = row.get("check")
    if not c:
        return "-" if row.get("source") is None else "?"
    if c["verdict"] == "blocked" and c["reasons"]:
        reason = c["reasons"][0]
        return f"blocked: {reason if len(reason) <= 40 else reason[:37] + '...'}"
    return c["verdict"]


def cells(data: dict[str, Any], top: int) -> list[tuple[str, ...]]:
    shown = [r for r in data["rows"] if "with_dict" in r][:top]
    return [(r["class"], f"{r['count']:,}", size(r["bytes"]), _projected(r, "slots"), _projected(r, "record"),
             _check(r), _attrs(r)) for r in shown]


def title(data: dict[str, Any]) -> str:
    return (f"slotkit census ({data['reason']}, Python {data['python']}): {data['objects']:,} objects, "
            f"{size(data['bytes'])}; walk {data['walk_seconds']:.2f} s")


def render(data: dict[str, Any], top: int = 15) -> str:
    rows = cells(data, top)
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(HEADERS)]
    widths[-1] = len(HEADERS[-1])
    lines = [title(data), "  ".join(h.ljust(w) for h, w in zip(HEADERS, widths)).rstrip()]
    for r in rows:
        lines.append("  ".join(c.ljust(w) if i in (0, 5, 6) else c.rjust(w)
                               for i, (c, w) in enumerate(zip(r, widths))).rstrip())
    if not rows:
        lines.append("(no instances of classes written in Python)")
    return "\n".join(lines)


def rich_table(data: dict[str, Any], top: int = 15) -> Any:
    from rich.table import Table

    t = Table(title=title(data))
    for i, h in enumerate(HEADERS):
        t.add_column(h, justify="left" if i in (0, 5, 6) else "right")
    for r in cells(data, top):
        t.add_row(*r)
    return t
