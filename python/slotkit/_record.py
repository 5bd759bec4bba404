"""``Record``: the base class users derive from."""

from __future__ import annotations

from slotkit import _build  # noqa: F401  (registers the class-body hook)
from slotkit._core import RecordMeta, _RecordBase

Record = RecordMeta(
    "Record",
    (_RecordBase,),
    {
        "__module__": "slotkit",
        "__qualname__": "Record",
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
