"""The abstract domains against brute force on small integers and halves."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from designer.analysis.domains import (
    ALL3,
    BOOL,
    NUM,
    AbsVal,
    and3,
    const,
    join,
    not3,
    or3,
    top,
)
from designer.analysis.intervals import Interval, Intervals, arith, compare_possible

OPS = ["==", "!=", "<", "<=", ">", ">="]
GRID = [Fraction(n, 2) for n in range(-12, 13)]


def members(s: Intervals) -> set[Fraction]:
    return {x for x in GRID if s.contains(x)}


@st.composite
def intervals(draw: st.DrawFn, integral: bool | None = None) -> Intervals:
    if integral is None:
        integral = draw(st.booleans())
    parts = []
    for _ in range(draw(st.integers(0, 3))):
        a, b = sorted(draw(st.integers(-5, 5)) for _ in range(2))
        parts.append(Interval(a, b, draw(st.booleans()), draw(st.booleans())))
    return Intervals(parts, integral)


def test_integer_normalisation() -> None:
    s = Intervals.compare(">", 6, integral=True).union(Intervals.compare("<", 3, integral=True))
    gap = s.complement()
    assert gap == Intervals.between(3, 6, integral=True)
    assert repr(gap) == "Intervals([3, 6], int)"


def test_adjacent_integer_intervals_merge() -> None:
    s = Intervals.between(1, 3, True).union(Intervals.between(4, 6, True))
    assert s.parts == (Interval(1, 6),)


def test_real_open_bounds() -> None:
    below = Intervals.compare("<", 3)
    assert not below.contains(3)
    assert below.union(Intervals.compare(">=", 3)) == Intervals.top()
    assert below.intersect(Intervals.compare(">=", 3)).is_empty()


@settings(max_examples=300, deadline=None)
@given(intervals(False), intervals(False))
def test_lattice_ops_match_sets(a: Intervals, b: Intervals) -> None:
    assert members(a.union(b)) == members(a) | members(b)
    assert members(a.intersect(b)) == members(a) & members(b)
    assert members(a.complement()) == set(GRID) - members(a) or any(
        iv.lo in (-6, 6) for iv in a.complement().parts
    )


@settings(max_examples=300, deadline=None)
@given(intervals(), intervals(), st.sampled_from(OPS))
def test_compare_possible_is_sound(a: Intervals, b: Intervals, op: str) -> None:
    can_true, can_false = compare_possible(a, op, b)
    fns = {
        "==": lambda x, y: x == y, "!=": lambda x, y: x != y, "<": lambda x, y: x < y,
        "<=": lambda x, y: x <= y, ">": lambda x, y: x > y, ">=": lambda x, y: x >= y,
    }
    seen = {fns[op](x, y) for x in members(a) for y in members(b)}
    # Sound: whatever happens on the grid is declared possible.
    if True in seen:
        assert can_true
    if False in seen:
        assert can_false


@settings(max_examples=300, deadline=None)
@given(intervals(True), intervals(True), st.sampled_from(["+", "-", "*"]))
def test_arith_over_approximates(a: Intervals, b: Intervals, op: str) -> None:
    r = arith(op, a, b)
    fns = {"+": lambda x, y: x + y, "-": lambda x, y: x - y, "*": lambda x, y: x * y}
    for x in members(a):
        for y in members(b):
            assert r.contains(fns[op](x, y))


def test_three_valued_logic() -> None:
    t, f, u = frozenset([True]), frozenset([False]), frozenset([None])
    assert and3(f, u) == f
    assert or3(t, u) == t
    assert not3(u) == u
    assert and3(ALL3, t) == ALL3


def test_join_keeps_every_value() -> None:
    a = const(3)
    b = AbsVal(NUM, True, None)
    j = join(a, b)
    assert j.none and j.some == Intervals.point(3)
    assert join(const(True), const(False)).some == frozenset([True, False])
    assert top(BOOL).truths() == ALL3


@settings(max_examples=300, deadline=None)
@given(intervals(), intervals())
def test_lattice_ops_are_normalised_like_the_constructor(a: Intervals, b: Intervals) -> None:
    # union and intersect skip the normalisation when their inputs are normalised: their
    # results must be exactly what normalising the pieces gives (parts and integrality).
    union = Intervals(a.parts + b.parts, a.integral and b.integral)
    assert a.union(b).parts == union.parts and repr(a.union(b)) == repr(union)
    pieces = [
        Interval(max(x.lo, y.lo), min(x.hi, y.hi),
                 x.lo_open if x.lo > y.lo or (x.lo == y.lo and x.lo_open) else y.lo_open,
                 x.hi_open if x.hi < y.hi or (x.hi == y.hi and x.hi_open) else y.hi_open)
        for x in a.parts for y in b.parts
    ]
    meet = Intervals(pieces, a.integral or b.integral)
    assert a.intersect(b).parts == meet.parts and repr(a.intersect(b)) == repr(meet)
