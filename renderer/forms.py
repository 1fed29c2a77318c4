"""Between answers and HTML fields: from a posted form to the raw values that the engine's
:meth:`designer.run.Run.answer_page` validates, from a value to the text of its field(s) or
of a summary, and typed answers as JSON (drafts store them).

Field names follow the renderer's HTML contract (docs/renderer.md): question ``q`` is ``q``;
a date is ``q-day``/``q-month``/``q-year``; an address is ``q-street``/``q-postcode``/
``q-commune``; a repeat item's question is ``<repeat>-<index>-<q>`` with ``<repeat>-count``
holding the number of items; a multichoice sends ``q`` once per checked value.

Nothing here decides relevance or validity: the engine does. The page's controls are
:mod:`renderer.controls`', its layout :mod:`renderer.pages`'.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from designer.compiled import CompiledJourney, QuestionInfo
from renderer.i18n import t

#: Items of a repeat accepted from a form when the journey sets no maximum.
MAX_ITEMS = 50

DATE_PARTS = ("day", "month", "year")
ADDRESS_PARTS = ("street", "postcode", "commune")


# -- typed answers as JSON (drafts store them) -------------------------------------------------


def encode(value: Any) -> Any:
    """A typed answer as plain JSON (a date becomes ``{"$date": "YYYY-MM-DD"}``)."""
    if isinstance(value, datetime.date):
        return {"$date": value.isoformat()}
    if isinstance(value, Mapping):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [encode(v) for v in value]
    return value


def decode(value: Any) -> Any:
    """The inverse of :func:`encode`."""
    if isinstance(value, dict):
        if set(value) == {"$date"}:
            return datetime.date.fromisoformat(value["$date"])
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def export_value(value: Any) -> Any:
    """A typed answer as the back office reads it in JSON (dates as ISO text)."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): export_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [export_value(v) for v in value]
    return value


# -- from a posted form to the engine's raw values ----------------------------------------------


def _single(form: Any, name: str) -> Any:
    values = form.getlist(name) if hasattr(form, "getlist") else [form.get(name)]
    values = [v for v in values if isinstance(v, str)]
    if not values:
        return None
    return values[0] if len(values) == 1 else values


def raw_field(form: Any, q: QuestionInfo, name: str) -> Any:
    """The raw value of one (non-repeat, non-file) question from its HTML fields."""
    if q.type == "date":
        return {part: (_single(form, f"{name}-{part}") or "") for part in DATE_PARTS}
    if q.type == "address":
        return {part: (_single(form, f"{name}-{part}") or "") for part in ADDRESS_PARTS}
    if q.type == "multichoice":
        return [v for v in form.getlist(name) if isinstance(v, str)]
    return _single(form, name)


def item_count(form: Any, q: QuestionInfo) -> int:
    """How many items of a repeat the form holds (bounded)."""
    limit = q.max if isinstance(q.max, int) else MAX_ITEMS
    text = _single(form, f"{q.id}-count")
    try:
        count = int(text) if isinstance(text, str) else 0
    except ValueError:
        count = 0
    return max(0, min(count, limit, MAX_ITEMS))


@dataclass
class Upload:
    """A file field of the form that carries a new upload."""

    field: str
    question: QuestionInfo
    filename: str
    content_type: str
    file: Any


def parse_page(
    journey: CompiledJourney,
    step_id: str,
    form: Any,
    displayed: set[str],
    base: Mapping[str, Any],
) -> tuple[dict[str, Any], list[Upload]]:
    """The engine's raw values for a page: posted fields for the ``displayed`` questions,
    ``base`` (stored or pending values) for the others. New uploads are returned apart."""
    raw: dict[str, Any] = {}
    uploads: list[Upload] = []
    for q in journey.step_questions(step_id):
        if not q.answers:
            continue
        if q.type == "repeat":
            raw[q.id] = _parse_repeat(journey, q, form, displayed, base.get(q.id), uploads)
        elif q.id not in displayed:
            if q.id in base:
                raw[q.id] = base[q.id]
        elif q.type == "file":
            raw[q.id] = base.get(q.id)
            _collect_upload(form, q, q.id, uploads)
        else:
            raw[q.id] = raw_field(form, q, q.id)
    return raw, uploads


def _collect_upload(form: Any, q: QuestionInfo, name: str, uploads: list[Upload]) -> None:
    value = form.get(name) if hasattr(form, "get") else None
    filename = getattr(value, "filename", None)
    if value is not None and not isinstance(value, str) and filename:
        uploads.append(Upload(name, q, str(filename), str(value.content_type or ""), value))


def _parse_repeat(
    journey: CompiledJourney,
    q: QuestionInfo,
    form: Any,
    displayed: set[str],
    base: Any,
    uploads: list[Upload],
) -> list[dict[str, Any]]:
    base_items = [i for i in base if isinstance(i, Mapping)] if isinstance(base, list) else []
    if q.id not in displayed:
        return [dict(i) for i in base_items]
    count = item_count(form, q)
    items: list[dict[str, Any]] = []
    inner = journey.item_questions(q.id)
    for index in range(count):
        stored = base_items[index] if index < len(base_items) else {}
        item: dict[str, Any] = {}
        for iq in inner:
            if not iq.answers:
                continue
            name = f"{q.id}-{index}-{iq.id}"
            if iq.id not in displayed:
                if iq.id in stored:
                    item[iq.id] = stored[iq.id]
            elif iq.type == "file":
                item[iq.id] = stored.get(iq.id)
                _collect_upload(form, iq, name, uploads)
            else:
                item[iq.id] = raw_field(form, iq, name)
        items.append(item)
    return items


# -- from values to the controls of a page ------------------------------------------------------


def field_text(q: QuestionInfo, value: Any, lang: str) -> Any:
    """A stored value (typed or raw) as the text of its HTML field(s)."""
    if value is None:
        return None
    if q.type == "date":
        if isinstance(value, datetime.date):
            return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}
        return value if isinstance(value, Mapping) else None
    if q.type == "address":
        return value if isinstance(value, Mapping) else None
    if q.type == "yesno":
        if value is True:
            return "yes"
        if value is False:
            return "no"
        return value if isinstance(value, str) else None
    if q.type == "multichoice":
        return [str(v) for v in value] if isinstance(value, list) else []
    if q.type == "decimal" and isinstance(value, float):
        text = f"{value:.10g}" if value != int(value) else str(int(value))
        return text.replace(".", ",") if lang == "fr" else text
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return [str(v) for v in value]
    return str(value)


def display_answer(journey: CompiledJourney, q: QuestionInfo, value: Any, lang: str) -> str:
    """A typed answer as the citizen reads it on the summary and the receipt."""
    if value is None or value == "" or value == []:
        return ""
    if q.type == "yesno":
        return t("yes", lang) if value else t("no", lang)
    if q.type in ("choice", "multichoice") and q.options is not None:
        values = value if isinstance(value, list) else [value]
        return ", ".join(journey.text(q.options.get(str(v), str(v)), lang) for v in values)
    if q.type == "date" and isinstance(value, datetime.date):
        return format_date(value, lang)
    if q.type == "address" and isinstance(value, Mapping):
        return f"{value.get('street', '')}, {value.get('postcode', '')} {value.get('commune', '')}"
    if q.type == "file" and isinstance(value, Mapping):
        return str(value.get("name", ""))
    if q.type in ("integer", "decimal"):
        text = field_text(q, value, lang) or ""
        unit = getattr(q.question, "unit", None)
        return f"{text} {unit}" if unit else str(text)
    return str(value)


MONTHS = {
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
}


def format_date(value: datetime.date, lang: str) -> str:
    """A date as people write it: ``27 mars 2007`` or ``27 March 2007``."""
    months = MONTHS.get(lang, MONTHS["fr"])
    return f"{value.day} {months[value.month - 1]} {value.year}"
