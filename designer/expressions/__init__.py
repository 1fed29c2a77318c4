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
from .checker import check
from .evaluator import evaluate, holds, years_between
from .parser import MAX_DEPTH, MAX_LENGTH, MAX_NESTING, ExpressionSyntaxError, parse
from .serialize import to_json, unparse
from .types import CheckResult, Problem, Symbol, ValueType

__all__ = [
    "FUNCTIONS",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MAX_NESTING",
    "BinOp",
    "CheckResult",
    "Problem",
    "Symbol",
    "ValueType",
    "check",
    "evaluate",
    "holds",
    "years_between",
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
