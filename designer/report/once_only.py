"""Dites-le-nous une fois (once-only): the questions a connected provider could answer in
the citizen's stead, by provider, with the level of the observatory of online procedures,
and the concepts several journeys ask again (docs/metrics.md)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from designer.compiled import CompiledJourney
from designer.prefill import connected as prefill_connected
from designer.prefill import fillable
from designer.report.costs import NOT_ANSWERED


def dlnuf_level(items: int) -> str:
    """The level of the observatory of online procedures: 0-1 optimal, 2-4 partial, >4 weak."""
    if items <= 1:
        return "optimal"
    if items <= 4:
        return "partial"
    return "weak"


def _providers_of(entry: Any) -> list[str]:
    if entry is None:
        return []
    raw = entry.get("providers") if isinstance(entry, dict) else getattr(entry, "providers", None)
    if not raw:
        return []
    out = []
    for p in raw:
        if isinstance(p, str):
            out.append(p)
        elif isinstance(p, dict):
            out.append(str(p.get("id") or p.get("provider") or p.get("name")))
        else:
            out.append(str(getattr(p, "id", None) or getattr(p, "provider", None) or p))
    return out


@cache
def load_concepts() -> Any | None:
    """The concept catalogue (designer.concepts.load_catalogue), or None if absent.

    Cached: the catalogue is read once per process (a portfolio reports many journeys)."""
    try:
        from designer.concepts import load_catalogue
    except ImportError:
        return None
    try:
        return load_catalogue()
    except Exception:  # noqa: BLE001 - a broken catalogue must not break a report
        return None


def _lookup(catalogue: Any, concept: str) -> Any:
    for attr in ("get", "lookup", "concept"):
        fn = getattr(catalogue, attr, None)
        if callable(fn):
            try:
                return fn(concept)
            except (KeyError, LookupError):
                return None
    concepts = getattr(catalogue, "concepts", None)
    if isinstance(concepts, dict):
        return concepts.get(concept)
    return None


@dataclass
class Dlnuf:
    """Questions whose answer a provider could supply, by provider, and the level."""

    items: int
    level: str
    questions: list[dict[str, Any]]
    by_provider: dict[str, list[str]]
    catalogue: bool
    already_prefilled: list[str]
    connected: list[str]
    filling: list[str]


def dlnuf(journey: CompiledJourney, catalogue: Any | None = None) -> Dlnuf:
    """Count items asked that a provider could supply.

    A question whose concept a provider can supply is an item, unless a provider the
    journey is connected to (its `prefill` list) really fills it: one Parcours reads that
    concept from (:data:`designer.prefill.FILLS`), for the person filling in (never the
    person concerned's data from the applicant's identity). A connection Parcours does not
    fill from leaves the question asked, and counted.
    """
    cat = catalogue if catalogue is not None else load_concepts()
    declared = list(getattr(journey.model, "prefill", []) or [])
    filling = prefill_connected(journey)
    filled = fillable(journey, filling)
    questions = []
    by_provider: dict[str, list[str]] = {}
    prefilled = []
    for q in journey.questions.values():
        concept = getattr(q.question, "concept", None)
        if not concept or q.type in NOT_ANSWERED or cat is None:
            continue
        providers = _providers_of(_lookup(cat, concept))
        if not providers:
            continue
        if q.id in filled:
            prefilled.append(q.id)
            continue
        questions.append({"question": q.id, "concept": concept, "providers": providers})
        for p in providers:
            by_provider.setdefault(p, []).append(q.id)
    return Dlnuf(
        items=len(questions),
        level=dlnuf_level(len(questions)),
        questions=questions,
        by_provider=by_provider,
        catalogue=cat is not None,
        already_prefilled=prefilled,
        connected=declared,
        filling=filling,
    )


def shared_concepts(journeys: list[CompiledJourney]) -> list[tuple[str, list[str]]]:
    """Concepts (or, without one, normalised labels) asked in several journeys."""
    seen: dict[str, set[str]] = {}
    for j in journeys:
        for q in j.questions.values():
            if q.type in NOT_ANSWERED:
                continue
            concept = getattr(q.question, "concept", None)
            key = concept or "« " + j.text(q.label).strip().lower().rstrip(" ?:") + " »"
            seen.setdefault(key, set()).add(j.id)
    shared = [(k, sorted(v)) for k, v in seen.items() if len(v) > 1]
    return sorted(shared, key=lambda kv: (-len(kv[1]), kv[0]))
