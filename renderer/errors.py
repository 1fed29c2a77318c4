"""The error pages: 400, 404 and 405 in the visitor's language, 500 without a traceback, 503
when the database is busy, and the pages the middlewares render before any route (413 for a
body too large, 400 for a host not served). Under ``/api/`` the same errors are JSON
problem documents (renderer/api/problems.py), never pages."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from renderer.api.bodies import PROBLEM_TYPE
from renderer.api.problems import PREFIX as API_PREFIX
from renderer.api.problems import is_api, problem
from renderer.databases import StoreBusy
from renderer.i18n import t
from renderer.printing import PrinterBusy
from renderer.web import Parcours, parcours, render, safe_lang

log = logging.getLogger("parcours.renderer")


async def not_found(request: Request, exc: Exception) -> Response:
    """A friendly 404 (or 400, 405, 410) in the citizen's language."""
    status = getattr(exc, "status_code", 404)
    if is_api(request):
        allow = (getattr(exc, "headers", None) or {}).get("Allow")
        return problem(status, None, None, {"allow": allow} if allow else None)
    lang = safe_lang(request)
    if status == 405:
        response = render(request, "error.html", {
            "lang": lang, "title": t("method_title", lang), "body": t("not_found_body", lang),
        }, status=405)
        # HTTP requires a 405 to say which methods the URL accepts.
        allow = (getattr(exc, "headers", None) or {}).get("Allow")
        if allow:
            response.headers["allow"] = allow
        return response
    if status == 400:
        return render(request, "error.html", {
            "lang": lang, "title": t("bad_request_title", lang),
            "body": t("bad_request_body", lang),
        }, status=400)
    if status == 410:
        return render(request, "error.html", {
            "lang": lang, "title": t("gone_title", lang), "body": t("gone_body", lang),
        }, status=410)
    return render(request, "error.html", {
        "lang": lang, "title": t("not_found_title", lang), "body": t("not_found_body", lang),
    }, status=404 if status == 404 else status)


async def busy(request: Request, exc: Exception) -> Response:
    """The database did not answer in time, or too many PDF documents are being made: a 503
    page; nothing was half written (each write is one statement or one transaction), and
    the answers saved before are kept."""
    # The PDF documents have their own bounded queue (renderer/printing.py): a full one is
    # said as such, to the operator and to the citizen, who did not send anything.
    printing = isinstance(exc, PrinterBusy)
    what = "PDF documents busy" if printing else "database busy"
    log.warning("%s on %s %s: %s", what, request.method, request.url.path, exc)
    if is_api(request):
        detail = ("Too many documents are being made: try again." if printing
                  else "The database is busy: try again.")
        return problem(503, "busy", detail, {"retry-after": "5"})
    requested = request.query_params.get("lang")
    lang = "en" if requested == "en" else "fr"  # no session read: the database is busy
    body = t("printer_busy_body" if printing else "busy_body", lang)
    html = parcours(request).page("error.html", lang, title=t("busy_title", lang), body=body)
    return HTMLResponse(html, status_code=503,
                        headers={"cache-control": "no-store", "retry-after": "5"})


async def server_error(request: Request, exc: Exception) -> Response:
    """A friendly 500: never a traceback on a citizen's screen (it goes to the log)."""
    if isinstance(exc, StoreBusy):
        return await busy(request, exc)
    log.exception("error on %s %s", request.method, request.url.path, exc_info=exc)
    if is_api(request):
        return problem(500, "error", "An error on the server's side; it is logged.")
    lang = safe_lang(request)
    html = parcours(request).page(
        "error.html", lang, title=t("error_title", lang), body=t("error_body", lang)
    )
    return HTMLResponse(html, status_code=500, headers={"cache-control": "no-store"})


def too_large_page(app: Parcours) -> Callable[[dict[str, Any]], tuple[bytes, str, str]]:
    """The 413 answer for the security middleware: (body, language, content type) from the
    ASGI scope; a problem document under ``/api/``, a page elsewhere."""

    def page(scope: dict[str, Any]) -> tuple[bytes, str, str]:
        query = scope.get("query_string", b"").decode("latin-1")
        lang = "en" if "lang=en" in query else "fr"
        size = f"{app.max_body / 1_000_000:.0f} {'Mo' if lang == 'fr' else 'MB'}"
        if str(scope.get("path", "")).startswith(API_PREFIX):
            answer = problem(413, "too_large", f"The body is larger than {size}.")
            return bytes(answer.body), "en", PROBLEM_TYPE
        html = app.page("error.html", lang, title=t("too_large_title", lang),
                        body=t("too_large_body", lang, size=size))
        return html.encode("utf-8"), lang, "text/html; charset=utf-8"

    return page


def bad_host_page(app: Parcours) -> Callable[[dict[str, Any]], tuple[bytes, str]]:
    """The 400 page of a Host header not served (:class:`renderer.security.HostCheck`)."""

    def page(scope: dict[str, Any]) -> tuple[bytes, str]:
        query = scope.get("query_string", b"").decode("latin-1")
        lang = "en" if "lang=en" in query else "fr"
        html = app.page("error.html", lang, title=t("bad_request_title", lang),
                        body=t("bad_host_body", lang))
        return html.encode("utf-8"), lang

    return page
