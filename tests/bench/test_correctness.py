"""Every variant must compute the same results; a wrong one is flagged before anything is printed."""

from __future__ import annotations

import math

import pytest

from slotkit.bench import variants, workloads
from slotkit.bench.results import OK, WRONG, Run, VariantResult
from slotkit.bench.runner import verify


def _classes(name: str) -> dict[str, type]:
    try:
        return variants.build_classes(variants.get(name))
    except variants.VariantUnavailable as exc:
        pytest.skip(str(exc))  # a peer package not installed in this environment


def _wrong_point(base: type) -> type:
    class WrongPoint3D(base):  # type: ignore[misc, valid-type]
        __slots__ = ()

        def distance_to(self, other):  # type: ignore[no-untyped-def]
            return abs(self.x - other.x) + abs(self.y - other.y) + abs(self.z - other.z)  # not Euclidean

    return WrongPoint3D


@pytest.mark.parametrize("name", [v.name for v in variants.VARIANTS if v.name != "record"])
def test_every_peer_computes_the_reference(name: str) -> None:
    variant = variants.get(name)
    got = workloads.check_values(_classes(name), variant.mutable)
    assert workloads.find_problems(got, workloads.expected_values(variant.mutable)) == []


def test_a_wrong_variant_is_detected() -> None:
    classes = _classes("slots")
    classes["Point3D"] = _wrong_point(classes["Point3D"])
    problems = workloads.find_problems(workloads.check_values(classes, True), workloads.expected_values(True))
    assert {p.split(":")[0] for p in problems} == {"distance", "cloud_sum"}


def _run(check_slots: dict, check_attrs: dict, sums: list[float]) -> Run:
    run = Run(python="python", settings={"live": 100})
    for name, check in (("slots", check_slots), ("attrs", check_attrs)):
        result = VariantResult(name, variants.get(name).label, check=check, cloud_sums=list(sums))
        result.values["point.new"] = 100.0 if name == "slots" else 10.0  # the wrong one "wins"
        run.variants[name] = result
    return run


def test_verify_marks_wrong_and_excludes_from_ratios() -> None:
    classes = _classes("slots")
    good = workloads.check_values(classes, True)
    classes["Point3D"] = _wrong_point(classes["Point3D"])
    bad = workloads.check_values(classes, True)
    run = _run(good, bad, [workloads.expected_cloud_sum(100)])
    verify(run)
    assert run.variants["slots"].status == OK
    assert run.variants["attrs"].status == WRONG
    assert "distance" in (run.variants["attrs"].reason or "")
    assert run.ratio("attrs", "point.new") is None
    assert run.ratio("slots", "point.new") == 1.0


def test_verify_checks_the_big_point_cloud_sum_too() -> None:
    good = workloads.check_values(_classes("slots"), True)
    run = _run(good, good, [workloads.expected_cloud_sum(100) * (1 + 1e-12)])
    verify(run)
    assert all(v.status == WRONG and "point cloud" in (v.reason or "") for v in run.variants.values())


def test_reference_cloud_sum_is_the_article_formula() -> None:
    dx, dy, dz = workloads.SHIFT
    want = sum(math.sqrt((i + dx) ** 2 + (2.0 * i + dy) ** 2 + (3.0 * i + dz) ** 2) for i in range(10))
    assert workloads.expected_cloud_sum(10) == pytest.approx(want, rel=1e-15)
