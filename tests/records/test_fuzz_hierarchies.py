"""Random class hierarchies attacked at random (issue 8): plain mixins before and after the
Record base, slotted plain bases, every class option, unboxed, boxed and object fields, a user
``__setattr__`` or ``__post_init__``; then random instances, writes of wrong values, ``__class__``
assignments between random classes, pickles, copies, ``replace``, comparisons and hashing.

Nothing may crash (the suite also runs under ``-X dev`` with ``gc.set_threshold(1)``); every
operation either works and keeps the record consistent, or raises an ordinary exception."""

from __future__ import annotations

import copy
import gc
import os
import pickle

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import slotkit
from slotkit import Record, fields

ANNOTATIONS = {
    "float": float, "int": int, "bool": bool, "str": str, "bytes": bytes,
    "str?": str | None, "float?": float | None, "object": object, "list": list,
}
VALUES = st.one_of(
    st.floats(allow_nan=True), st.integers(-(2**70), 2**70), st.booleans(), st.text(max_size=4),
    st.binary(max_size=4), st.none(), st.lists(st.integers(), max_size=2), st.just(Ellipsis),
)
NAMES = st.sampled_from(["a", "b", "c", "d", "e", "f", "g", "h"])
OPTIONS = st.fixed_dictionaries({}, optional={
    "frozen": st.booleans(), "weakref": st.booleans(), "order": st.booleans(),
    "gc": st.sampled_from([None, True, False]), "boxed": st.booleans(), "kw_only": st.booleans(),
    "extra": st.booleans(),
})


class Slotted:
    __slots__ = ("plain",)


class Mixin:
    __slots__ = ()

    def describe(self):
        return type(self).__name__


@st.composite
def class_specs(draw):
    levels = []
    used: set[str] = set()
    for _ in range(draw(st.integers(1, 3))):
        names = [n for n in draw(st.lists(NAMES, max_size=3, unique=True)) if n not in used]
        used.update(names)
        levels.append({
            "fields": [(n, draw(st.sampled_from(sorted(ANNOTATIONS))), draw(st.booleans())) for n in names],
            "options": draw(OPTIONS),
            "mixin": draw(st.sampled_from([None, "first", "last", "slotted"])),
            "setattr": draw(st.booleans()),
            "post_init": draw(st.booleans()),
        })
    return levels


def build(levels, tag):
    """Builds the classes a level at a time; a level that slotkit refuses (a contradiction of
    options) ends the hierarchy. Returns the classes built."""
    made = []
    parent = Record
    for i, level in enumerate(levels):
        name = f"{tag}{i}"
        # Module-level names, so that pickle can find the classes of this example.
        ns = {"__annotations__": {}, "__module__": __name__, "__qualname__": name}
        for fname, ann, _with_default in level["fields"]:
            ns["__annotations__"][fname] = ANNOTATIONS[ann]
        if level["setattr"]:
            def __setattr__(self, key, value):
                object.__setattr__(self, key, value)
            ns["__setattr__"] = __setattr__
        if level["post_init"]:
            ns["__post_init__"] = lambda self: None
        mixin = level["mixin"]
        bases = {"first": (Mixin, parent), "last": (parent, Mixin), "slotted": (Slotted, parent)}.get(mixin, (parent,))
        try:
            cls = type(Record)(name, bases, ns, **level["options"])
        except (TypeError, ValueError):
            break
        globals()[name] = cls
        made.append(cls)
        parent = cls
    return made


def values_for(cls, data):
    return [data.draw(VALUES) for _ in fields(cls)]


def attack(cls, other_classes, data):
    vals = values_for(cls, data)
    try:
        obj = cls(*vals) if not any(f.kw_only for f in fields(cls)) else cls(**{f.name: v for f, v in zip(fields(cls), vals)})
    except (TypeError, ValueError, OverflowError):
        obj = slotkit._core.new_instance(cls)
    for _ in range(data.draw(st.integers(0, 6))):
        step = data.draw(st.sampled_from(["set", "del", "class", "pickle", "copy", "deepcopy", "replace", "cmp", "hash", "repr", "asdict", "raw"]))
        f = data.draw(st.sampled_from(fields(cls))) if fields(cls) else None
        try:
            if step == "set" and f is not None:
                setattr(obj, f.name, data.draw(VALUES))
            elif step == "del" and f is not None:
                delattr(obj, f.name)
            elif step == "raw" and f is not None:
                type(obj).__dict__.get(f.name, getattr(type(obj), f.name)).__set__(obj, data.draw(VALUES))
            elif step == "class" and other_classes:
                object.__setattr__(obj, "__class__", data.draw(st.sampled_from(other_classes)))
            elif step == "pickle":
                obj = pickle.loads(pickle.dumps(obj, data.draw(st.integers(0, 5))))
            elif step == "copy":
                obj = copy.copy(obj)
            elif step == "deepcopy":
                obj = copy.deepcopy(obj)
            elif step == "replace":
                obj = slotkit.replace(obj)
            elif step == "cmp":
                _ = obj == copy.copy(obj), obj < obj
            elif step == "hash":
                hash(obj)
            elif step == "repr":
                repr(obj)
            elif step == "asdict":
                slotkit.asdict(obj)
        except (TypeError, ValueError, OverflowError, AttributeError, pickle.PicklingError, RecursionError):
            pass
    # The record is still consistent: every field reads as a value or as unset.
    for f in fields(type(obj)):
        try:
            value = getattr(obj, f.name)
        except AttributeError:
            continue
        if f.kind == "f64":
            assert isinstance(value, float)
        elif f.kind == "i64":
            assert type(value) is int
        elif f.kind in ("str",):
            assert type(value) is str
    return obj


@settings(max_examples=int(os.environ.get("SLOTKIT_FUZZ_EXAMPLES", "150")), deadline=None, suppress_health_check=list(HealthCheck))
@given(specs=st.lists(class_specs(), min_size=1, max_size=3), data=st.data())
def test_random_hierarchies_survive_random_attacks(specs, data):
    families = [build(levels, f"C{j}_") for j, levels in enumerate(specs)]
    every = [cls for family in families for cls in family]
    keep = []
    for cls in every:
        keep.append(attack(cls, every, data))
    del keep
    gc.collect()


def test_fuzzed_classes_pickle_by_name():
    # The attack's pickle step needs the classes importable: `build` registers them here.
    (cls,) = build([{"fields": [("a", "float", False)], "options": {}, "mixin": "first", "setattr": False, "post_init": False}], "Probe")
    obj = cls(1.5)
    assert pickle.loads(pickle.dumps(obj)) == obj and globals()["Probe0"] is cls
