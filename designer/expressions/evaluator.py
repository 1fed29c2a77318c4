"""Evaluate an expression tree over the answers of a run, with three-valued logic.

`None` is both "unanswered" and "unknown", as NULL in SQL: a comparison or
arithmetic with None is None; `not None` is None; `false and None` is false;
`true or None` is true. Testing against the literal `null` (`x == null`,
`x != null`) is a presence test and always gives true or false, as does
`answered(x)` (an empty list is an answer: designer/presence.py). Values of the
wrong kind (which the checker reports beforehand) also give None rather than an
exception: evaluation never fails.

renderer/static/parcours-expr.js implements the same semantics over
`to_json(tree)`; tests/expressions compare the two.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Mapping
from typing import Any

from designer.presence import is_answered

from .ast import BinOp, BoolOp, Call, Compare, Expr, ListLit, Literal, Name, Unary
from .parser import parse_iso_date


def _kind(value: Any) -> str:
    """The kind of a runtime value: null, bool, number, string, date, list, item, other."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, datetime.date):
        return "date"
    if isinstance(value, (list, tuple)):
        return "list"
    if isinstance(value, Mapping):
        return "item"
    return "other"


_SCALARS = frozenset({"bool", "number", "string", "date"})


def _normalise(value: Any) -> Any:
    """Answers as the evaluator computes with them (Decimal → float, datetime → date)."""
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, datetime.datetime):
        return value.date()
    return value


def _is_null_literal(node: Expr) -> bool:
    return isinstance(node, Literal) and node.value is None


def _equal(a: Any, b: Any) -> bool | None:
    """Equality of two non-null values; None when their kinds do not compare."""
    ka, kb = _kind(a), _kind(b)
    # The browser sees date answers as ISO text: a text equal to a date's ISO
    # form equals it there, so it does here too (parcours-expr.js agrees).
    if ka == "date" and kb == "string":
        return bool(a.isoformat() == b)
    if ka == "string" and kb == "date":
        return bool(a == b.isoformat())
    if ka != kb or ka in ("item", "other"):
        return None
    if ka == "list":
        # Lists compare element by element, in order; a null or a nested
        # structure inside makes the answer unknown.
        if any(_kind(x) not in _SCALARS for x in (*a, *b)):
            return None
        if len(a) != len(b):
            return False
        return all(_kind(x) == _kind(y) and x == y for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _order(op: str, a: Any, b: Any) -> bool | None:
    """`<`, `<=`, `>`, `>=` on two numbers or two dates; None otherwise."""
    ka, kb = _kind(a), _kind(b)
    if ka != kb or ka not in ("number", "date"):
        return None
    if op == "<":
        return bool(a < b)
    if op == "<=":
        return bool(a <= b)
    if op == ">":
        return bool(a > b)
    return bool(a >= b)


def _member(item: Any, container: Any) -> bool | None:
    """`item in container` as SQL's IN: true if found, unknown if a null may hide it."""
    if item is None or _kind(container) != "list":
        return None
    saw_null = False
    for element in container:
        if element is None:
            saw_null = True
            continue
        if _equal(item, element) is True:
            return True
    return None if saw_null else False


def years_between(a: datetime.date, b: datetime.date) -> int:
    """Full years from `a` to `b`: negative when `b` is before `a`."""
    if b < a:
        return -years_between(b, a)
    years = b.year - a.year
    if (b.month, b.day) < (a.month, a.day):
        years -= 1
    return years


def _and(values: list[Any]) -> bool | None:
    if any(v is False for v in values):
        return False
    if all(v is True for v in values):
        return True
    return None


def _or(values: list[Any]) -> bool | None:
    if any(v is True for v in values):
        return True
    if all(v is False for v in values):
        return False
    return None


class _Evaluator:
    def __init__(self, answers: Mapping[str, Any], today: datetime.date) -> None:
        self.answers = answers
        self.today = today

    def value_of(self, node: Expr) -> Any:
        if isinstance(node, Literal):
            return node.value
        if isinstance(node, Name):
            return _normalise(self.answers.get(node.id))
        if isinstance(node, ListLit):
            return [self.value_of(item) for item in node.items]
        if isinstance(node, Unary):
            value = self.value_of(node.operand)
            if node.op == "not":
                return (not value) if isinstance(value, bool) else None
            return -value if _kind(value) == "number" else None
        if isinstance(node, BoolOp):
            values = [self.value_of(operand) for operand in node.operands]
            return _and(values) if node.op == "and" else _or(values)
        if isinstance(node, Compare):
            return self.compare(node)
        if isinstance(node, BinOp):
            return self.arithmetic(node.op, self.value_of(node.left), self.value_of(node.right))
        if isinstance(node, Call):
            return self.call(node)
        raise TypeError(f"not an expression node: {node!r}")

    def compare(self, node: Compare) -> bool | None:
        operands = (node.left, *node.comparators)
        values = [self.value_of(operand) for operand in operands]
        results: list[bool | None] = []
        for i, op in enumerate(node.ops):
            a, b = values[i], values[i + 1]
            if op in ("==", "!=") and (
                _is_null_literal(operands[i]) or _is_null_literal(operands[i + 1])
            ):
                # Comparing with the literal null tests presence: never unknown.
                same = (a is None) == (b is None)
                results.append(same if op == "==" else not same)
                continue
            if a is None or b is None:
                results.append(None)
                continue
            if op in ("==", "!="):
                eq = _equal(a, b)
                results.append(eq if eq is None or op == "==" else not eq)
            elif op in ("in", "not in"):
                found = _member(a, b)
                results.append(found if found is None or op == "in" else not found)
            else:
                results.append(_order(op, a, b))
        return _and(results)

    @staticmethod
    def arithmetic(op: str, a: Any, b: Any) -> Any:
        if _kind(a) != "number" or _kind(b) != "number":
            return None
        try:
            if op == "+":
                return a + b
            if op == "-":
                return a - b
            if op == "*":
                return a * b
            if b == 0:
                return None
            return a / b
        except OverflowError:
            # Huge integers do not fit a float: an unknown, not a crash.
            return None

    def call(self, node: Call) -> Any:
        func = node.func
        if func == "today":
            return self.today
        if func == "date":
            arg = node.args[0]
            return parse_iso_date(arg.value) if isinstance(arg, Literal) and isinstance(
                arg.value, str
            ) else None
        if func == "answered":
            arg = node.args[0]
            value = _normalise(self.answers.get(arg.id)) if isinstance(arg, Name) else None
            return is_answered(value)
        args = [self.value_of(arg) for arg in node.args]
        if func == "len":
            return len(args[0]) if _kind(args[0]) == "list" else None
        if any(_kind(arg) != "date" for arg in args):
            return None
        if func == "age":
            return years_between(args[0], self.today)
        if func == "years_between":
            return years_between(args[0], args[1])
        if func == "days_between":
            return (args[1] - args[0]).days
        raise TypeError(f"unknown function {func!r}")


def evaluate(expr: Expr, answers: Mapping[str, Any], *, today: datetime.date) -> Any:
    """The value of `expr` given the answers so far; None means unanswered or unknown.

    `answers` maps ids to values: bool, int/float, str, datetime.date, list[str]
    (multichoice) or list[dict] (repeat items); absent ids are None. A `when`
    whose value is not True counts as false: use `holds` for that.
    """
    return _Evaluator(answers, today).value_of(expr)


def holds(expr: Expr, answers: Mapping[str, Any], *, today: datetime.date) -> bool:
    """Whether a condition holds: unknown (None) and non-boolean values count as false."""
    return evaluate(expr, answers, today=today) is True
