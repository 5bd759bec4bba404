"""A subclass's class-level definition that hides a base's slot: `fix` keeps that
subclass's `__dict__`, because a store of the name on its instances fails without one."""

from __future__ import annotations

import json
import subprocess
import sys

from slotkit.cli import main

SOURCE = """\
class C:
    def __init__(self):
        self.a = 1
        self.tag = 0


class D(C):
    def tag(self):
        return "method"

    def __init__(self):
        super().__init__()
        self.b = 2
"""

RUN = "from lib.m import C, D\nd = D()\nprint(C().tag, d.tag, d.b)\n"


def run(tmp_path):
    return subprocess.run([sys.executable, "-c", RUN], cwd=tmp_path, capture_output=True, text=True)


def test_the_subclass_keeps_its_dict(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "__init__.py").write_text("")
    (tmp_path / "lib" / "m.py").write_text(SOURCE)
    before = run(tmp_path)
    assert before.returncode == 0 and before.stdout.strip() == "0 0 2", before.stderr
    assert main(["fix", "--format", "json", "lib"]) == 1
    plan = {c["name"]: c for c in json.loads(capsys.readouterr().out)["classes"]}
    assert set(plan) == {"C"} and plan["C"]["slots"] == ["a", "tag"]
    assert main(["check", "lib"]) == 1
    assert "`D.tag` hides the slot `tag` of base `C`" in capsys.readouterr().out
    assert main(["fix", "lib"]) == 0
    assert run(tmp_path).stdout == before.stdout
    # slotting D as well (what the analysis used to plan) breaks the store in `C.__init__`
    text = (tmp_path / "lib" / "m.py").read_text()
    (tmp_path / "lib" / "m.py").write_text(text.replace("class D(C):\n", 'class D(C):\n    __slots__ = ("b",)\n\n'))
    assert "'D' object attribute 'tag' is read-only" in run(tmp_path).stderr
