"""A module variable holds what its module assigns and whatever other code writes into
the module's namespace. A test replacing `m.holder` used to be invisible to the reads of
`holder` inside `m`'s functions: `slotkit fix` slotted the replacement's class without
the attribute those functions store, and the program broke."""

from __future__ import annotations

import subprocess
import sys

from slotkit.cli import main

LIB = '''\
class Default:
    def __init__(self):
        self.a = 1


holder = Default()


def touch():
    holder.seen = True
'''

REPLACER = '''\
from lib import m


class Replacement:
    def __init__(self):
        self.b = 2


def swap():
    m.holder = Replacement()
    m.touch()
    return m.holder.seen
'''


def run(tmp_path, code):
    return subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)


def fix_and_run(tmp_path, modules):
    """Write package `lib` with these modules, check that `swap()` works, fix it safely."""
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "__init__.py").write_text("")
    for name, text in modules.items():
        (tmp_path / "lib" / f"{name}.py").write_text(text)
    assert run(tmp_path, SWAP).stdout.strip() == "True"
    assert main(["fix", "lib"]) == 0


SWAP = "from lib.swap import swap\nprint(swap())\n"


def test_a_replaced_module_variable_keeps_its_attributes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    fix_and_run(tmp_path, {"m": LIB, "swap": REPLACER})
    code = SWAP
    fixed = (tmp_path / "lib" / "swap.py").read_text()
    # the replacement is slotted, with the attribute `m.touch()` stores on it
    assert '__slots__ = ("b", "seen")' in fixed
    assert '__slots__ = ("a", "seen")' in (tmp_path / "lib" / "m.py").read_text()
    result = run(tmp_path, code)
    assert result.stdout.strip() == "True", result.stderr


CONFIG = '''\
class Settings:
    def __init__(self):
        self.debug = False


settings = Settings()
'''

USER = '''\
from lib.config import settings


def mark():
    settings.seen = True
    return settings.seen
'''

SWAP_WHERE_USED = '''\
from lib import user


class FakeSettings:
    def __init__(self):
        self.debug = True


def swap():
    user.settings = FakeSettings()
    return user.mark()
'''


def test_a_name_replaced_where_it_is_imported_keeps_its_attributes(tmp_path, monkeypatch):
    # the usual test idiom: patch `settings` in the module that uses it, not where it is
    # defined; `user.mark()` then stores on the replacement
    monkeypatch.chdir(tmp_path)
    fix_and_run(tmp_path, {"config": CONFIG, "user": USER, "swap": SWAP_WHERE_USED})
    code = SWAP
    assert '__slots__ = ("debug", "seen")' in (tmp_path / "lib" / "swap.py").read_text()
    result = run(tmp_path, code)
    assert result.stdout.strip() == "True", result.stderr
