#!/usr/bin/env bash
# Instructions per `P(a, b, c)` for __slots__, Record and msgspec gc=False under one interpreter,
# with callgrind (see scripts/callgrind-construct.py), and the functions that cost the most.
# Usage: bash scripts/callgrind-construct.sh PYTHON [OUTDIR]
#   PYTHON: a venv's python with slotkit (release build) and msgspec installed. For 3.14/3.15 of
#   the sid root, run this script inside it:
#     bash scripts/sid-root.sh run apt-get install -y valgrind      (once)
#     bash scripts/sid-root.sh run bash scripts/callgrind-construct.sh .venv-test-sid-3.14/bin/python
set -euo pipefail
cd "$(dirname "$0")/.."
py=$1 out=${2:-target/callgrind}
mkdir -p "$out"
v=$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
small=20000 large=60000
for variant in slots record msgspec-nogc; do
    for n in $small $large; do
        valgrind --tool=callgrind --callgrind-out-file="$out/$v-$variant-$n.out" \
            "$py" scripts/callgrind-construct.py "$variant" "$n" >/dev/null 2>&1
    done
    total() { grep -m1 '^summary:' "$1" | awk '{print $2}'; }
    a=$(total "$out/$v-$variant-$small.out") b=$(total "$out/$v-$variant-$large.out")
    echo "$v $variant: $(( (b - a) / (large - small) )) instructions per P(a, b, c)"
done
