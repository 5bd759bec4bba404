"""What is printed with the results: Python version and build, machine, peer versions."""

from __future__ import annotations

import os
import platform
import sys
import sysconfig
from typing import Any

PEERS = ("slotkit", "attrs", "msgspec", "recordclass")


def _version(dist: str) -> str | None:
    from importlib import metadata

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def describe() -> dict[str, Any]:
    build = [platform.python_implementation(), platform.python_compiler()]
    if sysconfig.get_config_var("Py_GIL_DISABLED"):
        build.append("free-threaded")
    if hasattr(sys, "gettotalrefcount"):
        build.append("debug")
    if "--enable-optimizations" in (sysconfig.get_config_var("CONFIG_ARGS") or ""):
        build.append("PGO")
    return {
        "python": platform.python_version(),
        "executable": sys.executable,
        "build": ", ".join(build),
        "machine": f"{_cpu_model()}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()} {platform.machine()}",
        "peers": {name: _version(name) for name in PEERS},
    }


def one_line(info: dict[str, Any]) -> str:
    peers = ", ".join(f"{k} {v}" for k, v in info["peers"].items() if v) or "no peers installed"
    return f"Python {info['python']} ({info['build']}) on {info['machine']}; {peers}"
