"""Numbers and dates of the path-sensitive analysis as finite unions of intervals.

Bounds are open or closed, normalised to closed integer bounds for integer-valued answers
(dates are day ordinals). Every operation over-approximates: "possible" may be said of the
impossible, never "impossible" of the possible (docs of :mod:`designer.analysis.domains`).
"""

from __future__ import annotations

import functools
import math
from fractions import Fraction
from typing import NamedTuple, TypeAlias

Number: TypeAlias = int | float | Fraction
INF = math.inf


class Interval(NamedTuple):
    """One interval of the real line; infinite bounds are always open.

    A named tuple rather than a frozen dataclass: the analysis builds and compares
    thousands of them per journey, and a tuple is made, compared and hashed in C.
    """

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


def _coalesce(ordered: list[Interval], integral: bool) -> tuple[Interval, ...]:
    """Non-empty (integral) intervals sorted by lower bound, touching ones merged."""
    merged: list[Interval] = []
    for iv in ordered:
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


class Intervals:
    """A finite union of disjoint intervals, sorted; `integral` restricts to integers."""

    __slots__ = ("parts", "integral")

    def __init__(self, parts: tuple[Interval, ...] | list[Interval] = (), integral: bool = False):
        self.integral = integral
        self.parts: tuple[Interval, ...] = self._normalise(list(parts), integral)

    @classmethod
    def _of(cls, parts: tuple[Interval, ...], integral: bool) -> Intervals:
        """A set from parts already normalised for `integral` (not checked again).

        The lattice operations below keep their results normalised by construction;
        normalising them again was the analysis' largest cost on large journeys.
        """
        made = object.__new__(cls)
        made.parts = parts
        made.integral = integral
        return made

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
        return _coalesce(cleaned, integral)


    # constructors (shared: an Intervals is never changed once made)
    @classmethod
    def top(cls, integral: bool = False) -> Intervals:
        """Every number (every integer when `integral`)."""
        return _TOP_INTEGRAL if integral else _TOP_REAL

    @classmethod
    def point(cls, x: Number, integral: bool | None = None) -> Intervals:
        """The single number `x`."""
        if integral is None:
            integral = isinstance(x, int) and not isinstance(x, bool)
        return _range(x, x, integral)

    @classmethod
    def between(
        cls, lo: Number | None, hi: Number | None, integral: bool = False
    ) -> Intervals:
        """The closed range [lo, hi], unbounded where a bound is None."""
        return _range(lo, hi, integral)

    @classmethod
    def compare(cls, op: str, c: Number, integral: bool = False) -> Intervals:
        """Every x with `x op c` (op one of == != < <= > >=)."""
        return _compare(op, c, integral)

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
        integral = self.integral and other.integral
        key = (id(self), id(other))
        done = _UNIONS.get(key)
        if done is not None:
            return done[2]
        made = self._union(other, integral)
        _remember(_UNIONS, key, (self, other, made))
        return made

    def _union(self, other: Intervals, integral: bool) -> Intervals:
        # Shortcuts for the common joins (a set with itself or with nothing): a normalised
        # integral set is also a normalised set of reals (its parts never touch).
        if other is self or not other.parts:
            return self if self.integral == integral else Intervals._of(self.parts, integral)
        if not self.parts:
            return other if other.integral == integral else Intervals._of(other.parts, integral)
        if self.integral == other.integral:
            # Both sides are normalised for the result already: merge them in the order
            # the normalisation's stable sort gives (this side first on a tie), then
            # coalesce, without rounding or sorting again.
            return Intervals._of(_coalesce(_merged(self.parts, other.parts), integral), integral)
        return Intervals(self.parts + other.parts, integral)

    def intersect(self, other: Intervals) -> Intervals:
        """Members of both sets."""
        integral = self.integral or other.integral
        if self.integral != other.integral:
            # The real set's bounds still have to be rounded to integers.
            return Intervals(_intersections(self.parts, other.parts), integral)
        if other.parts == _REAL_LINE:
            return self
        if self.parts == _REAL_LINE:
            return other
        key = (id(self), id(other))
        done = _MEETS.get(key)
        if done is not None:
            return done[2]
        # Pieces of two sorted unions of disjoint, non-touching intervals are themselves
        # sorted, disjoint and non-touching (and integral when both sides are): normalised.
        made = Intervals._of(
            tuple(iv for iv in _intersections(self.parts, other.parts) if not _empty(iv)),
            integral,
        )
        _remember(_MEETS, key, (self, other, made))
        return made

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
        return other is self or (
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


def _merged(a: tuple[Interval, ...], b: tuple[Interval, ...]) -> list[Interval]:
    """The parts of two sorted tuples in one list sorted by (lo, lo_open), `a`'s first on
    a tie: what a stable sort of `a + b` gives."""
    if len(a) == 1 and len(b) == 1:
        x, y = a[0], b[0]
        return [y, x] if (y.lo, y.lo_open) < (x.lo, x.lo_open) else [x, y]
    out: list[Interval] = []
    i = j = 0
    while i < len(a) and j < len(b):
        if (b[j].lo, b[j].lo_open) < (a[i].lo, a[i].lo_open):
            out.append(b[j])
            j += 1
        else:
            out.append(a[i])
            i += 1
    out.extend(a[i:])
    out.extend(b[j:])
    return out


def _intersections(a: tuple[Interval, ...], b: tuple[Interval, ...]) -> list[Interval]:
    """Every piece `x ∩ y` for x in `a`, y in `b`, in order (empty pieces included)."""
    out: list[Interval] = []
    for x in a:
        for y in b:
            if x.lo > y.lo or (x.lo == y.lo and x.lo_open):
                lo, lo_open = x.lo, x.lo_open
            else:
                lo, lo_open = y.lo, y.lo_open
            if x.hi < y.hi or (x.hi == y.hi and x.hi_open):
                hi, hi_open = x.hi, x.hi_open
            else:
                hi, hi_open = y.hi, y.hi_open
            out.append(Interval(lo, hi, lo_open, hi_open))
    return out


# Unions and intersections already made, by the identities of their operands. Sets are
# shared (the constants' sets above, an answer's domain on every path), so the same
# operation comes back often: `x > 0` narrowing the domain `[0, 100000]` of a hundred
# answers. An entry holds its operands, so that their ids cannot be reused while it
# lives; the tables are emptied when they grow past a bound (a long-lived process).
_Done = dict[tuple[int, int], tuple["Intervals", "Intervals", "Intervals"]]
_UNIONS: _Done = {}
_MEETS: _Done = {}
_MOST_REMEMBERED = 8192


def _remember(table: _Done, key: tuple[int, int], entry: tuple[Intervals, ...]) -> None:
    if len(table) >= _MOST_REMEMBERED:
        table.clear()
    table[key] = entry  # type: ignore[assignment]


_REAL_LINE = (Interval(-INF, INF, True, True),)
_TOP_REAL = Intervals._of(_REAL_LINE, False)
_TOP_INTEGRAL = Intervals._of(_REAL_LINE, True)


# The constants of a journey's conditions and bounds come back again and again (`> 0`,
# `min: 0`): their sets are made once. `typed`, so that 1, 1.0 and True stay apart.
@functools.lru_cache(maxsize=4096, typed=True)
def _range(lo: Number | None, hi: Number | None, integral: bool) -> Intervals:
    low = -INF if lo is None else lo
    high = INF if hi is None else hi
    return Intervals([Interval(low, high, lo is None, hi is None)], integral)


@functools.lru_cache(maxsize=4096, typed=True)
def _compare(op: str, c: Number, integral: bool) -> Intervals:
    if op == "==":
        return Intervals([Interval(c, c)], integral)
    if op == "!=":
        return Intervals([Interval(-INF, c, True, True), Interval(c, INF, True, True)], integral)
    if op == "<":
        return Intervals([Interval(-INF, c, True, True)], integral)
    if op == "<=":
        return Intervals([Interval(-INF, c, True, False)], integral)
    if op == ">":
        return Intervals([Interval(c, INF, True, True)], integral)
    if op == ">=":
        return Intervals([Interval(c, INF, False, True)], integral)
    raise ValueError(op)


def compare_possible(a: Intervals, op: str, b: Intervals) -> tuple[bool, bool]:
    """Whether `x op y` can be true, and can be false, for some x in `a`, y in `b`."""
    if not a.parts or not b.parts:
        return False, False
    if op == "==" or op == "!=":
        inter = not a.intersect(b).is_empty()
        sa, sb = a.singleton(), b.singleton()
        differ = not (sa is not None and sa == sb)
        return (inter, differ) if op == "==" else (differ, inter)
    if op == ">" or op == ">=":
        # x > y is y < x: the same test with the sides swapped.
        a, b = b, a
        op = "<" if op == ">" else "<="
    a_lo, _, a_lo_open, _ = a.parts[0]
    _, a_hi, _, a_hi_open = a.parts[-1]
    b_lo, _, b_lo_open, _ = b.parts[0]
    _, b_hi, _, b_hi_open = b.parts[-1]
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
