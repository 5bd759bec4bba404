"""``slotkit census``: run a program and report where its memory goes, class by class.

    slotkit census [options] -- python script.py [args]
    slotkit census [options] script.py [args]
    slotkit census [options] -m package.module [args]
    slotkit census --compare before.json after.json [--max-growth PERCENT]
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from slotkit.bench.outputs import BadArgument, check_output, check_plot

USAGE = """\
usage: slotkit census [--json FILE] [--plot FILE.png] [--top N] [--quiet] -- python script.py [args]
       slotkit census [options] script.py [args]
       slotkit census [options] -m package.module [args]
       slotkit census --compare BEFORE.json AFTER.json [--top N] [--max-growth PERCENT]

Runs the program unchanged (its output, its exit status) and takes a census of its live objects
when it exits, on SIGUSR1, and at each slotkit.census() call in it: per class, the bytes of its
instances, their __dict__s and the values only they hold, and the projected bytes under
__slots__ and as a slotkit Record, with the slotkit check verdict. The table goes to stderr.

options:
  --json FILE        save the last census (at exit) as JSON; every census of the run is kept as
                     FILE with -N before the suffix when there are several
  --plot FILE.png    bar chart of the top classes, bytes now against projected (needs matplotlib)
  --top N            rows in the table and the chart (default 15)
  --quiet            no table on stderr
  --compare A B      compare two saved censuses (per class: count and bytes, before and after)
  --max-growth PCT   with --compare: exit 1 when the total grew by more than PCT percent
"""


class Options:
    def __init__(self) -> None:
        self.json: Path | None = None
        self.plot: Path | None = None
        self.top = 15
        self.quiet = False
        self.compare: list[Path] = []
        self.max_growth: float | None = None
        self.command: list[str] = []


def parse(argv: list[str]) -> Options:
    o = Options()
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--":
            o.command = argv[i + 1:]
            break
        if a in ("--json", "--plot", "--top", "--max-growth"):
            if i + 1 >= len(argv):
                raise BadArgument(f"{a} needs a value")
            v = argv[i + 1]
            if a == "--json":
                o.json = Path(v)
            elif a == "--plot":
                o.plot = Path(v)
            elif a == "--top":
                if not v.isdigit() or int(v) < 1:
                    raise BadArgument(f"--top {v}: expected a positive whole number")
                o.top = int(v)
            else:
                try:
                    o.max_growth = float(v)
                except ValueError:
                    raise BadArgument(f"--max-growth {v}: expected a number (percent)") from None
            i += 2
            continue
        if a == "--compare":
            if i + 2 >= len(argv):
                raise BadArgument("--compare needs two files: BEFORE.json AFTER.json")
            o.compare = [Path(argv[i + 1]), Path(argv[i + 2])]
            i += 3
            continue
        if a == "--quiet":
            o.quiet = True
            i += 1
            continue
        if a.startswith("-") and a != "-m":
            raise BadArgument(f"unknown option {a}")
        o.command = argv[i:]  # script.py args, or -m module args
        break
    if o.compare and o.command:
        raise BadArgument("--compare takes no program to run")
    if not o.compare and not o.command:
        raise BadArgument("no program given: slotkit census -- python script.py [args]")
    if o.max_growth is not None and not o.compare:
        raise BadArgument("--max-growth goes with --compare")
    return o


def is_python(word: str) -> bool:
    return Path(word).name.startswith(("python", "pypy")) or os.path.realpath(shutil.which(word) or word) == os.path.realpath(sys.executable)


def child_command(command: list[str]) -> list[str]:
    """The interpreter command that runs the program under ``slotkit.census.boot``."""
    if command[0] == "-m" or command[0].endswith(".py") or not is_python(command[0]):
        python, rest = sys.executable, command
        if command[0] != "-m" and not command[0].endswith(".py") and not os.path.isfile(command[0]):
            raise BadArgument(f"{command[0]}: not a Python interpreter or a script; "
                              "run: slotkit census -- python script.py [args]")
    else:
        python, rest = command[0], command[1:]
        if shutil.which(python) is None:
            raise BadArgument(f"{python}: no such interpreter")
    flags = []
    while rest and rest[0].startswith("-") and rest[0] != "-m":
        if rest[0] == "-c":
            raise BadArgument("python -c is not supported: put the code in a file")
        flags.append(rest.pop(0))
    if not rest or rest == ["-m"]:
        raise BadArgument("no script or -m module to run")
    if rest[0] != "-m" and not os.path.isfile(rest[0]):
        raise BadArgument(f"{rest[0]}: no such file")
    if python != sys.executable:
        probe = subprocess.run([python, "-c", "import slotkit._core"], capture_output=True)
        if probe.returncode != 0:
            raise BadArgument(f"{python} cannot import slotkit; install slotkit in its environment, or run "
                              f"'slotkit census script.py' to use {sys.executable}")
    return [python, *flags, "-m", "slotkit.census.boot", *rest]


def check_outputs(o: Options) -> None:
    if o.json:
        check_output("--json", o.json)
    if o.plot:
        check_plot(o.plot)
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            raise BadArgument("--plot needs matplotlib: pip install 'slotkit[plot]'") from None
    if o.json and o.plot and os.path.realpath(o.json) == os.path.realpath(o.plot):
        raise BadArgument("--json and --plot name the same file")


def run(o: Options) -> int:
    from slotkit.census.result import Census

    check_outputs(o)  # before the program runs: its results must not be lost to a bad path
    cmd = child_command(o.command)
    with tempfile.TemporaryDirectory(prefix="slotkit-census-") as folder:
        env = dict(os.environ, SLOTKIT_CENSUS_DIR=folder, SLOTKIT_CENSUS_QUIET="1" if o.quiet else "0")
        proc = subprocess.Popen(cmd, env=env)
        forward = hasattr(signal, "SIGUSR1")
        if forward:
            old = signal.signal(signal.SIGUSR1, lambda s, f: proc.send_signal(signal.SIGUSR1))
        old_int = signal.signal(signal.SIGINT, signal.SIG_IGN)  # the program gets it and decides
        try:
            code = proc.wait()
        finally:
            signal.signal(signal.SIGINT, old_int)
            if forward:
                signal.signal(signal.SIGUSR1, old)
        files = sorted(Path(folder).glob("*.json"), key=lambda p: p.name.split("-", 1)[1])
        if not files:
            sys.stderr.write("slotkit census: no census was taken (the program ended through os._exit, "
                             "was killed, or slotkit could not be imported by its interpreter)\n")
            return code if code != 0 else 1
        censuses = [Census.load(f) for f in files]
        last = censuses[-1]
        if not o.quiet:
            sys.stderr.write(last.table(o.top) + "\n")
        if o.json:
            last.save(o.json)
            if len(censuses) > 1:
                for n, c in enumerate(censuses, 1):
                    c.save(o.json.with_name(f"{o.json.stem}-{n}{o.json.suffix}"))
        if o.plot:
            from slotkit.census.plot import plot

            plot(last.data, o.plot, o.top)
    return code if code >= 0 else 128 - code


def main(argv: list[str]) -> int:
    if argv and argv[0] in ("-h", "--help"):
        sys.stdout.write(USAGE)
        return 0
    try:
        o = parse(argv)
        if o.compare:
            from slotkit.census.compare import compare_files

            return compare_files(o.compare[0], o.compare[1], o.top, o.max_growth)
        return run(o)
    except BadArgument as e:
        sys.stderr.write(f"slotkit census: {e}\n\n{USAGE}")
        return 2
