"""The citizen's follow-up page: the status of a dossier, its history, the agents' messages,
and a form to answer them with a document.

The page is reached only by its secret token (in the confirmation page and the e-mails,
or after typing the dossier's number and follow-up code, :mod:`renderer.citizens.follow_code`);
an unknown token gets the same "unknown link" page whatever it is, and wrong tokens are
counted per address (:mod:`renderer.throttle`, kind ``follow``), so that
guessing is both blind and slow.
"""

from __future__ import annotations

import datetime

from anyio import from_thread
from starlette.requests import Request
from starlette.responses import Response

from designer.answers import date_text
from renderer.backoffice.documents import BadDocument, attach_upload, has_upload
from renderer.backoffice.dossiers import Dossier, Dossiers
from renderer.backoffice.letters import Letters
from renderer.backoffice.paperwork import filename, letter_rows, paperwork, pdf
from renderer.i18n import t
from renderer.security import client_address
from renderer.web import Citizen, citizen, csrf_refused, parcours, read_form, redirect, render, url


def _dossier(request: Request, who: Citizen) -> Dossier | Response:
    """The dossier of the token in the URL, or the page that says nothing about it."""
    app = parcours(request)
    throttle = app.throttle
    address = client_address(request)
    if throttle.blocked("follow", address):
        return render(request, "error.html", {
            "title": t("follow_throttled_title", who.lang),
            "body": t("follow_throttled_body", who.lang)}, who=who, status=429)
    dossier = Dossiers(app.store).by_token(request.path_params["token"][:200])
    if dossier is None:
        throttle.fail("follow", address)
        return render(request, "error.html", {
            "title": t("follow_not_found_title", who.lang),
            "body": t("follow_not_found_body", who.lang)}, who=who, status=404)
    return dossier


def _page(request: Request, who: Citizen, d: Dossier, error: str | None = None,
          status: int = 200) -> Response:
    app = parcours(request)
    lang = who.lang
    dossiers = Dossiers(app.store)
    # The switch to the easy-to-read version, when the dossier's journey offers one.
    entry = app.catalog.get(d.journey_id)

    def when(stamp: str) -> str:
        moment = datetime.datetime.fromisoformat(stamp)
        return date_text(moment.date(), lang) + moment.strftime(" %H:%M UTC")

    # The citizen sees what concerns them: sent, and each status with its reason.
    token = request.path_params["token"]
    history = [{"at": when(h.at), "text": t(f"status_{h.after}", lang),
                "note": h.note if h.kind == "status" else None,
                "file_url": url(request, "follow_file", token=token, file=h.file_id)
                if h.file_id else None}
               for h in dossiers.history(d.reference) if h.kind in ("created", "status")]
    messages = [{"at": when(m.at), "body": m.body,
                 "author": t("bo_author_agent" if m.author == "agent" else "bo_author_citizen",
                             lang),
                 "file_url": url(request, "follow_file", token=token, file=m.file_id)
                 if m.file_id and m.author == "agent" else None}
                for m in dossiers.messages(d.reference)]
    return render(request, "follow.html", {
        "title": t("follow_title", lang, reference=d.reference), "d": d,
        "receipt_url": url(request, "follow_receipt", token=token),
        "letters": letter_rows(request, Letters(app.store).of_dossier(d.reference), lang,
                               "follow_letter", token=token),
        "status": t(f"status_{d.status}", lang), "history": history, "messages": messages,
        "error": error, "sent": request.query_params.get("sent") == "1",
        "action": url(request, "follow_post", token=token),
    }, who=who, status=status, falc_journey=entry.journey if entry is not None else None)


def follow_page(request: Request) -> Response:
    """The follow-up page of the dossier whose token is in the URL."""
    who = citizen(request)
    assert who is not None
    got = _dossier(request, who)
    if isinstance(got, Response):
        return got
    return _page(request, who, got)


def follow_post(request: Request) -> Response:
    """The citizen's answer (and document): stored, and the service told."""
    who = citizen(request)
    assert who is not None
    got = _dossier(request, who)
    if isinstance(got, Response):
        return got
    form = from_thread.run(read_form, request)
    if (refused := csrf_refused(request, who, form)) is not None:
        return refused
    app = parcours(request)
    body = str(form.get("body") or "").strip()[:5000]
    upload = form.get("document")
    file_id = None
    if has_upload(upload):
        try:
            file_id = attach_upload(app.store, got.reference, "follow-up", upload)
        except BadDocument:
            return _page(request, who, got, t("follow_bad_file", who.lang), status=400)
    if not body and file_id is None:
        return _page(request, who, got, t("bo_empty", who.lang), status=400)
    declared = app.catalog.services.get(got.service) if got.service else None
    Dossiers(app.store, app.catalog.services).message_from_citizen(
        got.reference, body, file_id, declared.email if declared else None)
    return redirect(request, url(request, "follow", {"sent": "1"},
                                 token=request.path_params["token"]) + "#messages", who)


def follow_file(request: Request) -> Response:
    """A document the agents gave the citizen (a decision, a message's), by the follow-up
    token; 404 for any other file."""
    from starlette.exceptions import HTTPException

    from renderer.agents.dossiers import download

    who = citizen(request)
    assert who is not None
    got = _dossier(request, who)
    if isinstance(got, Response):
        return got
    file_id = request.path_params["file"]
    dossiers = Dossiers(parcours(request).store)
    given = {h.file_id for h in dossiers.history(got.reference)} | {
        m.file_id for m in dossiers.messages(got.reference) if m.author == "agent"}
    if file_id not in given:
        raise HTTPException(404)
    return download(request, got.reference, file_id)


def follow_receipt(request: Request) -> Response:
    """The dossier's acknowledgement of receipt as a PDF, by the follow-up token."""
    who = citizen(request)
    assert who is not None
    got = _dossier(request, who)
    if isinstance(got, Response):
        return got
    return pdf(paperwork(request).receipt(got), filename("accuse-reception", got.reference))


def follow_letter(request: Request) -> Response:
    """A letter of the dossier (its decision, a letter by post), by the follow-up token;
    404 for a letter of another dossier."""
    from starlette.exceptions import HTTPException

    who = citizen(request)
    assert who is not None
    got = _dossier(request, who)
    if isinstance(got, Response):
        return got
    letter = Letters(parcours(request).store).get(request.path_params["letter"])
    if letter is None or letter.reference != got.reference:
        raise HTTPException(404)
    return pdf(paperwork(request).letter(got, letter), filename(letter.kind, got.reference))
