"""What every importer shares: notes, ids, the symbol table and typed comparisons.

An importer reads a foreign form definition and builds a plain dict in journey
format v1. Everything it cannot carry over becomes an :class:`ImportNote`; the
writer puts them in ``x-import-notes`` so that nothing is dropped silently.
Conditions are built as trees of :mod:`designer.expressions` and unparsed by
the engine's own printer, so that what we write is what the engine reads.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from designer.expressions import (
    BoolOp,
    Call,
    Compare,
    Expr,
    ListLit,
    Literal,
    Name,
    Unary,
    parse,
    unparse,
)
from designer.expressions.parser import MAX_LENGTH

#: Words the expression language reserves: a question cannot be named after them.
RESERVED = frozenset({"and", "or", "not", "in", "true", "false", "null"})
IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


class ImportRefused(Exception):
    """The source cannot be imported at all; the message says why, for a designer."""


class Untranslatable(Exception):
    """One expression or construct cannot be carried over; the message is the reason."""


class AskedLater(Untranslatable):
    """A test on an answer that the form only asks after the place of the test."""


class NeverHolds(Untranslatable):
    """A test that can never hold (a value that is not an option): dropped from a disjunction."""


class SourceSyntaxError(Untranslatable):
    """A source expression that is not even valid in its own language (a broken form)."""


@dataclass(frozen=True)
class ImportNote:
    """Something of the source that the journey does not carry (or carries differently)."""

    source_ref: str
    what: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        """The note as written in ``x-import-notes``."""
        return {"source": self.source_ref, "what": self.what, "reason": self.reason}


@dataclass
class ImportStats:
    """Counts reported per imported file (corpus table, command output)."""

    questions: int = 0
    conditions: int = 0
    conditions_translated: int = 0
    computed: int = 0
    computed_translated: int = 0
    #: Translated conditions carried by another construct that implies them (CORE's
    #: repeated soft-validation pages, asked once where every answer they test is known).
    conditions_merged: int = 0


@dataclass
class ImportResult:
    """A journey as a plain dict, the comments pointing back to the source, and the notes."""

    journey: dict[str, Any]
    comments: dict[tuple[str, ...], str]
    notes: list[ImportNote]
    stats: ImportStats
    source_format: str


@dataclass
class Symbol:
    """A question as expressions see it: its journey id, type and option values."""

    id: str
    type: str
    options: list[str] | None = None
    order: int = 0
    repeat: str | None = None


def slug_identifier(text: str, fallback: str = "q") -> str:
    """`text` made into an identifier `[a-z_][a-z0-9_]*` (accents folded, words joined by _)."""
    folded = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    # camelCase names (XGov components) read better split: ukPassport -> uk_passport.
    folded = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", folded)
    ident = re.sub(r"[^a-z0-9]+", "_", folded.lower()).strip("_")
    if not ident:
        ident = fallback
    if ident[0].isdigit():
        ident = f"{fallback}_{ident}"
    ident = ident[:60].rstrip("_") or fallback
    if ident in RESERVED:
        ident += "_"
    return ident


def slug_journey_id(text: str) -> str:
    """A journey id slug `[a-z0-9-]+` from a title or file name."""
    folded = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    folded = re.sub(r"([a-z0-9])([A-Z])", r"\1-\2", folded)
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    return slug[:60].strip("-") or "imported"


class Ids:
    """Allocates ids in the journey's single namespace, deterministically.

    The first claimant of a name gets it; later ones get a kind suffix
    (``joint_step``) and then a number (``joint_2``), in source order, so
    that importing the same file twice gives the same ids.
    """

    def __init__(self) -> None:
        self.used: set[str] = set()

    def allocate(self, name: str, kind: str = "", fallback: str = "q") -> str:
        """A fresh identifier derived from the source `name`."""
        base = slug_identifier(name, fallback)
        candidates = [base]
        if kind:
            candidates.append(f"{base}_{kind}")
        for candidate in candidates:
            if candidate not in self.used:
                self.used.add(candidate)
                return candidate
        n = 2
        while f"{base}_{n}" in self.used:
            n += 1
        self.used.add(f"{base}_{n}")
        return f"{base}_{n}"


# ---------------------------------------------------------------------------
# Building expressions


def and_(*parts: Expr | None) -> Expr | None:
    """The conjunction of the parts that are not None (None when there is none)."""
    items: list[Expr] = []
    for part in parts:
        if part is None:
            continue
        if isinstance(part, BoolOp) and part.op == "and":
            items.extend(part.operands)
        else:
            items.append(part)
    items = list(dict.fromkeys(items))  # the same test twice says nothing more
    if not items:
        return None
    return items[0] if len(items) == 1 else BoolOp("and", tuple(items))


def or_(*parts: Expr) -> Expr:
    """The disjunction of the parts (flattened)."""
    items: list[Expr] = []
    for part in parts:
        if isinstance(part, BoolOp) and part.op == "or":
            items.extend(part.operands)
        else:
            items.append(part)
    items = list(dict.fromkeys(items))
    if len(items) == 1:
        return items[0]
    return BoolOp("or", tuple(items))


def joined(*conditions: str | None) -> str | None:
    """The conjunction of the conditions given (each in parentheses when it holds an `or`)."""
    parts = [c for c in conditions if c]
    if len(parts) < 2:
        return parts[0] if parts else None
    return " and ".join(f"({p})" if " or " in p else p for p in parts)


def not_(part: Expr) -> Expr:
    """`not part`, folding a double negation."""
    if isinstance(part, Unary) and part.op == "not":
        return part.operand
    return Unary("not", part)


def answered(symbol: Symbol) -> Expr:
    """`answered(x)`."""
    return Call("answered", (Name(symbol.id),))


def _number(value: Any) -> int | float:
    if isinstance(value, bool):
        raise Untranslatable(f"{value!r} is not a number")
    if isinstance(value, int | float):
        return int(value) if float(value).is_integer() else float(value)
    text = str(value).strip()
    try:
        number = float(text)
    except ValueError:
        raise Untranslatable(f"{value!r} is not a number") from None
    return int(number) if number.is_integer() and "." not in text else number


def option_value(value: Any) -> str:
    """A source value as a choice option value (1 and 1.0 both read "1")."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_TRUE = {"true", "yes", "1", "y"}
_FALSE = {"false", "no", "0", "n"}
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


def _ordered(a: float, op: str, b: float) -> bool:
    return {
        "<": a < b,
        "<=": a <= b,
        ">": a > b,
        ">=": a >= b,
        "==": a == b,
        "!=": a != b,
    }[op]


def compare(symbol: Symbol, op: str, value: Any) -> Expr:
    """`symbol op value` typed for the question: the heart of condition translation.

    The value is coerced to the question's type (a yes/no answer is a boolean,
    a choice's value a string among its options, a number a number), so that
    the engine's type checker accepts the result. An ordering test on a choice
    whose options are numbers becomes a membership test over those options.
    """
    if op not in _FLIP:
        raise Untranslatable(f"operator {op!r} is not supported")
    name = Name(symbol.id)
    if value is None or (isinstance(value, str) and value == ""):
        if op == "==":
            return not_(answered(symbol))
        if op == "!=":
            return answered(symbol)
        raise Untranslatable(f"cannot order {symbol.id} against an empty value")
    kind = symbol.type
    if kind == "yesno":
        text = option_value(value).strip().lower()
        if text in _TRUE:
            truth = True
        elif text in _FALSE:
            truth = False
        else:
            raise Untranslatable(f"{value!r} is not a yes/no value for {symbol.id}")
        if op not in ("==", "!="):
            raise Untranslatable(f"cannot order the yes/no answer {symbol.id}")
        positive = truth if op == "==" else not truth
        return name if positive else not_(name)
    if kind in ("integer", "decimal"):
        return Compare(name, (op,), (Literal(_number(value)),))
    if kind == "choice":
        options = symbol.options or []
        if op in ("==", "!="):
            text = option_value(value)
            if text not in options:
                raise NeverHolds(f"{text!r} is not an option of {symbol.id}")
            return Compare(name, (op,), (Literal(text),))
        # Ordering on a choice with numeric values: the options that satisfy it.
        bound = _number(value)
        chosen: list[str] = []
        for option in options:
            try:
                number = _number(option)
            except Untranslatable:
                raise Untranslatable(
                    f"cannot order the choice {symbol.id}: option {option!r} is not a number"
                ) from None
            if _ordered(number, op, bound):
                chosen.append(option)
        if not chosen:
            raise Untranslatable(f"no option of {symbol.id} is {op} {value!r}")
        return Compare(name, ("in",), (ListLit(tuple(Literal(c) for c in chosen)),))
    if kind == "multichoice":
        text = option_value(value)
        if text not in (symbol.options or []):
            raise NeverHolds(f"{text!r} is not an option of {symbol.id}")
        if op == "==":
            return Compare(Literal(text), ("in",), (name,))
        if op == "!=":
            return Compare(Literal(text), ("not in",), (name,))
        raise Untranslatable(f"cannot order the multiple choice {symbol.id}")
    if kind == "date":
        text = str(value).strip()[:10]
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise Untranslatable(f"{value!r} is not a date")
        return Compare(name, (op,), (Call("date", (Literal(text),)),))
    if kind in ("repeat", "info", "file"):
        raise Untranslatable(f"cannot compare the {kind} {symbol.id} with a value")
    if op not in ("==", "!="):
        raise Untranslatable(f"cannot order the text answer {symbol.id}")
    return Compare(name, (op,), (Literal(option_value(value)),))


def contains(symbol: Symbol, value: Any, negate: bool = False) -> Expr:
    """`value in symbol` for a multiple choice (or equality for a single choice)."""
    if symbol.type == "multichoice":
        return compare(symbol, "!=" if negate else "==", value)
    if symbol.type in ("choice", "text", "textarea"):
        return compare(symbol, "!=" if negate else "==", value)
    raise Untranslatable(f"'contains' on the {symbol.type} question {symbol.id}")


def finish(expr: Expr) -> str:
    """The expression as text, verified to read back through the engine's parser."""
    text = unparse(expr)
    if len(text) > MAX_LENGTH:
        raise Untranslatable(
            f"the translated expression has {len(text)} characters, more than the "
            f"engine's limit of {MAX_LENGTH}"
        )
    parse(text)  # raises ExpressionSyntaxError: a bug of ours, reported by the caller
    return text


@dataclass
class Collector:
    """Notes, counts and comments gathered while importing one file."""

    notes: list[ImportNote] = field(default_factory=list)
    stats: ImportStats = field(default_factory=ImportStats)
    comments: dict[tuple[str, ...], str] = field(default_factory=dict)

    def note(self, source_ref: str, what: str, reason: str) -> None:
        """Record something not carried over (or carried approximately)."""
        self.notes.append(ImportNote(source_ref, what, reason))

    def condition(self, translated: bool) -> None:
        """Count one source condition, translated or not."""
        self.stats.conditions += 1
        if translated:
            self.stats.conditions_translated += 1


def targets(step: dict[str, Any]) -> list[str]:
    """The ids a step's `next` may lead to."""
    nxt = step.get("next")
    if isinstance(nxt, str):
        return [nxt]
    return [b["goto"] for b in nxt or [] if isinstance(b, dict) and "goto" in b]


def prune_unreachable(
    journey: dict[str, Any], out: Collector, refs: dict[tuple[str, ...], str]
) -> None:
    """Drop the steps and outcomes no path reaches (e.g. behind an untranslated link), noted."""
    steps: dict[str, Any] = journey["steps"]
    outcomes: dict[str, Any] = journey["outcomes"]
    seen: set[str] = set()
    todo = [journey["start"]]
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        if node in steps:
            todo.extend(targets(steps[node]))
    for kind, table in (("steps", steps), ("outcomes", outcomes)):
        for node in [n for n in table if n not in seen]:
            source = refs.get((kind, node), node)
            what = "step" if kind == "steps" else "outcome"
            out.note(source, f"{what} {node}", "reachable only through links whose condition "
                     "was not translated: not imported")
            if kind == "steps":
                out.stats.questions -= sum(
                    1 for q in table[node].get("questions", {}).values() if q.get("type") != "info"
                )
            del table[node]
