"""`slotkit --version` / `-V`: slotkit's version, the Python, and whether the extension is a release build."""

from __future__ import annotations

import sys

import pytest

from slotkit import cli
from slotkit.bench import environment


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version_of_this_build(flag: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([flag]) == 0
    first, python, core = capsys.readouterr().out.splitlines()
    assert first.startswith("slotkit ")
    assert python == f"Python {'.'.join(map(str, sys.version_info[:3]))} (CPython) at {sys.executable}"
    build = environment.native_build()
    assert build is not None
    kind = "debug build" if build["debug_build"] else "release build"
    abi = f"cpython-{sys.version_info.major}{sys.version_info.minor}"
    assert core.startswith(f"extension slotkit._core: {kind}, built for {abi}")
    assert core.endswith(f"MB at {build['path']}")


def test_a_debug_build_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(environment, "native_build", lambda: {
        "path": "/x/_core.cpython-312-x86_64-linux-gnu.so", "size_mb": 30.1, "debug_build": True})
    core = environment.version_text().splitlines()[2]
    assert core.startswith("extension slotkit._core: debug build (Rust overflow checks compiled in: slow")


def test_without_the_extension(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(environment, "native_build", lambda: None)
    assert environment.version_text().splitlines()[2].startswith("extension slotkit._core: not found")
