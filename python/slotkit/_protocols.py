"""Pickling, copying and ``replace`` for Records, built on the native ``get_state``/``set_state``
(unset fields travel as ``UNSET`` and stay unset), plus ``asdict``/``astuple``."""

from __future__ import annotations

import copy
from typing import Any

from slotkit import _core
from slotkit._fields import fields

__all__ = ["UNSET", "asdict", "astuple", "reconstruct", "replace"]


class _Unset:
    __slots__ = ()

    def __repr__(self) -> str:
        return "UNSET"

    def __reduce__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


def _extra(obj: Any) -> dict[str, Any] | None:
    """The attribute dict of an ``extra=True`` record, if it has one with content."""
    if not type(obj).__slotkit_options__["extra"]:
        return None
    return dict(obj.__dict__) or None


def reduce(obj: Any) -> tuple[Any, ...]:
    """``__reduce__`` of every Record: works with pickle protocols 0-5 and ``copy``. The new
    instance is made first and its state set afterwards (``__setstate__``), so pickle and
    ``deepcopy`` memoize it before its fields: self-references keep their identity."""
    return (_core.new_instance, (type(obj),), (_core.get_state(obj, UNSET), _extra(obj)))


def setstate(obj: Any, state: tuple[Any, ...]) -> None:
    """``__setstate__`` of every Record: fills a new, empty instance from :func:`reduce`'s
    state, with the checks of assignment."""
    name = type(obj).__qualname__
    if not (isinstance(state, tuple) and len(state) == 2):
        raise TypeError(
            f"{name}.__setstate__() expects the (values, attributes) pair that pickle and copy "
            f"produce, got {type(state).__name__}"
        )
    values, extra = state
    if extra is not None and not isinstance(extra, dict):
        raise TypeError(
            f"{name}.__setstate__(): attributes must be a dict or None, got {type(extra).__name__}"
        )
    if extra and not type(obj).__dictoffset__:
        raise TypeError(
            f"{name}.__setstate__(): the state holds attributes {sorted(map(str, extra))} but "
            f"{name} instances have no __dict__ (declare the class with extra=True)"
        )
    _core.restore(obj, values, UNSET)
    if extra:
        obj.__dict__.update(extra)


def reconstruct(cls: type, state: tuple[Any, ...], extra: dict[str, Any] | None = None) -> Any:
    """Rebuilds a record from a state tuple without running ``__init__`` (also what pickles made
    by slotkit 0.1 call)."""
    obj = _core.new_instance(cls)
    _core.set_state(obj, state, UNSET)
    if extra:
        obj.__dict__.update(extra)
    return obj


def replace(obj: Any, /, **changes: Any) -> Any:
    """A copy of ``obj`` with ``changes`` applied (checked like assignments), then
    ``__post_init__``. Unset fields stay unset. Works on frozen records."""
    if not _core.is_record_class(type(obj)):
        raise TypeError(f"replace() should be called on a Record instance, got {type(obj).__qualname__}")
    cls = type(obj)
    state = list(_core.get_state(obj, UNSET))
    index = {f.name: i for i, f in enumerate(fields(cls))}
    for name, value in changes.items():
        if name not in index:
            raise TypeError(f"{cls.__qualname__}.__replace__() got an unexpected keyword argument '{name}'")
        state[index[name]] = value
    new = reconstruct(cls, tuple(state), _extra(obj))
    post_init = getattr(new, "__post_init__", None)
    if post_init is not None:
        post_init()
    return new


def asdict(obj: Any, *, dict_factory: Any = dict) -> Any:
    """The record's fields as a dict, recursing into records, lists, tuples and dicts (like
    ``dataclasses.asdict``). Unset fields are left out."""
    if not _core.is_record_class(type(obj)):
        raise TypeError("asdict() should be called on Record instances")
    return _asdict_inner(obj, dict_factory)


def _asdict_inner(obj: Any, dict_factory: Any) -> Any:
    if _core.is_record_class(type(obj)):
        state = _core.get_state(obj, UNSET)
        return dict_factory(
            [(f.name, _asdict_inner(v, dict_factory)) for f, v in zip(fields(obj), state) if v is not UNSET]
        )
    return _inner(obj, lambda v: _asdict_inner(v, dict_factory))


def astuple(obj: Any, *, tuple_factory: Any = tuple) -> Any:
    """The record's fields as a tuple, recursing like :func:`asdict`. An unset field raises
    ``AttributeError`` (a tuple has no way to leave a position out)."""
    if not _core.is_record_class(type(obj)):
        raise TypeError("astuple() should be called on Record instances")
    return _astuple_inner(obj, tuple_factory)


def _astuple_inner(obj: Any, tuple_factory: Any) -> Any:
    if _core.is_record_class(type(obj)):
        return tuple_factory([_astuple_inner(getattr(obj, f.name), tuple_factory) for f in fields(obj)])
    return _inner(obj, lambda v: _astuple_inner(v, tuple_factory))


def _inner(obj: Any, recurse: Any) -> Any:
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):
        return type(obj)(*[recurse(v) for v in obj])
    if isinstance(obj, (list, tuple)):
        return type(obj)(recurse(v) for v in obj)
    if isinstance(obj, dict):
        return type(obj)((recurse(k), recurse(v)) for k, v in obj.items())
    return copy.deepcopy(obj)
