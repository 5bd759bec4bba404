# Hand-written stubs for the public API. `Record` is created at run time by the native
# metaclass, so type checkers learn its shape here; `dataclass_transform` tells them that a
# Record subclass gets a dataclass-like __init__ from its annotations. Checked against the
# runtime by `python -m mypy.stubtest slotkit` (see tests/typing/).

import dataclasses
import inspect
from collections.abc import Mapping
from typing import Any, Callable, ClassVar, Iterator, Self, TypeVar, dataclass_transform, overload


from slotkit._array import RecordArray as RecordArray
from slotkit._core import RecordMeta
from slotkit.measure import compare as compare, measure as measure
from slotkit.census import census as census

_T = TypeVar("_T")
_R = TypeVar("_R", bound=Record)

__all__ = [
    "MISSING",
    "UNSET",
    "Field",
    "FrozenInstanceError",
    "Record",
    "RecordArray",
    "asdict",
    "astuple",
    "census",
    "compare",
    "field",
    "fields",
    "measure",
    "replace",
]

MISSING: Any
UNSET: Any

class Field:
    name: str | None
    type: Any
    kind: str | None
    default: Any
    default_factory: Any
    kw_only: Any
    boxed: Any
    metadata: Mapping[Any, Any]
    def __init__(
        self,
        default: Any = ...,
        default_factory: Any = ...,
        kw_only: Any = ...,
        boxed: Any = ...,
        metadata: Mapping[Any, Any] | None = ...,
    ) -> None: ...

@overload
def field(*, default: _T, kw_only: bool = ..., boxed: bool = ..., metadata: Mapping[Any, Any] | None = ...) -> _T: ...
@overload
def field(
    *, default_factory: Callable[[], _T], kw_only: bool = ..., boxed: bool = ..., metadata: Mapping[Any, Any] | None = ...
) -> _T: ...
@overload
def field(*, kw_only: bool = ..., boxed: bool = ..., metadata: Mapping[Any, Any] | None = ...) -> Any: ...
def fields(class_or_instance: Any) -> tuple[Field, ...]: ...

class FrozenInstanceError(AttributeError): ...

@dataclass_transform(field_specifiers=(field, Field))
class Record(metaclass=RecordMeta):
    """Base class of fixed-layout records."""

    __slotkit_fields__: ClassVar[tuple[Field, ...]]
    __slotkit_options__: ClassVar[dict[str, Any]]
    __match_args__: ClassVar[tuple[str, ...]]
    # The dataclass protocol (docs/ecosystem.md): dataclasses.fields/asdict/replace accept Records.
    __dataclass_fields__: ClassVar[dict[str, dataclasses.Field[Any]]]
    __dataclass_params__: ClassVar[Any]
    __signature__: ClassVar[inspect.Signature]
    def __init_subclass__(
        cls,
        *,
        weakref: bool = ...,
        extra: bool = ...,
        frozen: bool = ...,
        eq: bool = ...,
        order: bool = ...,
        kw_only: bool = ...,
        gc: bool | None = ...,
        boxed: bool = ...,
        **kwargs: Any,
    ) -> None: ...
    def __replace__(self, /, **changes: Any) -> Self: ...
    @classmethod
    def array(cls, capacity: int = 0) -> RecordArray: ...
    def __setstate__(self, state: Any, /) -> None: ...
    def __rich_repr__(self) -> Iterator[tuple[str, Any]]: ...
    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any: ...

def replace(obj: _R, /, **changes: Any) -> _R: ...
def asdict(obj: Any, *, dict_factory: Callable[[list[tuple[str, Any]]], Any] = ...) -> dict[str, Any]: ...
def astuple(obj: Any, *, tuple_factory: Callable[[list[Any]], Any] = ...) -> tuple[Any, ...]: ...
