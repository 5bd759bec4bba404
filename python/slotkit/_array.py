"""``RecordArray``: many records of one Record class, stored column by column.

The storage, the checked writes, row copies, column views and the Arrow PyCapsule interface
are native (``slotkit._core.RecordArrayBase``, ``crates/slotkit-python/src/array``); this class
adds what reads best in Python: column attributes (numpy views), slices, masks, index arrays,
sorting, pickling, copying, ``==`` and ``from_arrow``. numpy is imported only when a column view
is asked for. See ``docs/array.md``.
"""

from __future__ import annotations

import operator
from typing import Any, Iterable

from slotkit._core import RecordArrayBase

__all__ = ["RecordArray"]

_FORMATS = {"f64": "d", "i64": "q", "bool": "?"}


def _numpy() -> Any:
    try:
        import numpy
    except ImportError as exc:  # numpy is optional: only column views need it
        raise ImportError("RecordArray column views need numpy (pip install numpy)") from exc
    return numpy


class RecordArray(RecordArrayBase):
    """Records of one Record class in typed columns.

    ``RecordArray(Point3D)`` or ``Point3D.array()``; ``capacity=n`` reserves room for ``n`` rows.
    ``pts[i]`` is a copy of row ``i`` as a ``Point3D``; ``pts.x`` is a writable numpy view of the
    ``x`` column (no copy); ``pyarrow.table(pts)``, ``polars.DataFrame(pts)`` and DuckDB read it
    through the Arrow PyCapsule interface without copying.
    """

    __slots__ = ()

    # ---- columns ----

    def __getattr__(self, name: str) -> Any:
        if not name.startswith("_") and name in RecordArrayBase.field_names.__get__(self):
            return self.column(name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def column(self, name: str) -> Any:
        """Column ``name`` as a writable numpy array sharing the array's memory (float, int and
        bool fields; nulls of an ``X | None`` field read as 0 there, see :meth:`validity`).
        While such a view lives, the array refuses to change its length (``BufferError``)."""
        return _numpy().asarray(self._view(name))

    def column_list(self, name: str) -> list[Any]:
        """Column ``name`` as a list of Python values (``None`` for nulls): any field kind."""
        return self._column_list(name)

    def validity(self, name: str) -> Any:
        """A numpy bool array, True where column ``name`` holds a value (all True without nulls)."""
        np = _numpy()
        v = self._validity(name)
        if v is None:
            return np.ones(len(self), dtype=bool)
        return np.frombuffer(v, dtype=np.uint8).astype(bool)

    # ---- selection ----

    def _select(self, key: Any) -> RecordArray:
        n = len(self)
        if isinstance(key, slice):
            start, stop, step = key.indices(n)
            return self._take(range(start, stop, step))
        dtype = getattr(key, "dtype", None)
        if dtype is not None:  # a numpy array: a bool mask or integer indices
            np = _numpy()
            key = np.asarray(key)
            if key.dtype == bool:
                if key.shape != (n,):
                    raise IndexError(f"boolean mask of shape {key.shape} for a RecordArray of length {n}")
                return self._take(np.flatnonzero(key).astype(np.int64))
            if key.dtype.kind in "iu":
                idx = key.astype(np.int64, copy=True).reshape(-1)
                idx[idx < 0] += n
                return self._take(idx)
            raise IndexError(f"RecordArray cannot be indexed with a numpy array of dtype {key.dtype}")
        if isinstance(key, (str, bytes)) or not isinstance(key, Iterable):
            raise TypeError(f"RecordArray indices must be integers, slices, masks or index lists, not {type(key).__name__}")
        items = list(key)
        if items and all(isinstance(b, bool) for b in items):
            if len(items) != n:
                raise IndexError(f"boolean mask of length {len(items)} for a RecordArray of length {n}")
            return self._take([i for i, b in enumerate(items) if b])
        idx = [operator.index(i) for i in items]
        return self._take([i + n if i < 0 else i for i in idx])

    def sort(self, *, by: str, reverse: bool = False) -> None:
        """Sorts the rows in place by field ``by`` (stable; NaN and nulls last)."""
        self._swap(self.sorted(by=by, reverse=reverse))

    def sorted(self, *, by: str, reverse: bool = False) -> RecordArray:
        """A new array with the rows sorted by field ``by`` (stable; NaN and nulls last)."""
        return self._take(self._argsort(by, reverse))

    # ---- Arrow ----

    @classmethod
    def from_arrow(cls, data: Any, record_class: type) -> RecordArray:
        """A new array of ``record_class`` rows from any object with ``__arrow_c_stream__`` or
        ``__arrow_c_array__`` (a pyarrow Table or RecordBatch, a polars DataFrame, a DuckDB
        result, ...), with columns named like the fields (others are ignored). Every value is
        checked as the fields check it. float64/int64 columns without nulls of a one-batch import
        share the Arrow memory until the first write or numpy view copies them; the others are
        copied."""
        out = cls(record_class)
        out.extend_arrow(data)
        return out

    def extend_arrow(self, data: Any) -> None:
        """Appends the rows of an Arrow-compatible object (see :meth:`from_arrow`)."""
        if hasattr(data, "__arrow_c_stream__"):
            self._extend_arrow_stream(data.__arrow_c_stream__())
        elif hasattr(data, "__arrow_c_array__"):
            self._extend_arrow_array(*data.__arrow_c_array__())
        else:
            raise TypeError(
                f"from_arrow() needs an object with __arrow_c_stream__ or __arrow_c_array__, got {type(data).__name__}"
            )

    # ---- protocols ----

    def __reduce__(self) -> Any:
        columns: dict[str, Any] = {}
        for name in self.field_names:
            storage = self._storage(name)
            if storage in _FORMATS and self._validity(name) is None:
                with memoryview(self._view(name)) as view:  # type: ignore[arg-type]
                    columns[name] = (storage, view.tobytes())
            else:
                columns[name] = (None, self._column_list(name))
        return (_rebuild, (type(self), self.record_class, columns))

    def __copy__(self) -> RecordArray:
        return self._take(range(len(self)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RecordArrayBase):
            return NotImplemented
        return self._equals(other)

    def __ne__(self, other: object) -> bool:
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        cls = self.record_class.__qualname__
        n = len(self)
        if n == 0:
            return f"RecordArray[{cls}]([])"
        shown = [repr(self[i]) for i in range(min(n, 3))]
        more = f", ... ({n} rows)" if n > 3 else ""
        return f"RecordArray[{cls}]([{', '.join(shown)}{more}])"


def _rebuild(array_type: type, record_class: type, columns: dict[str, Any]) -> RecordArray:
    out = array_type(record_class)
    given = {}
    for name, (storage, data) in columns.items():
        given[name] = memoryview(data).cast(_FORMATS[storage]) if storage is not None else data  # type: ignore[call-overload]
    out.extend_columns(**given)
    return out
