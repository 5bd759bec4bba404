"""slotkit: fixed-layout Python records with a Rust core, and tools to apply ``__slots__``.

>>> from slotkit import Record
>>> class Point3D(Record):
...     x: float
...     y: float
...     z: float
>>> Point3D(1.0, 2.0, 3.0)
Point3D(x=1.0, y=2.0, z=3.0)
"""

from slotkit._array import RecordArray
from slotkit._fields import MISSING, Field, field, fields
from slotkit._protocols import UNSET, asdict, astuple, replace
from slotkit._record import Record
from slotkit._setattr import FrozenInstanceError
from slotkit.census import census

__all__ = [
    "MISSING",
    "UNSET",
    "Field",
    "FrozenInstanceError",
    "Record",
    "RecordArray",
    "asdict",
    "census",
    "astuple",
    "field",
    "fields",
    "replace",
]

try:
    from slotkit.measure import compare, measure  # noqa: F401

    __all__ += ["compare", "measure"]
except ImportError:  # pragma: no cover - the bench module is optional during development
    pass
