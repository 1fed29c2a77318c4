"""A journey's printable paper form, downloaded from its start page (renderer/paper.py)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from renderer.i18n import t
from renderer.web import (
    citizen,
    entry_or_404,
    journey_lang,
    parcours,
    reading,
    render,
    request_lang,
)


def paper_form(request: Request) -> Response:
    """``GET /{journey}/formulaire.pdf``: the paper form of the version served, in the
    citizen's language (and easy-to-read when they chose it). Reads the session, never
    creates one: a download is not a visit to keep."""
    entry = entry_or_404(request)
    who = citizen(request, create=False)
    journey = reading(entry.journey, who)
    lang = journey_lang(journey, request_lang(request, who))
    try:
        pdf = parcours(request).paper.pdf(journey, lang)
    except OSError:  # WeasyPrint without the system's Pango: say so, no traceback
        pdf, status = None, 503
    else:
        status = 404
    if pdf is None:
        return render(
            request,
            "error.html",
            {
                "lang": lang,
                "title": t("paper_unavailable_title", lang),
                "body": t("paper_unavailable_body", lang),
            },
            status=status,
            journey=entry.journey,
        )
    name = f"{entry.id}-formulaire.pdf"
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "content-disposition": f'attachment; filename="{name}"',
            # The same for everyone who reads that version in that language, but chosen by the
            # session: no shared cache.
            "cache-control": "private, max-age=3600",
        },
    )
