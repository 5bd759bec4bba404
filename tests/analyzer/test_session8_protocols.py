"""The rules of `crates/slotkit-analyzer/tests/soundness_protocols.rs`, run for real: a
linked ring of nodes made through the outer class (`Ring.Link()`), its root copied back
from a pickled state in `__setstate__`, and a test whose parameter has a default. After
`slotkit fix` (safe fixes only) the program runs in a fresh interpreter with the same
output, pickle and copy round trips included; the classes the rules now type are slotted
(else nothing would be tested)."""

from __future__ import annotations

import subprocess
import sys

from slotkit.cli import main

RING = '''\
import copy
import pickle


class Item:
    def __init__(self, key):
        self.key = key


class Ring:
    class Link:
        __slots__ = ("item", "next", "prev")

        def unlink(self):
            nxt = self.next
            prv = self.prev
            prv.next = nxt
            nxt.prev = prv

    def __init__(self):
        self.root = root = Ring.Link()
        root.prev = root.next = root
        self.size = 0

    def add(self, item):
        link = Ring.Link()
        link.item = item
        root = self.root
        link.next = root
        link.prev = prv = root.prev
        prv.next = root.prev = link
        self.size += 1
        return link

    def keys(self):
        out = []
        cur = self.root.next
        while cur is not self.root:
            out.append(cur.item.key)
            cur = cur.next
        return out

    def __getstate__(self):
        return {"size": self.size, "items": [i for i in self.items()]}

    def items(self):
        cur = self.root.next
        while cur is not self.root:
            yield cur.item
            cur = cur.next

    def __setstate__(self, state):
        self.__init__()
        for item in state["items"]:
            self.add(item)


class Bag:
    def __init__(self):
        self.things = []

    def __setstate__(self, state):
        self.__dict__.update(state)
        for t in self.things:
            t.seen = True


def main():
    ring = Ring()
    for k in "abc":
        ring.add(Item(k))
    ring.root.next.unlink()
    bag = Bag()
    bag.things.append(Item("z"))
    again = pickle.loads(pickle.dumps(bag))
    return (ring.keys(), pickle.loads(pickle.dumps(ring)).keys(), copy.deepcopy(ring).keys(),
            [t.seen for t in again.things])
'''

TEST = '''\
import unittest

from lib.m import Item


def make(key="k"):
    return Item(key)


class ItemTest(unittest.TestCase):
    def test_make(self, factory=make):
        item = factory()
        self.assertEqual(item.key, "k")
'''

RUN = "from lib.m import main\nprint(main())\n"


def test_the_fixed_program_runs_the_same(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "lib"\n')
    for d in ("lib", "tests"):
        (tmp_path / d).mkdir()
        (tmp_path / d / "__init__.py").write_text("")
    (tmp_path / "lib" / "m.py").write_text(RING)
    (tmp_path / "tests" / "test_m.py").write_text(TEST)
    expected = "(['b', 'c'], ['b', 'c'], ['b', 'c'], [True])"
    before = subprocess.run([sys.executable, "-c", RUN], cwd=tmp_path, capture_output=True, text=True)
    assert before.stdout.strip() == expected, before.stderr
    assert main(["fix", "."]) == 0
    fixed = (tmp_path / "lib" / "m.py").read_text()
    # `Item` is slotted with what the ring, the bag's copy-back and the test store on it
    item_slots = fixed.split("class Item:\n")[1].split("\n")[0]
    assert item_slots.startswith("    __slots__ = ("), fixed
    assert '"seen"' in item_slots and '"key"' in item_slots, item_slots
    after = subprocess.run([sys.executable, "-c", RUN], cwd=tmp_path, capture_output=True, text=True)
    assert after.stdout.strip() == expected, after.stderr
    tests = subprocess.run([sys.executable, "-m", "unittest", "-q", "tests.test_m"], cwd=tmp_path, capture_output=True, text=True)
    assert tests.returncode == 0, tests.stderr


HOLDER = '''\
class Link:
    def __init__(self):
        self.prev = None


class Holder:
    def __init__(self):
        self.root = Link()


class Other:
    def __init__(self):
        self.n = 1


def feed(h, x):
    h.root.prev = x


def use(hh: Holder):
    hh.root.prev.tag = 1
'''

# the caller is outside the analysed folder, as a library's user is
CALLER = "from lib.m import Holder, Other, feed, use\nh = Holder()\no = Other()\nfeed(h, o)\nuse(h)\nprint(o.tag)\n"


def test_a_store_through_a_path_of_unknown_type_keeps_the_slot(tmp_path, monkeypatch):
    # `h.root.prev = x` with `h` from an outside caller: before session 8, `Other` was
    # slotted without the `tag` `use()` then stores on it, and the caller raised
    monkeypatch.chdir(tmp_path)
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "__init__.py").write_text("")
    (tmp_path / "lib" / "m.py").write_text(HOLDER)
    assert main(["fix", "lib"]) == 0
    fixed = (tmp_path / "lib" / "m.py").read_text()
    other = fixed.split("class Other:\n")[1].split("\n")[0]
    assert other.startswith("    __slots__ = (") and '"tag"' in other, fixed
    after = subprocess.run([sys.executable, "-c", CALLER], cwd=tmp_path, capture_output=True, text=True)
    assert after.stdout.strip() == "1", after.stderr
