"""The agents' documents: a dossier's acknowledgement of receipt (re-issued on demand), its
letters, and the print queue of the letters of citizens who chose the post (listed per
service, downloaded, marked printed with a POST that is audited).

Every page checks the agent's session; a letter or a dossier of a service the agent does
not see is a 404, the same as one that does not exist.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from renderer.backoffice.accounts import AgentSession
from renderer.backoffice.dossiers import Dossiers
from renderer.backoffice.letters import Letter, Letters
from renderer.backoffice.paperwork import filename, letter_rows, paperwork, pdf
from renderer.i18n import t
from renderer.web import parcours, redirect, url

from .session import checked_post, current, dossier_for, login_redirect, page


def receipt_pdf(request: Request) -> Response:
    """The dossier's acknowledgement of receipt, re-issued (marked so, dated today)."""
    session = current(request)
    if session is None:
        return login_redirect(request)
    d = dossier_for(request, session)
    return pdf(
        paperwork(request).receipt(d, reissued=True), filename("accuse-reception", d.reference)
    )


def _letter_for(request: Request, session: AgentSession) -> Letter:
    letter = Letters(parcours(request).store).get(request.path_params["letter"])
    if letter is None or not session.agent.may_see(letter.service):
        raise HTTPException(404)
    return letter


def letter_pdf(request: Request) -> Response:
    """One letter of a dossier the agent may see, as a PDF."""
    session = current(request)
    if session is None:
        return login_redirect(request)
    letter = _letter_for(request, session)
    d = Dossiers(parcours(request).store).get(letter.reference)
    assert d is not None
    return pdf(paperwork(request).letter(d, letter), filename(letter.kind, letter.reference))


def print_queue(request: Request) -> Response:
    """The letters to print of the agent's services (``?service=`` one of them)."""
    session = current(request)
    if session is None:
        return login_redirect(request)
    app = parcours(request)
    lang = session.lang
    writer = paperwork(request)
    visible = [s for s in sorted(app.catalog.services) if session.agent.may_see(s)]
    chosen = request.query_params.get("service")
    service = chosen if chosen in visible else None
    letters = Letters(app.store)
    return page(
        request,
        "agents/print_queue.html",
        {
            "title": t("bo_print_queue", lang),
            "rows": letter_rows(
                request, letters.queue(session.agent, service), lang, "agents_letter"
            ),
            "printed": letter_rows(
                request,
                letters.queue(session.agent, service, printed=True)[:20],
                lang,
                "agents_letter",
            ),
            "services": [(s, writer.service_name(s, lang)) for s in visible],
            "service": service,
        },
        session,
    )


def printed_post(request: Request) -> Response:
    """Mark a letter printed (CSRF checked, audited); back to the queue."""
    posted = checked_post(request)
    if isinstance(posted, Response):
        return posted
    session, form = posted
    letter = _letter_for(request, session)
    Letters(parcours(request).store).mark_printed(session.agent, letter.id)
    service = str(form.get("service") or "")
    query = {"service": service} if service and session.agent.may_see(service) else None
    return redirect(request, url(request, "agents_print_queue", query))
