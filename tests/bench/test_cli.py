"""`slotkit bench` options and the settings they produce."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from slotkit.bench import cli, variants
from slotkit.bench.runner import Settings


def test_defaults_and_every_option() -> None:
    args = cli.parser().parse_args([
        "--quick", "--n", "2_000", "--live", "5000", "--json", "out.json", "--plot", "out.png",
        "--markdown", "out.md", "--python", "/usr/bin/python3.12", "--python", "/usr/bin/python3.13",
        "--only", "slots,record"])
    assert args.quick and args.n == 2000 and args.live == 5000
    assert args.json == Path("out.json") and args.plot == Path("out.png") and args.markdown == Path("out.md")
    assert args.python == ["/usr/bin/python3.12", "/usr/bin/python3.13"]
    assert args.only == ("slots", "record")


def test_full_and_quick_settings() -> None:
    full = Settings.create(quick=False, n=None, live=None)
    quick = Settings.create(quick=True, n=None, live=None)
    assert (full.n, full.live) == (100_000, 1_000_000)
    assert full.rounds * full.repeat >= 5 and quick.rounds * quick.repeat < full.rounds * full.repeat
    assert quick.n < full.n and quick.live < full.live
    assert Settings.create(quick=True, n=2000, live=5000).n == 2000


@pytest.mark.parametrize("bad", [["--only", "nope"], ["--n", "0"], ["--n", "many"]])
def test_bad_options_are_refused(bad: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.parser().parse_args(bad)
    assert exc.value.code == 2


def test_only_always_keeps_the_slots_baseline() -> None:
    chosen = [v.name for v in Settings.create(True, None, None, ("record",)).selected()]
    assert chosen == ["slots", "record"]
    assert [v.name for v in Settings().selected()] == [v.name for v in variants.VARIANTS]


def test_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--list"]) == 0
    out = capsys.readouterr().out
    assert all(v.name in out for v in variants.VARIANTS)


def test_without_rich_one_line_error(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "rich", None)
    monkeypatch.setitem(sys.modules, "rich.console", None)
    assert cli.main(["--quick"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "slotkit bench needs rich: pip install 'slotkit[bench]'"
