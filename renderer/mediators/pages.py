"""The mediators' pages: the dossiers a mediator helped with, the mandate that starts an
assisted journey, and the handover sheet given to the citizen.

A mediator logs in like an agent (same login, same session cookie, scoped to ``/-/agents``)
and sees these pages only: every handler asks :func:`_mediator` first (the login page for
no session, 404 for an agent of another role), and a dossier is shown only to the mediator
who keyed it (404 otherwise, the same answer whether it exists or not).

Recording the mandate opens a fresh citizen session in the mediator's browser (the citizens'
cookie, never the previous citizen's session) holding the mandate, and its draft: the
mediator then fills the journey with the citizen on the citizens' own pages, which show a
banner (:func:`renderer.web.mediation_banner`) and hide nothing; the submission reads the
mandate from that session (:mod:`renderer.citizens.submission`).
"""

from __future__ import annotations

import datetime
from typing import Any

from anyio import from_thread
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from designer.answers import date_text
from renderer.agents.session import current, forbidden, login_redirect, page
from renderer.backoffice.accounts import AgentSession
from renderer.backoffice.dossiers import ACCOMPAGNE, Dossier, Dossiers
from renderer.backoffice.mediation import CONSENTS, DURATIONS, Mandates
from renderer.backoffice.paperwork import filename, paperwork, pdf
from renderer.citizens.drafts import open_draft
from renderer.citizens.follow_code import follow_code
from renderer.i18n import t
from renderer.security import COOKIE, CSRF_FIELD, csrf_ok
from renderer.web import Citizen, Parcours, parcours, read_form, redirect, url

#: What the assisted session tells the usage counts (renderer/citizens/measure.py).


def _mediator(request: Request) -> AgentSession | Response:
    """The logged-in mediator; the login page without a session, 404 for another role (the
    mediators' pages are not told to agents, nor the agents' to mediators)."""
    session = current(request)
    if session is None:
        return login_redirect(request)
    if not session.agent.is_mediator:
        raise HTTPException(404)
    return session


def _posted(request: Request) -> tuple[AgentSession, FormData] | Response:
    """The mediator and the form of a POST with the session's CSRF token; the login page,
    404 or the 403 page otherwise (nothing changes). Runs in the thread pool."""
    form = from_thread.run(read_form, request)
    session = _mediator(request)
    if isinstance(session, Response):
        return session
    if not csrf_ok(session.csrf, form.get(CSRF_FIELD)):
        return forbidden(request, session)
    return session, form


def _title(app: Parcours, journey_id: str, lang: str) -> str:
    entry = app.catalog.get(journey_id)
    return entry.journey.text(entry.journey.model.title, lang) if entry else journey_id


def _when(stamp: str, lang: str) -> str:
    moment = datetime.datetime.fromisoformat(stamp)
    return date_text(moment.date(), lang) + moment.strftime(" %H:%M UTC")


def home(request: Request) -> Response:
    """The dossiers the mediator keyed with citizens (theirs only), newest first."""
    session = _mediator(request)
    if isinstance(session, Response):
        return session
    app = parcours(request)
    lang = session.lang
    rows = [
        {
            "reference": d.reference,
            "journey": _title(app, d.journey_id, lang),
            "status": t(f"status_{d.status}", lang),
            "sent_on": _when(d.created_at, lang),
            "url": url(request, "mediators_handover", reference=d.reference),
        }
        for d in Dossiers(app.store).helped_by(session.agent.id)
    ]
    mandates = [
        {
            "id": m.id,
            "citizen": m.citizen_name,
            "journey": _title(app, m.journey_id, lang),
            "until": _when(m.expires_at, lang),
            "state": t("mr_state_withdrawn", lang, date=_when(m.withdrawn_at, lang))
            if m.withdrawn_at
            else t("mr_state_active", lang),
            "action": None if m.withdrawn_at else url(request, "mediators_withdraw", mandate=m.id),
            "receipt": url(request, "mediators_mandate_receipt", mandate=m.id),
        }
        for m in Mandates(app.store).in_view_of(session.agent.id)
    ]
    return page(
        request,
        "mediators/home.html",
        {
            "title": t("med_home", lang),
            "rows": rows,
            "mandates": mandates,
            "withdrawn": request.query_params.get("retire") == "1",
            "structure": session.agent.structure,
        },
        session,
    )


def _mandate_page(
    request: Request,
    session: AgentSession,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    app = parcours(request)
    lang = session.lang
    return page(
        request,
        "mediators/mandate.html",
        {
            "title": t("med_mandate_title", lang),
            "values": values,
            "errors": errors,
            "mandate_text": t(
                "med_mandate_text",
                lang,
                mediator=session.agent.email,
                structure=session.agent.structure or "",
            ),
            "journeys": sorted(
                (
                    (e.id, e.journey.text(e.journey.model.title, lang))
                    for e in app.catalog.entries.values()
                ),
                key=lambda j: j[1],
            ),
            "durations": [(str(d), t(f"med_duration_{d}", lang)) for d in DURATIONS],
            "consents": [(c, t(f"med_consent_{c}", lang)) for c in CONSENTS],
            "back_url": url(request, "mediators_home"),
        },
        session,
        status=status,
    )


def mandate_page(request: Request) -> Response:
    """The mandate form: which procedure, whose, for how long, how consent was given."""
    session = _mediator(request)
    if isinstance(session, Response):
        return session
    return _mandate_page(request, session, {"duration": "1"}, {})


def mandate_post(request: Request) -> Response:
    """Record the citizen's mandate (audited), then open the assisted journey: a fresh
    citizen session holding the mandate, and its draft; the mediator goes to the mandate's
    receipt (:mod:`renderer.mediators.receipt`), which leads on to the journey."""
    posted = _posted(request)
    if isinstance(posted, Response):
        return posted
    session, form = posted
    app = parcours(request)
    values = {
        k: str(form.get(k) or "")[:1000]
        for k in ("journey", "citizen_name", "duration", "consent", "attest")
    }
    entry = app.catalog.get(values["journey"])
    days = int(values["duration"]) if values["duration"].isdigit() else 0
    keys = Mandates.problems(values["citizen_name"], values["consent"], days)
    if entry is None:
        keys.insert(0, "med_journey_missing")
    if not values["attest"]:
        keys.append("med_attest_missing")
    if keys or entry is None:
        errors = {_FIELD[k]: t(k, session.lang) for k in keys}
        return _mandate_page(request, session, values, errors, status=400)
    # The fields were checked: a mediator (checked first) records it.
    mandate = Mandates(app.store).record(
        session.agent, entry.id, values["citizen_name"], values["consent"], days
    )
    citizen_session = app.store.create_session(session.lang)
    citizen_session.data.update(
        {
            "channel": ACCOMPAGNE,
            "mediation": {
                "mandate": mandate.id,
                "journey": entry.id,
                "mediator": session.agent.email,
                "structure": mandate.structure,
                "citizen": mandate.citizen_name,
                "until": mandate.expires_at,
            },
        }
    )
    # The mediator lands on the mandate's receipt, to print it, and goes on from there.
    receipt = url(request, "mediators_mandate_receipt", mandate=mandate.id)
    return open_draft(request, entry, Citizen(citizen_session, True, session.lang), receipt)


#: The form field each refusal is shown at.
_FIELD = {
    "med_journey_missing": "journey",
    "med_name_missing": "citizen_name",
    "med_name_long": "citizen_name",
    "med_consent_missing": "consent",
    "med_duration_missing": "duration",
    "med_attest_missing": "attest",
}


def _helped(request: Request, session: AgentSession) -> Dossier:
    """The dossier in the URL if this mediator keyed it; 404 otherwise."""
    dossier = Dossiers(parcours(request).store).get(request.path_params["reference"][:100])
    if dossier is None or dossier.mediator_id != session.agent.id:
        raise HTTPException(404)
    return dossier


def handover(request: Request) -> Response:
    """The handover sheet of a dossier the mediator keyed: its number, the follow-up
    address and code, printable for a citizen without e-mail."""
    session = _mediator(request)
    if isinstance(session, Response):
        return session
    d = _helped(request, session)
    app = parcours(request)
    lang = d.lang if d.lang in ("fr", "en") else session.lang
    token = Dossiers(app.store).follow_token(d.reference)
    path = url(request, "follow", token=token)
    base = app.public_url or str(request.base_url).rstrip("/")
    context: dict[str, Any] = {
        "lang": lang,
        "title": t("med_handover_title", lang, reference=d.reference),
        "d": d,
        "journey_title": _title(app, d.journey_id, lang),
        "structure": d.mediator_structure or "",
        "sent_on": _when(d.created_at, lang),
        "follow_url": base + path,
        "code": follow_code(app.store, d.reference),
        "by_code_url": base + url(request, "follow_code"),
        "back_url": url(request, "mediators_home"),
        "pdf_url": url(request, "mediators_handover_pdf", reference=d.reference),
    }
    return page(request, "mediators/handover.html", context, session)


def handover_pdf(request: Request) -> Response:
    """The handover sheet as a PDF, for the mediator who keyed the dossier (404 otherwise)."""
    session = _mediator(request)
    if isinstance(session, Response):
        return session
    d = _helped(request, session)
    app = parcours(request)
    sheet = paperwork(request).handover(d, follow_code(app.store, d.reference))
    return pdf(sheet, filename("fiche-de-remise", d.reference))


def withdraw(request: Request) -> Response:
    """Withdraw one of the mediator's mandates still in force (audited); 404 for another
    mediator's, or one used, expired or withdrawn already (nothing changes)."""
    posted = _posted(request)
    if isinstance(posted, Response):
        return posted
    session, _form = posted
    mandate_id = request.path_params["mandate"][:100]
    if not Mandates(parcours(request).store).withdraw(session.agent, mandate_id):
        raise HTTPException(404)
    return redirect(request, url(request, "mediators_home", {"retire": "1"}))


def finish(request: Request) -> Response:
    """End the assisted session in this browser (the desk's computer): the citizen's cookie
    is removed, so that the next person at the desk reaches none of the previous one's
    pages (their dossier stays followed by its link)."""
    posted = _posted(request)
    if isinstance(posted, Response):
        return posted
    response = redirect(request, url(request, "mediators_home"))
    response.delete_cookie(COOKIE, path="/")
    return response
