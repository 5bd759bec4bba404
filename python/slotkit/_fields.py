"""Field declarations: ``field()``, the ``Field`` description and ``fields()``."""

from __future__ import annotations

import types
from typing import Any, Callable, Mapping

from slotkit._annotations import resolve_forward_refs

__all__ = ["MISSING", "Field", "field", "fields"]


class _MissingType:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"

    def __reduce__(self) -> str:
        return "MISSING"


MISSING: Any = _MissingType()

_EMPTY: Mapping[Any, Any] = types.MappingProxyType({})


class Field:
    """One field of a Record: its name, annotation, storage kind and default.

    ``kind`` says how the value is stored: ``"f64"``, ``"i64"``, ``"bool"`` (unboxed, 8 bytes
    inline), ``"str"``, ``"bytes"``, ``"int"``, ``"float"``, ``"boolobj"`` and their nullable
    forms ending in ``?`` (an object reference holding only exact instances; numbers are
    converted), or ``"object"``. ``metadata`` is a read-only mapping for third-party use, as in
    :func:`dataclasses.field` (slotkit never reads it). Fields are read-only once their class is
    created.
    """

    __slots__ = ("name", "type", "kind", "default", "default_factory", "kw_only", "boxed", "metadata", "_frozen")

    def __init__(
        self,
        default: Any = MISSING,
        default_factory: Callable[[], Any] | Any = MISSING,
        kw_only: bool | Any = MISSING,
        boxed: bool | Any = MISSING,
        metadata: Mapping[Any, Any] | None = None,
    ) -> None:
        self._frozen = False
        self.name: str | None = None
        self.type: Any = None
        self.kind: str | None = None
        self.default = default
        self.default_factory = default_factory
        self.kw_only = kw_only
        self.boxed = boxed
        self.metadata: Mapping[Any, Any] = _EMPTY if not metadata else types.MappingProxyType(dict(metadata))

    def __setattr__(self, attr: str, value: Any) -> None:
        if getattr(self, "_frozen", False):
            raise AttributeError(f"Field {self.name!r} is read-only once its class is created")
        object.__setattr__(self, attr, value)

    def _freeze(self) -> None:
        object.__setattr__(self, "_frozen", True)

    def __repr__(self) -> str:
        parts = [f"name={self.name!r}", f"kind={self.kind!r}"]
        if self.default is not MISSING:
            parts.append(f"default={self.default!r}")
        if self.default_factory is not MISSING:
            parts.append(f"default_factory={self.default_factory!r}")
        if self.kw_only is True:
            parts.append("kw_only=True")
        if self.boxed is True:
            parts.append("boxed=True")
        if self.metadata:
            parts.append(f"metadata={dict(self.metadata)!r}")
        return f"Field({', '.join(parts)})"

    def _copy(self) -> Field:
        new = Field(self.default, self.default_factory, self.kw_only, self.boxed, self.metadata)
        new.name, new.type, new.kind = self.name, self.type, self.kind
        return new


def field(
    *,
    default: Any = MISSING,
    default_factory: Callable[[], Any] | Any = MISSING,
    kw_only: bool | Any = MISSING,
    boxed: bool | Any = MISSING,
    metadata: Mapping[Any, Any] | None = None,
) -> Any:
    """Declare a field with a default, a default factory, as keyword-only, or (``boxed=True``)
    a ``float``/``int``/``bool`` stored as an object: reads as fast as ``__slots__`` (no float
    is created per read), 8 bytes plus the value object, still checked and still non-GC.
    ``metadata`` (a mapping, copied and made read-only) is kept for other libraries, and shows
    in :func:`dataclasses.fields` as it does for a dataclass.

    >>> class Order(Record):
    ...     items: list = field(default_factory=list)
    """
    if default is not MISSING and default_factory is not MISSING:
        raise ValueError("cannot specify both default and default_factory")
    if default_factory is not MISSING and not callable(default_factory):
        raise TypeError(f"default_factory must be callable, got {default_factory!r}")
    if metadata is not None and not isinstance(metadata, Mapping):
        raise TypeError(f"metadata must be a mapping, got {type(metadata).__name__}")
    return Field(default, default_factory, kw_only, boxed, metadata)


def fields(class_or_instance: Any) -> tuple[Field, ...]:
    """The fields of a Record class or instance, in layout (constructor) order.

    A field annotated with a forward reference (a name defined later, a string annotation, or
    any annotation under ``from __future__ import annotations``) has as ``type`` what
    ``typing.get_type_hints(cls, include_extras=True)`` gives for it once the names exist; until
    then, the string or ``ForwardRef`` as written.
    """
    cls = class_or_instance if isinstance(class_or_instance, type) else type(class_or_instance)
    try:
        found = cls.__dict__.get("__slotkit_fields__")
        if found is None:
            found = cls.__slotkit_fields__
    except AttributeError:
        raise TypeError(f"{cls.__qualname__} is not a slotkit Record") from None
    resolve_forward_refs(cls, found)
    return found
