"""Check a typed answer against its question's bounds: ``min``/``max``,
``min_length``/``max_length`` and ``pattern`` (compiled once, and screened for catastrophic
backtracking)."""

from __future__ import annotations

import functools
import re
from typing import Any

from designer.values.cleaning import MAX_INPUT_LENGTH
from designer.values.results import InvalidAnswer


@functools.lru_cache(maxsize=512)
def compile_pattern(pattern: str) -> re.Pattern[str]:
    """Compile a question's ``pattern`` once (cached). Raises ``re.error`` when it is not a
    valid regular expression: ``parcours check`` should report that before any citizen sees
    the journey."""
    return re.compile(pattern)


# A quantified group that itself contains a quantifier, such as (a+)+ or (\w*)*: the classic
# shape of catastrophic backtracking. A heuristic for the checker, not a proof.
_NESTED_QUANTIFIER = re.compile(r"\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)[+*{]")


def pattern_risk(pattern: str) -> bool:
    """True when ``pattern`` has a nested quantifier that may backtrack catastrophically.

    Answers are capped at ``MAX_INPUT_LENGTH`` characters, which bounds but does not remove
    the risk; a checker can warn the journey's author with this."""
    return bool(_NESTED_QUANTIFIER.search(pattern))


def _between(
    value: Any, low: Any, high: Any, codes: tuple[str, str, str]
) -> InvalidAnswer | None:
    too_low = low is not None and value < low
    too_high = high is not None and value > high
    if not (too_low or too_high):
        return None
    if low is not None and high is not None:
        return InvalidAnswer(codes[2], {"min": low, "max": high})
    if too_low:
        return InvalidAnswer(codes[0], {"min": low})
    return InvalidAnswer(codes[1], {"max": high})


def check_bounds(
    qtype: str,
    value: Any,
    *,
    min: Any = None,
    max: Any = None,
    min_length: int | None = None,
    max_length: int | None = None,
    pattern: str | None = None,
) -> InvalidAnswer | None:
    """Check a typed answer against its question's bounds; None when it fits.

    - ``integer``/``decimal``: ``min``/``max`` numbers;
    - ``date``: ``min``/``max`` dates (the caller evaluates expressions such as ``today()``);
    - ``text``/``textarea``: ``min_length``/``max_length`` in characters, and ``pattern``, a
      regular expression the whole answer must match (``re.fullmatch``). Inputs longer than
      ``MAX_INPUT_LENGTH`` are refused before matching and patterns are compiled once
      (:func:`compile_pattern`), because Python's ``re`` cannot be interrupted;
    - ``multichoice``: ``min``/``max`` number of choices; ``repeat``: number of items.

    An empty answer (None) always fits: whether it is required is checked elsewhere.
    """
    if value is None:
        return None
    if qtype in ("integer", "decimal"):
        return _between(value, min, max, ("number-too-small", "number-too-large",
                                          "number-between"))
    if qtype == "date":
        return _between(value, min, max, ("date-too-early", "date-too-late", "date-between"))
    if qtype in ("multichoice", "repeat"):
        count = len(value)
        noun = "choices" if qtype == "multichoice" else "items"
        if min is not None and count < min:
            return InvalidAnswer(f"{noun}-at-least-one" if min == 1 else f"{noun}-too-few",
                                 {"min": min})
        if max is not None and count > max:
            if qtype == "multichoice" and max == 1:
                return InvalidAnswer("choices-at-most-one", {"max": max})
            return InvalidAnswer(f"{noun}-too-many", {"max": max})
        return None
    if qtype in ("text", "textarea") and isinstance(value, str):
        if len(value) > MAX_INPUT_LENGTH:
            return InvalidAnswer("text-too-long", {"max_length": max_length or MAX_INPUT_LENGTH})
        if min_length is not None and len(value) < min_length:
            return InvalidAnswer("text-too-short", {"min_length": min_length})
        if max_length is not None and len(value) > max_length:
            return InvalidAnswer("text-too-long", {"max_length": max_length})
        if pattern is not None and not compile_pattern(pattern).fullmatch(value):
            return InvalidAnswer("pattern-mismatch", {"pattern": pattern})
    return None
