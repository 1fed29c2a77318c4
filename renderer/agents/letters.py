"""The agents' documents: a dossier's acknowledgement of receipt (re-issued on demand), its
letters, and the print queue of the letters of citizens who chose the post (listed per
service, narrowed by its filters (:mod:`.print_filters`), by pages with their count,
downloaded one by one or as one PDF per batch, marked printed with a POST that is
audited).

Every page checks the agent's session; a letter or a dossier of a service the agent does
not see is a 404, the same as one that does not exist.
"""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from renderer.backoffice.accounts import AgentSession
from renderer.backoffice.dossiers import Dossiers
from renderer.backoffice.letters import (
    LAST_PRINTED,
    LETTER_KINDS,
    PRINT_BATCH,
    BadBatch,
    Letter,
    Letters,
)
from renderer.backoffice.paperwork import filename, letter_rows, paperwork, pdf
from renderer.i18n import t
from renderer.web import parcours, redirect, url

from .print_filters import QueueQuery, read_query
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


def _queue_slice(
    letters: Letters, session: AgentSession, query: QueueQuery, asked_page: str | None
) -> tuple[int, int, int, list[Letter]]:
    """The page ``asked_page`` of the queue as ``query`` narrows it (the last page when past
    it, the first when not a number): how many letters wait, the number of pages, the
    page's number and letters."""
    service, filters = query.service, query.filters
    total = letters.waiting(session.agent, service, filters)
    pages = max(math.ceil(total / PRINT_BATCH), 1)
    try:
        number = min(max(int(asked_page or 1), 1), pages)
    except ValueError:
        number = 1
    return total, pages, number, letters.queue(
        session.agent, service, offset=(number - 1) * PRINT_BATCH, filters=filters
    )


def _visible(request: Request, session: AgentSession) -> list[str]:
    """The services whose letters the agent may see."""
    return [s for s in sorted(parcours(request).catalog.services) if session.agent.may_see(s)]


def _query(request: Request, session: AgentSession, values: Any = None) -> QueueQuery:
    """The queue's filters read from the request's query (or from ``values``, a form)."""
    return read_query(
        request.query_params if values is None else values,
        _visible(request, session),
        session.lang,
    )


def _queue_page(
    request: Request, session: AgentSession, error: str | None = None, status: int = 200
) -> Response:
    """The print queue of the agent's services as its filters narrow it (``?service=``,
    ``kind``, ``reference`` and ``match``, ``since`` and ``until``), a page of
    :data:`PRINT_BATCH` at a time (``?page=``), with their count; ``error``: why a batch
    was refused (nothing changed). A filter set aside is said, 400, the others apply."""
    app = parcours(request)
    lang = session.lang
    writer = paperwork(request)
    visible = _visible(request, session)
    query = _query(request, session)
    service = query.service
    letters = Letters(app.store)
    total, pages, number, shown = _queue_slice(
        letters, session, query, request.query_params.get("page")
    )
    if query.errors and status == 200:
        status = 400

    def page_url(n: int) -> str:
        return url(request, "agents_print_queue", {**query.kept, "page": str(n)})

    return page(
        request,
        "agents/print_queue.html",
        {
            "title": t("bo_print_queue", lang),
            "rows": letter_rows(request, shown, lang, "agents_letter"),
            "total": total,
            "page": number,
            "pages": pages,
            "previous_url": page_url(number - 1) if number > 1 else None,
            "next_url": page_url(number + 1) if number < pages else None,
            "batch": PRINT_BATCH,
            "error": error,
            "printed": letter_rows(
                request,
                letters.queue(
                    session.agent,
                    service,
                    printed=True,
                    limit=LAST_PRINTED,
                    filters=query.filters,
                ),
                lang,
                "agents_letter",
            ),
            "services": [(s, writer.service_name(s, lang)) for s in visible],
            "service": service,
            "kinds": [(k, t(f"doc_kind_{k}", lang)) for k in LETTER_KINDS],
            "typed": query.typed,
            "filters": query.filters,
            "kept": query.kept,
            "filter_errors": query.errors,
        },
        session,
        status=status,
    )


def print_queue(request: Request) -> Response:
    """The letters to print of the agent's services, by pages, with their count."""
    session = current(request)
    if session is None:
        return login_redirect(request)
    return _queue_page(request, session)


def _refused(request: Request, session: AgentSession, refused: BadBatch) -> Response:
    """The queue again, saying why the batch was refused (400: nothing changed)."""
    message = t(refused.key, session.lang, batch=PRINT_BATCH)
    return _queue_page(request, session, message, status=400)


def _asked(request: Request, session: AgentSession) -> list[str]:
    """The ids of the batch asked for: the letters ticked (``courrier``), or with ``tout``
    every letter of the queue's page (``page``, and the filters) as the agent saw it."""
    q = request.query_params
    if not q.get("tout"):
        return q.getlist("courrier")
    letters = Letters(parcours(request).store)
    shown = _queue_slice(letters, session, _query(request, session), q.get("page"))[3]
    return [x.id for x in shown]


def batch_page(request: Request) -> Response:
    """A batch of letters to print at once: what it holds, the link to its one PDF and the
    form that confirms it was printed (nothing changes until that POST)."""
    session = current(request)
    if session is None:
        return login_redirect(request)
    try:
        chosen = Letters(parcours(request).store).batch(session.agent, _asked(request, session))
    except BadBatch as refused:
        return _refused(request, session, refused)
    ids = [("courrier", x.id) for x in chosen]
    kept = _query(request, session).kept
    return page(
        request,
        "agents/print_batch.html",
        {
            "title": t("bo_batch_title", session.lang, count=len(chosen)),
            "rows": letter_rows(request, chosen, session.lang, "agents_letter"),
            "ids": [x.id for x in chosen],
            "pdf_url": url(request, "agents_batch_pdf") + "?" + urlencode(ids),
            "back_url": url(request, "agents_print_queue", kept or None),
            "kept": kept,
        },
        session,
    )


def batch_pdf(request: Request) -> Response:
    """The letters of a batch as one PDF, each from a new page, in the order of the queue,
    made by the bounded printer (in the thread pool, as every agents' page)."""
    session = current(request)
    if session is None:
        return login_redirect(request)
    try:
        chosen = Letters(parcours(request).store).batch(
            session.agent, request.query_params.getlist("courrier")
        )
    except BadBatch as refused:
        return _refused(request, session, refused)
    dossiers = Dossiers(parcours(request).store)
    pairs = []
    for letter in chosen:
        d = dossiers.get(letter.reference)
        assert d is not None
        pairs.append((d, letter))
    today = parcours(request).today().isoformat()
    return pdf(paperwork(request).letters(pairs), f"courriers-{today}-{len(pairs)}.pdf")


def batch_printed_post(request: Request) -> Response:
    """Mark a batch printed, all or nothing (CSRF checked, each letter audited); back to
    the queue, or the queue saying why nothing changed."""
    try:
        posted = checked_post(request)
    except HTTPException as refused:
        # A form of more fields than any page posts (renderer.web.MAX_FORM_FIELDS) is
        # refused unread: thousands of ids, said as such rather than by the bare 400 page.
        session = current(request)
        if refused.status_code != 400 or session is None:
            raise
        return _refused(request, session, BadBatch("bo_batch_too_many"))
    if isinstance(posted, Response):
        return posted
    session, form = posted
    try:
        Letters(parcours(request).store).mark_batch_printed(
            session.agent, [str(v) for v in form.getlist("courrier")]
        )
    except BadBatch as refused:
        return _refused(request, session, refused)
    kept = _query(request, session, form).kept
    return redirect(request, url(request, "agents_print_queue", kept or None))


def printed_post(request: Request) -> Response:
    """Mark a letter printed (CSRF checked, audited); back to the queue."""
    posted = checked_post(request)
    if isinstance(posted, Response):
        return posted
    session, form = posted
    letter = _letter_for(request, session)
    Letters(parcours(request).store).mark_printed(session.agent, letter.id)
    kept = _query(request, session, form).kept
    return redirect(request, url(request, "agents_print_queue", kept or None))
