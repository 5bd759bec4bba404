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


def test_a_replaced_module_variable_keeps_its_attributes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "__init__.py").write_text("")
    (tmp_path / "lib" / "m.py").write_text(LIB)
    (tmp_path / "lib" / "swap.py").write_text(REPLACER)
    code = "from lib.swap import swap\nprint(swap())\n"
    assert run(tmp_path, code).stdout.strip() == "True"
    assert main(["fix", "lib"]) == 0
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
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "__init__.py").write_text("")
    (tmp_path / "lib" / "config.py").write_text(CONFIG)
    (tmp_path / "lib" / "user.py").write_text(USER)
    (tmp_path / "lib" / "swap.py").write_text(SWAP_WHERE_USED)
    code = "from lib.swap import swap\nprint(swap())\n"
    assert run(tmp_path, code).stdout.strip() == "True"
    assert main(["fix", "lib"]) == 0
    assert '__slots__ = ("debug", "seen")' in (tmp_path / "lib" / "swap.py").read_text()
    result = run(tmp_path, code)
    assert result.stdout.strip() == "True", result.stderr
