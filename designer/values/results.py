"""What turning a raw form value into a typed answer gives back: a :class:`Coerced` holding
the typed value, or an :class:`InvalidAnswer` whose message exists in French and English
(:mod:`designer.messages`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from designer.messages import translate


@dataclass(frozen=True)
class InvalidAnswer:
    """Why an answer was refused: a stable ``code`` (a key of ``messages.MESSAGES``) and the
    parameters of its message (``{"min": 18}``; ``{"part": "street"}`` names the input of a
    composite answer that is wrong)."""

    code: str
    params: dict[str, Any] = field(default_factory=dict, hash=False)

    def message(self, lang: str = "fr") -> str:
        """The message for the citizen, in ``lang`` (French when not available)."""
        return translate(self.code, lang, **self.params)


@dataclass(frozen=True)
class Coerced:
    """The result of :func:`coerce`: a typed ``value`` (None when empty or invalid), an
    ``error`` (None when the answer fits its type) and whether the answer was ``empty``."""

    value: Any = None
    error: InvalidAnswer | None = None
    empty: bool = False

    @property
    def ok(self) -> bool:
        """True when the answer fits its type (an empty answer is ok here)."""
        return self.error is None


def fail(code: str, **params: Any) -> Coerced:
    """A refused answer: the error ``code`` with the parameters of its message."""
    return Coerced(error=InvalidAnswer(code, dict(params)))


#: An empty answer (whether it was required is the caller's concern).
EMPTY = Coerced(empty=True)
