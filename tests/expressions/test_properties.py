"""Property tests: random typed trees, rendered, parsed and evaluated, against a reference."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from designer.expressions import check, evaluate, parse, to_json, unparse
from designer.expressions.types import Symbol, ValueType

from .generate import (
    NAMES,
    OPTIONS,
    TODAYS,
    HypothesisPick,
    RandomPick,
    answers,
    any_answers,
    gen,
    gen_any,
    reference,
    render,
    same,
)

KINDS = ["bool", "num", "str", "date", "list"]
SETTINGS = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
TYPE_OF = {
    "bool": ValueType.BOOLEAN,
    "num": ValueType.NUMBER,
    "str": ValueType.STRING,
    "date": ValueType.DATE,
    "list": ValueType.LIST,
}
SYMBOLS = {
    name: Symbol(name, TYPE_OF[kind], frozenset(OPTIONS) if kind == "list" else None)
    for kind, ids in NAMES.items()
    for name in ids
}


@SETTINGS
@given(st.data())
def test_parse_render_and_evaluate_like_the_reference(data: st.DataObject) -> None:
    pick = HypothesisPick(data)
    kind = pick.choice(KINDS)
    tree = gen(pick, kind, pick.integer(0, 4))
    env = answers(pick)
    today = pick.choice(TODAYS)

    text = render(tree)
    parsed = parse(text)
    assert parsed == tree, text
    expected = reference(tree, env, today)
    got = evaluate(parsed, env, today=today)
    assert same(got, expected), (text, env, today, got, expected)


@SETTINGS
@given(st.data())
def test_unparse_round_trips(data: st.DataObject) -> None:
    pick = HypothesisPick(data)
    tree = gen(pick, pick.choice(KINDS), pick.integer(0, 4))
    text = unparse(tree)
    assert parse(text) == tree, text
    assert unparse(parse(text)) == text
    # the canonical text never has more characters than the fully parenthesised one
    assert len(text) <= len(render(tree))


@SETTINGS
@given(st.data())
def test_generated_trees_type_check(data: st.DataObject) -> None:
    """Well-typed generated trees have no problem, and the type the generator meant."""
    pick = HypothesisPick(data)
    kind = pick.choice(KINDS)
    tree = gen(pick, kind, pick.integer(0, 4))
    result = check(tree, SYMBOLS.get)
    # the checker must not reject what the language allows (no problem of any kind:
    # string literals in the generated domain may be outside OPTIONS only in "in" tests)
    assert [p for p in result.problems if p.rule != "unknown-option"] == [], unparse(tree)
    assert result.type in (TYPE_OF[kind], ValueType.NULL)


@SETTINGS
@given(st.data())
def test_to_json_is_plain_json(data: st.DataObject) -> None:
    import json

    pick = HypothesisPick(data)
    tree = gen(pick, pick.choice(KINDS), pick.integer(0, 4))
    as_json = to_json(tree)
    assert json.loads(json.dumps(as_json)) == as_json


def test_many_seeded_random_trees_like_the_reference() -> None:
    """A broad, uniform sweep complementing hypothesis (whose draws favour small trees)."""
    pick = RandomPick(20261127)
    for _ in range(3000):
        tree = gen(pick, pick.choice(KINDS), pick.integer(1, 5))
        env = answers(pick)
        today = pick.choice(TODAYS)
        text = render(tree)
        assert parse(text) == tree, text
        assert parse(unparse(tree)) == tree, unparse(tree)
        expected = reference(tree, env, today)
        got = evaluate(tree, env, today=today)
        assert same(got, expected), (unparse(tree), env, today, got, expected)


def test_any_tree_checks_and_evaluates_without_failing() -> None:
    """Ill-typed trees give problems and unknowns, never an exception."""
    pick = RandomPick(7)
    lookup = {
        "v1": Symbol("v1", ValueType.OPAQUE),
        "v2": Symbol("v2", ValueType.ITEMS),
        "v3": Symbol("v3", ValueType.STRING, frozenset({"a"}), available=False),
    }.get
    seen_problems = 0
    for _ in range(2000):
        text = unparse(gen_any(pick, pick.integer(1, 5)))
        tree = parse(text)
        assert unparse(tree) == text
        result = check(tree, lookup, expect=ValueType.BOOLEAN)
        seen_problems += bool(result.problems)
        for problem in result.problems:
            assert 0 <= problem.offset < problem.end <= len(text), (text, problem)
        evaluate(tree, any_answers(pick), today=pick.choice(TODAYS))
    assert seen_problems > 500
