"""Type check an expression against the names of a journey.

The checker walks the tree once, computes the type of every node and collects
problems, each with a rule slug of designer/findings.py and the character
range to underline. After a problem the faulty node gets the type ANY, so one
mistake yields one problem rather than a cascade.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping

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
    def __init__(self, lookup: Lookup, candidates: list[str]) -> None:
        self.lookup = lookup
        self.candidates = candidates
        self.problems: list[Problem] = []
        # Item type of each list literal, used by `in` and option checks.
        self.item_types: dict[int, ValueType] = {}

    def report(self, rule: str, message: str, node: Expr) -> None:
        self.problems.append(Problem(rule, message, node.start, node.end))

    def mismatch(self, message: str, node: Expr) -> ValueType:
        self.report("type-mismatch", message, node)
        return ANY

    def symbol(self, node: Expr) -> Symbol | None:
        """The symbol of a name node that is defined, else None."""
        if isinstance(node, Name):
            return self.lookup(node.id)
        return None

    # -- nodes ------------------------------------------------------------

    def check(self, node: Expr) -> ValueType:
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
                hint = f": did you mean '{close[0]}'?"
            elif node.id in FUNCTIONS:
                hint = f": to use the function, write {node.id}(...)"
                if FUNCTIONS[node.id] == 0:
                    hint = f": to use the function, write {node.id}()"
            else:
                hint = ": no question or computed value has this id"
            self.report("unknown-name", f"unknown name '{node.id}'{hint}", node)
            return ANY
        if not symbol.available:
            self.report(
                "forward-reference", f"uses '{node.id}', which is only answered later", node
            )
        return symbol.type

    def list_literal(self, node: ListLit) -> ValueType:
        kinds = {self.check(item) for item in node.items} - {NULL, ANY}
        for item in node.items:
            if isinstance(item, (ListLit,)):
                self.mismatch("a list cannot hold lists", item)
        if len(kinds) > 1:
            self.mismatch(
                "a list must hold values of one type, such as [\"a\", \"b\"] or [1, 2]", node
            )
            self.item_types[id(node)] = ANY
        else:
            self.item_types[id(node)] = kinds.pop() if kinds else ANY
        return LIST

    def unary(self, node: Unary) -> ValueType:
        operand = self.check(node.operand)
        if node.op == "not":
            if not _fits(operand, B):
                return self.mismatch(
                    f"'not' needs a yes/no condition, but {_show(node.operand)} "
                    f"is {operand.label}",
                    node.operand,
                )
            return B
        if not _fits(operand, N):
            return self.mismatch(
                f"'-' needs a number, but {_show(node.operand)} is {operand.label}",
                node.operand,
            )
        return N

    def bool_op(self, node: BoolOp) -> ValueType:
        for operand in node.operands:
            kind = self.check(operand)
            if not _fits(kind, B):
                self.mismatch(
                    f"'{node.op}' needs yes/no conditions on both sides, but "
                    f"{_show(operand)} is {kind.label}",
                    operand,
                )
        return B

    def bin_op(self, node: BinOp) -> ValueType:
        left, right = self.check(node.left), self.check(node.right)
        if D in (left, right):
            return self.mismatch(
                f"dates cannot be used with '{node.op}': use days_between(a, b) or "
                "years_between(a, b) to measure the time between two dates",
                node,
            )
        for side, kind in ((node.left, left), (node.right, right)):
            if not _fits(kind, N):
                return self.mismatch(
                    f"'{node.op}' needs numbers, but {_show(side)} is {kind.label}", side
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
                self.mismatch(
                    f"{_show(side)} can only be tested with answered({_name_of(side)}) "
                    "or == null",
                    side,
                )
                return
            if kind == ITEMS:
                self.mismatch(
                    f"{_show(side)} is {kind.label}: count them with len({_name_of(side)})",
                    side,
                )
                return
        if lt != rt:
            self.mismatch(
                f"cannot compare {_show(left)} ({lt.label}) with {_show(right)} "
                f"({rt.label}){_mismatch_hint(left, lt, right, rt)}",
                right if isinstance(left, Name) else left,
            )
            return
        if op in ("==", "!="):
            self.option_pair(left, right)
            self.option_pair(right, left)
            return
        if lt not in (N, D):
            self.mismatch(
                f"'{op}' compares numbers or dates, but {_show(left)} and {_show(right)} "
                f"are {'yes/no values' if lt == B else lt.label}: use == or !=",
                left,
            )

    def membership(
        self, op: str, left: Expr, lt: ValueType, right: Expr, rt: ValueType
    ) -> None:
        if rt in (NULL, ANY):
            return
        if rt == ITEMS:
            self.mismatch(
                f"'{op}' tests a value in a list of choices, but {_show(right)} is "
                f"{rt.label}",
                right,
            )
            return
        if rt != LIST:
            self.mismatch(
                f"'{op}' needs a list on its right, such as a multichoice or "
                f"[\"a\", \"b\"], but {_show(right)} is {rt.label}",
                right,
            )
            return
        if lt in (NULL, ANY):
            return
        if isinstance(right, ListLit):
            items = self.item_types.get(id(right), ANY)
            if items not in (ANY, lt):
                self.mismatch(
                    f"cannot look for {_show(left)} ({lt.label}) in a list of "
                    f"{items.label} values",
                    left,
                )
                return
            for item in right.items:
                self.option_pair(left, item)
            return
        if lt != S:
            self.mismatch(
                f"'{op}' looks for a choice in {_show(right)}, but {_show(left)} is "
                f"{lt.label}",
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
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        self.report(
            "unknown-option",
            f"'{value.value}' is not an option of '{symbol.name}'{hint}: the options are "
            f"{_quote_all(symbol.options)}",
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
                        f"{func}() needs a date, but {_show(arg)} is {kind.label}", arg
                    )
            return N
        if func == "len":
            if not _fits(kinds[0], LIST, ITEMS):
                self.mismatch(
                    "len() counts the items of a repeat or the choices of a multichoice, "
                    f"but {_show(node.args[0])} is {kinds[0].label}",
                    node.args[0],
                )
            return N
        raise TypeError(f"unknown function {func!r}")


def _name_of(node: Expr) -> str:
    return node.id if isinstance(node, Name) else "x"


def _mismatch_hint(left: Expr, lt: ValueType, right: Expr, rt: ValueType) -> str:
    """A fix for the commonest mistakes: quoted numbers, 1/0 for yes/no, years as numbers."""
    for side, kind, other in ((left, lt, rt), (right, rt, lt)):
        if isinstance(side, Literal) and isinstance(side.value, str) and other == N:
            if side.value.strip().lstrip("-").replace(".", "", 1).isdigit():
                return f": write {side.value.strip()} without quotes"
        if isinstance(side, Literal) and kind == N and other == B:
            return ": write true or false"
        if isinstance(side, Literal) and kind == N and other == D:
            return ': write a date as date("YYYY-MM-DD"), or compare age(...) or years_between(...)'
        if isinstance(side, Literal) and kind == S and other == D:
            return ': write a date as date("YYYY-MM-DD")'
        if isinstance(side, Literal) and kind == S and other == B:
            return ": a yes/no answer is true or false"
        if kind == S and other == LIST:
            listed = right if side is left else left
            return f": to test a choice, write {_show(side)} in {unparse(listed)}"
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
    checker = _Checker(lookup, _candidates_of(lookup, candidates))
    kind = checker.check(expr)
    if expect is not None and expect not in (ANY, NULL) and not _fits(kind, expect):
        if expect == B:
            message = f"this condition must be yes/no, but it is {kind.label}"
        else:
            message = f"this expression must be {expect.label}, but it is {kind.label}"
        checker.report("type-mismatch", message, expr)
    return CheckResult(kind, checker.problems)
