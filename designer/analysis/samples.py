"""Plausible answers to a question: what a citizen might type for each type, fitted to the
question's bounds and pattern, for the witnesses' answers that no constraint decides."""

from __future__ import annotations

import datetime
from typing import Any

from designer.compiled import QuestionInfo
from designer.values import coerce
from designer.values.bounds import check_bounds

#: What a citizen might type for each free-text type (valid for `designer.values.coerce`).
SAMPLE_RAW = {
    "text": "Texte",
    "textarea": "Texte",
    "email": "camille.martin@example.fr",
    "phone": "0612345678",
    "postcode": "69190",
    "siret": "73282932000074",
    "nir": "255081416802538",
    "iban": "FR7630006000011234567890189",
    "file": "document.pdf",
    "address": {"street": "1 place de la République", "postcode": "69190", "commune": "Saint-Fons"},
}


def sample_text(qtype: str) -> Any:
    """A typed answer for a free-text type: the sample typed, as the engine stores it."""
    raw = SAMPLE_RAW.get(qtype, "Texte")
    if qtype == "file":
        return raw
    got = coerce(qtype, raw)
    return got.value if got.error is None and got.value is not None else raw


#: Candidates tried, in order, for a text question with a `pattern`: common shapes of
#: French forms (a plate, a reference, digits). Each is checked with the engine.
PATTERN_CANDIDATES = (
    "Texte", "texte", "AB-123-CD", "AB123CD", "L-04512", "A-12345", "12345", "123456789",
    "ABC", "abc", "A1", "1",
)


def sample_for(q: QuestionInfo) -> Any:
    """A typed answer to a free-text question that also fits its length bounds and pattern
    (what a citizen would have to type for the page to be accepted)."""
    value = sample_text(q.type)
    if q.type not in ("text", "textarea"):
        return value
    question = q.question
    low = getattr(question, "min_length", None) or 0
    high = getattr(question, "max_length", None)
    pattern = getattr(question, "pattern", None)
    candidates = [str(value)]
    if pattern:
        candidates = list(PATTERN_CANDIDATES)
    for text in candidates:
        if len(text) < low:
            text = (text + " " + "exemple " * (1 + low // 8))[:max(low, len(text))].rstrip()
            while len(text) < low:
                text += "x"
        if high is not None:
            text = text[:high]
        if check_bounds(q.type, text, min_length=low or None, max_length=high,
                        pattern=pattern) is None:
            return text
    return value


def sample_item(journey: Any, repeat: QuestionInfo) -> dict[str, Any]:
    """One plausible item of a repeat: a simple valid answer to each item question."""
    item: dict[str, Any] = {}
    for q in journey.item_questions(repeat.id):
        if not q.answers:
            continue
        item[q.id] = sample_value(q)
    return item


def sample_value(q: QuestionInfo) -> Any:
    """A simple valid answer to a question, used where no constraint matters."""
    t = q.type
    if t == "yesno":
        return True  # "yes" reveals the follow-up questions of an item (allergy → PAI)
    if t in ("integer", "decimal"):
        lo = q.min if isinstance(q.min, (int, float)) else None
        hi = q.max if isinstance(q.max, (int, float)) else None
        v = lo if lo is not None else (min(1, hi) if hi is not None else 1)
        return int(v) if t == "integer" else float(v)
    if t == "choice":
        return next(iter(q.options or {"": ""}))
    if t == "multichoice":
        return [next(iter(q.options or {"": ""}))]
    if t == "date":
        return datetime.date(1990, 1, 1)
    return sample_for(q)
