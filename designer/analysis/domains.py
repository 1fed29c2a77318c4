"""Abstract domains of the path-sensitive analysis: what is known of one answer.

An abstract value over-approximates the set of values an answer (or an
expression) can take on every path reaching a point: the analysis may say
"possible" for something impossible (imprecision), never "impossible" for
something possible (that would be a false alarm). Every operation here keeps
that promise.

- Numbers and dates (dates as day ordinals) are finite unions of intervals
  (:mod:`designer.analysis.intervals`).
- Booleans, choices and truth values are finite sets; `None` (unanswered, or
  "unknown" in three-valued logic) is tracked separately by a flag.
- Multichoice answers keep, per option, whether it must or may be chosen.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from fractions import Fraction
from typing import NamedTuple

from .intervals import Intervals

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


class AbsVal(NamedTuple):
    """An over-approximation of the set of values of one answer or expression.

    `none` says whether the value may be null (unanswered / unknown); `some`
    describes its non-null values and is None when it can only be null.
    - bool: frozenset of True/False
    - choice / text: frozenset of strings, or ANY (every string)
    - multi: Multi
    - num / date: Intervals (dates as day ordinals)
    - list: Intervals of possible lengths
    - top: anything at all (`some` is True)

    A named tuple rather than a frozen dataclass: the interpretation makes, compares
    and joins several per question, and a tuple does that in C.
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
        some = self.some
        if some is None:
            return T3_OF[4 * self.none]
        if self.kind == BOOL:
            return T3_OF[(True in some) + 2 * (False in some) + 4 * self.none]  # type: ignore[operator]
        return T3_OF[3 + 4 * self.none]


#: Marker for "any string".
ANY = "*"


# Abstract values are immutable: the few distinct answers of none_only and top are made
# once and shared (the interpretation asks for them at every question).
@functools.lru_cache(maxsize=64)
def none_only(kind: str = TOP) -> AbsVal:
    """Certainly null (a question never asked)."""
    return AbsVal(kind, True, None)


@functools.lru_cache(maxsize=64)
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
    kind, none, some = a
    b_kind, b_none, b_some = b
    if some is None:
        if not none or (b_some is None and not b_none):
            return b if not none else a  # one side is bottom: the other one
        return b if b_none else AbsVal(b_kind, True, b_some)  # a is null only
    if b_some is None:
        # b is bottom (a), or null only (a, possibly null)
        return a if not b_none or none else AbsVal(kind, True, some)
    if kind != b_kind:
        return top(TOP, none or b_none)
    if kind == NUM or kind == DATE or kind == LIST:
        joined: object = some.union(b_some)  # type: ignore[attr-defined]
    else:
        joined = _join_some(kind, some, b_some)
    return AbsVal(kind, none or b_none, joined)


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


#: Every set of truth values, indexed by `can be true + 2 × can be false + 4 × can be
#: unknown`: an evaluation picks its result here instead of building a set each time.
T3_OF: tuple[T3, ...] = tuple(
    frozenset(v for bit, v in ((1, True), (2, False), (4, None)) if i & bit)
    for i in range(8)
)

# The logic below has 8 possible arguments: each result is computed once, then looked up
# (conditions combine truth values several times per question).
_NOT3: dict[T3, T3] = {}
_AND3: dict[tuple[T3, T3], T3] = {}


def not3(a: T3) -> T3:
    """Kleene negation, lifted to sets."""
    done = _NOT3.get(a)
    if done is None:
        done = _NOT3[a] = frozenset(None if v is None else not v for v in a)
    return done


def and3(a: T3, b: T3) -> T3:
    """Kleene conjunction, lifted to sets."""
    done = _AND3.get((a, b))
    if done is None:
        done = _AND3[(a, b)] = _and3(a, b)
    return done


def _and3(a: T3, b: T3) -> T3:
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
        if value.some is None and not value.none:  # bottom
            return None
        return Env({**self.values, name: value})

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
