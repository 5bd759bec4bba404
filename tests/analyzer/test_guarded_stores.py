"""Read-guarded stores (`model/guards.rs`): `if r.year is not None: r.year = ...` on a
receiver of unknown type cannot break a class slotted without `year`, unless the load can
succeed without an instance dict (a class-level `year`, or `__getattr__`)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from slotkit.cli import main

VALIDATE = '''\
def validate(res):
    # `res` comes from callers slotkit cannot see: its type is unknown
    if res.year is not None:
        res.year = res.year % 100
    if (res.off == 0 and not res.name) or res.name == "Z":
        res.name = "UTC"
    res.count += 1
'''

CLASSES = '''\
from lib.util import validate


class Result:
    def __init__(self):
        self.year = 2024
        self.off = 0
        self.name = ""
        self.count = 0


class Lexer:
    def __init__(self, text):
        self.text = text
        self.pos = 0
'''


def write(tmp_path, classes: str) -> None:
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "__init__.py").write_text("")
    (tmp_path / "lib" / "util.py").write_text(VALIDATE)
    (tmp_path / "lib" / "model.py").write_text(classes)


def applicability(tmp_path, capsys) -> dict[str, str]:
    assert main(["fix", "--format", "json", "lib"]) == 1  # fixes pending
    plan = json.loads(capsys.readouterr().out)
    return {c["name"]: c["applicability"] for c in plan["classes"]}


def run(tmp_path, code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=tmp_path, capture_output=True, text=True)


def test_guarded_stores_leave_classes_without_the_name_safe(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, CLASSES)
    # `Lexer` has no `year`, `name` or `count`: the guarding loads would fail on it first
    assert applicability(tmp_path, capsys) == {"Result": "safe", "Lexer": "safe"}
    assert main(["fix", "lib"]) == 0
    text = (tmp_path / "lib" / "model.py").read_text()
    assert '__slots__ = ("year", "off", "name", "count")' in text
    assert '__slots__ = ("text", "pos")' in text
    proc = run(tmp_path, """
        from lib.model import Result, Lexer
        from lib.util import validate
        r = Result(); validate(r); print(r.year, r.name, r.count)
        try:
            validate(Lexer("x"))
        except AttributeError as e:
            print("before and after the fix:", e)
    """)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["24 UTC 1", "before and after the fix: 'Lexer' object has no attribute 'year'"]


def test_a_class_level_default_keeps_the_store_reaching(tmp_path, capsys, monkeypatch):
    # `year = None` at class level: the load succeeds, the store then needs an instance
    # dict. Slotting `Lexer` would break `validate(Lexer(...))`: the fix must be unsafe
    monkeypatch.chdir(tmp_path)
    classes = CLASSES.replace("class Lexer:\n", "class Lexer:\n    year = None\n    name = ''\n    off = 0\n    count = 0\n\n")
    write(tmp_path, classes)
    assert applicability(tmp_path, capsys) == {"Result": "safe", "Lexer": "unsafe"}
    snippet = """
        from lib.model import Lexer
        from lib.util import validate
        lx = Lexer("x"); validate(lx); print(lx.name, lx.count)
    """
    assert run(tmp_path, snippet).stdout.split() == ["UTC", "1"]
    assert main(["fix", "--unsafe-fixes", "lib"]) == 0
    broken = run(tmp_path, snippet)
    assert "'Lexer' object attribute 'name' is read-only" in broken.stderr


def test_getattr_keeps_the_store_reaching(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    classes = CLASSES.replace(
        "        self.pos = 0\n",
        "        self.pos = 0\n\n    def __getattr__(self, name):\n        return 0\n",
    )
    write(tmp_path, classes)
    # the guarded stores can reach `Lexer` (its `__getattr__` answers the loads): it keeps
    # slots for them, and `validate(Lexer(...))` behaves the same once slotted
    # (`__getattr__` still answers for an unset slot)
    assert applicability(tmp_path, capsys) == {"Result": "safe", "Lexer": "safe"}
    snippet = """
        from lib.model import Lexer
        from lib.util import validate
        lx = Lexer("x"); validate(lx); print(lx.year, lx.name, lx.count)
    """
    before = run(tmp_path, snippet)
    assert before.returncode == 0, before.stderr
    assert main(["fix", "lib"]) == 0
    text = (tmp_path / "lib" / "model.py").read_text()
    assert '__slots__ = ("text", "pos", "year", "name", "count")' in text, text
    after = run(tmp_path, snippet)
    assert (after.returncode, after.stdout) == (0, before.stdout), after.stderr


NESTED = '''\
class Parser:
    class _Result:
        def __init__(self):
            self.hour = None

    def parse(self, text):
        res = self._Result()
        res.hour = int(text)
        res.tag = text
        return res


class Other:
    def __init__(self):
        self.v = 1
'''


def test_instances_of_a_nested_class_made_through_self_are_typed(tmp_path, capsys, monkeypatch):
    # `self._Result()` makes a `Parser._Result`: its stores are typed (`tag` becomes one of
    # its slots) instead of unknown stores that would make every other fix unsafe
    monkeypatch.chdir(tmp_path)
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "__init__.py").write_text("")
    (tmp_path / "lib" / "p.py").write_text(NESTED)
    assert main(["fix", "--format", "json", "lib"]) == 1
    plan = {c["name"]: c for c in json.loads(capsys.readouterr().out)["classes"]}
    assert {n: (c["applicability"], c["slots"]) for n, c in plan.items()} == {
        "Parser": ("safe", []),
        "_Result": ("safe", ["hour", "tag"]),
        "Other": ("safe", ["v"]),
    }
    assert main(["fix", "lib"]) == 0
    proc = run(tmp_path, "from lib.p import Parser; r = Parser().parse('7'); print(r.hour, r.tag)")
    assert proc.stdout.split() == ["7", "7"], proc.stderr
