#!/usr/bin/env bash
# CPython 3.14 or 3.15 from the Debian sid root (scripts/sid-root.sh), usable as a local
# interpreter, e.g. by `slotkit bench --python scripts/sid-python3.14`. The version comes from the
# name it is called by (scripts/sid-python3.14 and scripts/sid-python3.15 link here). It runs the
# venv that scripts/test.sh makes in the root, .venv-test-sid-3.1x (slotkit built in release mode,
# the bench's peers installed), or $SLOTKIT_SID_VENV. Each call enters the root afresh (about
# 0.1 s): fine for bench workers, which are separate processes anyway.
set -euo pipefail
v=${0##*python}
here=$(cd "$(dirname "$0")" && pwd)
venv=${SLOTKIT_SID_VENV:-$(dirname "$here")/.venv-test-sid-$v}
case "$v" in
    3.14 | 3.15) ;;
    *) echo "sid-python: call me as sid-python3.14 or sid-python3.15, not ${0##*/}" >&2; exit 2 ;;
esac
if [ ! -e "$venv/pyvenv.cfg" ]; then
    echo "sid-python: no venv at $venv; make it with: SLOTKIT_PYTHONS=$v bash scripts/test.sh" >&2
    exit 2
fi
exec bash "$here/sid-root.sh" run "$venv/bin/python" "$@"
