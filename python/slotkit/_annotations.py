"""Reading a class body's annotations and deciding each field's storage kind.

Nothing here imports user modules or evaluates more than the annotation expressions themselves,
and an annotation that cannot be evaluated (a forward reference) still gets a kind: it is read as
text, and anything not recognisably ``float``/``int``/``bool``/``str``/``bytes`` (optionally
``| None``) becomes an unchecked object field.
"""

from __future__ import annotations

import re
import sys
import types
import typing
import weakref
from typing import Any

from slotkit import _core

CLASSVAR = object()

_ATOMS: dict[Any, str] = {float: "float", int: "int", bool: "bool", str: "str", bytes: "bytes"}
_NAME = r"(?:builtins\.)?(float|int|bool|str|bytes)"
_OPTIONAL_TEXT = [
    re.compile(rf"^{_NAME}\s*\|\s*None$"),
    re.compile(rf"^None\s*\|\s*{_NAME}$"),
    re.compile(rf"^(?:typing\.|t\.)?Optional\[\s*{_NAME}\s*\]$"),
]
_PLAIN_TEXT = re.compile(rf"^{_NAME}$")
_CLASSVAR_TEXT = re.compile(r"^(?:typing\.|t\.)?ClassVar\b")


def own_annotations(ns: dict[str, Any]) -> dict[str, Any]:
    """The annotations written in this class body (3.14: from ``__annotate__``, lazily)."""
    found = ns.get("__annotations__")
    if found is None and sys.version_info >= (3, 14):  # pragma: no cover - needs 3.14
        import annotationlib

        annotate = annotationlib.get_annotate_from_class_namespace(ns)
        if annotate is not None:
            found = annotationlib.call_annotate_function(
                annotate, annotationlib.Format.FORWARDREF
            )
    return dict(found or {})


def kind_of(annotation: Any, module_globals: dict[str, Any], ns: dict[str, Any]) -> Any:
    """The storage kind code for an annotation, or ``CLASSVAR`` when it declares no field."""
    if isinstance(annotation, str):
        text = annotation.strip()
        if _CLASSVAR_TEXT.match(text):
            return CLASSVAR
        try:
            annotation = eval(text, dict(module_globals), dict(ns))  # noqa: S307 - annotation text
        except Exception:
            return _kind_of_text(text)
        if isinstance(annotation, str):  # a quoted annotation under `from __future__ import annotations`
            return kind_of(annotation, module_globals, ns)
    return _kind_of_object(annotation)


def _kind_of_text(text: str) -> str:
    plain = _PLAIN_TEXT.match(text)
    if plain:
        return _core.kind_for(plain.group(1), False)
    for pattern in _OPTIONAL_TEXT:
        m = pattern.match(text)
        if m:
            return _core.kind_for(m.group(1), True)
    return "object"


def _kind_of_object(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if annotation is typing.ClassVar or origin is typing.ClassVar:
        return CLASSVAR
    if origin is typing.Annotated:
        return _kind_of_object(annotation.__origin__)
    atom = _atom_name(annotation)
    if atom is not None:
        return _core.kind_for(atom, False)
    if origin is typing.Union or origin is types.UnionType:
        args = typing.get_args(annotation)
        others = [a for a in args if a is not type(None)]
        if len(args) == 2 and len(others) == 1 and _atom_name(others[0]) is not None:
            return _core.kind_for(_atom_name(others[0]), True)
    return "object"


def _atom_name(annotation: Any) -> str | None:
    for atom, name in _ATOMS.items():
        if annotation is atom:
            return name
    return None


# --- Forward references, resolved when fields() is asked, once the names exist ---------------

_settled: weakref.WeakSet[type] = weakref.WeakSet()


def resolve_forward_refs(cls: type, found: tuple[Any, ...]) -> None:
    """Replace each field's ``type`` that is still a forward reference (a string, a ``ForwardRef``,
    or a generic holding one) by what ``typing.get_type_hints(cls, include_extras=True)`` makes of
    it, as soon as the names it uses exist. A name still missing leaves that field as it was; the
    others are resolved. A class whose fields are all resolved is not looked at again.
    """
    if cls in _settled:
        return
    pending = [f for f in found if _unresolved(f.type)]
    if pending:
        try:
            hints = typing.get_type_hints(cls, include_extras=True)
        except Exception:  # one name still missing somewhere in the MRO: field by field
            hints = {f.name: _hint_of(cls, f.name, f.type) for f in pending}
        for f in pending:
            hint = hints.get(f.name, f.type)
            if not _unresolved(hint):
                object.__setattr__(f, "type", hint)  # Field is read-only to users
        if any(_unresolved(f.type) for f in pending):
            return
    _settled.add(cls)


def _unresolved(annotation: Any) -> bool:
    """A string or ``ForwardRef``, or a generic holding one (``list[ForwardRef('Later')]``,
    ``list['Later']``); ``Literal`` strings and ``Annotated`` metadata do not count."""
    if isinstance(annotation, (str, typing.ForwardRef)):
        return True
    origin = typing.get_origin(annotation)
    if origin is None or origin is typing.Literal:
        return False
    if origin is typing.Annotated:
        return _unresolved(annotation.__origin__)
    args = [x for a in typing.get_args(annotation) for x in (a if isinstance(a, list) else [a])]
    return any(_unresolved(a) for a in args)


def _hint_of(cls: type, name: str, unresolved: Any) -> Any:
    """One field's hint, evaluated as get_type_hints evaluates a class annotation: the module's
    globals first, then the class namespace (get_type_hints swaps them for classes); or
    ``unresolved`` while a name it uses is still missing."""
    for owner in cls.__mro__:
        own = _class_annotations(owner)
        if name in own:
            break
    else:
        return unresolved
    module = sys.modules.get(owner.__module__)
    holder = _Holder()
    holder.__annotations__ = {name: own[name]}
    try:
        return typing.get_type_hints(
            holder, globalns=dict(vars(owner)), localns=dict(vars(module)) if module else {}, include_extras=True
        )[name]
    except Exception:
        return unresolved


def _class_annotations(owner: type) -> dict[str, Any]:
    if sys.version_info >= (3, 14):  # pragma: no cover - needs 3.14
        import annotationlib

        return dict(annotationlib.get_annotations(owner, format=annotationlib.Format.FORWARDREF))
    return dict(owner.__dict__.get("__annotations__", {}))


class _Holder:
    """Carries one annotation for ``typing.get_type_hints`` (any object with ``__annotations__``)."""

    __annotations__: dict[str, Any]
