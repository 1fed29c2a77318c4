"""Whether a question has an answer, and what an empty one means: read alike by the run,
the analysis and the report (how answers are spelt and converted is designer/answers.py).

Written out for designers in docs/format.md ("Answers: given, empty, and what the
functions give"):

- a question that is not shown has no answer: `null`;
- a shown question of one value (every type but `multichoice` and `repeat`) left
  empty has no answer: `null` (an empty text is no answer);
- a shown **list** question (`multichoice`, `repeat`) always has a list for answer
  once its page is sent: the options ticked, the items added, possibly none (`[]`).
  None is an answer ("nobody lives with me") when the question allows it: an
  optional list may always be left empty; a required one needs at least its `min`
  items, 1 when `min` is not written (`min: 0` makes "none" an answer);
- `answered(x)` is whether `x` has an answer (`[]` is one); `len(x)` is the number of
  items of a list answer, unknown on `null`; comparisons with `null` are unknown.
"""

from __future__ import annotations

from typing import Any

#: Question types whose answer is a list (possibly empty) as soon as they are shown.
LIST_TYPES = frozenset({"multichoice", "repeat"})


def is_list(qtype: str) -> bool:
    """Whether a question of this type answers with a list."""
    return qtype in LIST_TYPES


def is_answered(value: Any) -> bool:
    """Whether a stored value is an answer: anything but null, an empty text or an empty
    mapping (an address with nothing in it); an empty list is an answer."""
    return value is not None and value != "" and value != {}


def shown_value(qtype: str, value: Any) -> Any:
    """The answer of a shown question, given what is stored for it: a list question
    with nothing stored has answered "none"."""
    if value is None and qtype in LIST_TYPES:
        return []
    return value


def count_bounds(
    low: Any, high: Any, *, required: bool, count: int
) -> tuple[int | None, int | None]:
    """The fewest and most items a list answer of ``count`` items is checked against.

    ``low``/``high`` are the question's `min`/`max`. A required list needs its `min`
    items (1 when not written); an optional one may be empty, and otherwise needs its
    `min` as well.
    """
    fewest = low if isinstance(low, int) else None
    if required and fewest is None:
        fewest = 1
    if not required and count == 0:
        fewest = None
    return fewest, high if isinstance(high, int) else None


def fewest_items(low: Any, *, required: bool) -> int:
    """The fewest items a list answer can have (0 for an optional list)."""
    if not required:
        return 0
    return low if isinstance(low, int) else 1
