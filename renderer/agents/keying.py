"""Keying a paper form at the desk: one screen per journey with every question of the paper
form under its number, one form posted once (no script needed; with the citizens' script, a
question shows while its condition holds), the scan of the paper attached; the result is an
ordinary dossier of channel ``papier``.

Any agent who instructs (not a mediator) may key a journey's paper form; the dossier is
routed by the journey's routing like an online one. Validation, what is kept and where the
answers lead are the run's (:mod:`renderer.backoffice.keying`); errors are shown at their
question's number, and in a repeat with their block.
"""

from __future__ import annotations

from typing import Any

from anyio import from_thread
from markupsafe import Markup
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from designer.answers import encode, item_limit
from designer.compiled import CompiledJourney
from designer.paper.layout import PaperForm, PaperQuestion, lay_out
from renderer.backoffice.accounts import AgentSession
from renderer.backoffice.documents import LIMIT, BadDocument, has_upload, store_document
from renderer.backoffice.dossiers import Dossiers
from renderer.backoffice.intake import opener
from renderer.backoffice.keying import (
    ATTACHED,
    StrayTick,
    UnaskedTick,
    key,
    numbers,
    stray_ticks,
    untick_unasked,
)
from renderer.catalog import Entry
from renderer.controls import Builder, Control, Item
from renderer.i18n import t
from renderer.observe import SUBMISSIONS
from renderer.pages import PageErrors, error_links
from renderer.security import CSRF_FIELD, csrf_ok
from renderer.web import parcours, read_form, redirect, url

from .session import current, forbidden, login_redirect, page

#: The question name the scan is stored under, beside the dossier's answers' files.
SCAN = "_scan"
#: What a ticked file question holds while the scan is not stored (validation only).
NOT_STORED: dict[str, Any] = {"file": "", "name": "scan"}
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
    entries = sorted(
        parcours(request).catalog.entries.values(),
        key=lambda e: e.journey.text(e.journey.model.title, lang),
    )
    sent = request.query_params.get("sent", "")[:20]
    return page(
        request,
        "agents/keying_list.html",
        {
            "title": t("key_title", lang),
            "sent": sent if sent.isalnum() else "",
            "journeys": [
                (
                    url(request, "agents_keying", journey=e.id),
                    e.journey.text(e.journey.model.title, lang),
                )
                for e in entries
            ],
        },
        session,
    )


def _controls(
    journey: CompiledJourney,
    paper: PaperForm,
    raw: dict[str, Any],
    errors: PageErrors,
    lang: str,
    request: Request,
) -> list[dict[str, Any]]:
    """The paper's parts, each with its questions' controls under their numbers. A question
    asked only if carries its condition as the citizens' pages do (``data-when``), never
    ``hidden``: without scripts every question shows; with them, the citizens' script
    (renderer/static/parcours.js) hides it while the condition is false."""
    builder = Builder(journey, lang, parcours(request).today())

    def one(pq: PaperQuestion, name: str, value: Any) -> Control:
        q = pq.info
        c = builder.control(q, name, value, errors.by_field, False, when=q.when)
        c.label = f"{pq.number}. {c.label}"
        c.autocomplete = "off"  # the agent's browser must not fill in the agent's own data
        c.optional = False
        if q.type == "file":
            c.kind, c.options = "checkboxes", [(ATTACHED, t("key_attached", lang))]
            c.value = [ATTACHED] if value else []
        return _asked_if(c, pq.only_if)

    parts = []
    for part in paper.parts:
        controls = []
        for pq in part.questions:
            if not pq.number:
                continue  # an information block: read on the paper, nothing to key
            q = pq.info
            if q.type != "repeat":
                controls.append(one(pq, q.id, raw.get(q.id)))
                continue
            c = builder.control(q, q.id, None, errors.by_field, True, when=q.when)
            c.label = f"{pq.number}. {c.label}"
            found = raw.get(q.id)
            typed: list[Any] = found if isinstance(found, list) else []
            blocks = min(max(BLOCKS, q.min or 0, len(typed)), item_limit(q))
            c.value, c.item_label = blocks, c.label
            for index in range(blocks):
                item = typed[index] if index < len(typed) else {}
                c.items.append(
                    Item(
                        index,
                        t("item", lang, label=c.label, n=index + 1),
                        [
                            one(iq, f"{q.id}-{index}-{iq.info.id}", item.get(iq.info.id))
                            for iq in pq.items
                        ],
                        removable=False,
                    )
                )
            controls.append(_asked_if(c, pq.only_if))
        parts.append(
            {
                "number": part.number,
                "title": part.title,
                "controls": controls,
                "jumps": [j.text for j in part.jumps],
            }
        )
    return parts


def _asked_if(control: Control, only_if: str) -> Control:
    """The paper's "Répondez seulement si …" as the first line of the question's hint (read
    with it, and hidden with it)."""
    if only_if:
        line = Markup('<p class="pc-keying-only-if">{}</p>').format(only_if)
        control.hint = line + control.hint if control.hint else line
    return control


def _where(journey: CompiledJourney, repeat: str | None, index: int, lang: str) -> str:
    """The block a message is about: "Personne 2" (empty outside repeats)."""
    found = journey.questions.get(repeat) if repeat else None
    if found is None:
        return ""
    return t("item", lang, label=journey.text(found.label, lang), n=index + 1)


def _said(item: str, number: str, message: str, lang: str) -> str:
    """A message at its question's number, and its block in a repeat."""
    if item:
        return t("key_item_error", lang, item=item, n=number, message=message)
    return t("key_error", lang, n=number, message=message)


def _summary(
    journey: CompiledJourney,
    paper: PaperForm,
    errors: PageErrors,
    parts: list[dict[str, Any]],
    lang: str,
) -> list[tuple[str, str]]:
    """The error summary's links: each error at its question's number on the paper, and, in
    a repeat, its block ("Personne 2, question 3.1 : …")."""
    number_of = numbers(paper)

    def word(name: str, qid: str, message: str) -> str:
        q = journey.questions.get(qid)
        item = ""
        if q is not None and q.repeat:
            head = name.removeprefix(f"{q.repeat}-").partition("-")[0]
            if head.isascii() and head.isdigit() and len(head) < 10:
                item = _where(journey, q.repeat, int(head), lang)
        return _said(item, number_of.get(qid, "?"), message, lang)

    controls = [c for part in parts for c in part["controls"]]
    return error_links(errors, controls, word)


def _unasked(
    journey: CompiledJourney, paper: PaperForm, unasked: list[UnaskedTick], lang: str
) -> list[tuple[str, str]]:
    """The summary's links for boxes unticked because their question is not asked: to the
    block (in a repeat) or to the part, both shown whatever scripts hide."""
    number_of = numbers(paper)
    lines = []
    for tick in unasked:
        anchor = f"{tick.repeat}-{tick.index}"
        if tick.repeat is None:
            anchor = f"part-{paper.part_of(journey.questions[tick.question].step).number}"
        item = _where(journey, tick.repeat, tick.index, lang)
        message = t("key_unasked_tick", lang)
        lines.append((anchor, _said(item, number_of.get(tick.question, "?"), message, lang)))
    return lines


def _screen(
    request: Request,
    session: AgentSession,
    entry: Entry,
    raw: dict[str, Any],
    errors: list[Any],
    status: int = 200,
    scan_error: str | None = None,
    kept: tuple[str, str] | None = None,
    stray: list[StrayTick] | None = None,
    unasked: list[UnaskedTick] | None = None,
) -> Response:
    """The screen; ``kept``: the signed field and the name of a scan already stored;
    ``stray``: the boxes ticked for blocks the screen does not hold (nothing saved);
    ``unasked``: the boxes unticked because their question is not asked."""
    journey = entry.journey
    lang = session.lang
    paper = lay_out(journey)
    page_errors = PageErrors.of(errors, lang, journey)
    parts = _controls(journey, paper, raw, page_errors, lang, request)
    number_of = numbers(paper)
    summary = [("scan", scan_error)] if scan_error else []
    for tick in stray or []:
        line = (tick.repeat, t("key_stray_tick", lang, n=number_of.get(tick.question, "?")))
        if line not in summary:
            summary.append(line)
    summary += _unasked(journey, paper, unasked or [], lang)
    summary += _summary(journey, paper, page_errors, parts, lang)
    return page(
        request,
        "agents/keying.html",
        {
            "title": t("key_journey_title", lang, journey=journey.text(journey.model.title, lang)),
            "entry": entry,
            "parts": parts,
            "summary": summary,
            "scan_error": scan_error,
            "kept": kept,
            "today": parcours(request).today().isoformat(),
            "back_url": url(request, "agents_keying_list"),
        },
        session,
        status=status,
    )


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


def _kept(request: Request, session: AgentSession, form: FormData) -> tuple[str, str] | None:
    """The (draft, scan) kept from this agent's previous refused post of the screen: its
    signed field, so that a corrected form need not attach the scan again."""
    value = parcours(request).signer.unsign(str(form.get("kept_scan") or "")[:500])
    agent_id, _, rest = (value or "").partition(":")
    draft_id, _, scan_id = rest.partition(":")
    if agent_id != session.agent.id or not draft_id or not scan_id:
        return None
    stored = parcours(request).store.get_file(scan_id)
    return (draft_id, scan_id) if stored is not None and stored.draft_id == draft_id else None


def _scan(
    request: Request, session: AgentSession, entry: Entry, form: FormData
) -> tuple[str, str] | str:
    """The draft and the stored scan of this post (a new upload, else the kept one), or
    the message that says what is wrong with it."""
    app = parcours(request)
    upload = form.get("scan")
    if not has_upload(upload) or isinstance(upload, str) or upload is None:
        return _kept(request, session, form) or t("key_scan_missing", session.lang)
    data = from_thread.run(upload.read, LIMIT + 1)
    draft = app.store.create_draft(entry.id, entry.hash, None)
    try:
        return draft.id, store_document(app.store, draft.id, SCAN, upload.filename, data)
    except BadDocument:
        return t("key_scan_bad", session.lang)


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
    stray = stray_ticks(journey, form)
    if stray:
        return _refused(request, session, entry, form, stray)
    scan = _scan(request, session, entry, form)
    scan_error = scan if isinstance(scan, str) else None
    stored = app.store.get_file(scan[1]) if not isinstance(scan, str) else None
    answer = (
        {
            "file": stored.id,
            "name": stored.name,
            "size": stored.size,
            "content_type": stored.content_type,
            "sha256": stored.sha256,
        }
        if stored
        else NOT_STORED
    )
    keyed = key(journey, form, app.today(), answer)
    outcome = keyed.outcome
    if outcome is not None and journey.outcomes[outcome].kind != "submit":
        keyed.errors = []
        scan_error = t(
            "key_not_submitted", lang, outcome=journey.text(journey.outcomes[outcome].title, lang)
        )
    sendable = outcome is not None and journey.outcomes[outcome].kind == "submit"
    unasked = untick_unasked(journey, keyed) if sendable else []
    if keyed.errors or scan_error or outcome is None or isinstance(scan, str) or unasked:
        kept = None
        if stored is not None:
            kept = (app.signer.sign(f"{session.agent.id}:{scan[0]}:{scan[1]}"), stored.name)
        return _screen(
            request,
            session,
            entry,
            keyed.raw,
            keyed.errors,
            status=422,
            scan_error=scan_error,
            kept=kept,
            unasked=unasked,
        )
    draft = app.store.get_draft(scan[0])
    if draft is None or draft.submitted:  # sent by a post just before: its dossier
        found = app.store.submission_for_draft(scan[0])
        return _done(request, session, found.reference if found else None)
    kept_answers = keyed.run.kept_answers()
    paper_lang = journey.languages[0] if journey.languages else "fr"
    then = opener(
        app.store,
        app.catalog.services,
        journey,
        kept_answers,
        paper_lang,
        app.today(),
        keyed=(session.agent.id, scan[1]),
    )
    reference, created = app.store.submit(
        draft,
        encode({"outcome": outcome, "answers": kept_answers, "provenance": {}}),
        paper_lang,
        then=then,
    )
    if created:
        SUBMISSIONS.labels(entry.id).inc()
    return _done(request, session, reference)


def _refused(
    request: Request, session: AgentSession, entry: Entry, form: FormData, stray: list[StrayTick]
) -> Response:
    """A post with boxes ticked for blocks the screen does not hold: nothing is stored (not
    even a new scan), the screen is shown again without them, a scan kept before still
    kept."""
    app = parcours(request)
    ticks = {tick.field for tick in stray}
    fields = [(k, v) for k, v in form.multi_items() if k not in ticks]
    keyed = key(entry.journey, FormData(fields), app.today(), NOT_STORED)
    found = _kept(request, session, form)
    stored = app.store.get_file(found[1]) if found is not None else None
    kept = None
    if found is not None and stored is not None:
        kept = (app.signer.sign(f"{session.agent.id}:{found[0]}:{found[1]}"), stored.name)
    return _screen(
        request, session, entry, keyed.raw, keyed.errors, status=422, kept=kept, stray=stray
    )


def _done(request: Request, session: AgentSession, reference: str | None) -> Response:
    """To the dossier keyed, or to the journeys with its number when the agent's services
    do not include it (routed elsewhere)."""
    dossier = Dossiers(parcours(request).store).get(reference) if reference else None
    if dossier is not None and session.agent.may_see(dossier.service):
        return redirect(request, url(request, "agents_dossier", reference=dossier.reference))
    return redirect(
        request,
        url(request, "agents_keying_list", query={"sent": reference} if reference else None),
    )
