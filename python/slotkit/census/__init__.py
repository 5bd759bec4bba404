"""``slotkit census``: where a running program's memory goes, class by class, and what
``__slots__`` or a Record would save. See ``docs/census.md``.

>>> import slotkit
>>> c = slotkit.census()          # walks the heap now
>>> print(c)                      # the table  # doctest: +SKIP
>>> c.save("census.json")         # doctest: +SKIP
"""

from __future__ import annotations

import os

from slotkit.census.result import Census

__all__ = ["Census", "census"]


def census(*, verdicts: int = 40) -> Census:
    """Takes a census of the live objects now and returns it.

    ``verdicts`` bounds how many classes (the largest savings first) get their source location
    and ``slotkit check`` verdict. Under ``slotkit census -- ...`` each call is also recorded
    with the run's snapshots.
    """
    from slotkit.census.take import take

    result = take("call", verdict_limit=verdicts)
    if os.environ.get("SLOTKIT_CENSUS_DIR"):
        from slotkit.census.boot import record

        record(result)
    return result
