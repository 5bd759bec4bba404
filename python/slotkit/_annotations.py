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
