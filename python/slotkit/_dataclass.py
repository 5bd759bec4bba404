"""The standard dataclass protocol on Record classes, so that libraries that recognise
dataclasses (``dataclasses`` itself, orjson, cattrs, msgspec, hypothesis) take Records as they are.

Every Record class carries, as class-level data only (instances keep their layout, size and
speed):

- ``__dataclass_fields__``: real :class:`dataclasses.Field` objects built from the Record's own
  fields and options, behind a native descriptor (``_core.DataclassFields``) that gives an
  instance with unset fields a dict without them (orjson reads every listed field without
  checking for errors);
- ``__dataclass_params__``, as this Python's ``dataclasses`` spells it;
- ``__signature__``, the generated ``__init__``'s (``inspect.signature(P)``, hypothesis), unless
  the class writes its own ``__init__``.

``Record`` itself adds ``__rich_repr__`` (rich lays nested records out) and
``__get_pydantic_core_schema__``: pydantic fills stdlib dataclasses by writing their attributes
after ``__new__``, which a Record's checked fields refuse, so Records get a schema of their own
(the fields validated by pydantic as a typed dict, then the class called). What works with which
library: docs/ecosystem.md.
"""

from __future__ import annotations

import dataclasses
import inspect
import keyword
from typing import Any, Iterator

from slotkit import _core
from slotkit._fields import MISSING, Field

_PARAMS = inspect.signature(dataclasses._DataclassParams).parameters  # type: ignore[attr-defined]


def _name(f: Field) -> str:
    """A field's name (set on every field of a created class)."""
    assert f.name is not None
    return f.name


def _field(f: Field) -> dataclasses.Field[Any]:
    out: dataclasses.Field[Any] = dataclasses.field(  # type: ignore[assignment]
        default=dataclasses.MISSING if f.default is MISSING else f.default,
        default_factory=dataclasses.MISSING if f.default_factory is MISSING else f.default_factory,
        kw_only=bool(f.kw_only),
        metadata=f.metadata or None,
    )
    out.name, out.type = _name(f), f.type
    out._field_type = dataclasses._FIELD  # type: ignore[attr-defined]
    return out


def _classvar(name: str, annotation: Any) -> dataclasses.Field[Any]:
    out: dataclasses.Field[Any] = dataclasses.field()
    out.name, out.type = name, annotation  # type: ignore[assignment]
    out._field_type = dataclasses._FIELD_CLASSVAR  # type: ignore[attr-defined]
    return out


def dataclass_fields(
    bases: tuple[type, ...], all_fields: tuple[Field, ...], classvars: dict[str, Any]
) -> Any:
    """``__dataclass_fields__`` for a Record with these fields and own ClassVars. Inherited
    fields and ClassVars reuse the base's ``Field`` objects, as ``dataclasses`` does."""
    inherited: dict[str, dataclasses.Field[Any]] = {}
    for base in reversed(bases):
        if _core.is_record_class(base):
            inherited.update(base.__dataclass_fields__)  # type: ignore[attr-defined]
    out: dict[str, dataclasses.Field[Any]] = {}
    for f in all_fields:
        known = inherited.get(_name(f))
        out[_name(f)] = known if known is not None and known._field_type is dataclasses._FIELD else _field(f)  # type: ignore[attr-defined]
    for name, cv in inherited.items():
        if cv._field_type is dataclasses._FIELD_CLASSVAR and name not in out:  # type: ignore[attr-defined]
            out[name] = cv
    for name, annotation in classvars.items():
        out[name] = _classvar(name, annotation)
    return _core.DataclassFields(out)


def dataclass_params(opts: dict[str, Any]) -> Any:
    """``__dataclass_params__`` as this Python's dataclasses spell it."""
    values = {
        "init": True, "repr": True, "eq": bool(opts["eq"]), "order": bool(opts["order"]),
        "unsafe_hash": False, "frozen": bool(opts["frozen"]), "match_args": True,
        "kw_only": bool(opts["kw_only"]), "slots": True, "weakref_slot": bool(opts["weakref"]),
    }
    return dataclasses._DataclassParams(**{k: v for k, v in values.items() if k in _PARAMS})  # type: ignore[attr-defined]


def init_signature(all_fields: tuple[Field, ...]) -> inspect.Signature | None:
    """The generated ``__init__``'s signature, as ``inspect.signature`` shows a dataclass's,
    except that a field with a default factory shows no default: a dataclass's ``__init__``
    takes its ``<factory>`` placeholder as "call the factory", a Record's would store it, and
    tools that pass signature defaults back (hypothesis's ``from_type``) would get it."""
    if any(not _name(f).isidentifier() or keyword.iskeyword(_name(f)) for f in all_fields):
        return None  # a field named by type() with a keyword ('or') is no parameter name
    params = []
    for f in all_fields:
        kind = inspect.Parameter.KEYWORD_ONLY if f.kw_only else inspect.Parameter.POSITIONAL_OR_KEYWORD
        default: Any = inspect.Parameter.empty
        if f.default is not MISSING:
            default = f.default
        params.append(inspect.Parameter(_name(f), kind, default=default, annotation=f.type))
    # Not validated: a factory field without a default may precede fields with one.
    return inspect.Signature(params, return_annotation=None, __validate_parameters__=False)


def rich_repr(obj: Any) -> Iterator[tuple[str, Any]]:
    """The set fields as rich's pretty printer lays them out (nested records expand)."""
    from slotkit._fields import fields

    for f in fields(type(obj)):
        try:
            value = getattr(obj, _name(f))
        except AttributeError:  # unset: shown as repr() shows it, by leaving it out
            continue
        yield _name(f), value


def pydantic_core_schema(cls: type, handler: Any) -> Any:
    """A pydantic core schema for a Record class: instances pass through; anything else is
    validated as a typed dict of the fields by pydantic (its own errors), then ``cls(**data)``
    builds the record (a ``TypeError``, ``OverflowError`` or ``ValueError`` from the constructor
    or ``__post_init__`` becomes a pydantic ``ValidationError`` too: an int beyond 64 bits for an
    unboxed field, say); serialized as the dict of the
    set fields."""
    import typing

    from pydantic_core import core_schema

    from slotkit._fields import fields
    from slotkit._protocols import asdict

    try:
        hints = typing.get_type_hints(cls, include_extras=True)
    except Exception:  # a forward reference still unresolved: fields() resolves what it can
        hints = {}
    schema_fields = {}
    for f in fields(cls):
        required = f.default is MISSING and f.default_factory is MISSING
        hint = hints.get(_name(f), f.type)
        if isinstance(hint, str) or hint is None:
            hint = Any
        schema_fields[_name(f)] = core_schema.typed_dict_field(handler.generate_schema(hint), required=required)

    def validate(value: Any, handler: Any) -> Any:
        if isinstance(value, cls):
            return value
        data = handler(value)
        try:
            return cls(**data)
        except (TypeError, OverflowError) as exc:  # pydantic reports ValueError, not these
            raise ValueError(str(exc)) from exc

    validate.__name__ = validate.__qualname__ = cls.__qualname__  # the error title: "for function-wrap[P()]"
    return core_schema.no_info_wrap_validator_function(
        validate,
        core_schema.typed_dict_schema(schema_fields, cls_name=cls.__qualname__),
        serialization=core_schema.plain_serializer_function_ser_schema(asdict),
    )
