"""``__setattr__``/``__delattr__`` that slotkit puts in class namespaces.

- Frozen classes get Python-level ones that raise :class:`FrozenInstanceError` (as frozen
  dataclasses do), so ``object.__setattr__(self, ...)`` still works in ``__init__`` and
  ``__post_init__``.
- Classes with exact-type object fields (``name: str``) get ones that check the value. Instances
  are written through their C twin (the class's ``tp_setattro``); these Python functions serve
  ``super().__setattr__(...)`` from subclasses and ``Cls.__setattr__(obj, ...)``.
"""

from __future__ import annotations

from typing import Any

from slotkit import _core


class FrozenInstanceError(AttributeError):
    """Raised when assigning to or deleting an attribute of a frozen Record."""


def frozen_setattr(self: Any, name: str, value: Any) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def frozen_delattr(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def checked_setattr(self: Any, name: str, value: Any) -> None:
    _core.checked_setattr(self, name, value)


def checked_delattr(self: Any, name: str) -> None:
    _core.checked_setattr(self, name)


for _f, _name in (
    (frozen_setattr, "__setattr__"),
    (frozen_delattr, "__delattr__"),
    (checked_setattr, "__setattr__"),
    (checked_delattr, "__delattr__"),
):
    _f.__name__ = _f.__qualname__ = _name

_OURS = (frozen_setattr, frozen_delattr, checked_setattr, checked_delattr)


def install(name: str, bases: tuple[type, ...], ns: dict[str, Any], frozen: bool, checked: bool) -> bool:
    """Adds the right ``__setattr__``/``__delattr__`` to ``ns``. Returns True when they are the
    checked ones (the native layer then installs their C twin)."""
    if frozen:
        for attr in ("__setattr__", "__delattr__"):
            if attr in ns:
                raise TypeError(f"Cannot overwrite attribute {attr} in frozen class {name}")
        ns["__setattr__"], ns["__delattr__"] = frozen_setattr, frozen_delattr
        return False
    if not checked or "__setattr__" in ns or "__delattr__" in ns:
        return False
    if not all(_inherited(bases, attr) for attr in ("__setattr__", "__delattr__")):
        return False  # a base wrote its own: keep it
    ns["__setattr__"], ns["__delattr__"] = checked_setattr, checked_delattr
    return True


def _inherited(bases: tuple[type, ...], attr: str) -> bool:
    """True when every base resolves ``attr`` to object's or to slotkit's own."""
    for base in bases:
        for klass in base.__mro__:
            if attr in klass.__dict__:
                found = klass.__dict__[attr]
                if found is not getattr(object, attr) and found not in _OURS:
                    return False
                break
    return True
