"""Data minimisation: the answers a journey asks without a declared purpose, and those that
no expression reads (docs/metrics.md)."""

from __future__ import annotations

from designer.compiled import CompiledJourney
from designer.expressions import names
from designer.report.costs import NOT_ANSWERED


def used_names(journey: CompiledJourney) -> set[str]:
    """Every question id read by an expression of the journey (computed values expanded)."""
    used: set[str] = set()
    for parsed in journey.expressions:
        if parsed.tree is not None:
            used |= names(parsed.tree)
    return used


def unused_answers(journey: CompiledJourney) -> list[str]:
    """Answers with no declared purpose that no expression reads (data minimisation)."""
    used = used_names(journey)
    return [
        q.id
        for q in journey.questions.values()
        if q.type not in NOT_ANSWERED
        and q.id not in used
        and getattr(q.question, "purpose", None) is None
    ]


def without_purpose(journey: CompiledJourney) -> list[str]:
    """Answers with no declared purpose (used or not)."""
    return [
        q.id
        for q in journey.questions.values()
        if q.type not in NOT_ANSWERED and getattr(q.question, "purpose", None) is None
    ]
