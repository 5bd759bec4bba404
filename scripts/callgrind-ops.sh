#!/usr/bin/env bash
# Instructions per statement (construction, float/int/str reads) for __slots__ and Record under
# one interpreter, with callgrind (scripts/callgrind-ops.py): the stable before/after signal for
# changes to the read and construction paths (docs/ecosystem.md, docs/benchmarks.md).
# Usage: bash scripts/callgrind-ops.sh PYTHON [OUTDIR]   (PYTHON: a venv's python with slotkit)
#   VARIANTS="record" STATEMENTS="p.x" select; PYTHONHASHSEED is fixed (string hashes decide dict
#   probe sequences, which otherwise move counts by about 10 instructions from run to run).
set -euo pipefail
export PYTHONHASHSEED=${PYTHONHASHSEED:-0}
cd "$(dirname "$0")/.."
py=$1 out=${2:-target/callgrind-ops}
mkdir -p "$out"
v=$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
small=20000 large=60000
total() { grep -m1 '^summary:' "$1" | awk '{print $2}'; }
IFS=';' read -r -a statements <<< "${STATEMENTS:-P(a, b, c);p.x;e.name;p.x = a}"
for variant in ${VARIANTS:-slots record record-boxed}; do
    for stmt in "${statements[@]}"; do
        i=$(printf '%s' "$stmt" | md5sum | cut -c1-8)
        for n in $small $large; do
            valgrind --tool=callgrind --callgrind-out-file="$out/$v-$variant-$i-$n.out" \
                "$py" scripts/callgrind-ops.py "$variant" "$stmt" "$n" >/dev/null 2>&1
        done
        a=$(total "$out/$v-$variant-$i-$small.out") b=$(total "$out/$v-$variant-$i-$large.out")
        echo "$v $variant '$stmt': $(( (b - a) / (large - small) )) instructions"
    done
done
