"""``Record``: the base class users derive from."""

from __future__ import annotations

from typing import Any

from slotkit import _build  # noqa: F401  (registers the class-body hook)
from slotkit._core import RecordMeta, _RecordBase
from slotkit._dataclass import pydantic_core_schema, rich_repr
from slotkit._protocols import reduce, replace, setstate


def __reduce__(self: Any) -> Any:
    return reduce(self)


def __setstate__(self: Any, state: Any) -> None:
    setstate(self, state)


def __rich_repr__(self: Any) -> Any:
    return rich_repr(self)


def __get_pydantic_core_schema__(cls: Any, source: Any, handler: Any) -> Any:
    return pydantic_core_schema(cls, handler)


def __replace__(self: Any, /, **changes: Any) -> Any:
    return replace(self, **changes)


def array(cls: Any, capacity: int = 0) -> Any:
    """An empty ``slotkit.RecordArray`` of this class (``capacity`` rows reserved)."""
    from slotkit._array import RecordArray

    return RecordArray(cls, capacity)


Record = RecordMeta(
    "Record",
    (_RecordBase,),
    {
        "__module__": "slotkit",
        "__qualname__": "Record",
        "__reduce__": __reduce__,
        "__setstate__": __setstate__,
        "__replace__": __replace__,
        "__rich_repr__": __rich_repr__,
        "__get_pydantic_core_schema__": classmethod(__get_pydantic_core_schema__),
        "array": classmethod(array),
        "_is_protocol": False,  # read by typing's protocol metaclass, which RecordMeta extends
        "__doc__": (
            "Base class of fixed-layout records.\n\n"
            "Subclasses declare fields as annotations; instances have no __dict__, store\n"
            "float/int/bool fields unboxed, and carry no GC header when no reference\n"
            "cycle is possible.\n\n"
            "    class Point3D(Record):\n"
            "        x: float\n"
            "        y: float\n"
            "        z: float\n"
        ),
    },
)
