"""Write an expression tree back out: as canonical text, or as JSON for the browser.

`unparse` gives the readable text a designer would write, with only the
parentheses the precedence needs, so that `parse(unparse(tree)) == tree`.
`to_json` gives a stable tree of plain dicts that renderer/static/parcours-expr.js
evaluates in the browser with the same semantics as the Python evaluator.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .ast import BinOp, BoolOp, Call, Compare, Expr, ListLit, Literal, Name, Unary

# Binding strength of each kind of node, by increasing precedence.
_OR, _AND, _NOT, _COMPARE, _ADD, _MUL, _NEG, _ATOM = range(1, 9)


def _precedence(node: Expr) -> int:
    if isinstance(node, BoolOp):
        return _OR if node.op == "or" else _AND
    if isinstance(node, Unary):
        return _NOT if node.op == "not" else _NEG
    if isinstance(node, Compare):
        return _COMPARE
    if isinstance(node, BinOp):
        return _ADD if node.op in ("+", "-") else _MUL
    if isinstance(node, Literal) and _is_negative_number(node.value):
        # `-5` reads as a unary minus: it needs parentheses where `-x` would.
        return _NEG
    return _ATOM


def _is_negative_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0


def text_is_negative(value: int | float) -> bool:
    """Whether the canonical text of a number starts with '-' (true for -0.0 too)."""
    return _number(value).startswith("-")


def _number(value: int | float) -> str:
    if isinstance(value, int):
        return str(value)
    # repr is the shortest text that reads back as the same float; the
    # language has no exponent notation, so expand it.
    text = format(Decimal(repr(value)), "f")
    return text if "." in text else text + ".0"


def _string(value: str) -> str:
    escaped = (
        value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    )
    return f'"{escaped}"'


def unparse(node: Expr) -> str:
    """The canonical text of an expression: parsing it gives back an equal tree."""
    if isinstance(node, Literal):
        value = node.value
        if value is None:
            return "null"
        if value is True:
            return "true"
        if value is False:
            return "false"
        if isinstance(value, str):
            return _string(value)
        return _number(value)
    if isinstance(node, Name):
        return node.id
    if isinstance(node, ListLit):
        return "[" + ", ".join(unparse(item) for item in node.items) + "]"
    if isinstance(node, Call):
        return node.func + "(" + ", ".join(unparse(arg) for arg in node.args) + ")"
    if isinstance(node, Unary):
        if node.op == "not":
            return "not " + _wrap(node.operand, _precedence(node.operand) < _NOT)
        operand = unparse(node.operand)
        # `- -5` keeps a minus apart from a negative literal that follows it.
        needs = _precedence(node.operand) < _NEG or (
            # `-5` would read back as the literal -5: keep the minus an operator.
            isinstance(node.operand, Literal)
            and isinstance(node.operand.value, (int, float))
            and not isinstance(node.operand.value, bool)
            and not text_is_negative(node.operand.value)
        )
        text = f"({operand})" if needs else operand
        return "-" + (" " + text if text.startswith("-") else text)
    if isinstance(node, BoolOp):
        own = _precedence(node)
        return f" {node.op} ".join(_wrap(o, _precedence(o) <= own) for o in node.operands)
    if isinstance(node, Compare):
        parts = [_wrap(node.left, _precedence(node.left) <= _COMPARE)]
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            parts.append(op)
            parts.append(_wrap(comparator, _precedence(comparator) <= _COMPARE))
        return " ".join(parts)
    if isinstance(node, BinOp):
        own = _precedence(node)
        left = _wrap(node.left, _precedence(node.left) < own)
        right = _wrap(node.right, _precedence(node.right) <= own)
        return f"{left} {node.op} {right}"
    raise TypeError(f"not an expression node: {node!r}")


def _wrap(node: Expr, needed: bool) -> str:
    text = unparse(node)
    return f"({text})" if needed else text


def to_json(node: Expr) -> dict[str, Any]:
    """A stable JSON tree of plain dicts, lists, strings, numbers, booleans and null.

    Shapes (`k` is the node kind):
      {"k": "lit", "v": value}                  number, string, true/false, null
      {"k": "list", "items": [...]}
      {"k": "name", "id": "age"}
      {"k": "not", "x": node} / {"k": "neg", "x": node}
      {"k": "and" | "or", "xs": [...]}
      {"k": "cmp", "left": node, "ops": ["<=", "<"], "rights": [...]}
      {"k": "bin", "op": "+", "left": node, "right": node}
      {"k": "call", "f": "age", "args": [...]}
    """
    if isinstance(node, Literal):
        return {"k": "lit", "v": node.value}
    if isinstance(node, Name):
        return {"k": "name", "id": node.id}
    if isinstance(node, ListLit):
        return {"k": "list", "items": [to_json(item) for item in node.items]}
    if isinstance(node, Unary):
        return {"k": "not" if node.op == "not" else "neg", "x": to_json(node.operand)}
    if isinstance(node, BoolOp):
        return {"k": node.op, "xs": [to_json(o) for o in node.operands]}
    if isinstance(node, Compare):
        return {
            "k": "cmp",
            "left": to_json(node.left),
            "ops": list(node.ops),
            "rights": [to_json(c) for c in node.comparators],
        }
    if isinstance(node, BinOp):
        return {"k": "bin", "op": node.op, "left": to_json(node.left), "right": to_json(node.right)}
    if isinstance(node, Call):
        return {"k": "call", "f": node.func, "args": [to_json(a) for a in node.args]}
    raise TypeError(f"not an expression node: {node!r}")
