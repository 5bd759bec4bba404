#!/usr/bin/env bash
# Installs everything the test suite needs and runs all of it, on a fresh machine:
#   Rust tests of the pure-Rust crates, then for each CPython (3.11, 3.12, 3.13 by default) a
#   fresh venv with the package built in release mode and the whole pytest suite; on the first
#   interpreter the Record tests run again under `-X dev` with gc.set_threshold(1).
# Usage: bash scripts/test.sh            (SLOTKIT_PYTHONS="3.12" to test one version)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
pythons=${SLOTKIT_PYTHONS:-"3.11 3.12 3.13"}
export CARGO_TERM_COLOR=never PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1

find_python() {
    local v=$1 candidate
    if command -v pyenv >/dev/null 2>&1; then
        for candidate in "$(pyenv root)"/versions/"$v".*/bin/python"$v" "$(pyenv root)"/versions/"$v"/bin/python"$v"; do
            [ -x "$candidate" ] && { echo "$candidate"; return; }
        done
    fi
    command -v "python$v" || { echo "python$v not found (install it, e.g. with pyenv)" >&2; return 1; }
}

echo "== cargo test (pure-Rust crates)"
cargo test --workspace --exclude slotkit-python --quiet 2>&1 | tail -n 40

first=1
for v in $pythons; do
    py=$(find_python "$v")
    venv="$root/.venv-test-$v"
    echo "== CPython $v ($py)"
    [ -x "$venv/bin/python" ] || "$py" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --upgrade pip
    "$venv/bin/python" -m pip install --quiet "maturin>=1.7,<2" pytest hypothesis rich attrs msgspec recordclass mypy typing_extensions pyright
    (VIRTUAL_ENV="$venv" PATH="$venv/bin:$PATH" "$venv/bin/maturin" develop --release --quiet)
    "$venv/bin/python" -m pytest -q -p no:cacheprovider tests
    if [ "$first" = 1 ]; then
        echo "== CPython $v: Record tests under -X dev and gc.set_threshold(1)"
        "$venv/bin/python" -X dev -m pytest -q -p no:cacheprovider --gc-stress tests/records
        first=0
    fi
done
