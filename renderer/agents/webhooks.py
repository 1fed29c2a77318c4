"""The administrators' page of the webhooks' deliveries: every event sent (or to send) to a
service's system, newest first, by pages, found by service and state, each with its last
attempt; and "retry now" (a POST with the session's CSRF token, audited) that re-queues a
failed delivery for the webhooks' job (renderer/api/deliveries.py).

Administrators only, checked here on the server: any other agent (an instructeur, a
mediator) gets 404, as for a page that does not exist; no session, the login page.
"""

from __future__ import annotations

import math
from urllib.parse import urlsplit

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from renderer.api.deliveries import (
    COUNT_CAP,
    FILTERS,
    PAGE_SIZE,
    RetryRefused,
    WebhookDelivery,
    count,
    listing,
    retry,
)
from renderer.backoffice.accounts import AgentSession
from renderer.backoffice.outbox import MAX_ATTEMPTS
from renderer.backoffice.paperwork import service_name, when
from renderer.i18n import t
from renderer.web import parcours, redirect, url

from .session import checked_post, current, login_redirect, page

#: Characters of a receiver's error shown in the list (the whole, up to 500, in the log).
SHOWN_ERROR = 120


def _admin(session: AgentSession) -> None:
    """Only an administrator sees the deliveries (the services' systems and their errors)."""
    if not session.agent.is_admin:
        raise HTTPException(404)


def _host(address: str) -> str:
    """The receiver's host (and port): never the path or credentials of its URL."""
    parts = urlsplit(address)
    host = parts.hostname or address[:60]
    return f"{host}:{parts.port}" if parts.port else host


def _answer(d: WebhookDelivery) -> str:
    """The last attempt's outcome: the receiver's status, or the error, shortened."""
    if d.status_code is not None:
        return f"HTTP {d.status_code}"
    if d.error:
        return d.error if len(d.error) <= SHOWN_ERROR else d.error[: SHOWN_ERROR - 1] + "…"
    return "—"


def _kept(service: str | None, state: str | None) -> dict[str, str]:
    return {k: v for k, v in (("service", service), ("etat", state)) if v}


def _page(
    request: Request, session: AgentSession, error: str | None = None, status: int = 200
) -> Response:
    app = parcours(request)
    lang = session.lang
    q = request.query_params
    service = q.get("service") if q.get("service") in app.catalog.services else None
    state = q.get("etat") if q.get("etat") in FILTERS else None
    try:
        asked = max(int(q.get("page") or 1), 1)
    except ValueError:
        asked = 1
    total = count(app.store, service, state)
    pages = max(math.ceil(min(total, COUNT_CAP) / PAGE_SIZE), 1)
    number = min(asked, pages)
    found = listing(app.store, service, state, offset=(number - 1) * PAGE_SIZE)
    kept = _kept(service, state)

    def page_url(n: int) -> str:
        return url(request, "agents_webhooks", {**kept, "page": str(n)})

    rows = [
        {
            "id": d.id,
            "event": d.event,
            "reference": d.reference,
            "service": service_name(app, d.service, lang),
            "host": _host(d.url),
            "created": when(d.created_at, lang),
            "attempts": d.attempts,
            "state": d.state,
            "state_text": t(f"wh_state_{d.state}", lang),
            "answer": _answer(d),
            "next": when(d.next_attempt_at, lang) if d.next_attempt_at else None,
            "retryable": d.retryable,
        }
        for d in found
    ]
    retried = q.get("relance")
    with_hooks = [s for s, declared in app.catalog.services.items() if declared.webhook]
    return page(
        request,
        "agents/webhooks.html",
        {
            "title": t("wh_title", lang),
            "max_attempts": MAX_ATTEMPTS,
            "rows": rows,
            "count": t(
                "wh_count_more" if total > COUNT_CAP else "wh_count",
                lang,
                count=min(total, COUNT_CAP),
            ),
            "page": number,
            "pages": pages,
            "previous_url": page_url(number - 1) if number > 1 else None,
            "next_url": page_url(number + 1) if number < pages else None,
            "services": [(s, service_name(app, s, lang)) for s in sorted(with_hooks)],
            "service": service,
            "states": [(s, t(f"wh_filter_{s}", lang)) for s in FILTERS],
            "state": state,
            "kept": kept,
            "error": error,
            "retried": retried if any(r["id"] == retried for r in rows) else None,
        },
        session,
        status=status,
    )


def deliveries_page(request: Request) -> Response:
    """The deliveries, newest first, a page at a time (``?service=``, ``?etat=``, ``?page=``)."""
    session = current(request)
    if session is None:
        return login_redirect(request)
    _admin(session)
    return _page(request, session)


def retry_post(request: Request) -> Response:
    """Re-queue a delivery for the webhooks' job (CSRF checked, audited); back to the list,
    or the list saying why nothing changed."""
    posted = checked_post(request)
    if isinstance(posted, Response):
        return posted
    session, form = posted
    _admin(session)
    delivery = request.path_params["delivery"]
    try:
        retry(parcours(request).store, session.agent.id, delivery)
    except RetryRefused as refused:
        return _page(request, session, t(refused.key, session.lang), status=refused.status)
    app = parcours(request)
    service = str(form.get("service") or "")
    state = str(form.get("etat") or "")
    kept = _kept(
        service if service in app.catalog.services else None, state if state in FILTERS else None
    )
    return redirect(request, url(request, "agents_webhooks", {**kept, "relance": delivery}))
