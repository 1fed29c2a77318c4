"""Random well-typed expression trees and answers over small domains, for property tests.

The generator draws through a `Pick` so that the same code serves hypothesis
(shrinkable draws) and a seeded `random.Random` (one batch of cases for node).
Also here: an independent, fully parenthesised renderer and a slow, obvious
reference interpreter that share no code with designer.expressions.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from typing import Any, Protocol, TypeVar

from designer.expressions.ast import (
    BinOp,
    BoolOp,
    Call,
    Compare,
    Expr,
    ListLit,
    Literal,
    Name,
    Unary,
)

X = TypeVar("X")

OPTIONS = ("a", "b", "c")
NAMES = {
    "bool": ("b1", "b2"),
    "num": ("n1", "n2"),
    "str": ("s1", "s2"),
    "date": ("d1", "d2"),
    "list": ("l1", "l2"),
}
NUMBERS: tuple[int | float, ...] = (0, 1, 2, 3, -1, -2, 0.5, 2.5, 10)
DATES = (
    datetime.date(2000, 2, 29),
    datetime.date(2001, 2, 28),
    datetime.date(2001, 3, 1),
    datetime.date(2008, 11, 27),
    datetime.date(2008, 11, 28),
    datetime.date(2026, 11, 27),
    datetime.date(1999, 12, 31),
)
TODAYS = (datetime.date(2026, 11, 27), datetime.date(2024, 2, 29), datetime.date(2001, 2, 28))
STRINGS = ("a", "b", "c", "", "A")


class Pick(Protocol):
    def choice(self, seq: Sequence[X]) -> X: ...

    def integer(self, lo: int, hi: int) -> int: ...


class RandomPick:
    """Draws from a seeded random.Random."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def choice(self, seq: Sequence[X]) -> X:
        return self.rng.choice(list(seq))

    def integer(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi)


class HypothesisPick:
    """Draws through hypothesis' `data` so that failures shrink."""

    def __init__(self, data: Any) -> None:
        from hypothesis import strategies as st

        self.data = data
        self.st = st

    def choice(self, seq: Sequence[X]) -> X:
        return self.data.draw(self.st.sampled_from(list(seq)))  # type: ignore[no-any-return]

    def integer(self, lo: int, hi: int) -> int:
        return self.data.draw(self.st.integers(lo, hi))  # type: ignore[no-any-return]


def gen(pick: Pick, kind: str, depth: int) -> Expr:
    """A tree whose value has type `kind` (bool, num, str, date, list), or is null."""
    if pick.integer(0, 15) == 0:
        return Literal(None)
    leaf = depth <= 0 or pick.integer(0, 3) == 0
    if kind == "bool":
        if leaf:
            return pick.choice([Literal(True), Literal(False), Name(pick.choice(NAMES["bool"]))])
        form = pick.choice(["not", "and", "or", "order", "eq", "in", "null", "answered"])
        if form == "not":
            return Unary("not", gen(pick, "bool", depth - 1))
        if form in ("and", "or"):
            count = pick.integer(2, 3)
            return BoolOp(form, tuple(gen(pick, "bool", depth - 1) for _ in range(count)))
        if form == "order":
            operand_kind = pick.choice(["num", "date"])
            count = pick.integer(1, 3)
            ops = tuple(pick.choice(["<", "<=", ">", ">=", "==", "!="]) for _ in range(count))
            operands = [gen(pick, operand_kind, depth - 1) for _ in range(count + 1)]
            return Compare(operands[0], ops, tuple(operands[1:]))
        if form == "eq":
            operand_kind = pick.choice(["bool", "num", "str", "date", "list"])
            op = pick.choice(["==", "!="])
            return Compare(
                gen(pick, operand_kind, depth - 1), (op,), (gen(pick, operand_kind, depth - 1),)
            )
        if form == "in":
            op = pick.choice(["in", "not in"])
            return Compare(gen(pick, "str", depth - 1), (op,), (gen(pick, "list", depth - 1),))
        if form == "null":
            operand_kind = pick.choice(sorted(NAMES))
            op = pick.choice(["==", "!="])
            operand = gen(pick, operand_kind, depth - 1)
            if pick.integer(0, 1):
                return Compare(operand, (op,), (Literal(None),))
            return Compare(Literal(None), (op,), (operand,))
        all_names = [n for group in NAMES.values() for n in group]
        return Call("answered", (Name(pick.choice(all_names)),))
    if kind == "num":
        if leaf:
            if pick.integer(0, 1):
                return Name(pick.choice(NAMES["num"]))
            return Literal(pick.choice(NUMBERS))
        form = pick.choice(["neg", "bin", "bin", "age", "years", "days", "len"])
        if form == "neg":
            return Unary("-", gen(pick, "num", depth - 1))
        if form == "bin":
            return BinOp(
                pick.choice(["+", "-", "*", "/"]),
                gen(pick, "num", depth - 1),
                gen(pick, "num", depth - 1),
            )
        if form == "age":
            return Call("age", (gen(pick, "date", depth - 1),))
        if form == "years":
            return Call(
                "years_between", (gen(pick, "date", depth - 1), gen(pick, "date", depth - 1))
            )
        if form == "days":
            return Call(
                "days_between", (gen(pick, "date", depth - 1), gen(pick, "date", depth - 1))
            )
        return Call("len", (gen(pick, "list", depth - 1),))
    if kind == "str":
        if pick.integer(0, 1):
            return Name(pick.choice(NAMES["str"]))
        return Literal(pick.choice(STRINGS))
    if kind == "date":
        form = pick.choice(["name", "name", "today", "literal"])
        if form == "name":
            return Name(pick.choice(NAMES["date"]))
        if form == "today":
            return Call("today", ())
        return Call("date", (Literal(pick.choice(DATES).isoformat()),))
    if kind == "list":
        if leaf or pick.integer(0, 1):
            return Name(pick.choice(NAMES["list"]))
        count = pick.integer(0, 3)
        return ListLit(tuple(gen(pick, "str", depth - 1) for _ in range(count)))
    raise ValueError(kind)


def answers(pick: Pick) -> dict[str, Any]:
    """Answers for every generated name: a value of its type, None, or absent."""
    out: dict[str, Any] = {}
    for kind, ids in NAMES.items():
        for name in ids:
            roll = pick.integer(0, 5)
            if roll == 0:
                continue  # absent: null
            if roll == 1:
                out[name] = None
                continue
            if kind == "bool":
                out[name] = pick.choice([True, False])
            elif kind == "num":
                out[name] = pick.choice(NUMBERS)
            elif kind == "str":
                out[name] = pick.choice(STRINGS)
            elif kind == "date":
                out[name] = pick.choice(DATES)
            else:
                size = pick.integer(0, 3)
                out[name] = sorted({pick.choice(OPTIONS) for _ in range(size)})
    return out


# -- an independent renderer: every compound node in parentheses -------------


def render(node: Expr) -> str:
    """Fully parenthesised text of a tree, written without designer.expressions."""
    if isinstance(node, Literal):
        v = node.value
        if v is None:
            return "null"
        if v is True:
            return "true"
        if v is False:
            return "false"
        if isinstance(v, str):
            return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return "(" + repr(v) + ")"
    if isinstance(node, Name):
        return node.id
    if isinstance(node, ListLit):
        return "[" + ", ".join(render(i) for i in node.items) + "]"
    if isinstance(node, Call):
        return node.func + "(" + ", ".join(render(a) for a in node.args) + ")"
    if isinstance(node, Unary):
        sep = " " if node.op == "not" else ""
        return "(" + node.op + sep + render(node.operand) + ")"
    if isinstance(node, BoolOp):
        return "(" + f" {node.op} ".join(render(o) for o in node.operands) + ")"
    if isinstance(node, Compare):
        parts = [render(node.left)]
        for op, right in zip(node.ops, node.comparators, strict=True):
            parts += [op, render(right)]
        return "(" + " ".join(parts) + ")"
    if isinstance(node, BinOp):
        return f"({render(node.left)} {node.op} {render(node.right)})"
    raise TypeError(node)


# -- the reference interpreter ----------------------------------------------
# Truth values encoded 0 (false) < 1 (unknown) < 2 (true): Kleene's logic is
# then min for `and`, max for `or` and 2 - x for `not`.

_ENC = {False: 0, None: 1, True: 2}
_DEC = {0: False, 1: None, 2: True}


def _truth(value: Any) -> int:
    return _ENC[value] if value is None or isinstance(value, bool) else 1


def _full_years(a: datetime.date, b: datetime.date) -> int:
    """Counting whole years one by one, the slow way."""
    if b < a:
        return -_full_years(b, a)
    years = 0
    while True:
        try:
            anniversary = a.replace(year=a.year + years + 1)
        except ValueError:  # 29 February in a common year: the birthday is 1 March
            anniversary = datetime.date(a.year + years + 1, 3, 1)
        if anniversary > b:
            return years
        years += 1


def reference(node: Expr, env: dict[str, Any], today: datetime.date) -> Any:
    """The value of a well-typed generated tree, computed the obvious way."""

    def r(n: Expr) -> Any:
        return reference(n, env, today)

    if isinstance(node, Literal):
        return node.value
    if isinstance(node, Name):
        return env.get(node.id)
    if isinstance(node, ListLit):
        return [r(i) for i in node.items]
    if isinstance(node, Unary):
        v = r(node.operand)
        if node.op == "not":
            return _DEC[2 - _truth(v)]
        return None if v is None else -v
    if isinstance(node, BoolOp):
        codes = [_truth(r(o)) for o in node.operands]
        return _DEC[min(codes) if node.op == "and" else max(codes)]
    if isinstance(node, BinOp):
        a, b = r(node.left), r(node.right)
        if a is None or b is None:
            return None
        if node.op == "/":
            return None if b == 0 else a / b
        return {"+": a + b, "-": a - b, "*": a * b}[node.op]
    if isinstance(node, Compare):
        operands = [node.left, *node.comparators]
        values = [r(o) for o in operands]
        code = 2
        for i, op in enumerate(node.ops):
            a, b = values[i], values[i + 1]
            left_null = isinstance(operands[i], Literal) and operands[i].value is None
            right_null = isinstance(operands[i + 1], Literal) and operands[i + 1].value is None
            if op in ("==", "!=") and (left_null or right_null):
                result: Any = (a is None and b is None) or (a is not None and b is not None)
                if op == "!=":
                    result = not result
            elif a is None or b is None:
                result = None
            elif op in ("in", "not in"):
                if a in [x for x in b if x is not None]:
                    result = True
                elif None in b:
                    result = None
                else:
                    result = False
                if op == "not in" and result is not None:
                    result = not result
            elif isinstance(a, list):
                if None in a or None in b:
                    result = None
                else:
                    result = a == b if op == "==" else a != b
            elif op == "==":
                result = a == b
            elif op == "!=":
                result = a != b
            elif op == "<":
                result = a < b
            elif op == "<=":
                result = a <= b
            elif op == ">":
                result = a > b
            else:
                result = a >= b
            code = min(code, _truth(result))
        return _DEC[code]
    if isinstance(node, Call):
        if node.func == "today":
            return today
        if node.func == "date":
            arg = node.args[0]
            assert isinstance(arg, Literal) and isinstance(arg.value, str)
            return datetime.date.fromisoformat(arg.value)
        if node.func == "answered":
            arg = node.args[0]
            assert isinstance(arg, Name)
            v = env.get(arg.id)
            return not (v is None or v == "" or v == {})  # an empty list is an answer
        args = [r(a) for a in node.args]
        if any(a is None for a in args):
            return None
        if node.func == "len":
            return len(args[0])
        if node.func == "age":
            return _full_years(args[0], today)
        if node.func == "years_between":
            return _full_years(args[0], args[1])
        if node.func == "days_between":
            return args[1].toordinal() - args[0].toordinal()
    raise TypeError(node)


def same(a: Any, b: Any) -> bool:
    """Equal values of the same kind (True is not 1; 2 and 2.0 are the same number)."""
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b or (
        isinstance(a, (int, float)) and isinstance(b, (int, float)) and a == b
    )


# -- untyped trees: any node over any operands, for "never fails" properties --

ANY_NAMES = ("v1", "v2", "v3")
ANY_VALUES: tuple[Any, ...] = (
    None,
    True,
    False,
    0,
    1,
    -2,
    2.5,
    "",
    "a",
    "2000-06-15x",
    datetime.date(2000, 6, 15),
    datetime.date(2024, 2, 29),
    [],
    ["a", "b"],
    [{"p": 1}],
    {},
    {"rue": "1 rue"},
)


def gen_any(pick: Pick, depth: int) -> Expr:
    """A tree of any shape, ignoring types: what a careless designer may write."""
    if depth <= 0 or pick.integer(0, 3) == 0:
        form = pick.choice(["lit", "name", "name", "today", "date"])
        if form == "lit":
            return Literal(pick.choice([None, True, False, 0, 1, -1, 0.5, "a", "", "2000-06-15"]))
        if form == "name":
            return Name(pick.choice(ANY_NAMES))
        if form == "today":
            return Call("today", ())
        return Call("date", (Literal(pick.choice(DATES).isoformat()),))
    form = pick.choice(["list", "not", "neg", "bool", "cmp", "bin", "call", "answered"])
    sub = depth - 1
    if form == "list":
        return ListLit(tuple(gen_any(pick, sub) for _ in range(pick.integer(0, 3))))
    if form in ("not", "neg"):
        return Unary("not" if form == "not" else "-", gen_any(pick, sub))
    if form == "bool":
        count = pick.integer(2, 3)
        return BoolOp(pick.choice(["and", "or"]), tuple(gen_any(pick, sub) for _ in range(count)))
    if form == "cmp":
        count = pick.integer(1, 2)
        ops = tuple(
            pick.choice(["==", "!=", "<", "<=", ">", ">=", "in", "not in"]) for _ in range(count)
        )
        return Compare(gen_any(pick, sub), ops, tuple(gen_any(pick, sub) for _ in range(count)))
    if form == "bin":
        return BinOp(pick.choice(["+", "-", "*", "/"]), gen_any(pick, sub), gen_any(pick, sub))
    if form == "answered":
        return Call("answered", (Name(pick.choice(ANY_NAMES)),))
    func = pick.choice(["age", "years_between", "days_between", "len"])
    arity = 2 if func.endswith("between") else 1
    return Call(func, tuple(gen_any(pick, sub) for _ in range(arity)))


def any_answers(pick: Pick) -> dict[str, Any]:
    """Answers of any kind, or absent."""
    out: dict[str, Any] = {}
    for name in ANY_NAMES:
        if pick.integer(0, 4):
            out[name] = pick.choice(ANY_VALUES)
    return out
