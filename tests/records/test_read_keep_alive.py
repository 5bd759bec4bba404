"""Unboxed reads keep the last number they created alive, and a float read reuses that float when
nothing else holds it (``ffi/keep_alive.rs``, docs/ecosystem.md#orjson). Nothing a program
holds may change: these tests hold values across later reads of every kind."""

from __future__ import annotations

import threading

from slotkit import Record


class P(Record):
    x: float
    y: float
    n: int
    flag: bool


def test_held_values_survive_later_reads():
    p, q = P(1.5, 2.5, 10**15, True), P(-0.5, 4.0, -(10**16), False)
    a = p.x
    b = q.x
    c = p.n
    d = q.y
    e = p.x
    assert (a, b, c, d, e) == (1.5, -0.5, 10**15, 4.0, 1.5)
    assert a is not e  # a is held, so the second read made a new float
    held = [p.x, p.y, q.x, q.y, p.n, q.n, p.flag, q.flag]
    for _ in range(3):
        [p.x, q.y, p.n]  # noqa: B018 - reads whose results are dropped at once
    assert held == [1.5, 2.5, -0.5, 4.0, 10**15, -(10**16), True, False]


def test_dropped_reads_give_each_value():
    p = P(0.0, 0.0, 0, False)
    total = 0.0
    for i in range(1000):
        p.x = i * 0.5
        total += p.x
        p.n = 2**40 + i
        total += p.n - 2**40
    assert total == sum(i * 0.5 for i in range(1000)) + sum(range(1000))
    assert [p.x for _ in range(3)] == [499.5] * 3


def test_threads_reading_at_once():
    points = [P(float(i), -float(i), i, i % 2 == 0) for i in range(200)]
    errors = []

    def work():
        for _ in range(200):
            for i, pt in enumerate(points):
                vals = (pt.x, pt.y, pt.n)
                if vals != (float(i), -float(i), i):
                    errors.append(vals)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
