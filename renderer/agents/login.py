"""The agents' login and logout.

Login is throttled per e-mail and per address (:mod:`renderer.backoffice.accounts`); its
form is protected against login CSRF by a double-submit token (a signed cookie and the
same token in the form), since there is no session yet. A successful login opens a new
session (a fresh id: no fixation).
"""

from __future__ import annotations

import secrets

from anyio import from_thread
from starlette.requests import Request
from starlette.responses import Response

from renderer.backoffice.accounts import Accounts, LoginRefused
from renderer.i18n import t
from renderer.security import CSRF_FIELD, client_address, csrf_ok
from renderer.web import parcours, read_form, redirect, url

from .session import PATH, clear_cookie, current, forbidden, page, set_cookie

LOGIN_COOKIE = "parcours_agent_login"


def _login_page(request: Request, error: str | None = None, email: str = "",
                status: int = 200) -> Response:
    token = secrets.token_urlsafe(24)
    lang = request.query_params.get("lang") or "fr"
    response = page(request, "agents/login.html", {
        "csrf_token": token, "error": t(error, lang) if error else None, "email": email,
        "title": t("bo_login_title", lang),
    }, None, status=status)
    response.set_cookie(LOGIN_COOKIE, parcours(request).signer.sign(token), httponly=True,
                        samesite="strict", secure=request.url.scheme == "https", path=PATH)
    return response


def login_page(request: Request) -> Response:
    """The login form (an agent already logged in goes to the dossiers)."""
    if current(request) is not None:
        return redirect(request, url(request, "agents_dossiers"))
    return _login_page(request)


def login_post(request: Request) -> Response:
    """Check the credentials (throttled); open a session and go to the dossiers."""
    app = parcours(request)
    form = from_thread.run(read_form, request)
    expected = app.signer.unsign(request.cookies.get(LOGIN_COOKIE))
    if not csrf_ok(expected, form.get(CSRF_FIELD)):
        return forbidden(request, None)
    email = str(form.get("email") or "")[:200]
    password = str(form.get("password") or "")[:1000]
    address = client_address(request)
    accounts = Accounts(app.store, app.throttle)
    try:
        agent = accounts.authenticate(email, password, address)
    except LoginRefused as refused:
        if refused.throttled:
            return _login_page(request, "bo_login_throttled", email, status=429)
        return _login_page(request, "bo_login_failed", email, status=401)
    lang = request.query_params.get("lang") or "fr"
    session = accounts.open_session(agent, lang if lang in ("fr", "en") else "fr")
    response = redirect(request, url(request, "agents_dossiers"))
    set_cookie(request, response, session)
    response.delete_cookie(LOGIN_COOKIE, path=PATH)
    return response


def logout(request: Request) -> Response:
    """Close the session (POST with the session's CSRF token)."""
    session = current(request)
    form = from_thread.run(read_form, request)
    if session is not None:
        if not csrf_ok(session.csrf, form.get(CSRF_FIELD)):
            return forbidden(request, session)
        Accounts(parcours(request).store).close_session(session.id)
    response = redirect(request, url(request, "agents_login"))
    clear_cookie(response)
    return response
