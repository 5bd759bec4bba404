#!/usr/bin/env python3
"""Real-code run of `slotkit check` / `slotkit fix` against slotscheck and ruff.

Run by hand (it downloads from PyPI and takes a minute or two):

    python scripts/realcode_tools.py [--cache DIR] [--write-docs]

The interpreter running this script must have slotkit installed (`maturin develop
--release`). The script:

1. downloads the sdists of SQLAlchemy, rich and attrs (`pip download --no-deps
   --no-binary :all:`) into the cache and unpacks them;
2. creates a tools venv in the cache with slotscheck, ruff and the packages' runtime
   dependencies (typing_extensions, markdown-it-py, pygments);
3. times `slotkit check` on each package, then runs `slotkit fix` on a copy, imports
   every module of the original and of the fixed copy (in the tools venv) and runs a
   smoke test against the fixed copy;
4. runs slotscheck (which imports the code) and ruff's SLOT / PLE0237 / PLW0244 /
   PLC0205 rules on the same trees;
5. prints a Markdown report; `--write-docs` puts it into docs/check.md between the
   `<!-- realcode:start -->` / `<!-- realcode:end -->` markers.

Nothing downloaded is written inside the repository.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tarfile
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DOC = REPO / "docs" / "check.md"
START, END = "<!-- realcode:start -->", "<!-- realcode:end -->"
RUFF_RULES = "SLOT,PLE0237,PLW0244,PLC0205"
TOOL_PACKAGES = ["slotscheck", "ruff", "typing_extensions", "markdown-it-py", "pygments"]

SMOKE = {
    "SQLAlchemy": """
        import sqlalchemy as sa
        from sqlalchemy import ForeignKey
        from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

        class Base(DeclarativeBase):
            pass

        class User(Base):
            __tablename__ = "u"
            id: Mapped[int] = mapped_column(primary_key=True)
            name: Mapped[str]
            addresses: Mapped[list["Address"]] = relationship(back_populates="user")

        class Address(Base):
            __tablename__ = "a"
            id: Mapped[int] = mapped_column(primary_key=True)
            email: Mapped[str]
            user_id: Mapped[int] = mapped_column(ForeignKey("u.id"))
            user: Mapped[User] = relationship(back_populates="addresses")

        engine = sa.create_engine("sqlite://")
        Base.metadata.create_all(engine)
        with Session(engine) as s:
            s.add(User(name="a", addresses=[Address(email="x@y")]))
            s.commit()
            u = s.scalars(sa.select(User).where(User.name == "a")).one()
            assert u.addresses[0].email == "x@y"
            rows = s.execute(
                sa.select(User.name, sa.func.count(Address.id)).join(User.addresses).group_by(User.name)
            ).all()
            assert rows == [("a", 1)], rows
        t = sa.Table("t", sa.MetaData(), sa.Column("x", sa.Integer))
        sql = str(sa.select(t).where(t.c.x.in_([1, 2])).compile(compile_kwargs={"literal_binds": True}))
        assert "IN (1, 2)" in sql, sql
    """,
    "rich": """
        from rich.console import Console
        from rich.markdown import Markdown
        from rich.progress import track
        from rich.syntax import Syntax
        from rich.table import Table
        from rich.tree import Tree

        c = Console(record=True, width=80, color_system="truecolor")
        t = Table("a", "b", title="T")
        t.add_row("1", "[red]2[/]")
        c.print(t)
        c.print("[bold]hello[/] world")
        c.print(Markdown("# Title\\n\\n* item\\n* `code`"))
        c.print(Syntax("def f(x):\\n    return x", "python"))
        tree = Tree("root")
        tree.add("leaf")
        c.print(tree)
        list(track(range(3), console=c))
        text = c.export_text()
        assert "hello world" in text and "Title" in text and "leaf" in text, text
    """,
    "attrs": """
        import attr
        import attrs

        @attrs.define
        class P:
            x: int
            y: int = 0

        @attr.s(slots=False)
        class Q:
            a = attr.ib()
            b = attr.ib(default=2, validator=attr.validators.instance_of(int))

        @attrs.frozen
        class F:
            v: str

        p = P(1)
        assert attrs.asdict(p) == {"x": 1, "y": 0}
        assert attrs.evolve(p, x=2) == P(2, 0)
        assert Q(1).b == 2 and attr.astuple(Q(1, 3)) == (1, 3)
        try:
            F("a").v = "b"
        except attrs.exceptions.FrozenInstanceError:
            pass
        else:
            raise AssertionError("frozen")
        assert repr(P(3, 4)) == "P(x=3, y=4)"
    """,
}

# (distribution, directory holding the importable packages, packages to import)
PROJECTS = [
    ("SQLAlchemy", "lib", ["sqlalchemy"]),
    ("rich", ".", ["rich"]),
    ("attrs", "src", ["attr", "attrs"]),
]

IMPORT_ALL = """
import importlib, json, pkgutil, sys
failed = {}
ok = 0
for top in sys.argv[1:]:
    pkg = importlib.import_module(top)
    for m in pkgutil.walk_packages(pkg.__path__, top + "."):
        try:
            importlib.import_module(m.name)
            ok += 1
        except BaseException as e:
            failed[m.name] = f"{type(e).__name__}: {e}"[:200]
print(json.dumps({"ok": ok, "failed": failed}))
"""


def run(cmd: list[str], **kw) -> tuple[subprocess.CompletedProcess, float]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, **kw)
    return proc, time.perf_counter() - start


def cpu_seconds() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def download(cache: Path) -> dict[str, Path]:
    sdists = cache / "sdists"
    sdists.mkdir(parents=True, exist_ok=True)
    names = [p[0] for p in PROJECTS]
    have = {n: next(iter(sorted(sdists.glob(f"{n.lower()}-*.tar.gz"))), None) for n in names}
    if not all(have.values()):
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "-d", str(sdists), *names]
        subprocess.run(cmd, check=True)
    roots = {}
    for name in names:
        archive = next(iter(sorted(sdists.glob(f"{name.lower()}-*.tar.gz"))))
        dest = cache / "src"
        root = dest / archive.name[: -len(".tar.gz")]
        if not root.exists():
            with tarfile.open(archive) as tar:
                tar.extractall(dest, filter="data")
        roots[name] = root
    return roots


def tools_venv(cache: Path) -> Path:
    venv = cache / "tools-venv"
    py = venv / "bin" / "python"
    if not py.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(py), "-m", "pip", "install", "-q", *TOOL_PACKAGES], check=True)
    return venv


def slotkit(args: list[str]) -> tuple[subprocess.CompletedProcess, float]:
    return run([sys.executable, "-m", "slotkit", *args])


def analyzer_ms(stderr: str) -> tuple[int, float]:
    m = re.search(r"Checked (\d+) files in (\d+) ms", stderr)
    return (int(m.group(1)), float(m.group(2))) if m else (0, 0.0)


def import_all(py: Path, path: Path, packages: list[str]) -> dict:
    env = {**os.environ, "PYTHONPATH": str(path)}
    proc, _ = run([str(py), "-c", IMPORT_ALL, *packages], env=env, cwd="/")
    try:
        return json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        return {"ok": 0, "failed": {"<import>": proc.stderr[-500:]}}


def study(name: str, root: Path, sub: str, packages: list[str], venv: Path, cache: Path) -> dict:
    py = venv / "bin" / "python"
    src = (root / sub).resolve()
    trees = [src / p for p in packages]
    res: dict = {"name": name, "version": root.name.split("-")[-1]}

    # check (best of 3 for the timing)
    runs = []
    for _ in range(3):
        cpu0 = cpu_seconds()
        proc, wall = slotkit(["check", *map(str, trees), "--format", "json"])
        runs.append((wall, proc, cpu_seconds() - cpu0))
    wall, proc, cpu = min(runs, key=lambda r: r[0])
    res["check_cpu_s"] = cpu
    files, ms = analyzer_ms(proc.stderr)
    data = json.loads(proc.stdout)
    res["files"] = files
    res["check_ms"] = ms
    res["check_wall_s"] = wall
    res["codes"] = dict(sorted(collections.Counter(d["code"] for d in data["diagnostics"]).items()))
    blockers: collections.Counter = collections.Counter()
    for d in data["diagnostics"]:
        if d["code"] == "SK302":
            reasons = d["message"].split(": ", 1)[-1]
            reasons = re.sub(r" \(\+\d+ more\)$", "", reasons)
            kinds = set()
            for reason in reasons.split("; "):
                reason = re.sub(r"`(?!__|@|vars|setattr|functools)[^`]*`", "`…`", reason)
                kinds.add(re.sub(r" at \S+:\d+", "", reason))
            blockers.update(kinds)
    res["blockers"] = dict(blockers.most_common(8))
    res["broken"] = [f"{d['path'].split(root.name + '/')[-1]}:{d['line']} {d['code']} {d['message']}" for d in data["diagnostics"] if d["category"] in ("broken", "wasted")]

    # whole sdist timing too (tests, docs, examples)
    best = None
    for _ in range(3):
        cpu0 = cpu_seconds()
        proc_all, _ = slotkit(["check", str(root), "--format", "json"])
        sample = (*analyzer_ms(proc_all.stderr), cpu_seconds() - cpu0)
        best = sample if best is None or sample[1] < best[1] else best
    res["sdist_files"], res["sdist_ms"], res["sdist_cpu_s"] = best

    # fix a copy
    fixed_root = cache / "fixed" / root.name
    shutil.rmtree(fixed_root, ignore_errors=True)
    shutil.copytree(src, fixed_root)
    proc, fix_wall = slotkit(["fix", *[str(fixed_root / p) for p in packages]])
    m = re.search(r"Added __slots__ to (\d+) classes in (\d+) files", proc.stderr)
    res["fixed_classes"], res["fixed_files"] = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
    res["fix_wall_s"] = fix_wall
    res["fix_rc"] = proc.returncode

    # import every module before/after, then the smoke test on the fixed copy
    before, after = import_all(py, src, packages), import_all(py, fixed_root, packages)
    res["import_before"] = before
    res["import_after"] = after
    res["new_import_failures"] = sorted(set(after["failed"]) - set(before["failed"]))
    smoke = textwrap.dedent(SMOKE[name])
    proc, _ = run([str(py), "-c", smoke], env={**os.environ, "PYTHONPATH": str(fixed_root)}, cwd="/")
    res["smoke_fixed"] = "pass" if proc.returncode == 0 else f"FAIL: {proc.stderr.strip().splitlines()[-1:]}"
    proc, _ = run([str(py), "-c", smoke], env={**os.environ, "PYTHONPATH": str(src)}, cwd="/")
    res["smoke_original"] = "pass" if proc.returncode == 0 else f"FAIL: {proc.stderr.strip().splitlines()[-1:]}"

    # slotscheck (imports the code)
    counts: collections.Counter = collections.Counter()
    sc_wall = 0.0
    for p in packages:
        proc, w = run([str(venv / "bin" / "slotscheck"), "-m", p, "-v"], env={**os.environ, "PYTHONPATH": str(src)}, cwd="/")
        sc_wall += w
        for line in proc.stdout.splitlines() + proc.stderr.splitlines():
            if line.startswith("ERROR:"):
                kind = re.sub(r"'[^']*'", "'…'", line.split(":", 2)[-1]).strip()
                kind = re.sub(r"\s*\(.*", "", kind)
                counts[kind[:70]] += 1
    res["slotscheck"] = dict(counts.most_common())
    res["slotscheck_s"] = sc_wall

    # ruff
    proc, ruff_wall = run(
        [str(venv / "bin" / "ruff"), "check", "--no-cache", "--preview", "--select", RUFF_RULES,
         "--output-format", "json", "--isolated", *map(str, trees)]
    )
    try:
        ruff = json.loads(proc.stdout or "[]")
    except json.JSONDecodeError:
        ruff = []
    res["ruff"] = dict(sorted(collections.Counter(d["code"] for d in ruff).items()))
    res["ruff_s"] = ruff_wall
    return res


FIXTURES = REPO / "crates" / "slotkit-analyzer" / "tests" / "fixtures"


def fixture_matrix(venv: Path) -> list[tuple[str, str, str, str]]:
    """Which tool flags each rule's positive fixture (the reference's detection matrix)."""
    rows = []
    for case in sorted(p.name for p in FIXTURES.iterdir() if (p / "pos").is_dir()):
        pos = FIXTURES / case / "pos"
        proc, _ = slotkit(["check", str(pos), "--select", case, "--no-summary"])
        ours = len([l for l in proc.stdout.splitlines() if f": {case} " in l])
        proc, _ = run([str(venv / "bin" / "ruff"), "check", "--no-cache", "--preview", "--isolated",
                       "--select", RUFF_RULES, "--output-format", "json", str(pos)])
        try:
            ruff = collections.Counter(d["code"] or "syntax" for d in json.loads(proc.stdout or "[]"))
        except json.JSONDecodeError:
            ruff = collections.Counter()
        sc = collections.Counter()
        for f in sorted(pos.rglob("*.py")):
            if f.name == "__init__.py":
                continue
            env = {**os.environ, "PYTHONPATH": str(pos)}
            proc, _ = run([str(venv / "bin" / "slotscheck"), str(f)], cwd=str(pos), env=env)
            for line in (proc.stdout + proc.stderr).splitlines():
                if line.startswith("ERROR:"):
                    sc["import failed" if "Failed to import" in line else "found"] += 1
        fmt = lambda c: ", ".join(f"{k} {v}" for k, v in sorted(c.items())) or "–"
        rows.append((case, str(ours), fmt(ruff), fmt(sc)))
    return rows


def report(results: list[dict], matrix: list[tuple[str, str, str, str]]) -> str:
    lines = [
        START,
        f"_Generated by `scripts/realcode_tools.py` on {time.strftime('%Y-%m-%d')}, {os.cpu_count()} CPUs, "
        f"Python {sys.version.split()[0]}._",
        "",
        f"Machine load while measuring (1/5/15 min): {' / '.join(f'{x:.1f}' for x in os.getloadavg())} — "
        "other jobs shared the 2 cores, so wall times are upper bounds; CPU time is the process's user+sys.",
        "",
        "| Package | Files | `check` (analyzer, wall) | files/s | CPU (user+sys, incl. Python start) | `check` wall (incl. Python start) | Whole sdist | Findings by code | Fixed classes (files) | Imports before → after | Smoke test (fixed copy) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        fps = r["files"] / (r["check_ms"] / 1000) if r["check_ms"] else 0
        codes = ", ".join(f"{k} {v}" for k, v in r["codes"].items()) or "none"
        ib, ia = r["import_before"], r["import_after"]
        lines.append(
            f"| {r['name']} {r['version']} | {r['files']} | {r['check_ms']:.0f} ms | {fps:.0f} | {r['check_cpu_s']:.2f} s | {r['check_wall_s']:.2f} s "
            f"| {r['sdist_files']} files, {r['sdist_ms']:.0f} ms wall, {r['sdist_cpu_s']:.2f} s CPU | {codes} | {r['fixed_classes']} ({r['fixed_files']}) "
            f"| {ib['ok']} ok / {len(ib['failed'])} fail → {ia['ok']} ok / {len(ia['failed'])} fail | {r['smoke_fixed']} |"
        )
    lines += ["", "Comparison on the same trees (slotscheck imports the code; ruff with `--preview --select " + RUFF_RULES + "`):", ""]
    lines += ["| Package | slotkit broken + wasted | slotscheck errors | slotscheck time | ruff findings | ruff time |", "|---|---|---|---|---|---|"]
    for r in results:
        sk = sum(v for k, v in r["codes"].items() if k.startswith(("SK0", "SK1", "SK2")))
        sc = "; ".join(f"{v}× {k}" for k, v in r["slotscheck"].items()) or "none"
        rf = ", ".join(f"{k} {v}" for k, v in r["ruff"].items()) or "none"
        lines.append(f"| {r['name']} | {sk} | {sc} | {r['slotscheck_s']:.2f} s | {rf} | {r['ruff_s']:.2f} s |")
    lines += ["", "Each rule's positive fixture (`crates/slotkit-analyzer/tests/fixtures/<CODE>/pos`), findings per tool "
              "(slotscheck imports each file; `import failed` means it only noticed because the module raises):", "",
              "| Fixture | slotkit (that rule) | ruff | slotscheck |", "|---|---|---|---|"]
    lines += [f"| {c} | {o} | {r} | {s} |" for c, o, r, s in matrix]
    lines += ["", "Most common SK302 blockers (a class can have several):", ""]
    for r in results:
        top = "; ".join(f"{v}× {k}" for k, v in r["blockers"].items())
        lines.append(f"- {r['name']}: {top}")
    lines += ["", "slotkit broken/wasted findings:", ""]
    for r in results:
        for b in r["broken"][:40]:
            lines.append(f"- {r['name']}: `{b}`")
    lines.append(END)
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", type=Path, default=Path(os.environ.get("SLOTKIT_REALCODE_CACHE", "/work/realcode-cache")))
    ap.add_argument("--write-docs", action="store_true")
    ap.add_argument("--json", type=Path, help="also write raw results here")
    args = ap.parse_args()
    cache = args.cache.resolve()
    if REPO in cache.parents or cache == REPO:
        ap.error("the cache must live outside the repository")
    roots = download(cache)
    venv = tools_venv(cache)
    results = [study(name, roots[name], sub, pkgs, venv, cache) for name, sub, pkgs in PROJECTS]
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    md = report(results, fixture_matrix(venv))
    print(md)
    if args.write_docs:
        text = DOC.read_text() if DOC.exists() else f"{START}\n{END}\n"
        pre, _, rest = text.partition(START)
        _, _, post = rest.partition(END)
        DOC.write_text(pre + md.rstrip("\n") + post)
    ok = all(r["smoke_fixed"] == "pass" and not r["new_import_failures"] for r in results)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
