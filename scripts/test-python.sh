#!/usr/bin/env bash
# One interpreter's part of scripts/test.sh: a fresh venv (created if absent) with the test
# dependencies, the package built in release mode with maturin, and the whole pytest suite.
# With --gc-stress, the Record tests run again under `-X dev` with gc.set_threshold(1).
# Usage: bash scripts/test-python.sh PYTHON VENV [--gc-stress]
# Runs the same on the host and inside the sid root (scripts/sid-root.sh run ...).
set -euo pipefail
cd "$(dirname "$0")/.."
py=$1 venv=$2 stress=${3:-}
export CARGO_TERM_COLOR=never PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1

[ -x "$venv/bin/python" ] || "$py" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip
# One requirements file per test area; environment markers say which Pythons get a library
# (tests/requirements/README.md).
reqs=()
for f in tests/requirements/*.txt; do reqs+=(-r "$f"); done
"$venv/bin/python" -m pip install --quiet "${reqs[@]}"
(VIRTUAL_ENV="$venv" PATH="$venv/bin:$PATH" "$venv/bin/maturin" develop --release --quiet)
"$venv/bin/python" -m pytest -q -p no:cacheprovider tests
if [ "$stress" = --gc-stress ]; then
    echo "== $("$venv/bin/python" -c 'import platform; print(platform.python_version())'): Record tests under -X dev and gc.set_threshold(1)"
    "$venv/bin/python" -X dev -m pytest -q -p no:cacheprovider --gc-stress tests/records
fi
