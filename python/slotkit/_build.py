"""Class creation for Records: turns a class body into the namespace ``type.__new__`` lays out.

The native metaclass (``_core.RecordMeta``) calls :func:`prepare` with the class statement's
arguments, passes the namespace it returns to ``type.__new__`` (so CPython computes the slot
offsets, fills the ``__class__`` cell and runs ``__set_name__``/``__init_subclass__`` once, on the
final class), then finishes the layout in Rust from the field specs returned here.
"""

from __future__ import annotations

import sys
import types
from abc import ABCMeta, _abc_init  # type: ignore[attr-defined]
from functools import cached_property
from typing import Any

from slotkit import _core, _dataclass, _setattr
from slotkit._annotations import CLASSVAR, kind_of, own_annotations
from slotkit._cached import SlotCachedProperty
from slotkit._fields import MISSING, Field
from slotkit._options import resolve

_RESERVED = frozenset({"__dict__", "__weakref__", "__slots__", "__slotkit_fields__"})
_CLASHING = (types.FunctionType, property, classmethod, staticmethod, cached_property)


def _cached_property_slots(ns: dict[str, Any]) -> list[str]:
    """Replaces each ``functools.cached_property`` with one that caches in a hidden slot (a
    Record has no ``__dict__`` to cache in); returns the hidden slot names."""
    hidden = []
    for attr, value in list(ns.items()):
        if isinstance(value, cached_property):
            slot = f"__slotkit_cached_{attr}__"
            ns[attr] = SlotCachedProperty(value.func, slot)
            hidden.append(slot)
    return hidden


def _set_hash(name: str, ns: dict[str, Any], new_ns: dict[str, Any], opts: dict[str, Any]) -> bool:
    """Sets ``__hash__`` as dataclasses do; returns True when it hashes the fields."""
    if "__hash__" in ns:
        return False
    if not opts["eq"]:
        new_ns["__hash__"] = object.__hash__
        return False
    if opts["frozen"]:
        new_ns["__hash__"] = _hash_fields
        return True
    new_ns["__hash__"] = None
    return False


def _hash_fields(self: Any) -> int:
    return _core.hash_fields(self)


_hash_fields.__name__ = _hash_fields.__qualname__ = "__hash__"


def prepare(
    mcls: type, name: str, bases: tuple[type, ...], ns: dict[str, Any], kwds: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any], list[tuple[Any, ...]], dict[str, Any]]:
    """Return ``(namespace, init_subclass_kwargs, field_specs, options)`` for ``type.__new__``
    and the native finish."""
    if "__slots__" in ns:
        raise TypeError(
            f"{name} defines __slots__, but a Record's slots come from its annotations: "
            "remove __slots__ and annotate the fields instead"
        )
    kwds = dict(kwds)
    opts, inherited = resolve(name, bases, kwds)
    check_unknown_options(name, bases, kwds)
    _check_bases(name, bases, opts)
    inherited_fields = _inherited_fields(name, bases)
    classvars: dict[str, Any] = {}
    own = _own_fields(name, ns, {f.name: f for f in inherited_fields}, opts["kw_only"], opts["boxed"], classvars)
    all_fields = (*inherited_fields, *own)
    _check_default_order(name, all_fields)

    own_names = {f.name for f in own}
    new_ns = {k: v for k, v in ns.items() if k not in own_names}
    hidden = _cached_property_slots(new_ns)
    own_weakref = opts["weakref"] and not inherited["weakref"]
    own_dict = opts["extra"] and not inherited["extra"]
    if own_weakref:
        hidden.append("__slotkit_weakref__")
    if own_dict:
        hidden.append("__slotkit_dict__")
    shown_slots = tuple(f.name for f in own)
    new_ns["__slots__"] = shown_slots + tuple(hidden)
    new_ns["__slotkit_fields__"] = all_fields
    new_ns["__slotkit_options__"] = opts
    new_ns.setdefault("__match_args__", tuple(f.name for f in all_fields if not f.kw_only))
    new_ns["__dataclass_fields__"] = _dataclass.dataclass_fields(bases, all_fields, classvars)
    new_ns["__dataclass_params__"] = _dataclass.dataclass_params(opts)
    signature = _dataclass.init_signature(all_fields) if "__init__" not in ns else None
    if signature is not None:
        new_ns.setdefault("__signature__", signature)
    hash_fields = _set_hash(name, ns, new_ns, opts)
    for f in all_fields:
        f._freeze()
    checked = any(f.kind not in ("object", "f64", "i64", "bool") for f in all_fields)
    checked_setattr = _setattr.install(name, bases, new_ns, opts["frozen"], checked)
    specs = [_spec(f) for f in all_fields]
    native = {
        "eq": opts["eq"],
        "order": opts["order"],
        "frozen": opts["frozen"],
        "gc": opts["gc"],
        "hash_fields": hash_fields,
        "weakref_inherited": inherited["weakref"],
        "own_weakref_slot": own_weakref,
        "own_dict_slot": own_dict,
        "hidden_objects": any(h.startswith("__slotkit_cached_") for h in hidden),
        "checked_setattr": checked_setattr,
        "shown_slots": shown_slots,
    }
    return new_ns, kwds, specs, native


def _spec(f: Field) -> tuple[Any, ...]:
    """The tuple the native layer reads: ``(name, kind, (default,) or (), factory or None,
    kw_only)``."""
    default = () if f.default is MISSING else (f.default,)
    factory = None if f.default_factory is MISSING else f.default_factory
    return (f.name, f.kind, default, factory, bool(f.kw_only))


def _check_bases(name: str, bases: tuple[type, ...], opts: dict[str, Any]) -> None:
    for base in bases:
        for klass in base.__mro__:
            if not _core.is_python_class(klass):
                raise TypeError(
                    f"{name} cannot derive from {klass.__qualname__}: it is a built-in or extension "
                    "type whose instances its own C code lays out and frees, which a Record cannot "
                    f"extend; hold a {klass.__qualname__} in a field instead (composition)"
                )
        for klass in base.__mro__:
            foreign = _foreign_fields(klass)
            if foreign:
                raise TypeError(
                    f"{name} cannot derive from {klass.__qualname__}: it is {foreign}, and a "
                    "Record's constructor, copy and pickle cover Record fields only; make "
                    f"{klass.__qualname__} a Record, or hold one in a field (composition)"
                )
    owners = {}
    for base in bases:
        owner = _field_owner(base)
        if owner is not None:
            owners.setdefault(owner, base)
    deepest = max(owners, key=lambda o: len(o.__mro__), default=None)
    conflicting = [o for o in owners if deepest is not None and not issubclass(deepest, o)]
    if conflicting:
        described = "; ".join(
            f"{owners[o].__qualname__} adds {', '.join(repr(f.name) for f in _own_of(o))}"
            for o in (deepest, *conflicting)
        )
        raise TypeError(
            f"{name} cannot inherit fields from more than one Record base ({described}): "
            "keep one base with fields and make the others mixins without fields, "
            "or hold the other record as a field (composition)"
        )
    for base in bases:
        if not base.__dictoffset__:
            continue
        if _core.is_record_class(base):
            if not opts["extra"]:
                raise TypeError(f"{name}: extra=False cannot remove the attribute dict that {base.__qualname__} provides")
            continue
        raise TypeError(
            f"{name} cannot derive from {base.__qualname__}: its instances carry a __dict__, "
            f"which a Record does not have; give {base.__qualname__} (and its bases) "
            "'__slots__ = ()' (a mixin must add no instance state)"
        )


def _foreign_fields(klass: type) -> str | None:
    """What makes ``klass`` a class with fields slotkit does not manage, if anything."""
    own = klass.__dict__
    if own.get("__dataclass_fields__") and not _core.is_record_class(klass):
        import dataclasses

        if dataclasses.fields(klass):
            return "a dataclass with fields"
    if own.get("__attrs_attrs__"):
        return "an attrs class with fields"
    return None


def check_unknown_options(name: str, bases: tuple[type, ...], kwds: dict[str, Any]) -> None:
    """Class keywords that are not slotkit options go to ``__init_subclass__``; when no base
    defines one that could take them, they are misspelt options."""
    if not kwds:
        return
    for base in bases:
        for klass in base.__mro__:
            if klass is not object and "__init_subclass__" in klass.__dict__:
                return
    import difflib

    from slotkit._options import NAMES

    parts = []
    for key in kwds:
        close = difflib.get_close_matches(key, NAMES, n=1)
        parts.append(f"{key!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    raise TypeError(
        f"{name}: unknown class option {', '.join(parts)}; the options are "
        f"{', '.join(NAMES)}"
    )


def _field_owner(cls: type) -> type | None:
    """The class whose fields end ``cls``'s layout: the nearest Record class in its MRO that
    declared fields of its own."""
    for klass in cls.__mro__:
        if _core.is_record_class(klass) and _own_of(klass):
            return klass
    return None


def _own_of(cls: type) -> tuple[Field, ...]:
    parent = next((b for b in cls.__mro__[1:] if _core.is_record_class(b)), None)
    inherited = len(parent.__slotkit_fields__) if parent is not None else 0
    return cls.__slotkit_fields__[inherited:]


def _inherited_fields(name: str, bases: tuple[type, ...]) -> tuple[Field, ...]:
    richest = max(
        (b for b in bases if _core.is_record_class(b)), key=lambda b: len(b.__slotkit_fields__), default=None
    )
    if richest is None:
        return ()
    return tuple(f._copy() for f in richest.__slotkit_fields__)


def _own_fields(
    name: str, ns: dict[str, Any], inherited: dict[str, Field], kw_only: bool, boxed: bool,
    classvars: dict[str, Any],
) -> list[Field]:
    """The fields this class body declares; its ``ClassVar`` annotations go to ``classvars``."""
    module = sys.modules.get(ns.get("__module__", ""))
    module_globals = vars(module) if module is not None else {}
    own: list[Field] = []
    annotations = own_annotations(ns)
    for fname in annotations:
        if not isinstance(fname, str):
            raise TypeError(f"{name}: annotation names must be strings, got {fname!r}")
    for attr, value in ns.items():
        if isinstance(value, Field) and attr not in annotations:
            raise TypeError(f"{name}.{attr} is a field() without a type annotation: annotate it ({attr}: T = field(...))")
    for fname, annotation in annotations.items():
        kind = kind_of(annotation, module_globals, ns)
        if kind is CLASSVAR:
            classvars[fname] = annotation
            continue
        if fname in _RESERVED or (fname.startswith("__") and fname.endswith("__")):
            raise TypeError(f"{name}.{fname}: a Record field cannot have a dunder name")
        if fname in inherited:
            raise TypeError(
                f"{name}.{fname} redeclares the field {fname!r} it inherits; a subclass "
                "declares only its new fields (a second slot would waste 8 bytes and hide "
                "the base's)"
            )
        own.append(_make_field(name, fname, annotation, kind, ns.get(fname, MISSING), kw_only, boxed))
    own_names = {f.name for f in own}
    for attr, value in ns.items():
        if attr in inherited and attr not in own_names:
            raise TypeError(
                f"{name}.{attr} would hide the inherited field {attr!r} "
                f"(defined as {_describe(value)} in the class body); rename one of them"
            )
    return own


_BOXED = {"f64": "float", "i64": "int", "bool": "boolobj"}


def _make_field(
    cls_name: str, fname: str, annotation: Any, kind: str, value: Any, kw_only: bool, boxed: bool
) -> Field:
    if isinstance(value, Field):
        f = value._copy()
    elif isinstance(value, _CLASHING):
        raise TypeError(
            f"{cls_name}.{fname}: the field {fname!r} clashes with the {_describe(value)} "
            f"{fname!r} defined in the class body; rename one of them"
        )
    else:
        f = Field(default=value)
    if f.boxed is MISSING:
        f.boxed = boxed
    if f.boxed and kind in _BOXED:
        kind = _BOXED[kind]
    f.name, f.type, f.kind = fname, annotation, kind
    if f.kw_only is MISSING:
        f.kw_only = kw_only
    if f.default is not MISSING and type(f.default).__hash__ is None:
        raise ValueError(
            f"mutable default {type(f.default).__name__} for field {fname} is not allowed: "
            f"use default_factory (field(default_factory={type(f.default).__name__}))"
        )
    return f


def _describe(value: Any) -> str:
    if isinstance(value, types.FunctionType):
        return "method"
    if isinstance(value, (property, cached_property)):
        return "property"
    if isinstance(value, classmethod):
        return "classmethod"
    if isinstance(value, staticmethod):
        return "staticmethod"
    return "class attribute"


def _check_default_order(name: str, all_fields: tuple[Field, ...]) -> None:
    seen_default = None
    for f in all_fields:
        if f.kw_only:
            continue
        has_default = f.default is not MISSING or f.default_factory is not MISSING
        if has_default:
            seen_default = f
        elif seen_default is not None:
            raise TypeError(
                f"{name}: non-default argument {f.name!r} follows default argument "
                f"{seen_default.name!r}"
            )


def finish(cls: type) -> None:
    """Runs on each class once its layout is final: the ``abc`` bookkeeping that
    ``ABCMeta.__new__`` would do (RecordMeta derives from ``typing.Protocol``'s metaclass, an
    ``ABCMeta``, so that Records combine with ``abc.ABC`` and protocol bases)."""
    if isinstance(cls, ABCMeta):
        _abc_init(cls)


_core._set_builder(prepare, finish)
