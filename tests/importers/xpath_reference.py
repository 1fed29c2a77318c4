"""A slow, obvious evaluator of ODK XPath over the source tree: the reference of fidelity tests.

It follows XPath 1.0 as ODK applies it to answers: an unanswered field is the
empty string, a multiple choice is its values separated by spaces, `=` compares
as numbers when one side is a number, orderings compare as numbers (NaN is
never ordered). It shares only the tokenizer/parser with the importer, never
the translation.
"""

from __future__ import annotations

import math
from typing import Any

from designer.importers.sourceexpr import Node, parse_source


def _number(value: Any) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        return math.nan


def _truth(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0 and not math.isnan(value)
    return value != ""


def evaluate(node: Node, env: dict[str, str], self_value: str = "") -> Any:
    """The XPath value of `node` with answers `env` (strings; missing = "")."""
    kind = node[0]
    if kind == "ref":
        return env.get(node[1], "")
    if kind == "self":
        return self_value
    if kind == "lit":
        return node[1]
    if kind == "not":
        return not _truth(evaluate(node[1], env, self_value))
    if kind == "neg":
        return -_number(evaluate(node[1], env, self_value))
    if kind == "call":
        name, args = node[1], [evaluate(a, env, self_value) for a in node[2]]
        if name == "not":
            return not _truth(args[0])
        if name == "selected":
            return str(args[1]) in str(args[0]).split()
        if name == "count-selected":
            return float(len(str(args[0]).split()))
        if name == "string-length":
            return float(len(str(args[0])))
        if name in ("true", "false"):
            return name == "true"
        raise NotImplementedError(name)
    if kind == "bin":
        op = node[1]
        if op == "and":
            return _truth(evaluate(node[2], env, self_value)) and _truth(
                evaluate(node[3], env, self_value))
        if op == "or":
            return _truth(evaluate(node[2], env, self_value)) or _truth(
                evaluate(node[3], env, self_value))
        a, b = evaluate(node[2], env, self_value), evaluate(node[3], env, self_value)
        if op in ("+", "-", "*", "/"):
            x, y = _number(a), _number(b)
            return {"+": x + y, "-": x - y, "*": x * y, "/": x / y if y else math.nan}[op]
        if op in ("==", "!="):
            if isinstance(a, int | float | bool) or isinstance(b, int | float | bool):
                same = _number(a) == _number(b)
            else:
                same = str(a) == str(b)
            return same if op == "==" else not same
        x, y = _number(a), _number(b)
        return {"<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y}[op]
    raise NotImplementedError(kind)


def holds(text: str, env: dict[str, str], self_value: str = "") -> bool:
    """Whether the XPath condition `text` holds."""
    return _truth(evaluate(parse_source(text, "xpath"), env, self_value))
