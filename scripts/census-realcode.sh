#!/usr/bin/env bash
# Runs `slotkit census` on three programs built from PyPI packages (docs/census.md) and prints
# the top classes as markdown. Needs: pip install docutils lark sqlalchemy (and slotkit).
# Usage: bash scripts/census-realcode.sh [PYTHON] [OUTDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
py=${1:-python} out=${2:-/tmp/slotkit-census-realcode}
mkdir -p "$out"
for p in docutils_build lark_parse sqlalchemy_rows; do
    "$py" -m slotkit census --quiet --json "$out/$p.json" -- "$py" "scripts/census_programs/$p.py"
done
# the confirmation: lark's Tree with __slots__, same parse
"$py" -m slotkit census --quiet --json "$out/lark_parse_slotted.json" -- "$py" scripts/census_programs/lark_parse.py --slotted
"$py" scripts/census_summary.py "$out/docutils_build.json" "$out/lark_parse.json" "$out/sqlalchemy_rows.json"
"$py" -m slotkit census --compare "$out/lark_parse.json" "$out/lark_parse_slotted.json" --top 4
