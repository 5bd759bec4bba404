"""A container an attribute holds, filled under another name, is the attribute's container:
`d = self.items; d[k] = v`, `self.items = d` then `d[k] = v`, `_fill(self.items, v)`,
`heapq.heappush(self.heap, v)`. Only `self.items[k] = v` used to count: `slotkit fix`
slotted `Item` without the `tag` the program stores on the items, and the fixed program
raised AttributeError. Each case is run after a safe fix, in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys

import pytest

from slotkit.cli import main

PROGRAM = '''\
import heapq


class Item:
    def __init__(self):
        self.n = 1


def _fill(d, v):
    d["k"] = v


class Box:
    def __init__(self):
{init}

    def _add(self, v):
{add}

    def mark(self):
        for x in {items}:
            x.tag = 1
        return sorted(x.tag for x in {items})


def main():
    box = Box()
    box._add(Item())
    return box.mark()
'''

CASES = {
    "local alias": ("        self.items = {}", "        d = self.items\n        d['k'] = v", "self.items.values()"),
    "stored local": ("        self.items = {}", "        d = {}\n        self.items = d\n        d['k'] = v", "self.items.values()"),
    "element alias": (
        "        self.groups = {'k': []}",
        "        lst = self.groups['k']\n        lst.append(v)",
        "[x for xs in self.groups.values() for x in xs]",
    ),
    "filled by a function": ("        self.items = {}", "        _fill(self.items, v)", "self.items.values()"),
    "heappush": ("        self.heap = []", "        heapq.heappush(self.heap, v)", "self.heap"),
}

RUN = "from lib.m import main\nprint(main())\n"


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_fixed_program_still_stores_on_the_items(case, tmp_path, monkeypatch):
    init, add, items = CASES[case]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "__init__.py").write_text("")
    (tmp_path / "lib" / "m.py").write_text(PROGRAM.format(init=init, add=add, items=items))
    before = subprocess.run([sys.executable, "-c", RUN], cwd=tmp_path, capture_output=True, text=True)
    assert before.stdout.strip() == "[1]", before.stderr
    assert main(["fix", "lib"]) == 0
    fixed = (tmp_path / "lib" / "m.py").read_text()
    # the fix did slot `Item` (else nothing is tested), keeping `tag`
    assert "class Item:\n    __slots__ = (" in fixed
    assert '"tag"' in fixed.split("class Item:")[1].split("\n")[1]
    after = subprocess.run([sys.executable, "-c", RUN], cwd=tmp_path, capture_output=True, text=True)
    assert after.stdout.strip() == "[1]", after.stderr
