"""Class options: ``class P(Record, frozen=True, weakref=True): ...``.

``boxed=True`` stores the class's own ``float``/``int``/``bool`` fields as objects (see
``field(boxed=...)``). Options are inherited by subclasses. A subclass may add ``weakref``/``extra`` (they add a slot)
but not remove them, may not change ``frozen``, and may change ``eq``, ``order``, ``kw_only`` and
``gc`` freely. Contradictions are refused when the class is created.
"""

from __future__ import annotations

from typing import Any

from slotkit import _core

NAMES = ("weakref", "extra", "frozen", "eq", "order", "kw_only", "gc", "boxed")
DEFAULTS: dict[str, Any] = {
    "weakref": False,
    "extra": False,
    "frozen": False,
    "eq": True,
    "order": False,
    "kw_only": False,
    "gc": None,
    "boxed": False,
}


def resolve(name: str, bases: tuple[type, ...], kwds: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Pops the options from the class keywords; returns ``(options, inherited options)``."""
    parent = next((b for b in bases if _core.is_record_class(b)), None)
    inherited = {**DEFAULTS, **parent.__slotkit_options__} if parent is not None else dict(DEFAULTS)
    given = {k: kwds.pop(k) for k in NAMES if k in kwds}
    for key, value in given.items():
        allowed = (True, False, None) if key == "gc" else (True, False)
        if not any(value is a for a in allowed):
            expected = "True, False or None" if key == "gc" else "True or False"
            raise TypeError(f"{name}: class option {key}= expects {expected}, got {value!r}")
    opts = {**inherited, **given}
    _check(name, parent, inherited, opts)
    return opts, inherited


def _check(name: str, parent: type | None, inherited: dict[str, Any], opts: dict[str, Any]) -> None:
    base = parent.__qualname__ if parent is not None else "its base"
    for key, what in (("weakref", "weak reference support"), ("extra", "the attribute dict")):
        if inherited[key] and not opts[key]:
            raise TypeError(f"{name}: {key}=False cannot remove {what} that {base} provides")
    if parent is not None and parent.__slotkit_fields__ and opts["frozen"] != inherited["frozen"]:
        if opts["frozen"]:
            raise TypeError(f"{name}: cannot inherit a frozen Record from the non-frozen {base}")
        raise TypeError(f"{name}: cannot inherit a non-frozen Record from the frozen {base}")
    if opts["order"] and not opts["eq"]:
        raise ValueError(f"{name}: order=True needs eq=True (ordering is defined from equality)")
    if opts["frozen"] and opts["extra"]:
        raise TypeError(f"{name}: frozen=True and extra=True contradict: a frozen instance cannot gain attributes")
    if opts["gc"] is False and opts["extra"]:
        raise TypeError(
            f"{name}: gc=False is refused with extra=True: the attribute dict can close a "
            "reference cycle that a non-GC type could never collect"
        )
