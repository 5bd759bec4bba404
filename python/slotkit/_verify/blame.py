"""Reading the classes to blame out of error text.

CPython names the class in the errors a wrong ``__slots__`` causes:

- ``'X' object has no attribute 'y'`` (3.13: ``... and no __dict__ for setting new
  attributes``): ``y`` was stored on an ``X`` -> add slot ``y`` to ``X`` (once; blamed
  again, ``X`` is left unslotted). For ``y`` = ``__dict__``: leave ``X`` unslotted.
- ``'X' object attribute 'y' is read-only``: a class attribute ``y`` (``__doc__``, a
  default value) is assigned on an instance -> leave ``X`` unslotted.
- ``cannot create weak reference to 'X' object`` -> ``__weakref__`` for ``X``'s family.
- ``vars() argument must have __dict__ attribute`` and anything else: no class named,
  the driver bisects.
"""

from __future__ import annotations

import dataclasses
import re

NO_ATTR = re.compile(r"'(?P<cls>[A-Za-z_]\w*)' object has no attribute '(?P<attr>[A-Za-z_]\w*)'")
READ_ONLY = re.compile(r"'(?P<cls>[A-Za-z_]\w*)' object attribute '(?P<attr>[A-Za-z_]\w*)' is read-only")
NO_WEAKREF = re.compile(r"cannot create weak reference to '(?P<cls>[A-Za-z_]\w*)' object")


@dataclasses.dataclass(frozen=True)
class Blame:
    #: "drop", "slot" (add ``attr`` as a slot) or "weakref"
    action: str
    cls: str
    attr: str = ""
    #: the line of the error that names the class
    line: str = ""


def _line_of(text: str, start: int) -> str:
    begin = text.rfind("\n", 0, start) + 1
    end = text.find("\n", start)
    return text[begin : end if end >= 0 else len(text)].strip()


def blames(text: str) -> list[Blame]:
    """Every class-naming error in ``text``, in order of appearance, without repeats."""
    found: list[tuple[int, Blame]] = []
    for m in NO_ATTR.finditer(text):
        cls, attr = m["cls"], m["attr"]
        line = _line_of(text, m.start())
        if attr == "__dict__":
            found.append((m.start(), Blame("drop", cls, attr, line)))
        elif attr == "__weakref__":
            found.append((m.start(), Blame("weakref", cls, attr, line)))
        else:
            found.append((m.start(), Blame("slot", cls, attr, line)))
    for m in READ_ONLY.finditer(text):
        found.append((m.start(), Blame("drop", m["cls"], m["attr"], _line_of(text, m.start()))))
    for m in NO_WEAKREF.finditer(text):
        found.append((m.start(), Blame("weakref", m["cls"], "__weakref__", _line_of(text, m.start()))))
    out: list[Blame] = []
    seen = set()
    for _, b in sorted(found, key=lambda x: x[0]):
        key = (b.action, b.cls, b.attr)
        if key not in seen:
            seen.add(key)
            out.append(b)
    return out


def last_error_line(text: str) -> str:
    """The most telling line of a failure: the last ``SomeError: ...`` line, else the last line."""
    lines = [re.sub(r"^E\s+", "", l.strip()) for l in text.strip().splitlines() if l.strip()]
    for line in reversed(lines):
        if re.match(r"^[A-Za-z_.]*(Error|Exception|Exit)\b", line):
            return line[:300]
    return (lines[-1] if lines else "")[:300]
