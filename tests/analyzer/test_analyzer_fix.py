"""`slotkit fix`: the fixed code parses, imports and behaves as before."""

from __future__ import annotations

import importlib.util
import sys
import textwrap
import weakref
from pathlib import Path

from slotkit.cli import main

SOURCE = '''\
"""Module docstring."""

import weakref


class Shape:
    """A shape."""

    def __init__(self, name):
        self.name = name  # keep this comment

    def observe(self):
        return weakref.ref(self)


class Square(Shape):
    def __init__(self, side):
        super().__init__("square")
        self.side = side

    def area(self):
        return self.side ** 2


class Config:
    debug = False

    def enable(self):
        self.debug = True
'''


def load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_fix_diff_does_not_write(tmp_path, capsys):
    path = tmp_path / "shapes.py"
    path.write_text(SOURCE)
    assert main(["fix", "--diff", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert '+    __slots__ = ("name", "__weakref__")' in out
    assert '+    __slots__ = ("side",)' in out
    assert path.read_text() == SOURCE


def test_fix_writes_and_fixed_code_behaves_the_same(tmp_path, capsys):
    path = tmp_path / "shapes_fixed.py"
    path.write_text(SOURCE)
    before = load(path, "shapes_before")
    assert main(["fix", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert "Added __slots__ to 2 classes in 1 file." in err
    fixed = path.read_text()
    # only insertions: every original line survives in order
    rest = fixed
    for line in SOURCE.splitlines():
        idx = rest.index(line)
        rest = rest[idx + len(line):]
    compile(fixed, str(path), "exec")
    after = load(path, "shapes_after")
    sq_before, sq_after = before.Square(3), after.Square(3)
    assert sq_after.area() == sq_before.area() == 9
    assert sq_after.name == sq_before.name == "square"
    assert not hasattr(sq_after, "__dict__")
    assert after.Square.__slots__ == ("side",)
    assert after.Shape.__slots__ == ("name", "__weakref__")
    assert sq_after.observe()() is sq_after
    assert weakref.ref(sq_after)() is sq_after
    # the blocked class is untouched
    assert "__slots__" not in after.Config.__dict__
    cfg = after.Config()
    cfg.enable()
    assert cfg.debug is True
    # a second run has nothing left to do
    assert main(["fix", str(tmp_path)]) == 0
    assert "Added __slots__ to 0 classes" in capsys.readouterr().err
