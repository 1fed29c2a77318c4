"""The speed tricks of designer/expressions give what the plain computation gives.

- `names` collects the names without walk()'s list of every node, in walk()'s order;
- the checker dispatches on the node's class (isinstance for anything else) and gathers
  the names it may suggest only when a name is unknown;
- the parser measures a tree's depth only when it has more tokens than MAX_DEPTH (a
  tree has no more levels than tokens).

Each is held here to the obvious computation it replaced, on random trees of any shape.
"""

from __future__ import annotations

from collections.abc import Iterable

from designer.expressions import checker as ck
from designer.expressions import parser as ps
from designer.expressions import unparse
from designer.expressions.ast import Expr, Name, depth, names, walk
from designer.expressions.types import CheckResult, Symbol, ValueType

from .generate import NAMES, OPTIONS, RandomPick, gen, gen_any, render

KINDS = ["bool", "num", "str", "date", "list"]


def _plain_names(node: Expr) -> set[str]:
    return {n.id for n in walk(node) if type(n) is Name}


def test_names_are_walks_names_in_walks_order() -> None:
    pick = RandomPick(20261206)
    for _ in range(3000):
        tree = (gen_any(pick, pick.integer(0, 5)) if pick.integer(0, 1)
                else gen(pick, pick.choice(KINDS), pick.integer(0, 5)))
        plain, fast = _plain_names(tree), names(tree)
        assert fast == plain
        # Built by adding the same names in the same order: iterated alike too.
        assert list(fast) == list(plain)


class _PlainChecker(ck._Checker):
    """The checker as it was: candidates gathered first, isinstance tests in turn."""

    def __init__(self, lookup: ck.Lookup, given: Iterable[str] | None) -> None:
        super().__init__(lookup, given)
        self._candidates = ck._candidates_of(lookup, given)

    def check(self, node: Expr) -> ValueType:
        for kind, method in ck._BY_CLASS.items():
            if isinstance(node, kind):
                return method(self, node)
        raise TypeError(f"not an expression node: {node!r}")


def _plain_check(
    expr: Expr, lookup: ck.Lookup, expect: ValueType | None,
    candidates: Iterable[str] | None,
) -> CheckResult:
    checker = _PlainChecker(lookup, candidates)
    kind = checker.check(expr)
    if expect is not None and expect not in (ck.ANY, ck.NULL) and not ck._fits(kind, expect):
        if expect == ck.B:
            message = ck.msg("type.condition", kind=kind.said)
        else:
            message = ck.msg("type.expected", expected=expect.said, kind=kind.said)
        checker.report("type-mismatch", message, expr)
    return CheckResult(kind, checker.problems)


TYPES = {"bool": ValueType.BOOLEAN, "num": ValueType.NUMBER, "str": ValueType.STRING,
         "date": ValueType.DATE, "list": ValueType.LIST}
#: Some of the generator's names, typed; the others are unknown (and close to these).
SYMBOLS = {
    name: Symbol(name, TYPES[kind], frozenset(OPTIONS) if kind in ("list", "str") else None,
                 available=name[-1] == "1")
    for kind, ids in NAMES.items() for name in ids
}
SYMBOLS["v1"] = Symbol("v1", ValueType.OPAQUE)
SYMBOLS["v2"] = Symbol("v2", ValueType.ITEMS)
SYMBOLS["v3x"] = Symbol("v3x", ValueType.NUMBER)  # what an unknown `v3` may have meant


class _Offered:
    """A lookup that offers its candidates (checker._candidates_of's second way)."""

    def __init__(self, known: dict[str, Symbol]) -> None:
        self.known = known

    def __call__(self, name: str) -> Symbol | None:
        return self.known.get(name)

    def candidates(self) -> list[str]:
        return sorted(self.known)


def test_checker_finds_what_the_plain_checker_finds() -> None:
    pick = RandomPick(61220)
    lookups: list[ck.Lookup] = [SYMBOLS.get, _Offered(SYMBOLS), lambda name: SYMBOLS.get(name)]
    problems = unknown = hinted = 0
    for _ in range(3000):
        tree = (gen_any(pick, pick.integer(0, 5)) if pick.integer(0, 1)
                else gen(pick, pick.choice(KINDS), pick.integer(0, 5)))
        lookup = pick.choice(lookups)
        expect = pick.choice([None, ValueType.BOOLEAN, ValueType.DATE, ValueType.ANY])
        given = pick.choice([None, ["b1", "n2", "v3y"], ("s1", "s2")])
        fast = ck.check(tree, lookup, expect=expect, candidates=given)
        plain = _plain_check(tree, lookup, expect, given)
        assert fast == plain, tree
        problems += bool(fast.problems)
        unknown += any(p.rule == "unknown-name" for p in fast.problems)
        hinted += any("v3x" in p.message or "v3y" in p.message for p in fast.problems)
    assert problems > 1000 and unknown > 300 and hinted > 100


def _plain_parse(text: str) -> object:
    """The tree, or the error's message and offset: the depth always measured."""
    try:
        tree = ps._Parser(text).parse()
    except ps.ExpressionSyntaxError as exc:
        return (exc.message, exc.offset)
    deepest = ps._too_deep(tree)
    if deepest is not None:
        return (str(ps.msg("syntax.too-complex", limit=ps.MAX_DEPTH)), deepest.start)
    return tree


def _parse(text: str) -> object:
    try:
        return ps._parsed.__wrapped__(text)
    except ps.ExpressionSyntaxError as exc:
        return (exc.message, exc.offset)


def test_trees_have_no_more_levels_than_tokens() -> None:
    pick = RandomPick(5)
    for _ in range(3000):
        tree = (gen_any(pick, pick.integer(0, 6)) if pick.integer(0, 1)
                else gen(pick, pick.choice(KINDS), pick.integer(0, 6)))
        for text in (render(tree), unparse(tree)):
            parser = ps._Parser(text)
            assert depth(parser.parse()) <= parser.last, text


def test_long_expressions_are_measured_like_the_plain_parser() -> None:
    # Around MAX_DEPTH tokens and levels: chains of additions, nested parentheses and
    # `not`s, and random trees.
    texts = []
    for n in range(38, 43):  # nesting: its own limit
        texts.append("(" * n + "x" + ")" * n)
        texts.append("not " * n + "x")
    for n in range(48, 53):  # about MAX_DEPTH tokens, few levels
        texts.append(" + ".join(["x"] * n))  # 2n - 1 tokens, n levels
        texts.append(" - ".join(["1"] * n) + " > 2")
    for n in range(97, 104):  # about MAX_DEPTH levels
        texts.append(" + ".join(["x"] * n))
        texts.append("-x" + " / x" * (n - 1))
        texts.append(" * ".join(["2"] * n))
        texts.append("x" + " < x" * (n - 1))
    pick = RandomPick(11)
    texts += [render(gen(pick, pick.choice(KINDS), pick.integer(3, 8))) for _ in range(300)]
    deep = 0
    for text in texts:
        got, plain = _parse(text), _plain_parse(text)
        assert got == plain, text
        deep += isinstance(plain, tuple) and "complex" in str(plain[0])
    assert deep > 5
