"""Type check an expression against the names of a journey.

The checker walks the tree once, computes the type of every node and collects
problems, each with a rule slug of designer/findings.py and the character
range to underline. After a problem the faulty node gets the type ANY, so one
mistake yields one problem rather than a cascade.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from designer.check_messages import Message, msg

from .ast import FUNCTIONS, BinOp, BoolOp, Call, Compare, Expr, ListLit, Literal, Name, Unary
from .serialize import unparse
from .types import CheckResult, Problem, Symbol, ValueType

B, N, S, D = ValueType.BOOLEAN, ValueType.NUMBER, ValueType.STRING, ValueType.DATE
LIST, ITEMS, OPAQUE = ValueType.LIST, ValueType.ITEMS, ValueType.OPAQUE
NULL, ANY = ValueType.NULL, ValueType.ANY

Lookup = Callable[[str], Symbol | None]


def _fits(actual: ValueType, *wanted: ValueType) -> bool:
    """Whether a value of type `actual` may stand where one of `wanted` is expected."""
    return actual in (ANY, NULL) or actual in wanted


def _show(node: Expr) -> str:
    """The node as a designer wrote it, short enough for a message."""
    if isinstance(node, Name):
        return f"'{node.id}'"
    text = unparse(node)
    return text if len(text) <= 40 else text[:37] + "..."


def _quote_all(values: Iterable[str]) -> str:
    return ", ".join(f"'{v}'" for v in sorted(values))


def _candidates_of(lookup: Lookup, given: Iterable[str] | None) -> list[str]:
    """The names a misspelt name may have meant: given, or offered by the lookup."""
    if given is not None:
        return list(given)
    offered = getattr(lookup, "candidates", None)
    if callable(offered):
        offered = offered()
    if offered is not None:
        return list(offered)
    # A bound `dict.get` or `Mapping.get` is a common lookup: its keys are the names.
    owner = getattr(lookup, "__self__", None)
    if isinstance(owner, Mapping):
        return [str(k) for k in owner]
    return []


class _Checker:
    def __init__(self, lookup: Lookup, given: Iterable[str] | None) -> None:
        self.lookup = lookup
        # The names to suggest for a misspelt one: only gathered when a name is unknown
        # (most expressions have none, and a journey has thousands of names).
        self._given = given
        self._candidates: list[str] | None = None
        self.problems: list[Problem] = []
        # Item type of each list literal, used by `in` and option checks.
        self.item_types: dict[int, ValueType] = {}

    @property
    def candidates(self) -> list[str]:
        """The names a misspelt name may have meant (see :func:`_candidates_of`)."""
        if self._candidates is None:
            self._candidates = _candidates_of(self.lookup, self._given)
        return self._candidates

    def report(self, rule: str, message: Message, node: Expr) -> None:
        self.problems.append(Problem(rule, str(message), node.start, node.end, message))

    def mismatch(self, message: Message, node: Expr) -> ValueType:
        self.report("type-mismatch", message, node)
        return ANY

    def symbol(self, node: Expr) -> Symbol | None:
        """The symbol of a name node that is defined, else None."""
        if isinstance(node, Name):
            return self.lookup(node.id)
        return None

    # -- nodes ------------------------------------------------------------

    def check(self, node: Expr) -> ValueType:
        # By the node's class (they are final), then by isinstance for anything else.
        method = _BY_CLASS.get(type(node))
        if method is not None:
            return method(self, node)
        if isinstance(node, Literal):
            return self.literal(node)
        if isinstance(node, Name):
            return self.name(node)
        if isinstance(node, ListLit):
            return self.list_literal(node)
        if isinstance(node, Unary):
            return self.unary(node)
        if isinstance(node, BoolOp):
            return self.bool_op(node)
        if isinstance(node, Compare):
            return self.compare(node)
        if isinstance(node, BinOp):
            return self.bin_op(node)
        if isinstance(node, Call):
            return self.call(node)
        raise TypeError(f"not an expression node: {node!r}")

    def literal(self, node: Literal) -> ValueType:
        value = node.value
        if value is None:
            return NULL
        if isinstance(value, bool):
            return B
        if isinstance(value, str):
            return S
        return N

    def name(self, node: Name) -> ValueType:
        symbol = self.lookup(node.id)
        if symbol is None:
            close = difflib.get_close_matches(node.id, self.candidates, n=1, cutoff=0.7)
            if close:
                hint = msg("name.hint.close", name=close[0])
            elif node.id in FUNCTIONS:
                call = f"{node.id}()" if FUNCTIONS[node.id] == 0 else f"{node.id}(...)"
                hint = msg("name.hint.function", call=call)
            else:
                hint = msg("name.hint.none")
            self.report("unknown-name", msg("name.unknown", name=node.id, hint=hint), node)
            return ANY
        if not symbol.available:
            self.report(
                "forward-reference", msg("name.later", name=node.id), node
            )
        return symbol.type

    def list_literal(self, node: ListLit) -> ValueType:
        kinds = {self.check(item) for item in node.items} - {NULL, ANY}
        for item in node.items:
            if isinstance(item, (ListLit,)):
                self.mismatch(msg("type.list-of-lists"), item)
        if len(kinds) > 1:
            self.mismatch(msg("type.mixed-list"), node)
            self.item_types[id(node)] = ANY
        else:
            self.item_types[id(node)] = kinds.pop() if kinds else ANY
        return LIST

    def unary(self, node: Unary) -> ValueType:
        operand = self.check(node.operand)
        if node.op == "not":
            if not _fits(operand, B):
                return self.mismatch(
                    msg("type.not", value=_show(node.operand), kind=operand.said), node.operand
                )
            return B
        if not _fits(operand, N):
            return self.mismatch(
                msg("type.minus", value=_show(node.operand), kind=operand.said), node.operand
            )
        return N

    def bool_op(self, node: BoolOp) -> ValueType:
        for operand in node.operands:
            kind = self.check(operand)
            if not _fits(kind, B):
                self.mismatch(
                    msg("type.bool-op", op=node.op, value=_show(operand), kind=kind.said),
                    operand,
                )
        return B

    def bin_op(self, node: BinOp) -> ValueType:
        left, right = self.check(node.left), self.check(node.right)
        if D in (left, right):
            return self.mismatch(msg("type.date-arithmetic", op=node.op), node)
        for side, kind in ((node.left, left), (node.right, right)):
            if not _fits(kind, N):
                return self.mismatch(
                    msg("type.arithmetic", op=node.op, value=_show(side), kind=kind.said), side
                )
        return N

    def compare(self, node: Compare) -> ValueType:
        operands = (node.left, *node.comparators)
        kinds = [self.check(operand) for operand in operands]
        for i, op in enumerate(node.ops):
            left, right = operands[i], operands[i + 1]
            self.compare_pair(op, left, kinds[i], right, kinds[i + 1])
        return B

    def compare_pair(
        self, op: str, left: Expr, lt: ValueType, right: Expr, rt: ValueType
    ) -> None:
        if op in ("in", "not in"):
            self.membership(op, left, lt, right, rt)
            return
        if NULL in (lt, rt) or ANY in (lt, rt):
            return  # every type may be compared with null; ANY already has its problem
        for side, kind in ((left, lt), (right, rt)):
            if kind == OPAQUE:
                self.mismatch(msg("type.opaque", value=_show(side), name=_name_of(side)), side)
                return
            if kind == ITEMS:
                self.mismatch(
                    msg("type.items", value=_show(side), kind=kind.said, name=_name_of(side)),
                    side,
                )
                return
        if lt != rt:
            self.mismatch(
                msg("type.compare", left=_show(left), left_kind=lt.said, right=_show(right),
                    right_kind=rt.said, hint=_mismatch_hint(left, lt, right, rt)),
                right if isinstance(left, Name) else left,
            )
            return
        if op in ("==", "!="):
            self.option_pair(left, right)
            self.option_pair(right, left)
            return
        if lt not in (N, D):
            kinds = msg("vtype.booleans") if lt == B else lt.said
            self.mismatch(
                msg("type.order", op=op, left=_show(left), right=_show(right), kind=kinds), left
            )

    def membership(
        self, op: str, left: Expr, lt: ValueType, right: Expr, rt: ValueType
    ) -> None:
        if rt in (NULL, ANY):
            return
        if rt == ITEMS:
            self.mismatch(msg("type.in-items", op=op, value=_show(right), kind=rt.said), right)
            return
        if rt != LIST:
            self.mismatch(msg("type.in-not-list", op=op, value=_show(right), kind=rt.said), right)
            return
        if lt in (NULL, ANY):
            return
        if isinstance(right, ListLit):
            items = self.item_types.get(id(right), ANY)
            if items not in (ANY, lt):
                self.mismatch(
                    msg("type.in-list", value=_show(left), kind=lt.said, items=items.said), left
                )
                return
            for item in right.items:
                self.option_pair(left, item)
            return
        if lt != S:
            self.mismatch(
                msg("type.in-choice", op=op, right=_show(right), left=_show(left), kind=lt.said),
                left,
            )
            return
        self.option_pair(right, left)

    def option_pair(self, named: Expr, value: Expr) -> None:
        """Report `value` when it is a string literal that is not an option of `named`."""
        symbol = self.symbol(named)
        if symbol is None or symbol.options is None:
            return
        if not (isinstance(value, Literal) and isinstance(value.value, str)):
            return
        if value.value in symbol.options:
            return
        close = difflib.get_close_matches(value.value, symbol.options, n=1)
        hint = msg("hint.did-you-mean", name=close[0]) if close else ""
        self.report(
            "unknown-option",
            msg("option.unknown", value=value.value, name=symbol.name, hint=hint,
                options=_quote_all(symbol.options)),
            value,
        )

    def call(self, node: Call) -> ValueType:
        func = node.func
        if func == "today" or func == "date":
            return D
        if func == "answered":
            arg = node.args[0]
            if isinstance(arg, Name):
                self.name(arg)
            return B
        kinds = [self.check(arg) for arg in node.args]
        if func in ("age", "years_between", "days_between"):
            for arg, kind in zip(node.args, kinds, strict=True):
                if not _fits(kind, D):
                    self.mismatch(
                        msg("type.function-date", func=func, value=_show(arg), kind=kind.said),
                        arg,
                    )
            return N
        if func == "len":
            if not _fits(kinds[0], LIST, ITEMS):
                self.mismatch(
                    msg("type.len", value=_show(node.args[0]), kind=kinds[0].said), node.args[0]
                )
            return N
        raise TypeError(f"unknown function {func!r}")


_BY_CLASS: dict[type, Callable[[_Checker, Any], ValueType]] = {
    Literal: _Checker.literal,
    Name: _Checker.name,
    ListLit: _Checker.list_literal,
    Unary: _Checker.unary,
    BoolOp: _Checker.bool_op,
    Compare: _Checker.compare,
    BinOp: _Checker.bin_op,
    Call: _Checker.call,
}


def _name_of(node: Expr) -> str:
    return node.id if isinstance(node, Name) else "x"


def _mismatch_hint(left: Expr, lt: ValueType, right: Expr, rt: ValueType) -> Message | str:
    """A fix for the commonest mistakes: quoted numbers, 1/0 for yes/no, years as numbers."""
    for side, kind, other in ((left, lt, rt), (right, rt, lt)):
        if isinstance(side, Literal) and isinstance(side.value, str) and other == N:
            if side.value.strip().lstrip("-").replace(".", "", 1).isdigit():
                return msg("hint.unquote", value=side.value.strip())
        if isinstance(side, Literal) and kind == N and other == B:
            return msg("hint.true-false")
        if isinstance(side, Literal) and kind == N and other == D:
            return msg("hint.date-or-age")
        if isinstance(side, Literal) and kind == S and other == D:
            return msg("hint.date")
        if isinstance(side, Literal) and kind == S and other == B:
            return msg("hint.yes-no")
        if kind == S and other == LIST:
            listed = right if side is left else left
            return msg("hint.in", value=_show(side), listed=unparse(listed))
    return ""


def check(
    expr: Expr,
    lookup: Lookup,
    expect: ValueType | None = None,
    candidates: Iterable[str] | None = None,
) -> CheckResult:
    """Type check `expr`: its type and the problems found, each with a rule and offsets.

    `lookup(name)` gives the Symbol of a name, or None when nothing has that id.
    `expect` is the type the place of the expression needs (BOOLEAN for a
    `when`). `candidates` are the defined names, to suggest a fix for a typo;
    when omitted they are taken from `lookup.candidates` or from the mapping
    whose bound `get` is the lookup.
    """
    checker = _Checker(lookup, candidates)
    kind = checker.check(expr)
    if expect is not None and expect not in (ANY, NULL) and not _fits(kind, expect):
        if expect == B:
            message = msg("type.condition", kind=kind.said)
        else:
            message = msg("type.expected", expected=expect.said, kind=kind.said)
        checker.report("type-mismatch", message, expr)
    return CheckResult(kind, checker.problems)
