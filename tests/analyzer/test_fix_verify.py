"""`slotkit fix --verify CMD`: rounds that converge, blame from error text, bisection,
baselines, and runs killed mid-round that leave the original files."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from slotkit._verify.blame import blames, last_error_line
from slotkit._verify.journal import NAME, Journal
from slotkit._verify.runner import Outcome, compare, read_junit
from slotkit.cli import main

LIB = '''\
class Shape:
    def __init__(self, name):
        self.name = name


class Square(Shape):
    def __init__(self, side):
        super().__init__("square")
        self.side = side


class Doc:
    def __init__(self):
        self.text = ""


class Plain:
    def __init__(self):
        self.v = 1


class Quiet:
    def __init__(self):
        self.q = 0


def tag(obj, value):
    obj.tag = value


def dump(obj):
    return vars(obj)
'''

TESTS = '''\
import weakref
from pkg.shapes import Shape, Square, Doc, Plain, Quiet, tag


def test_square_gets_a_tag():
    s = Square(3)
    tag(s, "x")
    assert s.tag == "x"


def test_shapes_are_weakly_referenced():
    s = Shape("a")
    assert weakref.ref(s)() is s


def test_doc_is_set_per_instance():
    Doc().__doc__ = "hello"


def test_plain_has_vars():
    assert vars(Plain()) == {"v": 1}


def test_quiet():
    assert Quiet().q == 0


def test_already_failing():
    assert False, "broken before slotkit"
'''


def pytest_cmd(*extra: str) -> str:
    return " ".join([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *extra, "tests_pkg"])


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "shapes.py").write_text(LIB)
    (tmp_path / "tests_pkg").mkdir()
    (tmp_path / "tests_pkg" / "test_shapes.py").write_text(TESTS)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PYTEST_ADDOPTS", raising=False)
    return tmp_path


def test_rounds_converge_and_keep_only_verified_edits(project, capsys):
    report = project / "report.json"
    rc = main(["fix", "--unsafe-fixes", "--verify", pytest_cmd(), "pkg", "--report-json", str(report)])
    captured = capsys.readouterr()
    assert rc == 0, captured.err
    assert "baseline (untouched tree): 6 tests, 1 failed" in captured.err
    assert "results compared by failing test ids" in captured.err
    assert "round 1: 5 classes slotted" in captured.err
    text = (project / "pkg" / "shapes.py").read_text()
    # blamed by name: a slot added, __weakref__ added, a class left alone
    assert '__slots__ = ("name", "__weakref__")' in text
    assert '__slots__ = ("side", "tag")' in text
    assert '__slots__ = ("q",)' in text
    assert "class Doc:\n    def __init__" in text
    assert "class Plain:\n    def __init__" in text
    data = json.loads(report.read_text())
    dropped = {d["id"].split("::")[1]: d for d in data["dropped"]}
    assert set(dropped) == {"Doc", "Plain"}
    assert dropped["Doc"]["error"].endswith("'Doc' object attribute '__doc__' is read-only")
    assert dropped["Doc"]["test"].endswith("test_doc_is_set_per_instance")
    assert dropped["Plain"]["why"] == "found by bisection"
    assert "vars() argument must have __dict__ attribute" in dropped["Plain"]["error"]
    assert {c["name"] for c in data["slotted"]} == {"Shape", "Square", "Quiet"}
    assert "Slotted 3 classes (0 safe, 3 unsafe fixes); ~" in captured.out
    # the verified tree passes the suite like the untouched one, and no journal is left
    proc = subprocess.run(pytest_cmd(), shell=True, capture_output=True, text=True)
    assert "1 failed, 5 passed" in proc.stdout
    assert not (project / NAME).exists()


def test_safe_tier_only_tries_safe_fixes(project, capsys):
    rc = main(["fix", "--verify", pytest_cmd(), "pkg"])
    captured = capsys.readouterr()
    assert rc == 0, captured.err
    # `dump(obj)` reads `vars()` of a receiver of unknown type: every fix here is unsafe
    # (slots cannot keep that working, as they keep `tag(obj, ...)`'s store)
    assert "0 classes to try (safe fixes)" in captured.err
    assert (project / "pkg" / "shapes.py").read_text() == LIB


def test_plain_command_compares_exit_codes(project, capsys):
    script = project / "check.py"
    script.write_text(
        "import sys\nfrom pkg.shapes import Doc, Quiet\nDoc().__doc__ = 'x'\nprint(Quiet().q)\n"
    )
    rc = main(["fix", "--unsafe-fixes", "--verify", f"{sys.executable} check.py", "pkg"])
    captured = capsys.readouterr()
    assert rc == 0, captured.err
    assert "results compared by exit code" in captured.err
    text = (project / "pkg" / "shapes.py").read_text()
    assert "class Doc:\n    def __init__" in text
    assert '__slots__ = ("q",)' in text


def test_killed_run_leaves_the_original_files(project):
    """SIGKILL the driver while the command runs on edited files: the guard restores them."""
    marker = project / "running"
    (project / "slow.py").write_text(
        textwrap.dedent(
            f"""
            import os, pathlib, time
            src = pathlib.Path("pkg/shapes.py").read_text()
            if "__slots__" in src:
                pathlib.Path({str(marker)!r}).write_text(str(os.getpid()))
                time.sleep(120)
            """
        )
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    driver = subprocess.Popen(
        [sys.executable, "-m", "slotkit", "fix", "--unsafe-fixes", "--verify", f"{sys.executable} slow.py", "pkg"],
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert driver.poll() is None, driver.stderr.read() if driver.stderr else ""
            assert time.monotonic() < deadline, "the command never ran on edited files"
            time.sleep(0.05)
        assert "__slots__" in (project / "pkg" / "shapes.py").read_text(), "edited while the command runs"
        assert (project / NAME / "manifest.json").is_file()
        driver.send_signal(signal.SIGKILL)
        driver.wait()
        deadline = time.monotonic() + 30
        while (project / NAME).exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert (project / "pkg" / "shapes.py").read_text() == LIB
        assert not (project / NAME).exists()
        command_pid = int(marker.read_text())
        deadline = time.monotonic() + 10
        while _alive(command_pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(command_pid), "the guard stops the command under test"
    finally:
        if driver.poll() is None:
            driver.kill()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie is dead for our purpose
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def test_next_run_restores_files_a_dead_run_left_edited(project, capsys):
    """Without the guard (killed too), the next `slotkit check` or `fix` restores."""
    path = project / "pkg" / "shapes.py"
    journal = Journal(project)
    journal.begin([path])
    path.write_text(LIB.replace("class Doc:\n", "class Doc:\n    __slots__ = ()\n"))
    assert main(["check", "pkg", "--no-summary"]) == 1
    err = capsys.readouterr().err
    assert "restored 1 file(s) left edited by an interrupted `fix --verify` run" in err
    assert path.read_text() == LIB
    assert not (project / NAME).exists()


def test_blame_reads_cpython_messages():
    text = (
        "E   AttributeError: 'Square' object has no attribute 'tag'\n"
        "AttributeError: 'Square' object has no attribute 'tag' and no __dict__ for setting new attributes\n"
        "TypeError: cannot create weak reference to 'Shape' object\n"
        "AttributeError: 'Command' object attribute '__doc__' is read-only\n"
        "AttributeError: 'Plain' object has no attribute '__dict__'\n"
        "AttributeError: type object 'Meta' has no attribute 'x'\n"
    )
    got = [(b.action, b.cls, b.attr) for b in blames(text)]
    assert got == [
        ("slot", "Square", "tag"),
        ("weakref", "Shape", "__weakref__"),
        ("drop", "Command", "__doc__"),
        ("drop", "Plain", "__dict__"),
    ]
    assert last_error_line("Traceback...\nE       TypeError: vars() argument must have __dict__ attribute\nmore\n") == (
        "TypeError: vars() argument must have __dict__ attribute"
    )


def test_results_compare_by_failing_test_ids(tmp_path):
    junit = tmp_path / "j.xml"
    junit.write_text(
        '<testsuites><testsuite><testcase classname="t.test_a" name="test_ok"/>'
        '<testcase classname="t.test_a" name="test_bad"><failure message="AssertionError: no">tb</failure></testcase>'
        '<testcase classname="" name="t.test_b"><error message="collection failure">ImportError</error></testcase>'
        "</testsuite></testsuites>"
    )
    tests, failures = read_junit(junit) or (0, {})
    assert tests == 3
    assert set(failures) == {"t.test_a::test_bad", "t.test_b"}
    base = Outcome(1, "", 1.0, {"t.test_a::test_bad": "x"}, 3)
    assert compare(base, Outcome(1, "", 1.0, {"t.test_a::test_bad": "x"}, 3)).same
    worse = compare(base, Outcome(1, "", 1.0, failures, 3))
    assert not worse.same and set(worse.new) == {"t.test_b"}
    assert not compare(base, Outcome(3, "internal error", 1.0, {"t.test_a::test_bad": "x"}, 3)).same
    # without a test report: exit codes
    assert compare(Outcome(0, "", 1.0, None), Outcome(0, "", 1.0, None)).same
    assert not compare(Outcome(0, "", 1.0, None), Outcome(1, "boom", 1.0, None)).same


def test_usage_errors_and_missing_paths(project, capsys):
    assert main(["fix", "--verify"]) == 2
    assert "expected one argument" in capsys.readouterr().err
    assert main(["fix", "--verify", "true", "--max-rounds", "many"]) == 2
    assert main(["fix", "--verify", "true", "no/such/dir"]) == 2
    assert "no such file or directory" in capsys.readouterr().err
    assert (project / "pkg" / "shapes.py").read_text() == LIB


def test_help_texts_differ(capsys):
    assert main(["check", "--help"]) == 0
    check_help = capsys.readouterr().out
    assert main(["fix", "--help"]) == 0
    fix_help = capsys.readouterr().out
    assert "--unsafe-fixes" in fix_help and "--verify CMD" in fix_help
    assert "--select CODES" in check_help and check_help != fix_help


FAMILY = '''\
import weakref


class Node:
    def __init__(self):
        self.a = 1


class Mid(Node):
    def __init__(self):
        super().__init__()
        self.b = 2

    def ref(self):
        return weakref.ref(self)


class Leaf(Node):
    def __init__(self):
        super().__init__()
        self.c = 3


def keep(x):
    return weakref.ref(x)


def dump(x):
    # `vars()` of an unknown receiver: slots cannot keep it working, so every fix here
    # is unsafe and minimal (no `__weakref__` kept for `keep`): `--verify` finds it
    return vars(x)
'''

FAMILY_TESTS = '''\
from pkg.family import Leaf, Mid, keep


def test_leaf_is_kept_weakly():
    leaf = Leaf()
    assert keep(leaf)() is leaf


def test_mid():
    m = Mid()
    assert m.ref()() is m
'''


def test_weakref_goes_on_the_family_base(project, capsys):
    (project / "pkg" / "family.py").write_text(FAMILY)
    (project / "tests_pkg" / "test_shapes.py").write_text(FAMILY_TESTS)
    rc = main(["fix", "--unsafe-fixes", "--verify", pytest_cmd(), "pkg/family.py"])
    captured = capsys.readouterr()
    assert rc == 0, captured.err
    assert "pkg/family.py::Node: adding '__weakref__' for Leaf" in captured.err
    text = (project / "pkg" / "family.py").read_text()
    assert '__slots__ = ("a", "__weakref__")' in text
    assert '__slots__ = ("b",)' in text, "Mid's own __weakref__ moved to the base"
    assert '__slots__ = ("c",)' in text
    proc = subprocess.run(pytest_cmd(), shell=True, capture_output=True, text=True)
    assert "2 passed" in proc.stdout, proc.stdout


DUCK = '''\
class Handle:
    def __init__(self, name):
        self.name = name


def configure(fn):
    fn.restype = "char*"
    return fn


def dump(x):
    # as in FAMILY: keeps the fix unsafe and minimal, so `restype` is found by `--verify`
    return vars(x)
'''

DUCK_TESTS = '''\
import pytest
from pkg.duck import Handle, configure


@pytest.mark.parametrize("name", ["a", "b", "c"])
def test_configure(name):
    assert configure(Handle(name)).restype == "char*"
'''


def test_one_cause_failing_many_tests_adds_the_slot_once(project, capsys):
    """Like packaging's LibcVersion: parametrized tests all fail for one missing slot."""
    (project / "pkg" / "duck.py").write_text(DUCK)
    (project / "tests_pkg" / "test_shapes.py").write_text(DUCK_TESTS)
    rc = main(["fix", "--unsafe-fixes", "--verify", pytest_cmd(), "pkg/duck.py"])
    captured = capsys.readouterr()
    assert rc == 0, captured.err
    assert captured.err.count("adding slot 'restype'") == 1, captured.err
    assert "round 1: 1 class slotted -> 3 tests, 3 failed" in captured.err
    assert "round 2: 1 class slotted -> 3 tests, 0 failed, same as baseline" in captured.err
    assert '__slots__ = ("name", "restype")' in (project / "pkg" / "duck.py").read_text()


def test_a_run_that_times_out_counts_as_a_failure(project, capsys):
    (project / "pkg" / "duck.py").write_text(DUCK)
    (project / "hang.py").write_text(
        "import pathlib, time\n"
        "if '__slots__' in pathlib.Path('pkg/duck.py').read_text():\n"
        "    time.sleep(60)\n"
    )
    rc = main(["fix", "--unsafe-fixes", "--verify", f"{sys.executable} hang.py", "--timeout", "3", "pkg/duck.py"])
    captured = capsys.readouterr()
    assert rc == 0, captured.err
    assert "round 1: 1 class slotted -> timed out, 1 new failure(s)" in captured.err
    assert "pkg/duck.py::Handle: found by bisection; <timeout>" in captured.out
    assert (project / "pkg" / "duck.py").read_text() == DUCK


@pytest.mark.parametrize(
    "command, problem",
    [
        (f"{sys.executable} -m pytest -q -p no:cacheprovider no_such_tests", "the command ran no test on the untouched tree"),
        (f"{sys.executable} -m pytest -q -p no:cacheprovider broken_tests", "no test passes on the untouched tree (1 test, 1 failed)"),
        (f"{sys.executable} -c 'import sys; sys.exit(3)'", "the command fails on the untouched tree (exit code 3)"),
    ],
)
def test_a_baseline_that_proves_nothing_is_refused_and_nothing_changes(project, capsys, command, problem):
    # a command that fails on the original code (wrong folder, the package not importable)
    # would accept any edit: refuse before touching a file, and show why it failed
    (project / "broken_tests").mkdir()
    (project / "broken_tests" / "test_x.py").write_text("import not_a_module_anywhere\n")
    rc = main(["fix", "--unsafe-fixes", "--verify", command, "pkg"])
    captured = capsys.readouterr()
    assert rc == 2
    assert f"slotkit: error: {problem}: such a baseline would accept any edit, so nothing was changed" in captured.err
    if "broken" in command:
        assert "not_a_module_anywhere" in captured.err  # the tail of the command's output
    assert (project / "pkg" / "shapes.py").read_text() == LIB
    assert not (project / NAME).exists()


SIBLINGS = '''\
class Loader:
    def __init__(self):
        self.cache = {}


class FileLoader(Loader):
    def __init__(self, path):
        super().__init__()
        self.path = path


class DictLoader(Loader):
    def __init__(self, mapping):
        super().__init__()
        self.mapping = mapping


def keep(loader, refs):
    refs.append(__import__("weakref").ref(loader))
'''

SIBLINGS_TESTS = '''\
from pkg.loaders import DictLoader, FileLoader, keep


def test_file_loader_is_kept_weakly():
    refs = []
    keep(FileLoader("p"), refs)


def test_dict_loader_is_kept_weakly():
    refs = []
    keep(DictLoader({}), refs)
'''


def test_two_siblings_needing_weakref_in_one_round_share_the_base_slot(project, capsys):
    # jinja2's loaders: several subclasses fail in the same round; the first blame gives the
    # base `__weakref__`, the others must not count it as tried (it was not run yet)
    (project / "pkg" / "loaders.py").write_text(SIBLINGS)
    (project / "tests_pkg" / "test_shapes.py").write_text(SIBLINGS_TESTS)
    rc = main(["fix", "--unsafe-fixes", "--verify", pytest_cmd(), "pkg/loaders.py"])
    captured = capsys.readouterr()
    assert rc == 0, captured.err
    assert "did not help" not in captured.err + captured.out
    text = (project / "pkg" / "loaders.py").read_text()
    assert '__slots__ = ("cache", "__weakref__")' in text
    assert '__slots__ = ("path",)' in text
    assert '__slots__ = ("mapping",)' in text
    proc = subprocess.run(pytest_cmd(), shell=True, capture_output=True, text=True)
    assert "2 passed" in proc.stdout, proc.stdout
