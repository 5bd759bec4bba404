"""A RecordArray behaves like a list of records: random sequences of operations (hypothesis)
applied to both give the same rows, including rejected writes, which change neither."""

from __future__ import annotations

import pickle

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from array_classes import Reading

from slotkit import RecordArray

text = st.text(max_size=6)
values = st.fixed_dictionaries({
    "sensor": text,
    "value": st.floats(allow_nan=False),
    "count": st.integers(-(2**63) + 1, 2**63 - 1),
    "ok": st.booleans(),
    "raw": st.binary(max_size=6),
    "note": st.none() | text,
    "level": st.none() | st.floats(allow_nan=False),
    "tries": st.none() | st.integers(-(2**63) + 1, 2**63 - 1),
    "flag": st.none() | st.booleans(),
})
rows = values.map(lambda v: Reading(**v))
bad_column = st.sampled_from([("value", "x"), ("count", 1.5), ("sensor", None), ("ok", 1), ("count", 2**63)])

ops = st.one_of(
    st.tuples(st.just("append"), rows),
    st.tuples(st.just("extend"), st.lists(rows, max_size=4)),
    st.tuples(st.just("columns"), st.lists(values, max_size=4)),
    st.tuples(st.just("set"), st.integers(0, 50), rows),
    st.tuples(st.just("bad_extend"), st.lists(rows, max_size=3)),
    st.tuples(st.just("bad_columns"), st.lists(values, min_size=1, max_size=3), bad_column),
    st.tuples(st.just("sort"), st.sampled_from(["sensor", "count", "raw", "ok"]), st.booleans()),
    st.tuples(st.just("slice"), st.integers(-5, 5), st.integers(-5, 5)),
)


def sort_key(name):
    return lambda r: getattr(r, name)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ops, max_size=12))
def test_array_matches_a_list_of_records(program):
    arr, model = RecordArray(Reading), []
    for op in program:
        kind = op[0]
        if kind == "append":
            arr.append(op[1])
            model.append(op[1])
        elif kind == "extend":
            arr.extend(op[1])
            model.extend(op[1])
        elif kind == "columns":
            cols = {name: [v[name] for v in op[1]] for name in arr.field_names}
            arr.extend_columns(**cols)
            model.extend(Reading(**v) for v in op[1])
        elif kind == "set" and model:
            i = op[1] % len(model)
            arr[i] = op[2]
            model[i] = op[2]
        elif kind == "bad_extend":
            try:
                arr.extend([*op[1], "not a record"])
            except TypeError:
                pass
            else:
                raise AssertionError("bad extend accepted")
        elif kind == "bad_columns":
            name, bad = op[2]
            cols = {n: [v[n] for v in op[1]] for n in arr.field_names}
            cols[name][-1] = bad
            try:
                arr.extend_columns(**cols)
            except (TypeError, OverflowError):
                pass
            else:
                raise AssertionError("bad column accepted")
        elif kind == "sort":
            arr.sort(by=op[1], reverse=op[2])
            model.sort(key=sort_key(op[1]), reverse=op[2])
        elif kind == "slice":
            arr = arr[op[1]:op[2]]
            model = model[op[1]:op[2]]
        assert len(arr) == len(model)
    assert list(arr) == model
    assert pickle.loads(pickle.dumps(arr)) == arr
