"""Abstract evaluation of expressions: what values an expression can take.

:class:`Evaluator` over-approximates the values an expression can take given an
abstract environment (:mod:`designer.analysis.refine` narrows an environment by a
condition, on the same footing). It follows the language's three-valued logic: a
comparison or arithmetic with null is unknown, `answered(x)` is never unknown. Whatever this module
cannot reason about precisely becomes "anything" (sound, never wrong).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import NamedTuple

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
from designer.expressions.serialize import unparse

from .domains import (
    ALL3,
    ANY,
    BOOL,
    CHOICE,
    DATE,
    LIST,
    MULTI,
    NUM,
    T3,
    T3_OF,
    TERM,
    TEXT,
    TOP,
    AbsVal,
    Env,
    Multi,
    and3,
    meet_some,
    none_only,
    not3,
    or3,
    top,
    truth,
)
from .intervals import Intervals, arith, compare_possible

#: Question types and the kind of value their answer has in expressions.
TYPE_KINDS = {
    "yesno": BOOL,
    "choice": CHOICE,
    "multichoice": MULTI,
    "integer": NUM,
    "decimal": NUM,
    "date": DATE,
    "repeat": LIST,
}


class NameInfo(NamedTuple):
    """The static type of a name: kind of value, integers only, options of a choice.

    A named tuple: one is made per question of the journey, at every check."""

    kind: str
    integral: bool = False
    options: frozenset[str] | None = None


@dataclass
class Scope:
    """The names an expression can use: answers (typed) and computed values (expressions)."""

    names: dict[str, NameInfo] = field(default_factory=dict)
    computed: dict[str, Expr] = field(default_factory=dict)

    def domain(self, name: str, none: bool = True) -> AbsVal:
        """Every value the answer `name` can have (null included when `none`)."""
        info = self.names.get(name)
        if info is None:
            return top(TOP, none)
        if info.kind == CHOICE and info.options is not None:
            return AbsVal(CHOICE, none, frozenset(info.options) or None)
        if info.kind == MULTI and info.options is not None:
            return AbsVal(MULTI, none, Multi(frozenset(), frozenset(info.options)))
        return top(info.kind, none, info.integral)


def _date_ordinal(expr: Expr) -> int | None:
    if (
        isinstance(expr, Call)
        and expr.func == "date"
        and len(expr.args) == 1
        and isinstance(expr.args[0], Literal)
        and isinstance(expr.args[0].value, str)
    ):
        try:
            return datetime.date.fromisoformat(expr.args[0].value).toordinal()
        except ValueError:
            return None
    return None


def term_key(expr: Expr) -> str:
    """The environment key of a computed term such as `age(d)` or `a + b`."""
    return TERM + unparse(expr)


def is_term(expr: Expr) -> bool:
    """Whether conditions on `expr` are remembered as a term (calls and arithmetic)."""
    if isinstance(expr, Call):
        return expr.func not in ("date", "today", "answered")
    return isinstance(expr, BinOp)


def is_null(expr: Expr) -> bool:
    """Whether `expr` is the literal `null`."""
    return isinstance(expr, Literal) and expr.value is None


def set_members(v: AbsVal) -> frozenset[object] | None:
    """The finite set of non-null values of a bool/choice value, else None."""
    if v.some is None:
        return frozenset()
    if v.kind in (BOOL, CHOICE, TEXT) and v.some != ANY:
        return v.some  # type: ignore[return-value]
    return None


_STRINGS = frozenset({CHOICE, TEXT})
_LISTS = frozenset({MULTI, LIST})
_SETS = frozenset({BOOL, CHOICE, TEXT})


class Evaluator:
    """Abstract evaluation in one scope (computed values inlined)."""

    def __init__(self, scope: Scope):
        self.scope = scope
        self._active: set[str] = set()
        self._literals: dict[tuple[type, object], AbsVal] = {}

    def value(self, env: Env, expr: Expr) -> AbsVal:
        """An over-approximation of the values of `expr` in `env`."""
        if type(expr) is Name:
            # The most frequent case, answered here: one call less on the hottest path.
            got = env.values.get(expr.id)
            return got if got is not None else self.lookup(env, expr.id)
        if type(expr) is Literal:
            key = (type(expr.value), expr.value)
            cached = self._literals.get(key)
            if cached is None:
                cached = self._literals[key] = self._literal(expr)
            return cached
        return self._value(env, expr)

    def _literal(self, expr: Literal) -> AbsVal:
        v = expr.value
        if v is None:
            return none_only()
        if isinstance(v, bool):
            return AbsVal(BOOL, False, frozenset([v]))
        if isinstance(v, (int, float)):
            return AbsVal(NUM, False, Intervals.point(v))
        return AbsVal(CHOICE, False, frozenset([v]))

    def _value(self, env: Env, expr: Expr) -> AbsVal:
        # Literals never get here: value() answers them from its cache (_literal).
        if isinstance(expr, Name):
            return self.lookup(env, expr.id)
        if isinstance(expr, Unary):
            inner = self.value(env, expr.operand)
            if expr.op == "not":
                return truth(not3(inner.truths())) if inner.kind in (BOOL, TOP) else top(BOOL)
            if inner.kind == NUM and inner.some is not None:
                neg = arith("-", Intervals.point(0), inner.some)  # type: ignore[arg-type]
                return AbsVal(NUM, inner.none, neg)
            if inner.some is None and inner.none:
                return none_only(NUM)
            return top(NUM)
        if isinstance(expr, BoolOp):
            return truth(self.truths(env, expr))
        if isinstance(expr, Compare):
            return truth(self.truths(env, expr))
        if isinstance(expr, BinOp):
            return self._with_term(env, expr, self._binop(env, expr))
        if isinstance(expr, Call):
            return self._with_term(env, expr, self._call(env, expr))
        if isinstance(expr, ListLit):
            return top(TOP, none=False)
        return top()

    def _with_term(self, env: Env, expr: Expr, computed: AbsVal) -> AbsVal:
        """A computed term narrowed by what earlier conditions said about it."""
        if not env.values:
            return computed
        known = env.get(term_key(expr))
        if known is None or known.kind != computed.kind:
            return computed
        some = meet_some(computed.kind, computed.some, known.some)
        return AbsVal(computed.kind, computed.none and known.none, some)

    def lookup(self, env: Env, name: str) -> AbsVal:
        """The abstract value of a name: tracked answer, computed value, or its domain."""
        got = env.get(name)
        if got is not None:
            return got
        if name in self.scope.computed and name not in self._active:
            self._active.add(name)
            try:
                return self.value(env, self.scope.computed[name])
            finally:
                self._active.discard(name)
        info = self.scope.names.get(name)
        if info is not None:
            # An answer not in the environment was not given on any path here.
            return none_only(info.kind)
        return self.scope.domain(name)

    def truths(self, env: Env, expr: Expr) -> T3:
        """The possible three-valued results of condition `expr` in `env`."""
        kind = type(expr)
        if kind is Compare:
            assert isinstance(expr, Compare)
            ops = expr.ops
            if len(ops) == 1:
                return self._compare(env, expr.left, ops[0], expr.comparators[0])
            acc: T3 | None = None
            left = expr.left
            for op, right in zip(ops, expr.comparators, strict=True):
                one = self._compare(env, left, op, right)
                acc = one if acc is None else and3(acc, one)
                left = right
            return acc if acc is not None else ALL3
        if kind is BoolOp:
            assert isinstance(expr, BoolOp)
            parts = [self.truths(env, e) for e in expr.operands]
            result = parts[0]
            for p in parts[1:]:
                result = and3(result, p) if expr.op == "and" else or3(result, p)
            return result
        if kind is Unary and expr.op == "not":  # type: ignore[union-attr]
            return not3(self.truths(env, expr.operand))  # type: ignore[union-attr]
        v = self.value(env, expr)
        if v.kind not in (BOOL, TOP):
            return ALL3
        return v.truths()

    def _compare(self, env: Env, left: Expr, op: str, right: Expr) -> T3:
        # value() of a name and of a literal written out: the two commonest operands of
        # the commonest condition (`x > 2`), without two calls each.
        if type(left) is Name:
            a = env.values.get(left.id)
            if a is None:
                a = self.lookup(env, left.id)
        else:
            a = self.value(env, left)
        if op == "in" or op == "not in":
            res = self._membership(env, a, right)
            return not3(res) if op == "not in" else res
        kind = type(right)
        if kind is Literal:
            constant = right.value  # type: ignore[union-attr]
            b = self._literals.get((type(constant), constant))
            if b is None:
                b = self.value(env, right)
        elif kind is Name:
            b = env.values.get(right.id)  # type: ignore[union-attr]
            if b is None:
                b = self.lookup(env, right.id)  # type: ignore[union-attr]
        else:
            b = self.value(env, right)
        if (op == "==" or op == "!=") and (
            (type(left) is Literal and left.value is None)
            or (kind is Literal and constant is None)
        ):
            # Comparing with the literal null tests presence: never unknown.
            other = b if is_null(left) else a
            eq, some = op == "==", other.some is not None
            return T3_OF[((other.none and eq) or (some and not eq))
                       + 2 * ((other.none and not eq) or (some and eq))]
        unknown = a.none or b.none
        some_a, some_b = a.some, b.some
        if some_a is None or some_b is None:
            return T3_OF[4 * unknown]
        ka, kb = a.kind, b.kind
        if (ka != kb and ka != TOP and kb != TOP
                and not (ka in _STRINGS and kb in _STRINGS)
                and not (ka in _LISTS and kb in _LISTS)):
            # A text answer and a string literal do compare (`nom == "other"`).
            # Values of kinds that do not compare give unknown (the checker reports them).
            return T3_OF[4]
        if (ka == NUM or ka == DATE) and kb == ka:
            t, f = compare_possible(some_a, op, some_b)  # type: ignore[arg-type]
        elif (op == "==" or op == "!=") and ka in _SETS and kb in _SETS:
            sa, sb = set_members(a), set_members(b)
            if sa is None or sb is None:
                t, f = True, True
            else:
                t = bool(sa & sb)
                f = not (len(sa) == 1 and sa == sb)
            if op == "!=":
                t, f = f, t
        else:
            t, f = True, True
            unknown = True
        return T3_OF[t + 2 * f + 4 * unknown]

    def _membership(self, env: Env, a: AbsVal, right: Expr) -> T3:
        """`a in right`: a list literal of constants, or a multichoice answer."""
        out: set[bool | None] = set()
        if isinstance(right, ListLit):
            consts = [self.value(env, item) for item in right.items]
            if a.none:
                out.add(None)
            if a.some is None:
                return frozenset(out)
            sa = set_members(a)
            members: set[object] = set()
            exact = True
            if any(c.none for c in consts):
                # A null in the list makes a miss unknown (SQL's IN).
                out.add(None)
            for c in consts:
                sc = set_members(c) if c.kind != NUM else None
                if c.kind == NUM and c.some is not None and c.some.singleton() is not None:  # type: ignore[attr-defined]
                    members.add(c.some.singleton())  # type: ignore[attr-defined]
                elif sc is not None and len(sc) == 1 and not c.none:
                    members |= sc
                else:
                    exact = False
            if a.kind == NUM and exact:
                nums = [m for m in members if isinstance(m, (int, float))]
                inside = Intervals([], False)
                for m in nums:
                    inside = inside.union(Intervals.point(m, False))
                hit = a.some.intersect(inside)  # type: ignore[attr-defined]
                miss = a.some.intersect(inside.complement())  # type: ignore[attr-defined]
                if not hit.is_empty():
                    out.add(True)
                if not miss.is_empty():
                    out.add(False)
                return frozenset(out)
            if sa is None or not exact:
                return frozenset(out | {True, False})
            if sa & members:
                out.add(True)
            if sa - members:
                out.add(False)
            return frozenset(out)
        b = self.value(env, right)
        if b.none:
            out.add(None)
        if b.some is None:
            return frozenset(out)
        if b.kind == MULTI and isinstance(b.some, Multi):
            if a.none:
                out.add(None)
            sa = set_members(a)
            if a.some is None:
                return frozenset(out)
            if sa is None or len(sa) != 1:
                return frozenset(out | {True, False})
            (opt,) = tuple(sa)
            if opt in b.some.must:
                out.add(True)
            elif opt in b.some.may or ANY in b.some.may:
                out |= {True, False}
            else:
                out.add(False)
            return frozenset(out)
        return frozenset(out | {True, False, None})

    def _binop(self, env: Env, expr: BinOp) -> AbsVal:
        a = self.value(env, expr.left)
        b = self.value(env, expr.right)
        none = a.none or b.none
        if a.some is None or b.some is None:
            return AbsVal(NUM, True, None)
        if a.kind == NUM and b.kind == NUM:
            if expr.op == "/" and b.some.contains(0):  # type: ignore[attr-defined]
                none = True  # division by zero is unknown
            return AbsVal(NUM, none, arith(expr.op, a.some, b.some))  # type: ignore[arg-type]
        if expr.op == "/" and isinstance(b.some, Intervals) and b.some.contains(0):
            # Division by zero: whatever the evaluator does, stay silent about it.
            return top(TOP)
        kind = DATE if DATE in (a.kind, b.kind) and expr.op in ("+", "-") else NUM
        if a.kind == DATE and b.kind == DATE:
            kind = NUM
        return top(kind, True)

    def _call(self, env: Env, expr: Call) -> AbsVal:
        if expr.func == "date":
            d = _date_ordinal(expr)
            if d is not None:
                return AbsVal(DATE, False, Intervals.point(d, True))
            return top(DATE)
        if expr.func == "answered":
            if len(expr.args) != 1 or not isinstance(expr.args[0], Name):
                return AbsVal(BOOL, False, frozenset([False]))
            v = self.value(env, expr.args[0])
            out: set[bool | None] = set()
            if v.none:
                out.add(False)
            if v.some is not None:
                out.add(True)
                # An empty text is no answer; an empty list is one (designer.answers).
                if v.kind in (TEXT, TOP):
                    out.add(False)
            return truth(out)
        if expr.func == "len":
            v = self.value(env, expr.args[0]) if len(expr.args) == 1 else top()
            if v.kind == LIST:
                return AbsVal(NUM, v.none, v.some)  # a repeat's value is its item counts
            return AbsVal(NUM, v.none or v.kind != MULTI, Intervals.between(0, None, True))
        if expr.func == "today":
            return top(DATE, none=False)
        # age, years_between, days_between depend on today: any whole number.
        return top(NUM, True, integral=True)


__all__ = [
    "TYPE_KINDS",
    "Evaluator",
    "NameInfo",
    "Scope",
    "is_null",
    "is_term",
    "set_members",
    "term_key",
]
