"""The agents' dossier pages: the list of their services' dossiers (filters, pagination,
figures), a dossier (answers as the citizen confirmed them, files, history, messages,
annotations) and its actions (status, reassignment, annotation, message).

Every handler starts from the agent's session and :func:`dossier_for`, which answers 404
for a dossier of another service: rights are checked here, on the server, not by hiding
links.
"""

from __future__ import annotations

import datetime
import math
from typing import Any
from urllib.parse import quote, urlencode

from starlette.requests import Request
from starlette.responses import Response

from designer.answers import number_text
from renderer.answers import sent_sections
from renderer.api.tokens import ACTOR, Tokens
from renderer.backoffice.accounts import AgentSession
from renderer.backoffice.documents import BadDocument, attach_upload, has_upload
from renderer.backoffice.dossiers import COUNT_CAP, PAGE_SIZE, Dossier, Dossiers, Filters
from renderer.backoffice.letters import CONTACT_CHANNELS, Letters
from renderer.backoffice.paperwork import letter_rows, service_name
from renderer.backoffice.paperwork import when as _when
from renderer.backoffice.search import read_day
from renderer.backoffice.workflow import (
    DECIDED,
    STATUSES,
    WorkflowError,
    check_transition,
    next_statuses,
)
from renderer.i18n import t
from renderer.prefill import (
    CERTIFIED,
    DECLARED,
    provenance_of,
    provider_name,
    source_text,
)
from renderer.web import Parcours, parcours, redirect, url

from .session import checked_post, current, dossier_for, login_redirect, page

MAX_TEXT = 5000


def _service_name(app: Parcours, service: str | None, lang: str) -> str:
    return service_name(app, service, lang)


def _journey_title(app: Parcours, journey_id: str, lang: str) -> str:
    entry = app.catalog.get(journey_id)
    return entry.journey.text(entry.journey.model.title, lang) if entry else journey_id


def _date(value: str | None) -> tuple[datetime.date | None, bool]:
    if not value:
        return None, True
    day = read_day(value.strip())
    return day, day is not None


def dossier_list(request: Request) -> Response:
    """The dossiers of the agent's services, newest first, filtered and paginated."""
    session = current(request)
    if session is None:
        return login_redirect(request)
    if session.agent.is_mediator:  # a mediator's own list is elsewhere (renderer.mediators)
        return redirect(request, url(request, "mediators_home"))
    app = parcours(request)
    lang = session.lang
    q = request.query_params
    since, since_ok = _date(q.get("since"))
    until, until_ok = _date(q.get("until"))
    services = sorted(app.catalog.services)
    filters = Filters(
        journey=q.get("journey") if q.get("journey") in app.catalog.entries else None,
        status=q.get("status") if q.get("status") in STATUSES else None,
        service=q.get("service") if q.get("service") in services else None,
        since=since, until=until, text=(q.get("q") or "")[:200] or None,
    )
    try:
        number = max(int(q.get("page") or 1), 1)
    except ValueError:
        number = 1
    dossiers = Dossiers(app.store)
    found, total = dossiers.search(session.agent, filters, number, PAGE_SIZE)
    more = total > COUNT_CAP  # counted up to the cap: "more than 5,000", pages up to it
    pages = max(math.ceil(min(total, COUNT_CAP) / PAGE_SIZE), 1)
    kept = {k: v for k, v in q.items() if k in ("journey", "status", "service", "since",
                                                   "until", "q") and v}

    def page_url(n: int) -> str:
        return url(request, "agents_dossiers") + "?" + urlencode({**kept, "page": str(n)})

    rows = [{
        "reference": d.reference, "url": url(request, "agents_dossier", reference=d.reference),
        "journey": _journey_title(app, d.journey_id, lang),
        "service": _service_name(app, d.service, lang),
        "status": t(f"status_{d.status}", lang), "sent_on": _when(d.created_at, lang),
    } for d in found]
    visible = [s for s in services if session.agent.may_see(s)]
    statistics = [{
        "journey": _journey_title(app, jid, lang),
        "counts": [(t(f"status_{s}", lang), stats["counts"].get(s, 0)) for s in STATUSES],
        "median_days": stats["median_days"],
        "contacts": _shares(stats.get("contacts", {}), lang),
    } for jid, stats in sorted(dossiers.statistics(session.agent).items())]
    return page(request, "agents/list.html", {
        "title": t("bo_dossiers", lang), "rows": rows, "total": total, "page": number,
        "count": t("bo_count_more" if more else "bo_count", lang,
                   count=number_text(min(total, COUNT_CAP), lang)),
        "pages": pages, "previous_url": page_url(number - 1) if number > 1 else None,
        "next_url": page_url(number + 1) if number < pages else None,
        "filters": filters, "query": q, "bad_date": not (since_ok and until_ok),
        "journeys": [(e.id, e.journey.text(e.journey.model.title, lang))
                     for e in app.catalog.entries.values()],
        "statuses": [(s, t(f"status_{s}", lang)) for s in STATUSES],
        "services": [(s, _service_name(app, s, lang)) for s in visible],
        "statistics": statistics, "status_names": [t(f"status_{s}", lang) for s in STATUSES],
        "channels": _channel_shares(dossiers.channels(session.agent), lang),
    }, session)


def _channel_shares(counts: dict[str, int], lang: str) -> list[tuple[str, str, str]]:
    """Each channel (id, name) with its count and share of the dossiers, for the list."""
    total = sum(counts.values())
    return [(c, t(f"channel_{c}", lang), t("bo_channel_share", lang, count=n,
                                             share=round(100 * n / total) if total else 0))
            for c, n in counts.items()]


def _shares(counts: dict[str, int], lang: str) -> str:
    """"e-mail 75 % · courrier 25 %": the share of each contact channel."""
    total = sum(counts.values()) or 1
    return " · ".join(
        f"{t(f'contact_channel_{c}', lang)} {round(100 * counts.get(c, 0) / total)} %"
        for c in CONTACT_CHANNELS)


def _dossier_page(request: Request, session: AgentSession, d: Dossier,
                  errors: dict[str, str] | None = None, status: int = 200) -> Response:
    app = parcours(request)
    lang = session.lang
    dossiers = Dossiers(app.store)
    submission = app.store.submission(d.reference)
    assert submission is not None
    journey = app.catalog.version(app.store, submission.journey_id, submission.journey_hash)
    sections: list[dict[str, Any]] = []
    if journey is not None:
        sections = sent_sections(journey, submission, lang, app.today())
        provenance = provenance_of(submission)
        for section in sections:
            for row in section["rows"]:
                raw = row.get("raw")
                if row["type"] == "file" and isinstance(raw, dict) and raw.get("file"):
                    row["file_url"] = url(request, "agents_file", reference=d.reference,
                                          file=str(raw["file"]))
                if not row.get("label"):  # a repeat's items are typed by the citizen
                    row["provenance_kind"], row["provenance"] = _provenance(
                        provenance.get(row["qid"]), lang)
    agents = {a.id: a.email for a in _agents(app)}
    # A change made through the API names its token (renderer/api/tokens.py).
    agents.update({f"{ACTOR}{k.id}": f"API — {k.label or k.service}"
                   for k in Tokens(app.store).all()})
    history = []
    for h in dossiers.history(d.reference):
        if h.kind == "created":
            text = t("bo_history_created", lang)
        elif h.kind == "status":
            text = t("bo_history_status", lang, before=t(f"status_{h.before}", lang),
                     after=t(f"status_{h.after}", lang))
        else:
            text = t("bo_history_service", lang, before=_service_name(app, h.before, lang),
                     after=_service_name(app, h.after, lang))
        history.append({"at": _when(h.at, lang), "text": text, "note": h.note,
                        "by": agents.get(h.agent_id or "", ""),
                        "file_label": t("bo_keyed_scan" if h.kind == "created" else
                                        "bo_decision_document", lang),
                        "file_url": url(request, "agents_file", reference=d.reference,
                                        file=h.file_id) if h.file_id else None})
    messages = [{
        "at": _when(m.at, lang), "body": m.body,
        "author": agents.get(m.agent_id or "", t("bo_author_agent", lang))
        if m.author == "agent" else t("bo_author_citizen", lang),
        "file_url": url(request, "agents_file", reference=d.reference, file=m.file_id)
        if m.file_id else None,
    } for m in dossiers.messages(d.reference)]
    annotations = [{"at": _when(a.at, lang), "body": a.body, "by": agents.get(a.agent_id, "")}
                   for a in dossiers.annotations(d.reference)]
    helped = None
    if d.mediator_id is not None:
        helped = t("bo_helped_by", lang, mediator=agents.get(d.mediator_id, d.mediator_id),
                   structure=d.mediator_structure or "")
    return page(request, "agents/dossier.html", {
        "title": t("bo_dossier_title", lang, reference=d.reference), "d": d,
        "channel": t(f"channel_{d.channel}", lang), "helped": helped,
        "journey_title": _journey_title(app, d.journey_id, lang),
        "service": _service_name(app, d.service, lang),
        "status": t(f"status_{d.status}", lang), "sent_on": _when(d.created_at, lang),
        "sections": sections, "history": history, "messages": messages,
        "annotations": annotations, "decided": d.status in DECIDED,
        "next_statuses": [(s, t(f"status_{s}", lang)) for s in next_statuses(d.status)],
        "services": [(s, _service_name(app, s, lang)) for s in sorted(app.catalog.services)
                     if s != d.service],
        "errors": errors or {}, "back_url": url(request, "agents_dossiers"),
        "letters": letter_rows(request, Letters(app.store).of_dossier(d.reference), lang,
                               "agents_letter"),
    }, session, status=status)


def _provenance(info: dict[str, Any] | None, lang: str) -> tuple[str, str]:
    """Where an answer came from, for the agent: typed by the citizen, supplied by a
    provider (when), or corrected by the citizen (which provider's data, when)."""
    if not info:
        return "typed", t("bo_source_typed", lang)
    provider = str(info.get("provider"))
    if info.get("status") == DECLARED:
        return DECLARED, t("bo_source_declared", lang, provider=provider_name(provider, lang),
                           date=_when(str(info.get("corrected_at") or info.get("at")), lang))
    return CERTIFIED, t("bo_source_certified", lang, source=source_text(provider, lang),
                        date=_when(str(info.get("at")), lang))


def _agents(app: Parcours) -> list[Any]:
    from renderer.backoffice.accounts import Accounts

    return Accounts(app.store).all()


def dossier_page(request: Request) -> Response:
    """One dossier, if the agent's services include it (404 otherwise)."""
    session = current(request)
    if session is None:
        return login_redirect(request)
    return _dossier_page(request, session, dossier_for(request, session))


def _text(form: Any, name: str) -> str:
    return str(form.get(name) or "").strip()[:MAX_TEXT]


def _done(request: Request, d: Dossier, anchor: str) -> Response:
    return redirect(request, url(request, "agents_dossier", reference=d.reference) + anchor)


def status_post(request: Request) -> Response:
    """Move the dossier along the workflow (a reason for a refusal or a closing)."""
    posted = checked_post(request)
    if isinstance(posted, Response):
        return posted
    session, form = posted
    d = dossier_for(request, session)
    app = parcours(request)
    file_id = None
    upload = form.get("document")
    try:
        check_transition(d.status, _text(form, "status"), _text(form, "reason"))
        if has_upload(upload):
            file_id = attach_upload(app.store, d.reference, "decision", upload)
        Dossiers(app.store, app.catalog.services).change_status(
            session.agent, d.reference, _text(form, "status"), _text(form, "reason"), file_id)
    except WorkflowError as refused:
        return _dossier_page(request, session, d, {"status": t(refused.key, session.lang)},
                             status=400)
    except BadDocument:
        return _dossier_page(request, session, d,
                             {"document": t("follow_bad_file", session.lang)}, status=400)
    return _done(request, d, "#statut")


def reassign_post(request: Request) -> Response:
    """Send the dossier to another declared service, with a note."""
    posted = checked_post(request)
    if isinstance(posted, Response):
        return posted
    session, form = posted
    d = dossier_for(request, session)
    app = parcours(request)
    service = _text(form, "service")
    try:
        Dossiers(app.store, app.catalog.services).reassign(
            session.agent, d.reference, service, _text(form, "note"))
    except WorkflowError as refused:
        return _dossier_page(request, session, d, {"service": t(refused.key, session.lang)},
                             status=400)
    if not session.agent.may_see(service):
        return redirect(request, url(request, "agents_dossiers"))
    return _done(request, d, "#historique")


def annotate_post(request: Request) -> Response:
    """Add a private annotation (CSRF checked, the dossier authorised, an empty text refused
    on the page)."""
    posted = checked_post(request)
    if isinstance(posted, Response):
        return posted
    session, form = posted
    d = dossier_for(request, session)
    body = _text(form, "body")
    if not body:
        return _dossier_page(request, session, d, {"annotation": t("bo_empty", session.lang)},
                             status=400)
    Dossiers(parcours(request).store).annotate(session.agent, d.reference, body)
    return _done(request, d, "#annotations")


def message_post(request: Request) -> Response:
    """Write to the citizen (e-mailed a link to the follow-up page), with a document or not
    (the check of every document added after sending, as the API's)."""
    posted = checked_post(request)
    if isinstance(posted, Response):
        return posted
    session, form = posted
    d = dossier_for(request, session)
    body = _text(form, "body")
    if not body:
        return _dossier_page(request, session, d, {"message": t("bo_empty", session.lang)},
                             status=400)
    app = parcours(request)
    file_id = None
    upload = form.get("document")
    if has_upload(upload):
        try:
            file_id = attach_upload(app.store, d.reference, "message", upload)
        except BadDocument:
            return _dossier_page(request, session, d,
                                 {"message": t("follow_bad_file", session.lang)}, status=400)
    Dossiers(app.store).message_from_agent(session.agent, d.reference, body, file_id)
    return _done(request, d, "#messages")


def file_download(request: Request) -> Response:
    """A document of the dossier (its answers' files and the messages' attachments)."""
    session = current(request)
    if session is None:
        return login_redirect(request)
    d = dossier_for(request, session)
    return download(request, d.reference, request.path_params["file"])


def download(request: Request, reference: str, file_id: str) -> Response:
    """A stored file of the dossier ``reference`` as an attachment; 404 for any other file."""
    from starlette.exceptions import HTTPException

    app = parcours(request)
    submission = app.store.submission(reference)
    stored = app.store.get_file(file_id)
    if submission is None or stored is None or stored.draft_id != submission.draft_id:
        raise HTTPException(404)
    # An ASCII name for every client, and the real one in RFC 6266's filename* (UTF-8,
    # percent-encoded): a header is latin-1, so "cœur.pdf" as such would fail to send.
    safe = "".join(c for c in stored.name
                   if c.isascii() and (c.isalnum() or c in "._- "))[:100] or "document"
    real = quote(stored.name[:100], safe="")
    return Response(stored.data, media_type=stored.content_type, headers={
        "content-disposition": f"attachment; filename=\"{safe}\"; filename*=UTF-8''{real}",
        "cache-control": "no-store",
    })
