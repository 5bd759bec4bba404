#!/usr/bin/env python3
"""Real code, real test suites: does `slotkit fix` keep real packages' tests green?

    python scripts/realcode.py [--cache DIR] [--only NAME...] [--write-docs] [--json FILE]
    python scripts/realcode.py --from-json FILE --write-docs   # report an earlier run
    python scripts/realcode.py --tools ...   # the older comparison with slotscheck and ruff

The interpreter running this script must have slotkit installed (`maturin develop`).
For click 8.1.7, jinja2 3.1.4, packaging 24.1, pyparsing 3.1.2, more-itertools 10.3.0,
python-dateutil 2.9.0.post0, sqlparse 0.5.1, tomlkit 0.13.2 and markdown 3.7 (pinned sdists from
PyPI, downloaded once into the cache, which must be outside the repository), with a
venv per package holding its test dependencies, on a fresh copy of the sdist each time:

1. the package's own test suite on the untouched tree (the baseline);
2. `slotkit fix <library folder>` (safe fixes only), then the suite;
3. `slotkit fix .` on the whole sdist (tests, docs, examples included), then the suite;
4. `slotkit fix --unsafe-fixes --verify "<test command>"` on the library folder, then on
   the whole sdist, each followed by the suite once more on the result.

Test results are read from a JUnit XML report (passed / failed / errors / skipped), or
from `unittest`'s output for a suite that runs under it (markdown);
wall times include Python start-up. `--write-docs` puts the table into docs/check.md
between `<!-- suites:start -->` and `<!-- suites:end -->`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DOC = REPO / "docs" / "check.md"
START, END = "<!-- suites:start -->", "<!-- suites:end -->"

# name -> (version, library folder, folder to put on PYTHONPATH, test dependencies)
PACKAGES = {
    "click": ("8.1.7", "src/click", "src", ["pytest<8"]),  # its tests predate pytest 8
    "jinja2": ("3.1.4", "src/jinja2", "src", ["pytest", "markupsafe", "trio"]),
    "packaging": ("24.1", "src/packaging", "src", ["pytest", "pretend"]),
    "pyparsing": ("3.1.2", "pyparsing", ".", ["pytest", "railroad-diagrams", "jinja2"]),
    # not one of the four: a fifth package, to check the analysis on code it
    # was not built against
    "more-itertools": ("10.3.0", "more_itertools", ".", ["pytest"]),
    # a sixth, also not one of the four (its `freezegun` pulls in an installed
    # python-dateutil; PYTHONPATH puts the edited copy first)
    "python-dateutil": ("2.9.0.post0", "src/dateutil", "src", ["pytest<8", "pytest-cov", "hypothesis", "six", "freezegun"]),
    # two more, tried after the rules of session 4 were written (their first run: 0 safe
    # fixes each; the rules for properties, `with` targets, `self.__class__(...)` and
    # argparse came from them)
    "sqlparse": ("0.5.1", "sqlparse", ".", ["pytest"]),
    "tomlkit": ("0.13.2", "tomlkit", ".", ["pytest", "pyyaml"]),
    # a ninth, tried after session 7 (first run: 0 safe fixes; `importlib` module
    # factories and ties on 3.12 for kept slots came from it); its suite runs under
    # unittest (its `test_legacy.py` turns warnings into errors, which breaks pytest's
    # collection)
    "markdown": ("3.7", "markdown", ".", ["pyyaml", "pygments"]),
}

# packages whose suite runs as `python -m unittest discover tests` (counts read from its
# output); the others run under pytest with a JUnit XML report
UNITTEST = {"markdown"}


def sh(cmd: list[str] | str, cwd: Path | None = None, env: dict | None = None) -> tuple[subprocess.CompletedProcess, float]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, shell=isinstance(cmd, str))
    return proc, time.perf_counter() - start


def sdist(cache: Path, name: str, version: str) -> Path:
    """The unpacked sdist (downloaded once)."""
    sdists = cache / "sdists"
    sdists.mkdir(parents=True, exist_ok=True)
    archive = next(iter(sorted(sdists.glob(f"{name}-{version}.tar.gz"))), None)
    if archive is None:
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "-d", str(sdists), f"{name}=={version}"]
        subprocess.run(cmd, check=True, capture_output=True)
        archive = next(iter(sorted(sdists.glob(f"{name}-{version}.tar.gz"))))
    root = cache / "src" / f"{name}-{version}"
    if not root.exists():
        with tarfile.open(archive) as tar:
            tar.extractall(cache / "src", filter="data")
    return root


def venv(cache: Path, name: str, deps: list[str]) -> Path:
    """A venv with the package's test dependencies (not the package: it runs from its copy)."""
    py = cache / "venvs" / name / "bin" / "python"
    if not py.exists():
        subprocess.run([sys.executable, "-m", "venv", str(py.parent.parent)], check=True)
        subprocess.run([str(py), "-m", "pip", "install", "-q", *deps], check=True)
    return py


def test_command(py: Path, pythonpath: str, report: Path | None = None, unittest: bool = False) -> str:
    if unittest:
        return f"PYTHONPATH={pythonpath} {py} -m unittest discover tests"
    junit = f" --junitxml={report}" if report else ""
    return f"PYTHONPATH={pythonpath} {py} -m pytest -q -p no:cacheprovider{junit} tests"


def read_unittest(output: str, res: dict) -> dict:
    """Counts and failing ids from `python -m unittest` output ("Ran N tests", "FAIL: ...")."""
    ran = re.search(r"^Ran (\d+) tests?", output, re.M)
    if ran is None:
        res["errors"] = 1
        res["failing"] = [output[-1000:]]
        return res
    counts = {k: int(v) for k, v in re.findall(r"(failures|errors|skipped|expected failures|unexpected successes)=(\d+)", output)}
    res["failed"] = counts.get("failures", 0) + counts.get("unexpected successes", 0)
    res["errors"] = counts.get("errors", 0)
    res["skipped"] = counts.get("skipped", 0) + counts.get("expected failures", 0)
    res["passed"] = int(ran.group(1)) - res["failed"] - res["errors"] - res["skipped"]
    res["failing"] = [m[1] for m in re.findall(r"^(?:FAIL|ERROR): (\S+) \((\S+)\)", output, re.M)]
    return res


def suite(py: Path, tree: Path, pythonpath: str, unittest: bool = False) -> dict:
    """Run the test suite in ``tree``; counts from the JUnit report."""
    report = tree.parent / f"{tree.name}.junit.xml"
    report.unlink(missing_ok=True)
    proc, wall = sh(test_command(py, pythonpath, report, unittest), cwd=tree)
    res = {"rc": proc.returncode, "seconds": round(wall, 1), "passed": 0, "failed": 0, "errors": 0, "skipped": 0, "failing": []}
    if unittest:
        return read_unittest(proc.stderr + proc.stdout, res)
    try:
        root = ET.parse(report).getroot()
    except (OSError, ET.ParseError):
        res["errors"] = 1
        res["failing"] = [proc.stdout[-500:] + proc.stderr[-500:]]
        return res
    for case in root.iter("testcase"):
        kinds = {child.tag for child in case}
        test_id = f"{case.get('classname')}::{case.get('name')}"
        if "failure" in kinds:
            res["failed"] += 1
            res["failing"].append(test_id)
        elif "error" in kinds:
            res["errors"] += 1
            res["failing"].append(test_id)
        elif "skipped" in kinds:
            res["skipped"] += 1
        else:
            res["passed"] += 1
    return res


def fresh(cache: Path, root: Path, label: str) -> Path:
    tree = cache / "work" / label
    shutil.rmtree(tree, ignore_errors=True)
    shutil.copytree(root, tree)
    return tree


def slotkit(args: list[str], cwd: Path) -> tuple[subprocess.CompletedProcess, float]:
    return sh([sys.executable, "-m", "slotkit", *args], cwd=cwd)


def added(stderr: str) -> int:
    m = re.search(r"Added __slots__ to (\d+) class", stderr)
    return int(m.group(1)) if m else 0


def verify(py: Path, tree: Path, pythonpath: str, target: str, stem: Path, unittest: bool = False) -> dict:
    """`fix --unsafe-fixes --verify` with the package's test command; the report's counts."""
    report = stem.with_suffix(".json")
    report.unlink(missing_ok=True)
    cmd = test_command(py, pythonpath, unittest=unittest)
    proc, wall = slotkit(["fix", "--unsafe-fixes", "--verify", cmd, target, "--report-json", str(report)], tree)
    stem.with_suffix(".log").write_text(proc.stderr + proc.stdout)
    data = json.loads(report.read_text()) if report.is_file() else {"slotted": [], "dropped": [], "rounds": 0, "runs": 0}
    return {
        "rc": proc.returncode,
        "seconds": round(wall, 1),
        "slotted": len(data["slotted"]),
        "slotted_unsafe": sum(1 for c in data["slotted"] if c["applicability"] == "unsafe"),
        "added_slots": sum(len(c["added"]) for c in data["slotted"]),
        "dropped": [f"{d['id']}: {d['why']}; {d['test']}: {d['error']}" for d in data["dropped"]],
        "rounds": data["rounds"],
        "runs": data["runs"],
    }


def study(cache: Path, name: str) -> dict:
    version, lib, pythonpath, deps = PACKAGES[name]
    root = sdist(cache, name, version)
    py = venv(cache, name, deps)
    ut = name in UNITTEST
    res: dict = {"name": name, "version": version}
    print(f"== {name} {version}", file=sys.stderr, flush=True)

    tree = fresh(cache, root, f"{name}-base")
    res["before"] = suite(py, tree, pythonpath, ut)
    proc, _ = slotkit(["fix", lib, "--format", "json"], tree)
    plan = json.loads(proc.stdout)["classes"]
    res["plan_safe"] = sum(1 for c in plan if c["applicability"] == "safe")
    res["plan_unsafe"] = len(plan) - res["plan_safe"]
    res["kept_lib"] = sum(len(c.get("kept_for_unknown", [])) > 0 for c in plan if c["applicability"] == "safe")
    proc, _ = slotkit(["fix", ".", "--format", "json"], tree)
    plan = json.loads(proc.stdout)["classes"]
    res["plan_sdist_safe"] = sum(1 for c in plan if c["applicability"] == "safe")
    res["plan_sdist_unsafe"] = len(plan) - res["plan_sdist_safe"]
    print(f"   baseline {res['before']}", file=sys.stderr, flush=True)

    for label, target in (("lib", lib), ("sdist", ".")):
        tree = fresh(cache, root, f"{name}-{label}")
        proc, wall = slotkit(["fix", target], tree)
        res[f"fix_{label}"] = {"classes": added(proc.stderr), "rc": proc.returncode, "fix_seconds": round(wall, 2)}
        res[f"after_{label}"] = suite(py, tree, pythonpath, ut)
        print(f"   fix {label}: {res[f'fix_{label}']} -> {res[f'after_{label}']}", file=sys.stderr, flush=True)

    for label, target in (("verify", lib), ("verify_sdist", ".")):
        tree = fresh(cache, root, f"{name}-{label}")
        res[label] = verify(py, tree, pythonpath, target, cache / "work" / f"{name}-{label}", ut)
        res[f"after_{label}"] = suite(py, tree, pythonpath, ut)
        print(f"   {label}: {res[label]} -> {res[f'after_{label}']}", file=sys.stderr, flush=True)
    res["load"] = os.getloadavg()[0]
    return res


def tests(r: dict) -> str:
    s = f"{r['passed']} pass"
    if r["failed"] or r["errors"]:
        s += f", **{r['failed'] + r['errors']} fail**"
    return s


def report(results: list[dict]) -> str:
    loads = [r["load"] for r in results if "load" in r]
    load = f"{min(loads):.1f}-{max(loads):.1f} during the run" if loads else "not recorded"
    lines = [
        START,
        f"_Generated by `python scripts/realcode.py --write-docs` on {time.strftime('%Y-%m-%d')}, {os.cpu_count()} CPUs "
        f"(shared with other jobs; load average {load}), CPython {sys.version.split()[0]}, the analyzer as "
        "installed in the running interpreter. Times are wall clock, test runs included._",
        "",
        "| package (sdist) | fixes on the library: safe (with kept slots) / unsafe | on the whole sdist: safe / unsafe | tests before | `fix` library: classes → tests | `fix` whole sdist: classes → tests | `--unsafe-fixes --verify` library: slotted (unsafe) / dropped, rounds (runs), time → tests | `--unsafe-fixes --verify` whole sdist: same → tests |",
        "|---|---|---|---|---|---|---|---|",
    ]
    def ver(r: dict, key: str) -> str:
        v = r[key]
        return (
            f"{v['slotted']} ({v['slotted_unsafe']}) / {len(v['dropped'])}"
            + (f" (+{v['added_slots']} slot by verify)" if v["added_slots"] else "")
            + f", {v['rounds']} ({v['runs']}), {v['seconds']} s "
            f"→ {tests(r['after_' + key])}"
        )

    for r in results:
        lines.append(
            f"| {r['name']} {r['version']} | {r['plan_safe']} ({r.get('kept_lib', 0)}) / {r['plan_unsafe']} "
            f"| {r.get('plan_sdist_safe', '?')} / {r.get('plan_sdist_unsafe', '?')} | {tests(r['before'])} ({r['before']['seconds']} s) "
            f"| {r['fix_lib']['classes']} → {tests(r['after_lib'])} | {r['fix_sdist']['classes']} → {tests(r['after_sdist'])} "
            f"| {ver(r, 'verify')} | {ver(r, 'verify_sdist')} |"
        )
    dropped = [(r["name"], k, d) for r in results for k in ("verify", "verify_sdist") for d in r[k]["dropped"]]
    if dropped:
        lines += ["", "Classes `--verify` left unslotted (test and error that dropped each):", ""]
        lines += [f"- {n} ({'library' if k == 'verify' else 'whole sdist'}): `{d[:300]}`" for n, k, d in dropped]
    broken = [
        (r["name"], k, r[k]["failing"][:5])
        for r in results
        for k in ("after_lib", "after_sdist", "after_verify", "after_verify_sdist")
        if r[k]["failing"]
    ]
    if broken:
        lines += ["", "New failures after a fix:", ""]
        lines += [f"- {n} {k}: {', '.join(f'`{t}`' for t in f)}" for n, k, f in broken]
    lines.append(END)
    return "\n".join(lines) + "\n"


def main() -> int:
    if "--tools" in sys.argv[1:]:
        sys.argv.remove("--tools")
        sys.path.insert(0, str(Path(__file__).parent))
        from realcode_tools import main as tools_main

        return tools_main()
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", type=Path, default=Path(os.environ.get("SLOTKIT_REALCODE_CACHE", "/work/cache/realcode-suites")))
    ap.add_argument("--only", nargs="+", choices=sorted(PACKAGES), help="run these packages only")
    ap.add_argument("--write-docs", action="store_true")
    ap.add_argument("--json", type=Path, help="also write raw results here")
    ap.add_argument("--from-json", type=Path, help="report the results of an earlier run (--json) instead of running")
    args = ap.parse_args()
    cache = args.cache.resolve()
    if REPO in cache.parents or cache == REPO:
        ap.error("the cache must live outside the repository")
    if args.from_json:
        results = json.loads(args.from_json.read_text())
    else:
        results = [study(cache, n) for n in (args.only or PACKAGES)]
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    md = report(results)
    print(md)
    if args.write_docs:
        text = DOC.read_text()
        if START not in text:
            text += f"\n{START}\n{END}\n"
        pre, _, rest = text.partition(START)
        _, _, post = rest.partition(END)
        DOC.write_text(pre + md.rstrip("\n") + post)
    same = all(
        r[k]["failed"] + r[k]["errors"] <= r["before"]["failed"] + r["before"]["errors"]
        for r in results
        for k in ("after_lib", "after_sdist", "after_verify", "after_verify_sdist")
    )
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
