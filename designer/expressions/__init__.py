"""The expression language of journey format v1: parse, type check, evaluate.

Expressions are parsed once into a typed tree (`parse`), checked once against
the journey's names (`check`), then evaluated many times (`evaluate`) with
three-valued logic. Nothing here ever evaluates journey text as Python.
"""

from .ast import (
    FUNCTIONS,
    BinOp,
    BoolOp,
    Call,
    Compare,
    Expr,
    ListLit,
    Literal,
    Name,
    Unary,
    names,
)
from .parser import MAX_DEPTH, MAX_LENGTH, MAX_NESTING, ExpressionSyntaxError, parse
from .serialize import to_json, unparse

__all__ = [
    "FUNCTIONS",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MAX_NESTING",
    "BinOp",
    "BoolOp",
    "Call",
    "Compare",
    "Expr",
    "ExpressionSyntaxError",
    "ListLit",
    "Literal",
    "Name",
    "Unary",
    "names",
    "parse",
    "to_json",
    "unparse",
]
