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


def run(tmp_path, code):
    return subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)


def package(tmp_path, source):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "__init__.py").write_text("")
    (tmp_path / "lib" / "m.py").write_text(source)


def test_an_attribute_filled_through_dict_is_anything(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    package(tmp_path, SOURCE)
    assert main(["fix", "--format", "json", "lib"]) == 1
    plan = {c["name"]: c for c in json.loads(capsys.readouterr().out)["classes"]}
    # `child` is declared `None`, but `__init__` fills it from `kw`: `.tag` may land on a
    # Child, so Child keeps a `tag` slot for that store, and the fix is safe
    assert plan["Child"]["applicability"] == "safe"
    assert plan["Child"]["slots"] == ["v", "tag"]
    [kept] = plan["Child"]["kept_for_unknown"]
    assert kept["slot"] == "tag" and "stores `.tag` on a receiver of unknown type" in kept["use"]
    code = "from lib.m import Child, Holder\nh = Holder(child=Child())\nh.mark()\nprint(h.child.tag)\n"
    assert run(tmp_path, code).stdout.strip() == "1"
    assert main(["fix", "lib"]) == 0
    assert "__slots__ = (\"v\", \"tag\")" in (tmp_path / "lib" / "m.py").read_text()
    assert run(tmp_path, code).stdout.strip() == "1"


def test_the_declared_type_alone_would_break_it(tmp_path, capsys, monkeypatch):
    # what the declared type alone would allow (`Child` slotted with `v` only) breaks the
    # program: the reason `tag` is kept above
    monkeypatch.chdir(tmp_path)
    package(tmp_path, SOURCE)
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"classes": [{"id": "lib/m.py::Child", "slots": ["v"]}]}))
    assert main(["fix", "--plan", str(plan), "lib"]) == 0
    code = "from lib.m import Child, Holder\nh = Holder(child=Child())\nh.mark()\n"
    assert "'Child' object has no attribute 'tag'" in run(tmp_path, code).stderr


REBOUND = '''\
import argparse


class Item:
    def __init__(self):
        self.n = 1

    def __repr__(self):
        return "Item"


current = argparse.Namespace()


def set_current(v):
    global current
    current = v


def show():
    return vars(current)
'''


def test_a_module_variable_rebound_through_global_is_anything(tmp_path, capsys, monkeypatch):
    # `current` starts as an outside object, but `set_current` rebinds it through `global`:
    # `vars(current)` may be an Item's, which needs its `__dict__` (slots cannot keep that)
    monkeypatch.chdir(tmp_path)
    package(tmp_path, REBOUND)
    code = "from lib.m import Item, set_current, show\nset_current(Item())\nprint(show())\n"
    assert run(tmp_path, code).stdout.strip() == "{'n': 1}"
    assert main(["fix", "--format", "json", "lib"]) == 1
    [item] = json.loads(capsys.readouterr().out)["classes"]
    assert item["applicability"] == "unsafe"
    assert any("uses `__dict__`" in u for u in item["unknown_uses"])
    assert main(["fix", "lib"]) == 0
    assert "__slots__" not in (tmp_path / "lib" / "m.py").read_text()
    assert run(tmp_path, code).stdout.strip() == "{'n': 1}"
    # the fix the analysis used to call safe breaks it
    assert main(["fix", "--unsafe-fixes", "lib"]) == 0
    assert "vars() argument must have __dict__ attribute" in run(tmp_path, code).stderr
