"""Instructions per construction, `P(a, b, c)` as `slotkit bench` times it, under callgrind.

    valgrind --tool=callgrind --callgrind-out-file=OUT python scripts/callgrind-construct.py VARIANT N

builds the bench's Point3D class of VARIANT (slots, record, msgspec-nogc, ...) with the bench's
own code, warms it up (20,000 calls), all with `timeit` as the bench does (GC off), then runs `P(a, b, c)`
N more times. Run it with two values of N: the difference of the two totals divided by the
difference of the N is the cost of one construction (with its deallocation) plus one loop
iteration, as `timeit` counts it; `callgrind_annotate` of the larger run splits it by function.
scripts/callgrind-construct.sh runs it for the three variants; docs/benchmarks.md has the results.
"""

from __future__ import annotations

import sys
import timeit

from slotkit.bench import variants
from slotkit.bench.worker import time_namespace


def main() -> None:
    name, n = sys.argv[1], int(sys.argv[2])
    variant = variants.get(name)
    ns = time_namespace(variants.build_classes(variant))
    timer = timeit.Timer("P(a, b, c)", globals=ns)  # exactly as the bench times it
    timer.timeit(20_000)  # warm up: specialization, free lists
    timer.timeit(n)


if __name__ == "__main__":
    main()
