"""Attributes an instance gets through `__dict__`, `vars()`, a computed `setattr` or a patch
may hold anything: uses through them are unknown uses (a safe fix must not rely on the
declared type alone)."""

from __future__ import annotations

import json
import subprocess
import sys

from slotkit.cli import main

SOURCE = '''\
class Child:
    def __init__(self):
        self.v = 1


class Holder:
    child = None

    def __init__(self, **kw):
        self.__dict__.update(kw)

    def mark(self):
        if self.child is not None:
            self.child.tag = 1
'''


def test_an_attribute_filled_through_dict_is_anything(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "__init__.py").write_text("")
    (tmp_path / "lib" / "m.py").write_text(SOURCE)
    assert main(["fix", "--format", "json", "lib"]) == 1
    plan = {c["name"]: c for c in json.loads(capsys.readouterr().out)["classes"]}
    # `child` is declared `None`, but `__init__` fills it from `kw`: `.tag` may land on a Child
    assert plan["Child"]["applicability"] == "unsafe"
    assert any("stores `.tag`" in u for u in plan["Child"]["unknown_uses"])
    code = "from lib.m import Child, Holder\nh = Holder(child=Child())\nh.mark()\nprint(h.child.tag)\n"
    run = lambda: subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert run().stdout.strip() == "1"
    # what the declared type alone would have allowed breaks the program
    assert main(["fix", "--unsafe-fixes", "lib"]) == 0
    assert "'Child' object has no attribute 'tag'" in run().stderr
