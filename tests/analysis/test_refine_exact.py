"""Refinement skips its check at the top for conditions it narrows exactly
(designer.analysis.refine.exact): held here to the plain computation, which checks.

`refine(env, cond, allowed, known)` with `known = truths(env, cond)` must return what
`refine(env, cond, allowed)` returns, on random environments (values of every kind,
null or not, of the kind the scope says or not) and every simple comparison and name.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from designer.analysis.abstract import NameInfo, Scope
from designer.analysis.domains import (
    ANY,
    BOOL,
    CHOICE,
    DATE,
    LIST,
    MULTI,
    NUM,
    TEXT,
    TOP,
    AbsVal,
    Env,
    Multi,
    top,
)
from designer.analysis.intervals import Interval, Intervals
from designer.analysis.refine import Refiner, exact
from designer.expressions import parse
from designer.expressions.ast import Compare, Expr, Literal, Name, Unary

KINDS = {"x": NUM, "y": NUM, "d": DATE, "b": BOOL, "c": CHOICE, "t": TEXT, "m": MULTI,
         "l": LIST, "u": TOP}
OPS = ["==", "!=", "<", "<=", ">", ">=", "in", "not in"]
CONSTANTS = [None, True, False, 0, 1, 2, -1, 3, 2.5, 1.0, "a", "b", "z", ""]
#: Conditions whose narrowing piecewise can leave values the whole condition rejects
#: (two answers compared, a term and its answer).
CHECKED = ["x * 2 > 3 and x < 1", "x > y and y > x", "x > y", "x + 1 > 3", "1 < x < 3",
           "x > 2 and x < 1"]
ALLOWED = [frozenset(s) for s in (
    {True}, {False}, {None}, {True, False}, {True, None}, {False, None}, {True, False, None},
)]


def scope() -> Scope:
    out = Scope()
    for name, kind in KINDS.items():
        options = frozenset({"a", "b", "c"}) if kind in (CHOICE, MULTI) else None
        out.names[name] = NameInfo(kind, name == "x", options)
    # A computed name: refining by it goes through its expression.
    out.computed["k"] = Compare(Name("x"), (">",), (Literal(1),))
    return out


@st.composite
def intervals(draw: st.DrawFn, integral: bool) -> Intervals:
    parts = []
    for _ in range(draw(st.integers(0, 3))):
        a, b = sorted(draw(st.sampled_from([-3, -1, 0, 1, 2, 2.5, 3, 5])) for _ in range(2))
        parts.append(Interval(a, b, draw(st.booleans()), draw(st.booleans())))
    if draw(st.integers(0, 5)) == 0:
        return Intervals.top(integral)
    return Intervals(parts, integral)


@st.composite
def values(draw: st.DrawFn, kind: str) -> AbsVal:
    none = draw(st.booleans())
    if draw(st.integers(0, 9)) == 0:
        kind = draw(st.sampled_from(sorted(set(KINDS.values()))))  # not the scope's kind
    if draw(st.integers(0, 6)) == 0:
        return AbsVal(kind, True, None)  # null only
    if kind in (NUM, DATE, LIST):
        some = draw(intervals(kind != NUM or draw(st.booleans())))
        return AbsVal(kind, none or not some.parts, some if some.parts else None)
    if kind == BOOL:
        chosen = draw(st.sampled_from([{True}, {False}, {True, False}]))
        return AbsVal(BOOL, none, frozenset(chosen))
    if kind in (CHOICE, TEXT):
        if draw(st.booleans()):
            return AbsVal(kind, none, ANY)
        chosen = draw(st.sets(st.sampled_from(["a", "b", "c", "z"]), min_size=1))
        return AbsVal(kind, none, frozenset(chosen))
    if kind == MULTI:
        return AbsVal(MULTI, none, Multi(frozenset({"a"}), frozenset({"a", "b"})))
    return top(kind, none)


@st.composite
def environments(draw: st.DrawFn) -> Env:
    names = draw(st.sets(st.sampled_from(sorted(KINDS))))
    return Env({name: draw(values(KINDS[name])) for name in sorted(names)})


@st.composite
def conditions(draw: st.DrawFn) -> Expr:
    name = Name(draw(st.sampled_from([*sorted(KINDS), "k", "nowhere"])))
    form = draw(st.integers(0, 6))
    if form == 6:  # not exact, and where the check at the top does reject
        return parse(draw(st.sampled_from(CHECKED)))
    if form == 0:
        return name
    if form == 1:  # not exact: checked at the top as before
        return Unary("not", name)
    constant = Literal(draw(st.sampled_from(CONSTANTS)))
    op = draw(st.sampled_from(OPS))
    if form == 2:  # the constant first: not exact either
        return Compare(constant, (op,), (name,))
    return Compare(name, (op,), (constant,))


def _same(a: Env | None, b: Env | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.values == b.values and all(
        type(x.some) is type(y.some) for x, y in zip(a.values.values(), b.values.values(),
                                                      strict=True)
    )


@settings(max_examples=3000, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(environments(), conditions())
def test_refining_an_exact_condition_needs_no_check_at_the_top(env: Env, cond: Expr) -> None:
    refiner = Refiner(scope())
    known = refiner.truths(env, cond)
    for allowed in ALLOWED:
        if not known & allowed:
            continue  # the interpretation never refines to what cannot happen
        plain = refiner.refine(env, cond, allowed)
        fast = refiner.refine(env, cond, allowed, known)
        assert _same(fast, plain), (env, cond, allowed)


def test_the_shortcut_is_taken_and_sometimes_matters() -> None:
    # The test above exercises the shortcut: exact conditions, many of which narrow.
    taken = 0
    narrowed = 0

    @settings(max_examples=500, deadline=None, derandomize=True, database=None)
    @given(environments(), conditions())
    def count(env: Env, cond: Expr) -> None:
        nonlocal taken, narrowed
        if exact(cond, env):
            taken += 1
            refiner = Refiner(scope())
            known = refiner.truths(env, cond)
            for allowed in ALLOWED:
                if known & allowed:
                    got = refiner.refine(env, cond, allowed, known)
                    narrowed += got is not None and got.values != env.values

    count()
    assert taken > 150 and narrowed > 40


def test_the_check_at_the_top_rejects_some_drawn_conditions() -> None:
    # Without its check (the shortcut taken for any condition), refinement would keep
    # environments where some drawn conditions cannot hold: the test above would see it.
    rejected = 0

    @settings(max_examples=1500, deadline=None, derandomize=True, database=None)
    @given(environments(), st.sampled_from(CHECKED))
    def count(env: Env, text: str) -> None:
        nonlocal rejected
        cond = parse(text)
        refiner = Refiner(scope())
        known = refiner.truths(env, cond)
        for allowed in ALLOWED:
            if known & allowed and refiner.refine(env, cond, allowed) is None:
                rejected += refiner._refine(env, cond, allowed) is not None

    count()
    assert rejected > 0
