"""Suite-wide options. ``--gc-stress`` runs every test with ``gc.set_threshold(1)``, so the cycle
collector runs after nearly every allocation and sees objects in every intermediate state."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

# `from _optional import need` works from every test folder (tests/requirements/README.md).
sys.path.insert(0, str(Path(__file__).parent))


def pytest_addoption(parser):
    parser.addoption("--gc-stress", action="store_true", help="run with gc.set_threshold(1)")


def pytest_configure(config):
    if config.getoption("--gc-stress"):
        gc.set_threshold(1)
