"""Abstract domains of the path-sensitive analysis: what is known of one answer.

An abstract value over-approximates the set of values an answer (or an
expression) can take on every path reaching a point: the analysis may say
"possible" for something impossible (imprecision), never "impossible" for
something possible (that would be a false alarm). Every operation here keeps
that promise.

- Numbers and dates (dates as day ordinals) are finite unions of intervals,
  with open or closed bounds, normalised to closed integer bounds for
  integer-valued answers.
- Booleans, choices and truth values are finite sets; `None` (unanswered, or
  "unknown" in three-valued logic) is tracked separately by a flag.
- Multichoice answers keep, per option, whether it must or may be chosen.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import TypeAlias

Number: TypeAlias = int | float | Fraction
INF = math.inf

# ---------------------------------------------------------------------------
# Unions of intervals


@dataclass(frozen=True, slots=True)
class Interval:
    """One interval of the real line; infinite bounds are always open."""

    lo: Number
    hi: Number
    lo_open: bool = False
    hi_open: bool = False

    def contains(self, x: Number) -> bool:
        """Whether `x` lies in the interval."""
        if x < self.lo or (x == self.lo and self.lo_open):
            return False
        return not (x > self.hi or (x == self.hi and self.hi_open))


def _empty(iv: Interval) -> bool:
    if iv.lo > iv.hi:
        return True
    return iv.lo == iv.hi and (iv.lo_open or iv.hi_open)


def _to_integral(iv: Interval) -> Interval | None:
    lo, hi = iv.lo, iv.hi
    if _empty(iv) or lo == INF or hi == -INF:
        return None
    if (lo == -INF if iv.lo_open else type(lo) is int) and (
        hi == INF if iv.hi_open else type(hi) is int
    ):
        # Already integral (the common case: bounds and literals of integer questions).
        return iv
    if lo != -INF:
        lo = math.floor(lo) + 1 if iv.lo_open and lo == math.floor(lo) else math.ceil(lo)
    if hi != INF:
        hi = math.ceil(hi) - 1 if iv.hi_open and hi == math.ceil(hi) else math.floor(hi)
    out = Interval(lo, hi, lo == -INF, hi == INF)
    return None if _empty(out) else out


class Intervals:
    """A finite union of disjoint intervals, sorted; `integral` restricts to integers."""

    __slots__ = ("parts", "integral")

    def __init__(self, parts: tuple[Interval, ...] | list[Interval] = (), integral: bool = False):
        self.integral = integral
        self.parts: tuple[Interval, ...] = self._normalise(list(parts), integral)

    @staticmethod
    def _normalise(parts: list[Interval], integral: bool) -> tuple[Interval, ...]:
        if len(parts) == 1:
            # The common case (a bound, a literal): no sorting or merging to do.
            iv = parts[0]
            if integral:
                got = _to_integral(iv)
                return () if got is None else (got,)
            return () if _empty(iv) else (iv,)
        cleaned: list[Interval] = []
        for iv in parts:
            if integral:
                got = _to_integral(iv)
                if got is None:
                    continue
                iv = got
            elif _empty(iv):
                continue
            cleaned.append(iv)
        cleaned.sort(key=lambda iv: (iv.lo, iv.lo_open))
        merged: list[Interval] = []
        for iv in cleaned:
            if merged:
                last = merged[-1]
                touching = last.hi > iv.lo or (
                    last.hi == iv.lo and not (last.hi_open and iv.lo_open)
                )
                if integral and last.hi != INF and iv.lo != -INF and iv.lo <= last.hi + 1:
                    touching = True
                if touching:
                    if iv.hi > last.hi or (iv.hi == last.hi and not iv.hi_open):
                        merged[-1] = Interval(last.lo, iv.hi, last.lo_open, iv.hi_open)
                    continue
            merged.append(iv)
        return tuple(merged)

    # constructors
    @classmethod
    def top(cls, integral: bool = False) -> Intervals:
        """Every number (every integer when `integral`)."""
        return cls([Interval(-INF, INF, True, True)], integral)

    @classmethod
    def point(cls, x: Number, integral: bool | None = None) -> Intervals:
        """The single number `x`."""
        if integral is None:
            integral = isinstance(x, int) and not isinstance(x, bool)
        return cls([Interval(x, x)], integral)

    @classmethod
    def between(
        cls, lo: Number | None, hi: Number | None, integral: bool = False
    ) -> Intervals:
        """The closed range [lo, hi], unbounded where a bound is None."""
        low = -INF if lo is None else lo
        high = INF if hi is None else hi
        return cls([Interval(low, high, lo is None, hi is None)], integral)

    @classmethod
    def compare(cls, op: str, c: Number, integral: bool = False) -> Intervals:
        """Every x with `x op c` (op one of == != < <= > >=)."""
        if op == "==":
            return cls([Interval(c, c)], integral)
        if op == "!=":
            return cls([Interval(-INF, c, True, True), Interval(c, INF, True, True)], integral)
        if op == "<":
            return cls([Interval(-INF, c, True, True)], integral)
        if op == "<=":
            return cls([Interval(-INF, c, True, False)], integral)
        if op == ">":
            return cls([Interval(c, INF, True, True)], integral)
        if op == ">=":
            return cls([Interval(c, INF, False, True)], integral)
        raise ValueError(op)

    # queries
    def is_empty(self) -> bool:
        """Whether no number is in the set."""
        return not self.parts

    def contains(self, x: Number) -> bool:
        """Whether `x` is in the set."""
        if self.integral and x != math.floor(x):
            return False
        return any(iv.contains(x) for iv in self.parts)

    def singleton(self) -> Number | None:
        """The only member, if the set has exactly one."""
        if len(self.parts) == 1 and self.parts[0].lo == self.parts[0].hi:
            return self.parts[0].lo
        return None

    def inf(self) -> tuple[Number, bool]:
        """Lower bound and whether it is excluded (sets must be non-empty)."""
        return self.parts[0].lo, self.parts[0].lo_open

    def sup(self) -> tuple[Number, bool]:
        """Upper bound and whether it is excluded (sets must be non-empty)."""
        return self.parts[-1].hi, self.parts[-1].hi_open

    # lattice
    def union(self, other: Intervals) -> Intervals:
        """Members of either set (integral only if both are)."""
        return Intervals(self.parts + other.parts, self.integral and other.integral)

    def intersect(self, other: Intervals) -> Intervals:
        """Members of both sets."""
        out: list[Interval] = []
        for a in self.parts:
            for b in other.parts:
                if a.lo > b.lo or (a.lo == b.lo and a.lo_open):
                    lo, lo_open = a.lo, a.lo_open
                else:
                    lo, lo_open = b.lo, b.lo_open
                if a.hi < b.hi or (a.hi == b.hi and a.hi_open):
                    hi, hi_open = a.hi, a.hi_open
                else:
                    hi, hi_open = b.hi, b.hi_open
                out.append(Interval(lo, hi, lo_open, hi_open))
        return Intervals(out, self.integral or other.integral)

    def complement(self) -> Intervals:
        """Numbers (integers when integral) not in the set."""
        out: list[Interval] = []
        lo: Number = -INF
        lo_open = True
        for iv in self.parts:
            out.append(Interval(lo, iv.lo, lo_open, not iv.lo_open))
            lo, lo_open = iv.hi, not iv.hi_open
        out.append(Interval(lo, INF, lo_open, True))
        return Intervals(out, self.integral)

    def hull(self) -> Interval:
        """The smallest interval containing the set (sets must be non-empty)."""
        lo, lo_open = self.inf()
        hi, hi_open = self.sup()
        return Interval(lo, hi, lo_open, hi_open)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Intervals)
            and self.parts == other.parts
            and self.integral == other.integral
        )

    def __hash__(self) -> int:
        return hash((self.parts, self.integral))

    def __repr__(self) -> str:
        def one(iv: Interval) -> str:
            if iv.lo == iv.hi:
                return repr(iv.lo)
            return f"{'(' if iv.lo_open else '['}{iv.lo}, {iv.hi}{')' if iv.hi_open else ']'}"

        body = " ∪ ".join(one(iv) for iv in self.parts) or "∅"
        return f"Intervals({body}{', int' if self.integral else ''})"


def compare_possible(a: Intervals, op: str, b: Intervals) -> tuple[bool, bool]:
    """Whether `x op y` can be true, and can be false, for some x in `a`, y in `b`."""
    if a.is_empty() or b.is_empty():
        return False, False
    if op in (">", ">="):
        t, f = compare_possible(b, "<" if op == ">" else "<=", a)
        return t, f
    a_lo, a_lo_open = a.inf()
    a_hi, a_hi_open = a.sup()
    b_lo, b_lo_open = b.inf()
    b_hi, b_hi_open = b.sup()
    if op == "==":
        inter = not a.intersect(b).is_empty()
        sa, sb = a.singleton(), b.singleton()
        return inter, not (sa is not None and sa == sb)
    if op == "!=":
        t, f = compare_possible(a, "==", b)
        return f, t
    if op == "<":
        can_true = a_lo < b_hi
        # false means x >= y for some pair
        can_false = a_hi > b_lo or (a_hi == b_lo and not a_hi_open and not b_lo_open)
        return can_true, can_false
    if op == "<=":
        can_true = a_lo < b_hi or (a_lo == b_hi and not a_lo_open and not b_hi_open)
        can_false = a_hi > b_lo
        return can_true, can_false
    raise ValueError(op)


def _mono(values: list[Number]) -> tuple[Number, Number]:
    clean = [v for v in values if not (isinstance(v, float) and math.isnan(v))]
    if len(clean) < len(values):
        return -INF, INF
    return min(clean), max(clean)


def arith(op: str, a: Intervals, b: Intervals) -> Intervals:
    """An over-approximation of {x op y} for x in `a`, y in `b` (+ - * /), on hulls."""
    if a.is_empty() or b.is_empty():
        return Intervals((), a.integral and b.integral)
    integral = a.integral and b.integral and op != "/"
    ha, hb = a.hull(), b.hull()
    if op == "+":
        return _closed(ha.lo + hb.lo, ha.hi + hb.hi, integral)
    if op == "-":
        return _closed(ha.lo - hb.hi, ha.hi - hb.lo, integral)
    if op == "*":
        with_inf = [ha.lo, ha.hi, hb.lo, hb.hi]
        if any(math.isinf(x) for x in with_inf):
            return Intervals.top(integral)
        lo, hi = _mono([ha.lo * hb.lo, ha.lo * hb.hi, ha.hi * hb.lo, ha.hi * hb.hi])
        return _closed(lo, hi, integral)
    if op == "/":
        if b.contains(0) or hb.contains(0) or any(
            math.isinf(x) for x in (ha.lo, ha.hi, hb.lo, hb.hi)
        ):
            return Intervals.top(False)
        qs = [
            Fraction(x) / Fraction(y)
            for x in (ha.lo, ha.hi)
            for y in (hb.lo, hb.hi)
        ]
        return _closed(min(qs), max(qs), False)
    raise ValueError(op)


def _closed(lo: Number, hi: Number, integral: bool) -> Intervals:
    # Closed hull: sound (it only adds the bounds) and simple.
    if isinstance(lo, float) and math.isnan(lo) or isinstance(hi, float) and math.isnan(hi):
        return Intervals.top(integral)
    return Intervals(
        [Interval(lo, hi, lo == -INF, hi == INF)], integral
    )


# ---------------------------------------------------------------------------
# Abstract values

#: Kinds of values in the expression language.
BOOL, CHOICE, MULTI, NUM, DATE, TEXT, LIST, TOP = (
    "bool", "choice", "multi", "num", "date", "text", "list", "top",
)


@dataclass(frozen=True, slots=True)
class Multi:
    """What is known of a multichoice answer: options surely chosen, options maybe chosen."""

    must: frozenset[str]
    may: frozenset[str]


@dataclass(frozen=True, slots=True)
class AbsVal:
    """An over-approximation of the set of values of one answer or expression.

    `none` says whether the value may be null (unanswered / unknown); `some`
    describes its non-null values and is None when it can only be null.
    - bool: frozenset of True/False
    - choice / text: frozenset of strings, or ANY (every string)
    - multi: Multi
    - num / date: Intervals (dates as day ordinals)
    - list: Intervals of possible lengths
    - top: anything at all (`some` is True)
    """

    kind: str
    none: bool
    some: object = None

    @property
    def is_bottom(self) -> bool:
        """No value at all: the point is unreachable."""
        return not self.none and self.some is None

    def may_be_some(self) -> bool:
        """Whether a non-null value is possible."""
        return self.some is not None

    def truths(self) -> frozenset[bool | None]:
        """The possible three-valued truth values (None meaning unknown)."""
        out: set[bool | None] = set()
        if self.none:
            out.add(None)
        if self.kind == BOOL and self.some is not None:
            out |= self.some  # type: ignore[arg-type]
        elif self.some is not None:
            out |= {True, False}
        return frozenset(out)


#: Marker for "any string".
ANY = "*"


def none_only(kind: str = TOP) -> AbsVal:
    """Certainly null (a question never asked)."""
    return AbsVal(kind, True, None)


def top(kind: str = TOP, none: bool = True, integral: bool = False) -> AbsVal:
    """Any value of the kind (and null when `none`)."""
    some: object
    if kind == BOOL:
        some = frozenset({True, False})
    elif kind in (NUM, DATE, LIST):
        some = Intervals.top(integral or kind in (DATE, LIST))
        if kind == LIST:
            some = Intervals.between(0, None, True)
    elif kind == MULTI:
        some = Multi(frozenset(), frozenset([ANY]))
    elif kind in (CHOICE, TEXT):
        some = ANY
    else:
        some = True
    return AbsVal(kind, none, some)


def truth(values: set[bool | None] | frozenset[bool | None]) -> AbsVal:
    """The abstract boolean whose possible truth values are `values`."""
    bools = frozenset(v for v in values if v is not None)
    return AbsVal(BOOL, None in values, bools or None)


def const(value: object) -> AbsVal:
    """The abstraction of one concrete value."""
    if value is None:
        return none_only()
    if isinstance(value, bool):
        return AbsVal(BOOL, False, frozenset([value]))
    if isinstance(value, (int, float, Fraction)):
        return AbsVal(NUM, False, Intervals.point(value))
    if isinstance(value, str):
        return AbsVal(CHOICE, False, frozenset([value]))
    return top(TOP, none=False)


def _join_some(kind: str, a: object, b: object) -> object:
    if a is None:
        return b
    if b is None:
        return a
    if kind == BOOL:
        return a | b  # type: ignore[operator]
    if kind in (CHOICE, TEXT):
        if a == ANY or b == ANY:
            return ANY
        return a | b  # type: ignore[operator]
    if kind == MULTI:
        assert isinstance(a, Multi) and isinstance(b, Multi)
        return Multi(a.must & b.must, a.may | b.may)
    if kind in (NUM, DATE, LIST):
        return a.union(b)  # type: ignore[attr-defined]
    return True


def join(a: AbsVal, b: AbsVal) -> AbsVal:
    """Least upper bound: a value possible in either is possible in the result."""
    if a.is_bottom:
        return b
    if b.is_bottom:
        return a
    if a.some is None:
        return AbsVal(b.kind, True, b.some)
    if b.some is None:
        return replace(a, none=True)
    if a.kind != b.kind:
        return top(TOP, a.none or b.none)
    return AbsVal(a.kind, a.none or b.none, _join_some(a.kind, a.some, b.some))


def meet_some(kind: str, a: object, b: object) -> object:
    """Intersection of two non-null descriptions of the same kind (None when empty)."""
    if a is None or b is None:
        return None
    if kind == BOOL:
        r = a & b  # type: ignore[operator]
        return r or None
    if kind in (CHOICE, TEXT):
        if a == ANY:
            return b
        if b == ANY:
            return a
        r = a & b  # type: ignore[operator]
        return r or None
    if kind in (NUM, DATE, LIST):
        r = a.intersect(b)  # type: ignore[attr-defined]
        return None if r.is_empty() else r
    if kind == MULTI:
        assert isinstance(a, Multi) and isinstance(b, Multi)
        must = a.must | b.must
        if ANY in a.may and ANY in b.may:
            may = a.may | b.may
        elif ANY in a.may:
            may = b.may
        elif ANY in b.may:
            may = a.may
        else:
            may = a.may & b.may
        if not must <= may and ANY not in may:
            return None
        return Multi(must, may)
    return a


# ---------------------------------------------------------------------------
# Three-valued logic on sets of truth values

T3 = frozenset[bool | None]
ALL3: T3 = frozenset({True, False, None})


def not3(a: T3) -> T3:
    """Kleene negation, lifted to sets."""
    return frozenset(None if v is None else not v for v in a)


def and3(a: T3, b: T3) -> T3:
    """Kleene conjunction, lifted to sets."""
    out: set[bool | None] = set()
    for x in a:
        for y in b:
            if x is False or y is False:
                out.add(False)
            elif x is None or y is None:
                out.add(None)
            else:
                out.add(True)
    return frozenset(out)


def or3(a: T3, b: T3) -> T3:
    """Kleene disjunction, lifted to sets."""
    return not3(and3(not3(a), not3(b)))


# ---------------------------------------------------------------------------
# Environments


class Env:
    """What is known of the answers at one point; `None` as an Env means unreachable.

    An answer absent from `values` was not given on any path to the point (null); a
    term (key starting with TERM) absent from it is unconstrained.
    """

    __slots__ = ("values",)

    def __init__(self, values: dict[str, AbsVal] | None = None):
        self.values: dict[str, AbsVal] = values or {}

    def get(self, name: str) -> AbsVal | None:
        """The abstract value of `name`, or None when it is not tracked."""
        return self.values.get(name)

    def set(self, name: str, value: AbsVal) -> Env | None:
        """A copy with `name` bound to `value` (None if `value` is bottom)."""
        if value.is_bottom:
            return None
        values = dict(self.values)
        values[name] = value
        return Env(values)

    def __repr__(self) -> str:
        return f"Env({self.values!r})"


#: Prefix of the keys under which environments remember terms such as `age(d)`.
TERM = "§"


def join_env(a: Env | None, b: Env | None) -> Env | None:
    """Where paths meet: every value possible on either path stays possible.

    An answer absent from one side was not given there (null); a term absent from one
    side is unconstrained there, so it is forgotten.
    """
    if a is None:
        return b
    if b is None:
        return a
    out: dict[str, AbsVal] = {}
    bv = b.values
    for k, va in a.values.items():
        vb = bv.get(k)
        if vb is None:
            if not k.startswith(TERM):
                out[k] = va if va.none else AbsVal(va.kind, True, va.some)
        else:
            out[k] = va if va is vb or va == vb else join(va, vb)
    for k, vb in bv.items():
        if k not in out and k not in a.values and not k.startswith(TERM):
            out[k] = vb if vb.none else AbsVal(vb.kind, True, vb.some)
    return Env(out)
