"""A submission becomes a dossier: routed to its service, opened with its notifications.

:func:`opener` gives the callback that :meth:`renderer.store.Store.submit` runs inside the
transaction writing the submission, so a dossier without its processing row (or its
receipt e-mail) cannot exist.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from typing import Any

from designer.compiled import CompiledJourney
from designer.organisation import Service
from designer.routing import route
from renderer.store import Store

from .dossiers import ACCOMPAGNE, EN_LIGNE, PAPIER, Dossiers
from .letters import EMAIL
from .mediation import Mandate, Mandates

#: The concept that marks the citizen's own e-mail when a journey asks several.
EMAIL_CONCEPT = "contact.email"


def citizen_email(journey: CompiledJourney, answers: Mapping[str, Any]) -> str | None:
    """The citizen's e-mail among the answers: the question of concept ``contact.email``,
    else the first e-mail question answered (None: the citizen gave none)."""
    emails = [q for q in journey.questions.values() if q.type == "email" and q.repeat is None]
    emails.sort(key=lambda q: getattr(q.question, "concept", None) != EMAIL_CONCEPT)
    for q in emails:
        value = answers.get(q.id)
        if isinstance(value, str) and "@" in value:
            return value
    return None


def opener(store: Store, services: Mapping[str, Service], journey: CompiledJourney,
           answers: Mapping[str, Any], lang: str,
           today: datetime.date | None = None,
           mandate: Mandate | None = None,
           keyed: tuple[str, str] | None = None,
           contact_channel: str = EMAIL) -> Callable[[Any, str], None]:
    """The callback opening the dossier of these answers in the submission's transaction;
    with a ``mandate``, a dossier keyed by a mediator with the citizen (channel
    ``accompagne``), the mandate bound to it; with ``keyed`` (agent id, scan's file id), a
    paper form keyed at the desk (channel ``papier``). (Their audit entries number
    themselves: two at once collide on the number, which the submission retries like a
    reference collision.) The citizen is told by ``contact_channel`` (``email`` or
    ``post``)."""
    service = route(journey, answers, today)
    declared = services.get(service) if service is not None else None

    def open_dossier(conn: Any, reference: str) -> None:
        Dossiers(store, services).open(
            conn, reference, journey.id, service, answers, lang,
            citizen_email(journey, answers), declared.email if declared else None,
            journey.text(journey.model.title, lang),
            ACCOMPAGNE if mandate else PAPIER if keyed else EN_LIGNE,
            (mandate.agent_id, mandate.structure) if mandate else None, keyed,
            contact_channel,
        )
        if mandate is not None:
            Mandates(store).bind(conn, mandate, reference)

    return open_dossier
