#!/usr/bin/env bash
# Installs everything the test suite needs and runs all of it, on a fresh machine:
#   Rust tests of the pure-Rust crates, then for each CPython (3.11 to 3.15 by default) a fresh
#   venv with the package built in release mode and the whole pytest suite
#   (scripts/test-python.sh); on the first interpreter the Record tests run again under `-X dev`
#   with gc.set_threshold(1).
# 3.11-3.13 come from pyenv (or PATH). 3.14 and 3.15, when the host has no such interpreter, come
# from a Debian sid root that scripts/sid-root.sh builds on first use (about 70 s, as root, kept in
# /var/cache/slotkit/sid-root and reused) and runs them in, with this clone and the host's Rust
# toolchain mounted; their builds go to target/sid, their venvs to .venv-test-sid-3.1x.
# Usage: bash scripts/test.sh            (SLOTKIT_PYTHONS="3.12 3.15" to test some versions)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
pythons=${SLOTKIT_PYTHONS:-"3.11 3.12 3.13 3.14 3.15"}
export CARGO_TERM_COLOR=never PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1

find_python() {
    local v=$1 candidate
    if command -v pyenv >/dev/null 2>&1; then
        for candidate in "$(pyenv root)"/versions/"$v".*/bin/python"$v" "$(pyenv root)"/versions/"$v"/bin/python"$v"; do
            [ -x "$candidate" ] && { echo "$candidate"; return; }
        done
    fi
    command -v "python$v" || true
}

echo "== cargo test (pure-Rust crates)"
cargo test --workspace --exclude slotkit-python --quiet 2>&1 | tail -n 40

stress=--gc-stress
for v in $pythons; do
    start=$SECONDS
    py=$(find_python "$v")
    if [ -n "$py" ]; then
        echo "== CPython $v ($py)"
        bash scripts/test-python.sh "$py" "$root/.venv-test-$v" $stress
    elif [ "$v" = 3.14 ] || [ "$v" = 3.15 ]; then
        echo "== CPython $v (Debian sid root, scripts/sid-root.sh)"
        bash scripts/sid-root.sh ensure
        bash scripts/sid-root.sh run \
            env CARGO_TARGET_DIR="$root/target/sid" \
            bash scripts/test-python.sh "/usr/bin/python$v" "$root/.venv-test-sid-$v" $stress
    else
        echo "python$v not found (install it, e.g. with pyenv)" >&2
        exit 1
    fi
    echo "== CPython $v done in $((SECONDS - start)) s"
    stress=
done
