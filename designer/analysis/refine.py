"""Refinement of what is known by a condition: assume(cond) on an edge.

:meth:`Refiner.refine` narrows an abstract environment to the states where a condition
has one of some three-valued truth values, following the language's three-valued logic
(a comparison with null is unknown, `answered(x)` is never unknown); whatever it cannot
narrow precisely is left as it was (sound, never wrong).
"""

from __future__ import annotations

import functools

from designer.expressions.ast import (
    BoolOp,
    Call,
    Compare,
    Expr,
    ListLit,
    Literal,
    Name,
    Unary,
)

from .abstract import Evaluator, is_term, set_members, term_key
from .domains import (
    BOOL,
    CHOICE,
    DATE,
    LIST,
    MULTI,
    NUM,
    T3,
    TEXT,
    TOP,
    AbsVal,
    Env,
    Multi,
    join_env,
    meet_some,
    not3,
)
from .intervals import Intervals, Number

_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
_NEGATE = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}
_TRUE: T3 = frozenset([True])
_FALSE: T3 = frozenset([False])
_TRUE_OR_UNKNOWN: T3 = frozenset([True, None])


def _is_var(expr: Expr) -> bool:
    return isinstance(expr, Name) or is_term(expr)


class Refiner(Evaluator):
    """Abstract evaluation (:class:`Evaluator`) and refinement by conditions in one scope."""

    def refine(
        self, env: Env | None, expr: Expr, allowed: T3, known: T3 | None = None
    ) -> Env | None:
        """`env` narrowed to the states where `expr` evaluates into `allowed` (None: none).

        `known`: ``truths(env, expr)`` when the caller has it. If it meets `allowed` and
        `expr` is narrowed exactly (:func:`exact`), the evaluation at the top that checks
        the narrowed environment is skipped: it cannot find it empty.
        """
        if env is None or not allowed:
            return None  # what _sub says, without its call
        narrowed = self._refine(env, expr, allowed)
        if narrowed is None:
            return None
        if known is not None and known & allowed and exact(expr, env):
            return narrowed
        # One evaluation at the top catches what narrowing piecewise could not.
        if not (self.truths(narrowed, expr) & allowed):
            return None
        return narrowed

    def _sub(self, env: Env | None, expr: Expr, allowed: T3) -> Env | None:
        if env is None or not allowed:
            return None
        return self._refine(env, expr, allowed)

    def _refine(self, env: Env, expr: Expr, allowed: T3) -> Env | None:
        kind = type(expr)  # the node classes are final: `is` tests are exact and cheaper
        if kind is Compare:
            assert isinstance(expr, Compare)
            if len(expr.ops) > 1:
                pairs: list[Expr] = []
                left = expr.left
                for op, right in zip(expr.ops, expr.comparators, strict=True):
                    pairs.append(Compare(left, (op,), (right,)))
                    left = right
                return self._refine_boolop(env, pairs, "and", allowed)
            return self._refine_compare(env, expr.left, expr.ops[0], expr.comparators[0], allowed)
        if kind is BoolOp:
            assert isinstance(expr, BoolOp)
            return self._refine_boolop(env, list(expr.operands), expr.op, allowed)
        if kind is Unary and expr.op == "not":  # type: ignore[union-attr]
            return self._sub(env, expr.operand, not3(allowed))  # type: ignore[union-attr]
        if kind is Name:
            return self._refine_name(env, expr.id, allowed)  # type: ignore[union-attr]
        if isinstance(expr, Call) and expr.func == "answered" and len(expr.args) == 1:
            arg = expr.args[0]
            if isinstance(arg, Name) and env.get(arg.id) is not None:
                cur = env.get(arg.id)
                assert cur is not None
                want_some = True in allowed
                want_none = False in allowed
                if cur.kind in (MULTI, LIST, TEXT, TOP):
                    return env  # empty lists may count as unanswered: do not narrow
                new = AbsVal(cur.kind, cur.none and want_none, cur.some if want_some else None)
                return env.set(arg.id, new)
        return env

    def _refine_boolop(self, env: Env, operands: list[Expr], op: str, allowed: T3) -> Env | None:
        if op == "or":
            # a or b is x  <=>  not a and not b is not x
            negated: list[Expr] = [Unary("not", e) for e in operands]
            return self._refine_boolop(env, negated, "and", not3(allowed))
        results: Env | None = None
        if True in allowed:
            cur: Env | None = env
            for e in operands:
                if cur is None:
                    break
                cur = self._refine(cur, e, _TRUE)
            results = cur
        if False in allowed:
            for e in operands:
                results = join_env(results, self._refine(env, e, _FALSE))
        if None in allowed:
            cur = env
            for e in operands:
                if cur is None:
                    break
                cur = self._refine(cur, e, _TRUE_OR_UNKNOWN)
            results = join_env(results, cur)
        return results

    def _refine_name(self, env: Env, name: str, allowed: T3) -> Env | None:
        cur = env.get(name)
        if cur is None:
            if name in self.scope.computed and name not in self._active:
                self._active.add(name)
                try:
                    return self._sub(env, self.scope.computed[name], allowed)
                finally:
                    self._active.discard(name)
            return env
        if cur.kind != BOOL:
            return env
        bools = frozenset(v for v in allowed if v is not None)
        some = meet_some(BOOL, cur.some, bools) if bools else None
        return env.set(name, AbsVal(BOOL, cur.none and None in allowed, some))

    def _refine_compare(
        self, env: Env, left: Expr, op: str, right: Expr, allowed: T3
    ) -> Env | None:
        if op == "in" or op == "not in":
            if op == "not in":
                allowed = not3(allowed)
            return self._refine_in(env, left, right, allowed)
        if type(left) is not Name and not is_term(left):
            if not _is_var(right):
                return env
            left, right, op = right, left, _FLIP[op]
        if type(left) is Name:
            key = left.id
            cur = env.values.get(key)
            if cur is None:
                return env
        else:
            # A term such as `age(date_naissance)`: remember what the condition says of it.
            key = term_key(left)
            cur = self.value(env, left)
            if cur.kind not in (NUM, DATE):
                return env
        if type(right) is Literal:
            # value() and is_null() of a literal, written out (the commonest right side).
            constant = right.value
            if constant is None and (op == "==" or op == "!="):
                want_none = (op == "==" and True in allowed) or (op == "!=" and False in allowed)
                want_some = (op == "==" and False in allowed) or (op == "!=" and True in allowed)
                return env.set(
                    key, AbsVal(cur.kind, cur.none and want_none, cur.some if want_some else None)
                )
            other = self._literals.get((type(constant), constant)) or self.value(env, right)
        else:
            other = self.value(env, right)
        if other.none or other.some is None:
            return env
        kind = cur.kind
        if (kind == NUM or kind == DATE) and other.kind == kind and cur.some is not None:
            c = other.some.singleton()  # type: ignore[attr-defined]
            if c is None:
                return env
            integral = cur.some.integral  # type: ignore[attr-defined]
            region = _region(op, c, integral, True in allowed, False in allowed)
            met = cur.some.intersect(region)  # type: ignore[attr-defined]
            # meet_some for numbers and dates, without its dispatch on the kind
            some = met if met.parts else None
            return env.set(key, AbsVal(cur.kind, cur.none and None in allowed, some))
        if cur.kind in (BOOL, CHOICE) and op in ("==", "!=") and other.kind == cur.kind:
            consts = set_members(other)
            cur_set = set_members(cur)
            if consts is None or len(consts) != 1 or cur_set is None:
                return env
            eq_wanted = True in allowed if op == "==" else False in allowed
            ne_wanted = False in allowed if op == "==" else True in allowed
            keep: set[object] = set()
            if eq_wanted:
                keep |= cur_set & consts
            if ne_wanted:
                keep |= cur_set - consts
            new = AbsVal(cur.kind, cur.none and None in allowed, frozenset(keep) or None)
            return env.set(key, new)
        return env

    def _refine_in(self, env: Env, left: Expr, right: Expr, allowed: T3) -> Env | None:
        if isinstance(left, Name) and isinstance(right, ListLit):
            cur = env.get(left.id)
            if cur is None or cur.kind not in (CHOICE, BOOL):
                return env
            consts: set[object] = set()
            for item in right.items:
                sv = set_members(self.value(env, item))
                if sv is None or len(sv) != 1:
                    return env
                consts |= sv
            cur_set = set_members(cur)
            if cur_set is None:
                return env
            keep: set[object] = set()
            if True in allowed:
                keep |= cur_set & consts
            if False in allowed:
                keep |= cur_set - consts
            return env.set(
                left.id, AbsVal(cur.kind, cur.none and None in allowed, frozenset(keep) or None)
            )
        if isinstance(right, Name):
            cur = env.get(right.id)
            opt = set_members(self.value(env, left))
            if cur is None or cur.kind != MULTI or opt is None or len(opt) != 1:
                return env
            (o,) = tuple(opt)
            m = cur.some
            if not isinstance(m, Multi):
                return env.set(right.id, AbsVal(MULTI, cur.none and None in allowed, None))
            options: list[Multi] = []
            if True in allowed:
                options.append(Multi(m.must | {o}, m.may))  # type: ignore[arg-type]
            if False in allowed and o not in m.must:
                options.append(Multi(m.must, m.may - {o}))
            some: Multi | None = None
            for choice in options:
                fixed = meet_some(MULTI, choice, m)
                if fixed is None:
                    continue
                assert isinstance(fixed, Multi)
                some = fixed if some is None else Multi(
                    some.must & fixed.must, some.may | fixed.may
                )
            return env.set(right.id, AbsVal(MULTI, cur.none and None in allowed, some))
        return env


_ORDERS = frozenset({"==", "!=", "<", "<=", ">", ">="})


def exact(expr: Expr, env: Env) -> bool:
    """Whether refining `env` by `expr` keeps only values for which `expr` can take an
    allowed truth value: `x op literal` (op not `in`), or a name `env` holds.

    For these, :meth:`Refiner.refine` narrows one answer to the values for which the
    comparison (or the yes/no answer) can take an allowed value, computed as
    :meth:`Evaluator.truths` computes it, or leaves `env` as it was; so evaluating the
    condition again in what it returns finds an allowed value whenever one was possible
    in `env` (tests/analysis/test_refine_exact.py holds it on random values).
    """
    kind = type(expr)
    if kind is Compare:
        return (
            len(expr.ops) == 1  # type: ignore[union-attr]
            and expr.ops[0] in _ORDERS  # type: ignore[union-attr]
            and type(expr.left) is Name  # type: ignore[union-attr]
            and type(expr.comparators[0]) is Literal  # type: ignore[union-attr]
        )
    return kind is Name and expr.id in env.values  # type: ignore[union-attr]


# The same constants come back in every condition of a journey (`x > 0`): their regions
# are made once. `typed`, so that 1, 1.0 and True stay apart.
@functools.lru_cache(maxsize=4096, typed=True)
def _region(op: str, c: Number, integral: bool, holds: bool, fails: bool) -> Intervals:
    """The numbers x for which `x op c` may be true (`holds`) or false (`fails`)."""
    parts: list[Intervals] = []
    if holds:
        parts.append(Intervals.compare(op, c, integral))
    if fails:
        parts.append(Intervals.compare(_NEGATE[op], c, integral))
    region = Intervals([], integral)
    for p in parts:
        region = region.union(p)
    return region


__all__ = ["Refiner"]
