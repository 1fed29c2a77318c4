"""The HTML field names of a page, both ways: posted fields to raw answers, answers to fields.

The contract of ../shared/spec/renderer.md: question ``q`` posts ``q``; a date may post
``q-day``, ``q-month``, ``q-year``; an address posts ``q-street``, ``q-postcode``,
``q-commune``; a multichoice posts ``q`` once per checked value; the questions of item
``i`` of repeat ``r`` post ``r-i-q`` (and ``r-i-q-day``…). Keeping both directions here,
next to the run semantics, lets the renderer, the tests and outside tools agree.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from designer.compiled import CompiledJourney, QuestionInfo

DATE_PARTS = ("day", "month", "year")
ADDRESS_PARTS = ("street", "postcode", "commune")
#: A hostile post cannot make a repeat allocate more items than this.
MAX_ITEMS = 100

Fields = Mapping[str, list[str]]


def _first(fields: Fields, name: str) -> str | None:
    values = fields.get(name)
    if not values:
        return None
    return values[0]


def _raw(q: QuestionInfo, fields: Fields, name: str) -> Any:
    if q.type == "multichoice":
        return [v for v in fields.get(name, []) if v != ""]
    if q.type == "date":
        parts = {p: _first(fields, f"{name}-{p}") for p in DATE_PARTS}
        if any(v is not None for v in parts.values()):
            return {p: v or "" for p, v in parts.items()}
        return _first(fields, name)
    if q.type == "address":
        parts = {p: _first(fields, f"{name}-{p}") for p in ADDRESS_PARTS}
        if any(v is not None for v in parts.values()):
            return {p: v or "" for p, v in parts.items()}
        return None
    return _first(fields, name)


def _item_indexes(repeat_id: str, fields: Fields) -> list[int]:
    prefix = f"{repeat_id}-"
    found: set[int] = set()
    for name in fields:
        if not name.startswith(prefix):
            continue
        head = name[len(prefix):].split("-", 1)[0]
        if head.isdigit() and len(head) <= 3:
            found.add(int(head))
    return sorted(found)[:MAX_ITEMS]


def from_fields(
    journey: CompiledJourney, step_id: str, fields: Fields, *, only: Iterable[str] | None = None
) -> dict[str, Any]:
    """Raw answers of a page (question id → raw value) from its posted fields.

    Fields that name no question of the page are ignored. Repeat items are taken in the
    order of their indexes, renumbered from 0, so a removed item leaves no hole.
    """
    wanted = set(only) if only is not None else None
    raw: dict[str, Any] = {}
    for q in journey.step_questions(step_id):
        if not q.answers or (wanted is not None and q.id not in wanted):
            continue
        if q.type == "repeat":
            items = []
            for i in _item_indexes(q.id, fields):
                item = {
                    iq.id: _raw(iq, fields, f"{q.id}-{i}-{iq.id}")
                    for iq in journey.item_questions(q.id)
                    if iq.answers
                }
                items.append(item)
            raw[q.id] = items
        else:
            raw[q.id] = _raw(q, fields, q.id)
    return raw


def _format_number(value: Any) -> str:
    if isinstance(value, float):
        text = f"{value:.10f}".rstrip("0").rstrip(".")
        return text
    return str(value)


def to_fields(q: QuestionInfo, value: Any, name: str | None = None) -> dict[str, Any]:
    """The field values that show ``value`` again in the inputs of question ``q``."""
    name = name or q.id
    if value is None:
        return {}
    if q.type == "multichoice":
        return {name: list(value)}
    if q.type == "yesno":
        return {name: "yes" if value else "no"}
    if q.type == "date" and isinstance(value, datetime.date):
        return {f"{name}-day": str(value.day), f"{name}-month": str(value.month),
                f"{name}-year": str(value.year), name: value.isoformat()}
    if q.type == "address" and isinstance(value, Mapping):
        return {f"{name}-{p}": str(value.get(p, "")) for p in ADDRESS_PARTS}
    if q.type in ("integer", "decimal"):
        return {name: _format_number(value)}
    if q.type == "file":
        return {name: value}
    return {name: str(value)}


def repeat_to_fields(
    journey: CompiledJourney, q: QuestionInfo, items: list[Mapping[str, Any]]
) -> dict[str, Any]:
    """The field values of every item of a repeat."""
    out: dict[str, Any] = {}
    for i, item in enumerate(items):
        for iq in journey.item_questions(q.id):
            out.update(to_fields(iq, item.get(iq.id), f"{q.id}-{i}-{iq.id}"))
    return out
