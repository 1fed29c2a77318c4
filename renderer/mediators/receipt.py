"""The receipt of a citizen's mandate, shown to the mediator right after recording it (to print,
or as a PDF) and kept on their home for the mandates in force.

The receipt says who acts for the citizen (the mediator and the structure), for which
procedure, since and until when, how consent was given, and how to withdraw it: the
withdrawal link and code (:func:`renderer.backoffice.mediation.withdrawal_code`), and the
page where the code is typed (:mod:`renderer.citizens.mandate_withdrawal`). Only the mediator
who recorded the mandate sees it (404 otherwise, whether it exists or not).
"""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from renderer.agents.session import page
from renderer.backoffice.accounts import AgentSession
from renderer.backoffice.mediation import Mandate, Mandates
from renderer.backoffice.paperwork import filename, paperwork, pdf, when
from renderer.i18n import t
from renderer.web import citizen, parcours, url

from .pages import _mediator, _title


def facts(request: Request, mandate: Mandate, mediator: str, lang: str) -> dict[str, Any]:
    """What the receipt says, the same on the page and in the PDF."""
    app = parcours(request)
    code = Mandates(app.store).receipt_code(mandate)
    base = app.public_url or str(request.base_url).rstrip("/")
    return {
        "title": t("mr_title", lang),
        # The document's letterhead and title (documents/_document.html).
        "organisation": mandate.structure,
        "service": "",
        "reference": mandate.structure,
        "structure": mandate.structure,
        "mediator": mediator,
        "citizen": mandate.citizen_name,
        "journey_title": _title(app, mandate.journey_id, lang),
        "given_on": when(mandate.created_at, lang),
        "until": when(mandate.expires_at, lang),
        "consent": t(f"mr_consent_{mandate.consent}", lang),
        "code": code,
        "withdraw_url": base + url(request, "mandate_withdraw", code=code),
        "by_code_url": base + url(request, "mandate_code"),
    }


def _recorded(request: Request, session: AgentSession) -> Mandate:
    """The mandate in the URL if this mediator recorded it; 404 otherwise."""
    mandate = Mandates(parcours(request).store).get(request.path_params["mandate"][:100])
    if mandate is None or mandate.agent_id != session.agent.id:
        raise HTTPException(404)
    return mandate


def _continue_url(request: Request, mandate: Mandate) -> str | None:
    """The journey's first page when this browser's citizen session is the assisted one of
    this mandate, still in force (right after recording it); None otherwise."""
    who = citizen(request, create=False)
    mediation = who.session.data.get("mediation") if who is not None else None
    entry = parcours(request).catalog.get(mandate.journey_id)
    if entry is None or not mandate.active() or not isinstance(mediation, dict):
        return None
    if mediation.get("mandate") != mandate.id:
        return None
    return url(request, "step", journey=entry.id, step=entry.journey.start)


def receipt(request: Request) -> Response:
    """The mandate's receipt, made for printing, with its PDF and (right after recording
    it) the way on to the journey."""
    session = _mediator(request)
    if isinstance(session, Response):
        return session
    mandate = _recorded(request, session)
    context = facts(request, mandate, session.agent.email, session.lang)
    context.update(
        back_url=url(request, "mediators_home"),
        pdf_url=url(request, "mediators_mandate_receipt_pdf", mandate=mandate.id),
        continue_url=_continue_url(request, mandate),
    )
    return page(request, "mediators/mandate_receipt.html", context, session)


def receipt_pdf(request: Request) -> Response:
    """The mandate's receipt as a PDF, for the mediator who recorded it (404 otherwise)."""
    session = _mediator(request)
    if isinstance(session, Response):
        return session
    mandate = _recorded(request, session)
    made = paperwork(request).mandate_receipt(
        mandate.journey_id,
        session.lang,
        facts(request, mandate, session.agent.email, session.lang),
    )
    return pdf(made, filename("recepisse-mandat", mandate.created_at[:10]))
