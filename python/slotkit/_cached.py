"""``functools.cached_property`` on Records: the value is cached in a hidden slot of its own
(8 bytes) instead of a per-instance ``__dict__``."""

from __future__ import annotations

from typing import Any, Callable


class SlotCachedProperty:
    """Computes ``func(obj)`` on first access and keeps it in the slot ``slot``."""

    def __init__(self, func: Callable[[Any], Any], slot: str) -> None:
        self.func = func
        self.slot = slot
        self.attrname: str | None = None
        self.member: Any = None
        self.__doc__ = func.__doc__
        self.__module__ = func.__module__

    def __set_name__(self, owner: type, name: str) -> None:
        self.attrname = name
        self.member = owner.__dict__[self.slot]

    def __get__(self, obj: Any, objtype: type | None = None) -> Any:
        if obj is None:
            return self
        member = self.member
        try:
            return member.__get__(obj, objtype)
        except AttributeError:
            value = self.func(obj)
            member.__set__(obj, value)
            return value

    def __set__(self, obj: Any, value: Any) -> None:
        self.member.__set__(obj, value)

    def __delete__(self, obj: Any) -> None:
        self.member.__delete__(obj)

    def __repr__(self) -> str:
        return f"<cached property {self.attrname!r} of slot {self.slot!r}>"
