"""What the agents' print queue is narrowed to, read from its GET form (or from a form that
carries it on: the batch's page, its confirmation, a letter marked printed): the service,
the kind of letter, the dossier's reference (exact or its first characters) and the days
the letters were written; each value checked, a bad one set aside with the message that
says why (docs/backoffice.md, "Filtering the queue")."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from renderer.backoffice.letters import LETTER_KINDS, QueueFilter
from renderer.backoffice.search import read_day
from renderer.i18n import t

#: The query's names of the filters, in the form's order (``page`` is apart).
FIELDS = ("service", "kind", "reference", "match", "since", "until")
#: The longest reference the filter reads: a reference is 9 characters
#: (renderer.store.random_code); anything much longer is not one.
MAX_REFERENCE = 40


@dataclass
class QueueQuery:
    """The print queue's filters as read: the service (None: all the agent's), the
    filters, the messages of the values set aside (each with its field's id), and the
    query that shows the same letters again (for the pages' links and forms)."""

    service: str | None = None
    filters: QueueFilter = field(default_factory=QueueFilter)
    errors: list[tuple[str, str]] = field(default_factory=list)
    kept: dict[str, str] = field(default_factory=dict)
    #: The values as typed, to show them back in the form.
    typed: dict[str, str] = field(default_factory=dict)




def read_query(values: Mapping[str, Any], visible: list[str], lang: str) -> QueueQuery:
    """The filters of a query or a form (``visible``: the services the agent may see; any
    other is ignored, as before the filters). A kind that is not one, a reference too
    long, a date that is not AAAA-MM-JJ or a range that ends before it starts are set
    aside with their message; the other filters still apply."""
    typed = {k: str(values.get(k) or "").strip() for k in FIELDS}
    q = QueueQuery(typed={k: v[:200] for k, v in typed.items()})
    errors = q.errors
    if typed["service"] in visible:
        q.service = typed["service"]
    kind: str | None = None
    if typed["kind"] in LETTER_KINDS:
        kind = typed["kind"]
    elif typed["kind"]:
        errors.append(("q-kind", t("bo_queue_bad_kind", lang)))
    reference: str | None = typed["reference"].upper() or None
    if reference and len(reference) > MAX_REFERENCE:
        errors.append(("q-reference", t("bo_queue_bad_reference", lang, size=MAX_REFERENCE)))
        reference = None
    prefix = typed["match"] == "prefix"
    days: dict[str, datetime.date | None] = {}
    for name in ("since", "until"):
        days[name] = read_day(typed[name]) if typed[name] else None
        if typed[name] and days[name] is None:
            errors.append((f"q-{name}", t(f"bo_queue_bad_{name}", lang)))
    since, until = days["since"], days["until"]
    if since and until and until < since:
        errors.append(("q-until", t("bo_queue_bad_range", lang)))
        since = until = None
    q.filters = QueueFilter(kind, reference, prefix and reference is not None, since, until)
    kept = {
        "service": q.service,
        "kind": kind,
        "reference": reference,
        "match": "prefix" if q.filters.prefix else None,
        "since": since.isoformat() if since else None,
        "until": until.isoformat() if until else None,
    }
    q.kept = {k: v for k, v in kept.items() if v}
    return q
