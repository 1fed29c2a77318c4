"""Labels reduced for comparison: two questions asking the same thing in other words.

Apart from the concept catalogue (:mod:`designer.concepts`, which uses it to find a concept
by its usual labels) so that the checks compare labels without importing the catalogue's
models.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"[^\W_]+")
_LEADING = re.compile(
    r"^(?:quel(?:le)?s? (?:est|sont) |what (?:is|are) |indiquez |saisissez |enter )?"
    r"(?:votre |vos |ton |ta |tes |your |le |la |les |l |the )?"
)


class _WithoutMarks(dict[int, int | None]):
    """A `str.translate` table that drops combining marks (the accents NFKD splits off)
    and keeps every other character: filled as characters are met, so that a label is
    stripped in C rather than one character at a time in Python."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_WITHOUT_MARKS = _WithoutMarks()


# Cached by label: the checks compare every label of a journey at each check (the studio
# checks on every keystroke), and a journey's labels change one at a time.
@lru_cache(maxsize=8192)
def normalise_label(label: str) -> str:
    """A label reduced for comparison: accents stripped, lowercase, punctuation and spaces
    collapsed to single spaces, and a leading possessive or "what is" dropped, so that
    "Votre date de naissance ?" and "date de naissance" compare equal."""
    text = unicodedata.normalize("NFKD", label)
    if not text.isascii():  # combining marks are never ASCII: nothing to drop otherwise
        text = text.translate(_WITHOUT_MARKS)
    text = text.casefold()
    # The words joined by single spaces: what replacing each run of other characters by a
    # space and stripping gives, in about a third of the time.
    text = " ".join(_WORD.findall(text))
    # The pattern is anchored and always matches (maybe nothing): cutting what it matched
    # is what `_LEADING.sub("", text, count=1)` does, without building a replacement.
    leading = _LEADING.match(text)
    return (text[leading.end():] if leading else text).strip()
