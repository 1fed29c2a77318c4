"""What every agents' page shares: the agent's session (its own cookie and table, apart from
the citizens'), the CSRF check against it, rendering with the agent's context, and the
authorisation of a dossier.

An agent's cookie is signed like the citizen's but has its own name, is scoped to the back
office's paths and is ``SameSite=Strict``; a citizen's session id is worthless here.
"""

from __future__ import annotations

from typing import Any

from anyio import from_thread
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from renderer.backoffice.accounts import Accounts, AgentSession
from renderer.backoffice.dossiers import Dossier, Dossiers
from renderer.i18n import LANGUAGES, t
from renderer.security import CSRF_FIELD, csrf_ok
from renderer.web import parcours, read_form, redirect, render, url

COOKIE = "parcours_agent"
PATH = "/-/agents"


def current(request: Request) -> AgentSession | None:
    """The logged-in agent's session, or None (no cookie, forged, expired, or disabled)."""
    app = parcours(request)
    session_id = app.signer.unsign(request.cookies.get(COOKIE))
    if not session_id:
        return None
    session = Accounts(app.store).session(session_id)
    if session is not None:
        requested = request.query_params.get("lang")
        if requested in LANGUAGES and requested != session.lang:
            Accounts(app.store).set_lang(session, requested)
    return session


def set_cookie(request: Request, response: Response, session: AgentSession) -> None:
    """The agent's session cookie: signed id, HttpOnly, SameSite=Strict, back office only."""
    response.set_cookie(
        COOKIE, parcours(request).signer.sign(session.id), httponly=True, samesite="strict",
        secure=request.url.scheme == "https", path=PATH,
    )


def clear_cookie(response: Response) -> None:
    """Forget the agent's cookie (logout)."""
    response.delete_cookie(COOKIE, path=PATH)


def login_redirect(request: Request) -> Response:
    """To the login page (an agent page asked without a session)."""
    return redirect(request, url(request, "agents_login"))


def page(request: Request, template: str, context: dict[str, Any],
         session: AgentSession | None, status: int = 200) -> HTMLResponse:
    """Render an agents' page with the agent, its language and its CSRF token."""
    lang = session.lang if session is not None else _lang(request)
    base: dict[str, Any] = {"lang": lang, "agent": session.agent if session else None,
                            "csrf_token": session.csrf if session else ""}
    base.update(context)
    response = render(request, template, base, who=None, status=status)
    response.headers["x-robots-tag"] = "noindex"
    return response


def _lang(request: Request) -> str:
    requested = request.query_params.get("lang")
    return requested if requested in LANGUAGES else "fr"


def forbidden(request: Request, session: AgentSession | None) -> HTMLResponse:
    """The 403 page (a form whose CSRF token is not the session's: nothing changed)."""
    lang = session.lang if session else _lang(request)
    return page(request, "error.html", {
        "title": t("forbidden_title", lang), "body": t("forbidden_body", lang),
    }, session, status=403)


def checked_post(request: Request) -> tuple[AgentSession, FormData] | Response:
    """The agent and the posted form of a POST from a logged-in agent with a valid CSRF
    token; otherwise the login redirect or the 403 page (nothing changes).

    Called from a page running in the thread pool (every agents' page is a plain ``def``):
    the form is read on the event loop (``from_thread``), the store is used off it."""
    session = current(request)
    if session is None:
        return login_redirect(request)
    form = from_thread.run(read_form, request)
    if not csrf_ok(session.csrf, form.get(CSRF_FIELD)):
        return forbidden(request, session)
    return session, form


def dossier_for(request: Request, session: AgentSession) -> Dossier:
    """The dossier named in the URL if the agent may see it; 404 otherwise, the same answer
    whether it does not exist or belongs to another service (its existence is not told)."""
    dossier = Dossiers(parcours(request).store).get(request.path_params["reference"])
    if dossier is None or not session.agent.may_see(dossier.service):
        raise HTTPException(404)
    return dossier
