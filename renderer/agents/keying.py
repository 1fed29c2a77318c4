"""Keying a paper form at the desk: one screen per journey with every question of the paper
form under its number, one form posted once (no script needed), the scan of the paper
attached; the result is an ordinary dossier of channel ``papier``.

Any agent who instructs (not a mediator) may key a journey's paper form; the dossier is
routed by the journey's routing like an online one. Validation, what is kept and where the
answers lead are the run's (:mod:`renderer.backoffice.keying`); errors are shown at their
question's number.
"""

from __future__ import annotations

from typing import Any

from anyio import from_thread
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from designer.answers import encode, item_limit
from designer.compiled import CompiledJourney
from designer.paper.layout import PaperForm, lay_out
from renderer.backoffice.accounts import AgentSession
from renderer.backoffice.documents import LIMIT, BadDocument, has_upload, store_document
from renderer.backoffice.intake import opener
from renderer.backoffice.keying import ATTACHED, key, numbers
from renderer.catalog import Entry
from renderer.controls import Builder, Control, Item
from renderer.i18n import t
from renderer.observe import SUBMISSIONS
from renderer.pages import PageErrors
from renderer.security import CSRF_FIELD, csrf_ok
from renderer.web import parcours, read_form, redirect, url

from .session import current, forbidden, login_redirect, page

#: The question name the scan is stored under, beside the dossier's answers' files.
SCAN = "_scan"
#: Blank blocks of a repeat on the screen (the paper prints a few, "joindre une feuille").
BLOCKS = 3


def _agent(request: Request) -> AgentSession | Response:
    """The logged-in agent who may key (not a mediator: 404 for them)."""
    session = current(request)
    if session is None:
        return login_redirect(request)
    if session.agent.is_mediator:
        raise HTTPException(404)
    return session


def _entry(request: Request) -> Entry:
    entry = parcours(request).catalog.get(request.path_params["journey"])
    if entry is None:
        raise HTTPException(404)
    return entry


def journeys(request: Request) -> Response:
    """The journeys whose paper form can be keyed."""
    session = _agent(request)
    if isinstance(session, Response):
        return session
    lang = session.lang
    entries = sorted(parcours(request).catalog.entries.values(),
                     key=lambda e: e.journey.text(e.journey.model.title, lang))
    sent = request.query_params.get("sent", "")[:20]
    return page(request, "agents/keying_list.html", {
        "title": t("key_title", lang), "sent": sent if sent.isalnum() else "",
        "journeys": [(url(request, "agents_keying", journey=e.id),
                      e.journey.text(e.journey.model.title, lang)) for e in entries],
    }, session)


def _controls(journey: CompiledJourney, paper: PaperForm, raw: dict[str, Any],
              errors: PageErrors, lang: str, request: Request) -> list[dict[str, Any]]:
    """The paper's parts, each with its questions' controls under their numbers."""
    builder = Builder(journey, lang, parcours(request).today())

    def one(q: Any, name: str, number: str, value: Any) -> Control:
        c = builder.control(q, name, value, errors.by_field, False)
        c.label = f"{number}. {c.label}"
        c.autocomplete = "off"  # the agent's browser must not fill in the agent's own data
        c.optional = False
        if q.type == "file":
            c.kind, c.options = "checkboxes", [(ATTACHED, t("key_attached", lang))]
            c.value = [ATTACHED] if value else []
        return c

    parts = []
    for part in paper.parts:
        controls = []
        for pq in part.questions:
            if not pq.number:
                continue  # an information block: read on the paper, nothing to key
            q = pq.info
            if q.type != "repeat":
                controls.append({"only_if": pq.only_if,
                                 "control": one(q, q.id, pq.number, raw.get(q.id))})
                continue
            c = builder.control(q, q.id, None, errors.by_field, True)
            c.label = f"{pq.number}. {c.label}"
            found = raw.get(q.id)
            typed: list[Any] = found if isinstance(found, list) else []
            blocks = min(max(BLOCKS, q.min or 0, len(typed)), item_limit(q))
            c.value, c.item_label = blocks, c.label
            for index in range(blocks):
                item = typed[index] if index < len(typed) else {}
                c.items.append(Item(index, t("item", lang, label=c.label, n=index + 1), [
                    one(iq.info, f"{q.id}-{index}-{iq.info.id}", iq.number,
                        item.get(iq.info.id)) for iq in pq.items], removable=False))
            controls.append({"only_if": pq.only_if, "control": c})
        parts.append({"number": part.number, "title": part.title, "controls": controls,
                      "jumps": [j.text for j in part.jumps]})
    return parts


def _screen(request: Request, session: AgentSession, entry: Entry, raw: dict[str, Any],
            errors: list[Any], status: int = 200, scan_error: str | None = None) -> Response:
    journey = entry.journey
    lang = session.lang
    paper = lay_out(journey)
    page_errors = PageErrors.of(errors, lang, journey)
    number_of = numbers(paper)
    summary = [("scan", scan_error)] if scan_error else []
    summary += [(name, t("key_error", lang, n=number_of.get(qid, "?"), message=message))
                for name, qid, message in page_errors.order]
    return page(request, "agents/keying.html", {
        "title": t("key_journey_title", lang, journey=journey.text(journey.model.title, lang)),
        "entry": entry, "parts": _controls(journey, paper, raw, page_errors, lang, request),
        "summary": summary, "scan_error": scan_error,
        "back_url": url(request, "agents_keying_list"),
    }, session, status=status)


def keying_page(request: Request) -> Response:
    """The keying screen of a journey's paper form, blank."""
    session = _agent(request)
    if isinstance(session, Response):
        return session
    return _screen(request, session, _entry(request), {}, [])


def _posted(request: Request) -> tuple[AgentSession, FormData] | Response:
    form = from_thread.run(read_form, request)
    session = _agent(request)
    if isinstance(session, Response):
        return session
    if not csrf_ok(session.csrf, form.get(CSRF_FIELD)):
        return forbidden(request, session)
    return session, form


def keying_post(request: Request) -> Response:
    """Validate the keyed form as the run does; with no error and a good scan, the dossier
    (channel ``papier``, the scan attached), and its page."""
    posted = _posted(request)
    if isinstance(posted, Response):
        return posted
    session, form = posted
    entry = _entry(request)
    app = parcours(request)
    journey, lang = entry.journey, session.lang
    upload = form.get("scan")
    data = b""
    if has_upload(upload) and not isinstance(upload, str) and upload is not None:
        data = from_thread.run(upload.read, LIMIT + 1)
    placeholder = {"file": "", "name": getattr(upload, "filename", "") or "scan"}
    keyed = key(journey, form, app.today(), placeholder)
    scan_error = None if data else t("key_scan_missing", lang)
    outcome = keyed.outcome
    if outcome is not None and journey.outcomes[outcome].kind != "submit":
        keyed.errors = []
        scan_error = t("key_not_submitted", lang,
                       outcome=journey.text(journey.outcomes[outcome].title, lang))
    if keyed.errors or scan_error or outcome is None:
        return _screen(request, session, entry, keyed.raw, keyed.errors, status=422,
                       scan_error=scan_error)
    draft = app.store.create_draft(entry.id, entry.hash, None)
    try:
        scan_id = store_document(app.store, draft.id, SCAN, placeholder["name"], data)
    except BadDocument:
        return _screen(request, session, entry, keyed.raw, [], status=422,
                       scan_error=t("key_scan_bad", lang))
    stored = app.store.get_file(scan_id)
    assert stored is not None
    reference_of_scan = {"file": scan_id, "name": stored.name, "size": stored.size,
                         "content_type": stored.content_type, "sha256": stored.sha256}
    keyed = key(journey, form, app.today(), reference_of_scan)
    kept = keyed.run.kept_answers()
    paper_lang = journey.languages[0] if journey.languages else "fr"
    then = opener(app.store, app.catalog.services, journey, kept, paper_lang, app.today(),
                  keyed=(session.agent.id, scan_id))
    reference, _created = app.store.submit(
        draft, encode({"outcome": keyed.outcome, "answers": kept, "provenance": {}}),
        paper_lang, then=then)
    SUBMISSIONS.labels(entry.id).inc()
    from renderer.backoffice.dossiers import Dossiers

    dossier = Dossiers(app.store).get(reference)
    if dossier is not None and session.agent.may_see(dossier.service):
        return redirect(request, url(request, "agents_dossier", reference=reference))
    return redirect(request, url(request, "agents_keying_list", query={"sent": reference}))
