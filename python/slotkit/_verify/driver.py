"""The rounds of ``slotkit fix --verify``: baseline, trial, blame or bisect, repeat."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from slotkit._verify import analyzer, runner
from slotkit._verify.blame import Blame, blames, last_error_line
from slotkit._verify.journal import Journal


def plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


@dataclasses.dataclass
class Candidate:
    id: str
    path: str
    name: str
    line: int
    slots: list[str]
    saved_bytes: int
    applicability: str
    unknown_uses: list[str]
    after: list[str]
    class_names: list[str]
    added: list[str] = dataclasses.field(default_factory=list)

    @classmethod
    def from_plan(cls, entry: dict[str, Any]) -> Candidate:
        return cls(
            id=entry["id"],
            path=entry["path"],
            name=entry["name"],
            line=entry["line"],
            slots=list(entry["slots"]),
            saved_bytes=entry["saved_bytes"],
            applicability=entry["applicability"],
            unknown_uses=list(entry["unknown_uses"]),
            after=list(entry["after"]),
            class_names=list(entry["class_names"]),
        )

    @property
    def saved(self) -> int:
        """Bytes saved per instance: the plan's estimate, less 8 per slot added by verify."""
        return max(0, self.saved_bytes - 8 * len(self.added))


@dataclasses.dataclass
class Dropped:
    id: str
    test: str
    error: str
    why: str


@dataclasses.dataclass
class Result:
    baseline: runner.Outcome
    slotted: list[Candidate]
    dropped: list[Dropped]
    rounds: int
    runs: int
    seconds: float
    gave_up: bool = False


class Verifier:
    def __init__(
        self,
        command: str,
        paths: list[str],
        *,
        python: str | None = None,
        unsafe: bool = False,
        timeout: float | None = None,
        max_rounds: int = 50,
        root: Path | None = None,
        log: TextIO | None = None,
    ) -> None:
        self.command = command
        self.paths = paths
        self.python = python
        self.unsafe = unsafe
        self.timeout = timeout
        self.max_rounds = max_rounds
        self.journal = Journal(root or Path.cwd())
        self.log = log or sys.stderr
        self.cands: dict[str, Candidate] = {}
        self.dropped: list[Dropped] = []
        self.runs = 0
        self.baseline: runner.Outcome | None = None
        #: family roots given `__weakref__` in the current round (not tried yet)
        self.weakref_roots_this_round: set[str] = set()

    # -- helpers ---------------------------------------------------------------
    def say(self, text: str) -> None:
        self.log.write(text + "\n")
        self.log.flush()

    def trial(self, ids: list[str]) -> runner.Outcome:
        """Apply the edits of ``ids`` to the original files, run the command, restore."""
        self.journal.restore()
        analyzer.apply(self.paths, self.python, {i: self.cands[i].slots for i in ids})
        try:
            outcome = runner.run(self.command, self.timeout, on_start=self.journal.record_command)
        finally:
            self.journal.clear_command()
            self.journal.restore()
        self.runs += 1
        return outcome

    def drop(self, active: list[str], cid: str, test: str, error: str, why: str) -> None:
        """Leave ``cid`` unslotted, and the classes that needed it slotted first."""
        gone = {cid}
        changed = True
        while changed:
            changed = False
            for other in active:
                if other not in gone and any(b in gone for b in self.cands[other].after):
                    gone.add(other)
                    changed = True
        for g in gone:
            if g in active:
                active.remove(g)
                reason = why if g == cid else f"its base {cid.split('::')[-1]} was dropped"
                self.dropped.append(Dropped(g, test, error, reason))

    def ancestors(self, cid: str) -> set[str]:
        """The planned project bases of ``cid``, transitively."""
        seen: set[str] = set()
        stack = list(self.cands[cid].after)
        while stack:
            b = stack.pop()
            if b not in seen and b in self.cands:
                seen.add(b)
                stack.extend(self.cands[b].after)
        return seen

    def family_root(self, active: list[str], cid: str) -> str:
        """The topmost slotted ancestor of ``cid`` along a single chain (or ``cid``)."""
        current = cid
        while True:
            bases = [b for b in self.cands[current].after if b in active]
            roots = [b for b in bases if not any(a in active for a in self.cands[b].after)]
            if len(roots) != 1:
                return current
            if roots[0] == current:
                return current
            current = roots[0]

    def act(self, active: list[str], test: str, blame: Blame) -> bool:
        """Apply what an error naming a class says; False when it names none of ours."""
        ids = [i for i in active if self.cands[i].name == blame.cls]
        for cid in ids:
            if cid not in active:
                continue
            c = self.cands[cid]
            if blame.action == "slot":
                tried = blame.attr in c.slots or blame.attr in c.class_names
                if tried:
                    self.drop(active, cid, test, blame.line, f"needs `{blame.attr}` and a slot does not help")
                else:
                    c.slots.append(blame.attr)
                    c.added.append(blame.attr)
                    self.say(f"  {cid}: adding slot {blame.attr!r} ({test})")
            elif blame.action == "weakref":
                root = self.family_root(active, cid)
                r = self.cands[root]
                if root in self.weakref_roots_this_round:
                    continue  # another class of the family asked for it this round: not tried yet
                if "__weakref__" in r.slots:
                    self.drop(active, cid, test, blame.line, "is weakly referenced and __weakref__ did not help")
                    continue
                self.weakref_roots_this_round.add(root)
                r.slots.append("__weakref__")
                r.added.append("__weakref__")
                for other in active:
                    o = self.cands[other]
                    if other != root and root in self.ancestors(other) and "__weakref__" in o.slots:
                        o.slots.remove("__weakref__")
                self.say(f"  {root}: adding '__weakref__' for {blame.cls} ({test})")
            else:
                self.drop(active, cid, test, blame.line, "needs a __dict__")
        return bool(ids)

    def bisect(self, baseline: runner.Outcome, active: list[str], new: dict[str, str]) -> None:
        """Find one class whose edit alone (with the classes before it) breaks the command."""
        lo, hi = 0, len(active)
        failing = new
        while hi - lo > 1:
            mid = (lo + hi) // 2
            verdict = runner.compare(baseline, self.trial(active[:mid]))
            self.say(f"  bisect: first {mid} of {len(active)} classes -> {'same as baseline' if verdict.same else 'new failures'}")
            if verdict.same:
                lo = mid
            else:
                hi, failing = mid, verdict.new
        test, text = next(iter(failing.items()))
        self.drop(active, active[hi - 1], test, last_error_line(text), "found by bisection")

    # -- the run ---------------------------------------------------------------
    def run(self) -> Result:
        start = time.monotonic()
        plan = analyzer.plan(self.paths, self.python)
        for line in plan.get("unparsable", []):
            self.say(f"warning: {line} (not analysed, left alone)")
        for entry in plan["classes"]:
            if self.unsafe or entry["applicability"] == "safe":
                c = Candidate.from_plan(entry)
                self.cands[c.id] = c
        active = list(self.cands)
        tier = "safe and unsafe" if self.unsafe else "safe"
        self.say(f"slotkit fix --verify: {plural(len(active), 'class', 'classes')} to try ({tier} fixes); command: {self.command}")
        self.baseline = baseline = runner.run(self.command, self.timeout)
        self.runs += 1
        if baseline.timed_out:
            raise RuntimeError(f"the command timed out on the untouched tree after {self.timeout} s")
        problem = runner.baseline_problem(baseline)
        if problem is not None:
            raise RuntimeError(
                f"{problem}: such a baseline would accept any edit, so nothing was changed. "
                f"Make the command pass on the original code first (run it from the folder "
                f"slotkit runs in: {Path.cwd()}). Its output ended with:\n{runner.tail(baseline.output)}"
            )
        compare_by = "failing test ids" if baseline.failures is not None else "exit code"
        self.say(f"baseline (untouched tree): {baseline.summary()} in {baseline.seconds:.1f} s; results compared by {compare_by}")
        if not active:
            return Result(baseline, [], [], 0, self.runs, time.monotonic() - start)
        files = sorted({Path(c.path) for c in self.cands.values()})
        self.journal.begin(files)
        guard = subprocess.Popen(
            [sys.executable, "-m", "slotkit._verify.guard", str(self.journal.dir.parent)],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        rounds, gave_up, done = 0, False, False
        try:
            while active:
                rounds += 1
                if rounds > self.max_rounds:
                    gave_up = True
                    active = []
                    break
                outcome = self.trial(active)
                verdict = runner.compare(baseline, outcome)
                state = "same as baseline" if verdict.same else f"{len(verdict.new)} new failure(s)"
                self.say(f"round {rounds}: {plural(len(active), 'class', 'classes')} slotted -> {outcome.summary()}, {state} ({outcome.seconds:.1f} s)")
                if verdict.same:
                    break
                # one action per distinct blame: a parametrized test fails many times
                # for one cause, and the slot added for the first must not count as tried
                found: dict[tuple[str, str, str], tuple[str, Blame]] = {}
                for test, text in verdict.new.items():
                    for b in blames(text):
                        found.setdefault((b.action, b.cls, b.attr), (test, b))
                acted = False
                self.weakref_roots_this_round = set()
                for test, b in found.values():
                    acted = self.act(active, test, b) or acted
                if not acted:
                    self.bisect(baseline, active, verdict.new)
            self.journal.restore()
            if active:
                analyzer.apply(self.paths, self.python, {i: self.cands[i].slots for i in active})
            self.journal.finish()
            done = True
        finally:
            if not done:
                self.journal.restore()
                self.journal.finish()
            if guard.stdin is not None:
                guard.stdin.close()
            try:
                guard.wait(timeout=10)
            except subprocess.TimeoutExpired:
                guard.kill()
        return Result(
            baseline,
            [self.cands[i] for i in active],
            self.dropped,
            rounds,
            self.runs,
            time.monotonic() - start,
            gave_up,
        )
