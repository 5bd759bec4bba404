"""Instructions per bench statement (``P(a, b, c)``, ``p.x``, ``e.name``...) under callgrind.

    valgrind --tool=callgrind --callgrind-out-file=OUT python scripts/callgrind-ops.py VARIANT STMT N

builds the bench's classes of VARIANT with the bench's own code and namespace
(``worker.time_namespace``), warms ``STMT`` up with ``timeit`` (20,000 runs, GC off, as the bench
times it), then runs it N more times. The difference of the totals of two runs with different N,
divided by the difference of the N, is the cost of one statement plus one ``timeit`` loop
iteration. scripts/callgrind-ops.sh runs it for the statements the dataclass-protocol work must
leave unchanged (docs/ecosystem.md); scripts/callgrind-construct.py is the construction-only form.
"""

from __future__ import annotations

import sys
import timeit

from slotkit.bench import variants
from slotkit.bench.worker import time_namespace


def main() -> None:
    name, stmt, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    ns = time_namespace(variants.build_classes(variants.get(name)))
    timer = timeit.Timer(stmt, globals=ns)
    timer.timeit(20_000)
    timer.timeit(n)


if __name__ == "__main__":
    main()
