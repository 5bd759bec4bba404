"""Every way of writing the article's classes, defined once: the benchmark's registry.

A variant turns a :class:`~slotkit.bench.workloads.ClassSpec` into a class. Its imports happen
inside ``make`` so that a missing package makes the variant *skipped, with the reason* (see
:func:`build_classes`) instead of breaking the benchmark.
"""

from __future__ import annotations

import types
from dataclasses import dataclass
from typing import Any, Callable

from slotkit.bench.workloads import SPECS, ClassSpec

INSTALL_HINT = "pip install 'slotkit[bench]'"


class VariantUnavailable(Exception):
    """The variant cannot be built here; the message is the reason shown as 'skipped'."""


@dataclass(frozen=True)
class Variant:
    name: str  # short id used on the command line (--only) and in JSON
    label: str  # shown in tables
    make: Callable[[ClassSpec, bool], type]  # (spec, mutable) -> class
    package: str | None = None  # distribution whose version is reported
    mutable: bool = True  # False: no attribute writes, translate returns a new point


def _namespace(spec: ClassSpec, mutable: bool, **extra: Any) -> dict[str, Any]:
    ns: dict[str, Any] = {"__module__": __name__, "__qualname__": spec.name}
    ns.update(spec.methods_for(mutable))
    ns.update(extra)
    return ns


def _annotated(spec: ClassSpec, mutable: bool) -> dict[str, Any]:
    return _namespace(spec, mutable, __annotations__=dict(spec.fields))


def _plain(spec: ClassSpec, mutable: bool) -> type:
    return type(spec.name, (), _namespace(spec, mutable, __init__=spec.init))


def _slots(spec: ClassSpec, mutable: bool) -> type:
    return type(spec.name, (), _namespace(spec, mutable, __init__=spec.init, __slots__=spec.field_names))


def _dataclass(spec: ClassSpec, mutable: bool) -> type:
    import dataclasses

    return dataclasses.dataclass(slots=True)(type(spec.name, (), _annotated(spec, mutable)))


def _attrs(spec: ClassSpec, mutable: bool) -> type:
    attrs = _require("attrs")
    return attrs.define(type(spec.name, (), _annotated(spec, mutable)))


def _msgspec(gc: bool) -> Callable[[ClassSpec, bool], type]:
    def make(spec: ClassSpec, mutable: bool) -> type:
        msgspec = _require("msgspec")
        return types.new_class(spec.name, (msgspec.Struct,), {"gc": gc}, lambda ns: ns.update(_annotated(spec, mutable)))

    return make


def _recordclass(spec: ClassSpec, mutable: bool) -> type:
    recordclass = _require("recordclass")
    return type(spec.name, (recordclass.dataobject,), _annotated(spec, mutable))


def _namedtuple(spec: ClassSpec, mutable: bool) -> type:
    import collections

    base = collections.namedtuple(spec.name, spec.field_names)  # type: ignore[misc]
    return type(spec.name, (base,), _namespace(spec, mutable, __slots__=()))


def _record(boxed: bool) -> Callable[[ClassSpec, bool], type]:
    def make(spec: ClassSpec, mutable: bool) -> type:
        try:
            from slotkit import Record
        except Exception as exc:  # ImportError, or a broken native module
            raise VariantUnavailable(f"slotkit.Record not available: {exc}") from None
        options = {"boxed": True} if boxed else {}
        return types.new_class(spec.name, (Record,), options, lambda ns: ns.update(_annotated(spec, mutable)))

    return make


def _require(module: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise VariantUnavailable(f"{module} not installed ({exc}); {INSTALL_HINT}") from None


VARIANTS: tuple[Variant, ...] = (
    Variant("plain", "plain class", _plain),
    Variant("slots", "__slots__ class", _slots),
    Variant("dataclass", "dataclass(slots=True)", _dataclass),
    Variant("attrs", "attrs.define", _attrs, package="attrs"),
    Variant("msgspec", "msgspec.Struct", _msgspec(gc=True), package="msgspec"),
    Variant("msgspec-nogc", "msgspec.Struct, gc=False", _msgspec(gc=False), package="msgspec"),
    Variant("recordclass", "recordclass.dataobject", _recordclass, package="recordclass"),
    Variant("namedtuple", "namedtuple", _namedtuple, mutable=False),
    Variant("record", "slotkit.Record", _record(boxed=False), package="slotkit"),
    # Same Record, numbers kept as objects: slot-speed reads (no float made per read), still
    # checked and non-GC, 24 bytes per distinct float value.
    Variant("record-boxed", "slotkit.Record, boxed=True", _record(boxed=True), package="slotkit"),
)
BASELINE = "slots"  # every ratio is to this variant, from the same run
BY_NAME = {v.name: v for v in VARIANTS}


def get(name: str) -> Variant:
    try:
        return BY_NAME[name]
    except KeyError:
        raise ValueError(f"unknown variant {name!r}; known: {', '.join(BY_NAME)}") from None


def build_classes(variant: Variant) -> dict[str, type]:
    """The variant's Employee, Point3D and Box classes; raises VariantUnavailable with the reason."""
    try:
        return {spec.name: variant.make(spec, variant.mutable) for spec in SPECS}
    except VariantUnavailable:
        raise
    except Exception as exc:  # a peer that cannot express the class is skipped, not a crash
        raise VariantUnavailable(f"cannot build the classes: {type(exc).__name__}: {exc}") from None
