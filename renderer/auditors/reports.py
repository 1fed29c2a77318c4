"""The auditors' report pages, read-only (GET and HEAD): the portfolio of every served
journey and each journey's report, in HTML or JSON (built and kept by
:class:`renderer.reports.ReportShelf`)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from renderer.reports import Format, Page
from renderer.web import entry_or_404, parcours, safe_lang, url


def _format(request: Request) -> Format:
    return "json" if request.url.path.endswith(".json") else "html"


def _response(page: Page, fmt: Format) -> Response:
    if fmt == "json":
        response: Response = Response(page.body, media_type="application/json")
    else:
        response = HTMLResponse(page.body)
        # Only this page's own inline styles, no script (renderer/reports.py says why); the
        # security middleware keeps a header that a response already has.
        assert page.csp is not None
        response.headers["content-security-policy"] = page.csp
    # Nothing personal: a browser may keep the page, but asks again (a reload may change it).
    response.headers["cache-control"] = "no-cache"
    return response


async def portfolio_report(request: Request) -> Response:
    """Every served journey's key figures, ranked as `parcours report FOLDER` ranks them."""
    app = parcours(request)
    app.refresh()
    # Read-only: the language comes from ?lang= or an existing session; no session is made.
    lang = safe_lang(request)
    fmt = _format(request)
    entries = list(app.catalog.entries.values())
    # The portfolio links to each journey's served report, in the same language ({id} is
    # the report's placeholder for the journey id).
    link = url(request, "journey_report", {"lang": lang}, journey="{id}")
    # Up to a second per large journey the first time: not on the event loop.
    usage = app.usage
    if usage.enabled and await run_in_threadpool(usage.has_counts):
        page = await run_in_threadpool(
            app.reports.observed_portfolio_page, app.folder(), entries, lang, fmt, link,
            usage.counts, usage.threshold, usage.channels, usage.versions, usage.responses,
        )
    else:
        page = await run_in_threadpool(
            app.reports.portfolio_page, app.folder(), entries, lang, fmt, link
        )
    return _response(page, fmt)


async def journey_report(request: Request) -> Response:
    """One served journey's report, of the version being served."""
    entry = entry_or_404(request)
    fmt = _format(request)
    app = parcours(request)
    counts = await run_in_threadpool(app.usage.counts, entry.id) if app.usage.enabled else []
    if counts:
        channels = await run_in_threadpool(app.usage.channels, entry.id)
        versions = await run_in_threadpool(app.usage.versions, entry.id)
        responses = await run_in_threadpool(app.usage.responses, entry.id)
        page = await run_in_threadpool(
            app.reports.observed_page, entry, safe_lang(request), fmt, counts,
            app.usage.threshold, channels, versions, responses,
        )
    else:
        page = await run_in_threadpool(app.reports.journey_page, entry, safe_lang(request), fmt)
    return _response(page, fmt)
