"""The front door (every journey served, searchable, by theme) and a journey's start page."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from designer.prefill import connected
from renderer.catalog import fold
from renderer.citizens import measure
from renderer.citizens.drafts import draft_context, node_url, resumed_elsewhere
from renderer.pages import minutes, preparation
from renderer.security import COOKIE
from renderer.web import (
    citizen,
    entry_or_404,
    journey_lang,
    keep_reading,
    parcours,
    reading,
    render,
    request_lang,
    url,
)


def front_door(request: Request) -> Response:
    """Every journey served, searchable, grouped by theme (or organisation)."""
    app = parcours(request)
    app.refresh()
    who = citizen(request, create=False) if request.cookies.get(COOKIE) else None
    lang = request_lang(request, who)
    query = (request.query_params.get("q") or "")[:200].strip()
    words = fold(query).split()
    groups: dict[str, list[dict[str, Any]]] = {}
    count = 0
    for entry in app.catalog.entries.values():
        j = entry.journey
        haystack = fold(" ".join([
            j.text(j.model.title, lang), j.text(j.model.summary, lang),
            j.text(j.model.organisation, lang),
            *(j.text(s.title, lang) for s in j.steps.values()),
        ]))
        if words and not all(w in haystack for w in words):
            continue
        theme_raw = entry.journey.document.data.get("x-theme") if isinstance(
            entry.journey.document.data, dict) else None
        theme = j.text(theme_raw, lang) if theme_raw else j.text(j.model.organisation, lang)
        groups.setdefault(theme, []).append({
            "id": j.id, "title": j.text(j.model.title, lang),
            "summary": j.text(j.model.summary, lang),
            "organisation": j.text(j.model.organisation, lang),
        })
        count += 1
    return render(request, "front.html", {
        "groups": sorted(groups.items()), "query": query, "count": count, "lang": lang,
        "reports_url": url(request, "portfolio_report", query={"lang": lang}),
    }, who=who)


def start_page(request: Request) -> Response:
    """What the procedure is for, what to prepare, how long it takes, other channels."""
    entry = entry_or_404(request)
    who = citizen(request)
    assert who is not None
    app = parcours(request)
    j = reading(entry.journey, who)
    lang = journey_lang(j, who.lang)
    ctx = draft_context(request, entry, who)
    in_progress = ctx is not None and not ctx.draft.submitted and bool(ctx.draft.state.get("seen"))
    measure.viewed(request, entry.id, entry.hash, lang)
    identity = who.session.data.get("franceconnect")
    claims = identity.get("claims", {}) if isinstance(identity, dict) else None
    return render(request, "start.html", {
        "franceconnect": "franceconnect" in connected(j, app.providers.available()),
        "fc_name": " ".join(str(claims.get(k, "")) for k in ("given_name", "family_name"))
        if claims is not None else None,
        "lang": lang,
        "prep": preparation(j, lang),
        "minutes": minutes(j, lang),
        "in_progress": in_progress,
        "resumed_elsewhere": ctx is None and resumed_elsewhere(request, entry, who),
        "continue_url": node_url(request, ctx, ctx.run.current)
        if ctx is not None and in_progress else None,
        # A visitor's choices reach their first POST in its address (see keep_reading).
        "start_action": url(request, "start", keep_reading(who), journey=entry.id),
        "paper_url": url(request, "paper_form", journey=entry.id),
    }, who=who, journey=j)
