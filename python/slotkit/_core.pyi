# Hand-written stubs for the native module slotkit._core (crates/slotkit-python).

from abc import ABCMeta
from typing import Any, Callable, final

from typing_extensions import disjoint_base

__all__ = [
    "RecordMeta",
    "_RecordBase",
    "GeneratedInit",
    "UnboxedField",
    "DataclassFields",
    "kind_for",
    "is_record_class",
    "is_python_class",
    "new_instance",
    "restore",
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

@final
class DataclassFields:
    """``__dataclass_fields__`` of a Record class (an instance's leaves out its unset fields)."""

    def __new__(cls, fields: dict[str, Any]) -> DataclassFields: ...
    def __get__(self, obj: object, _owner: type | None = None, /) -> dict[str, Any]: ...

def kind_for(name: str, nullable: bool) -> str: ...
def is_record_class(obj: object) -> bool: ...
def is_python_class(cls: type) -> bool: ...
def new_instance(cls: type) -> Any: ...
def restore(obj: object, values: tuple[Any, ...], unset: object) -> None: ...
def _set_builder(prepare: Callable[..., Any], finish: Callable[[type], None]) -> None: ...
def get_state(obj: object, unset: object) -> tuple[Any, ...]: ...
def set_state(obj: object, values: tuple[Any, ...], unset: object) -> None: ...
def hash_fields(obj: object) -> int: ...
def checked_setattr(obj: object, name: str, value: Any = None) -> None: ...
def analyzer_main(argv: list[str]) -> int: ...
