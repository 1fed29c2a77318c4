"""The types of expression values, and what the checker knows about each name."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from designer.check_messages import Message, msg


class ValueType(StrEnum):
    """The type of a value in an expression."""

    BOOLEAN = "boolean"  # yesno answers, conditions
    NUMBER = "number"  # integer, decimal
    STRING = "string"  # text, choice, email, phone, postcode, siret, nir, iban…
    DATE = "date"
    LIST = "list"  # a multichoice answer: the list of chosen option values
    ITEMS = "items"  # a repeat: the list of its items
    OPAQUE = "opaque"  # address, file: only answered(x), == null, != null
    NULL = "null"  # the literal null
    ANY = "any"  # unknown (after an error): compatible with everything

    @property
    def label(self) -> str:
        """How a designer reads the type in a message."""
        return self.said.say("en")

    @property
    def said(self) -> Message:
        """The type in a message, in the designer's language."""
        return msg(f"vtype.{self.value}")




@dataclass(frozen=True, slots=True)
class Symbol:
    """A name an expression may use: its type and, for choices, its option values.

    `available` is False when the name is defined but only answered after the
    place where the expression is evaluated (a forward reference).
    """

    name: str
    type: ValueType
    options: frozenset[str] | None = None
    available: bool = True
    label: str | None = None


@dataclass(frozen=True, slots=True)
class Problem:
    """A static problem found in an expression, at character offsets [offset, end)."""

    rule: str  # unknown-name | forward-reference | type-mismatch | unknown-option
    message: str
    offset: int
    end: int
    #: The message as a catalogue entry (designer/check_messages.py), to say it in French.
    said: Message


@dataclass(slots=True)
class CheckResult:
    """The type an expression has, and the problems found in it (empty when it is fine)."""

    type: ValueType
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether no problem was found."""
        return not self.problems
