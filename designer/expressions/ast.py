"""The typed tree of a journey expression.

Every node is a frozen, slotted dataclass carrying `start` and `end`: 0-based
character offsets of the node in the expression text (end exclusive), so that
checks can point at the exact place of a problem. Offsets take no part in
equality: two trees that mean the same thing compare equal wherever they were
written, which keeps `parse(unparse(tree)) == tree` a useful property.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeAlias

#: The functions of format v1 and how many arguments each takes.
FUNCTIONS: dict[str, int] = {
    "today": 0,
    "age": 1,
    "years_between": 2,
    "days_between": 2,
    "len": 1,
    "answered": 1,
    "date": 1,
}

#: Comparison operators, in the spelling of the language.
COMPARE_OPS: tuple[str, ...] = ("==", "!=", "<", "<=", ">", ">=", "in", "not in")

def _offset() -> Any:
    # Offsets locate a node; they are not part of what it means.
    return field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Literal:
    """A number (int kept as int), a string, `true`/`false` or `null`."""

    value: int | float | str | bool | None
    start: int = _offset()
    end: int = _offset()


@dataclass(frozen=True, slots=True)
class ListLit:
    """A list written in the expression: `["a", "b"]`."""

    items: tuple[Expr, ...]
    start: int = _offset()
    end: int = _offset()


@dataclass(frozen=True, slots=True)
class Name:
    """The id of a question or computed value."""

    id: str
    start: int = _offset()
    end: int = _offset()


@dataclass(frozen=True, slots=True)
class Unary:
    """`not x` or `-x`."""

    op: str  # "not" | "-"
    operand: Expr
    start: int = _offset()
    end: int = _offset()


@dataclass(frozen=True, slots=True)
class BoolOp:
    """`a and b and c` or `a or b`: operands are flattened, never a single one."""

    op: str  # "and" | "or"
    operands: tuple[Expr, ...]
    start: int = _offset()
    end: int = _offset()


@dataclass(frozen=True, slots=True)
class Compare:
    """A comparison, possibly chained: `18 <= age < 65` holds both tests."""

    left: Expr
    ops: tuple[str, ...]
    comparators: tuple[Expr, ...]
    start: int = _offset()
    end: int = _offset()


@dataclass(frozen=True, slots=True)
class BinOp:
    """Arithmetic: `+ - * /` on numbers."""

    op: str
    left: Expr
    right: Expr
    start: int = _offset()
    end: int = _offset()


@dataclass(frozen=True, slots=True)
class Call:
    """A call of one of the FUNCTIONS; `date("2025-01-01")` is a date literal."""

    func: str
    args: tuple[Expr, ...]
    start: int = _offset()
    end: int = _offset()


Expr: TypeAlias = Literal | ListLit | Name | Unary | BoolOp | Compare | BinOp | Call


def children(node: Expr) -> tuple[Expr, ...]:
    """The direct sub-expressions of `node`, in reading order."""
    # `type(...) is`: the node classes are final, and the checks and the analysis walk
    # every expression several times (this is one of their hottest functions).
    kind = type(node)
    if kind is Name or kind is Literal:
        return ()
    if kind is Compare:
        return (node.left, *node.comparators)  # type: ignore[union-attr]
    if kind is BoolOp:
        return node.operands  # type: ignore[union-attr]
    if kind is Unary:
        return (node.operand,)  # type: ignore[union-attr]
    if kind is Call:
        return node.args  # type: ignore[union-attr]
    if kind is BinOp:
        return (node.left, node.right)  # type: ignore[union-attr]
    if kind is ListLit:
        return node.items  # type: ignore[union-attr]
    return ()


def walk(node: Expr) -> list[Expr]:
    """Every node of the tree, parents before children (iterative: no recursion limit)."""
    out: list[Expr] = []
    stack = [node]
    pop, extend = stack.pop, stack.extend
    while stack:
        current = pop()
        out.append(current)
        kids = children(current)
        if kids:  # half the nodes are leaves: nothing to reverse or push
            extend(reversed(kids))
    return out


def depth(node: Expr) -> int:
    """The number of levels of the tree (a lone literal has depth 1), computed iteratively."""
    best = 0
    stack: list[tuple[Expr, int]] = [(node, 1)]
    while stack:
        current, level = stack.pop()
        best = max(best, level)
        stack.extend((child, level + 1) for child in children(current))
    return best


def names(node: Expr) -> set[str]:
    """The free names of an expression: every question or computed id it reads."""
    # walk() without its list of every node: the names are added in the order walk()
    # meets them (parents first, left to right), so the set is built the same way.
    out: set[str] = set()
    stack = [node]
    pop, extend = stack.pop, stack.extend
    while stack:
        current = pop()
        kind = type(current)
        if kind is Name:
            out.add(current.id)  # type: ignore[union-attr]
        elif kind is not Literal:
            kids = children(current)
            if kids:
                extend(reversed(kids))
    return out
