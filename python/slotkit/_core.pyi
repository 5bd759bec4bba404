# Hand-written stubs for the native module slotkit._core (crates/slotkit-python).

from abc import ABCMeta
from typing import Any, Callable, final

from typing_extensions import disjoint_base

__all__ = [
    "RecordMeta",
    "_RecordBase",
    "GeneratedInit",
    "UnboxedField",
    "kind_for",
    "is_record_class",
    "_set_builder",
    "get_state",
    "set_state",
    "hash_fields",
    "checked_setattr",
    "analyzer_main",
]

@disjoint_base
class RecordMeta(ABCMeta):
    """The metaclass of slotkit Records."""

    def __instancecheck__(cls, instance: Any, /) -> bool: ...
    def __subclasscheck__(cls, subclass: type, /) -> bool: ...

class _RecordBase:
    """Root of slotkit Record classes."""

@final
class GeneratedInit:
    def __call__(self, *args: Any, **kwargs: Any) -> Any: ...
    def __get__(self, instance: object, owner: type | None = None, /) -> Any: ...

@final
class UnboxedField:
    __name__: str
    __objclass__: type
    def __get__(self, instance: object, owner: type | None = None, /) -> Any: ...
    def __set__(self, instance: object, value: Any, /) -> None: ...
    def __delete__(self, instance: object, /) -> None: ...

def kind_for(name: str, nullable: bool) -> str: ...
def is_record_class(obj: object) -> bool: ...
def _set_builder(prepare: Callable[..., Any], finish: Callable[[type], None]) -> None: ...
def get_state(obj: object, unset: object) -> tuple[Any, ...]: ...
def set_state(obj: object, values: tuple[Any, ...], unset: object) -> None: ...
def hash_fields(obj: object) -> int: ...
def checked_setattr(obj: object, name: str, value: Any = None) -> None: ...
def analyzer_main(argv: list[str]) -> int: ...
