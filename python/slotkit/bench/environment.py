"""What is printed with the results: Python version and build, machine, peer versions."""

from __future__ import annotations

import os
import platform
import sys
import sysconfig
from typing import Any

from slotkit.bench.variants import VARIANTS

PEERS = tuple(dict.fromkeys(v.package for v in VARIANTS if v.package))  # distributions to report


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


def native_build() -> dict[str, Any] | None:
    """slotkit's extension module: where it is, and whether it looks like a debug build.

    ``maturin develop`` without ``--release`` builds an unoptimised module whose times mean
    nothing. Such a build has Rust's overflow checks compiled in, and their panic message with it.
    """
    try:
        from importlib.util import find_spec

        spec = find_spec("slotkit._core")
    except Exception:  # slotkit itself not importable
        return None
    if spec is None or not spec.origin or not os.path.isfile(spec.origin):
        return None
    with open(spec.origin, "rb") as f:
        debug = b"attempt to add with overflow" in f.read()
    return {"path": spec.origin, "size_mb": round(os.path.getsize(spec.origin) / 1e6, 1), "debug_build": debug}


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
        "slotkit_core": native_build(),
    }


def one_line(info: dict[str, Any]) -> str:
    peers = ", ".join(f"{k} {v}" for k, v in info["peers"].items() if v) or "no peers installed"
    return f"Python {info['python']} ({info['build']}) on {info['machine']}; {peers}"


def warning(info: dict[str, Any]) -> str | None:
    core = info.get("slotkit_core")
    if core and core["debug_build"]:
        return (f"warning: {core['path']} has Rust overflow checks compiled in: it looks like a debug build "
                "(maturin develop without --release), so slotkit.Record's times are not representative; "
                "build with `pip install .` or `maturin develop --release`")
    return None


def version_text() -> str:
    """``slotkit --version``: slotkit's version, this Python, and which extension it loads, release or debug."""
    import importlib.machinery

    version = _version("slotkit") or "unknown (not installed: running from a source tree)"
    lines = [f"slotkit {version}",
             f"Python {platform.python_version()} ({platform.python_implementation()}) at {sys.executable}"]
    core = native_build()
    if core is None:
        lines.append("extension slotkit._core: not found (build it: pip install . or maturin develop --release)")
        return "\n".join(lines)
    suffix = next((s for s in importlib.machinery.EXTENSION_SUFFIXES if core["path"].endswith(s)), "")
    built_for = suffix.strip(".").rsplit(".", 1)[0] or "unknown ABI"
    kind = ("debug build (Rust overflow checks compiled in: slow, rebuild with --release)" if core["debug_build"]
            else "release build")
    lines.append(f"extension slotkit._core: {kind}, built for {built_for}, {core['size_mb']} MB at {core['path']}")
    return "\n".join(lines)
