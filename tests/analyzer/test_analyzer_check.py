"""`slotkit check` through the Python package (the Rust analyzer behind `slotkit._core`)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from slotkit.cli import main


def write(root: Path, rel: str, src: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(src))
    return path


BROKEN = """
    import weakref


    class Point:
        __slots__ = ("x", "x", "name")
        name = "p"

        def __init__(self):
            self.x = 1
            self.z = 2

        def ref(self):
            return weakref.ref(self)
"""


def test_check_reports_broken_and_wasted_slots(tmp_path, capsys):
    write(tmp_path, "m.py", BROKEN)
    rc = main(["check", str(tmp_path)])
    out = capsys.readouterr().out
    assert rc == 1
    codes = [line.split()[1] for line in out.splitlines() if ": SK" in line]
    assert sorted(codes) == ["SK101", "SK106", "SK107", "SK203"]
    assert f"{tmp_path}/m.py:6:23: SK203" in out
    assert "Found 4 findings in 1 file: 3 broken, 1 wasted" in out


def test_clean_project_exits_zero(tmp_path, capsys):
    write(tmp_path, "m.py", 'class A:\n    __slots__ = ("a",)\n\n    def __init__(self):\n        self.a = 1\n')
    assert main(["check", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert "All checks passed (1 file)." in captured.out
    assert "files/s" in captured.err


def test_opportunity_with_cross_module_bases(tmp_path, capsys):
    write(tmp_path, "pkg/__init__.py", "from .base import Base as PublicBase\n")
    write(tmp_path, "pkg/base.py", "class Base:\n    def __init__(self):\n        self.a = 1\n")
    write(tmp_path, "pkg/child.py", "from . import PublicBase\n\n\nclass Child(PublicBase):\n    def go(self):\n        self.b = 2\n")
    rc = main(["check", str(tmp_path), "--select", "SK301", "--python", "3.13"])
    out = capsys.readouterr().out
    assert rc == 1
    assert '`Base` can use `__slots__ = ("a",)`' in out
    assert '`Child` can use `__slots__ = ("b",)`' in out
    assert "slot these bases first: `Base`" in out
    assert "on Python 3.13" in out


def test_json_output(tmp_path, capsys):
    write(tmp_path, "m.py", 'class U:\n    __slots__ = "name"\n')
    assert main(["check", str(tmp_path), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [d["code"] for d in data["diagnostics"]] == ["SK204"]
    assert data["summary"]["wasted"] == 1


def test_sarif_output(tmp_path, capsys):
    write(tmp_path, "m.py", 'class U:\n    __slots__ = "name"\n')
    assert main(["check", str(tmp_path), "--format", "sarif"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["runs"][0]["results"][0]["ruleId"] == "SK204"


@pytest.mark.parametrize(
    "argv",
    [["check", "--format", "xml"], ["check", "--select", "NOPE"], ["check", "/no/such/dir"], ["fix", "--bogus"]],
)
def test_usage_errors_exit_two(argv, capsys):
    assert main(argv) == 2
    assert "slotkit: error:" in capsys.readouterr().err


def test_never_imports_user_code(tmp_path, capsys):
    marker = tmp_path / "imported"
    write(
        tmp_path,
        "evil.py",
        f"""
        open({str(marker)!r}, "w").write("ran")
        raise SystemExit(3)

        class A:
            def __init__(self):
                self.a = 1
        """,
    )
    assert main(["check", str(tmp_path)]) == 1
    assert not marker.exists()
    assert "SK301" in capsys.readouterr().out


def test_unparsable_file_is_reported_and_others_checked(tmp_path, capsys):
    write(tmp_path, "bad.py", "def (:\n")
    write(tmp_path, "good.py", 'class U:\n    __slots__ = "name"\n')
    assert main(["check", str(tmp_path), "--no-summary"]) == 1
    out = capsys.readouterr().out
    assert "bad.py:1:5: SK000" in out
    assert "good.py:2:5: SK204" in out


def test_explain(capsys):
    assert main(["check", "--explain", "SK107"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# SK107 weakref-without-weakref-slot")
