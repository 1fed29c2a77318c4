"""The end of a journey: check your answers, send the dossier, the confirmation and the
printable receipt, and the exit pages (not eligible, served elsewhere)."""

from __future__ import annotations

import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from designer.answers import date_text, decode, encode, yes_no_text
from designer.compiled import CompiledJourney
from renderer.answers import add_sources, review_sections
from renderer.backoffice.dossiers import Dossiers
from renderer.backoffice.intake import citizen_email, opener
from renderer.backoffice.letters import contact_channel
from renderer.backoffice.mediation import Mandate, Mandates
from renderer.backoffice.paperwork import filename, paperwork, pdf
from renderer.catalog import Entry
from renderer.citizens import measure
from renderer.citizens.drafts import (
    Context,
    draft_context,
    draft_page,
    draft_post,
    node_url,
    save,
)
from renderer.i18n import t
from renderer.observe import SUBMISSIONS
from renderer.prefill import provenance, submission_provenance
from renderer.store import Submission
from renderer.web import (
    Citizen,
    checked_post,
    citizen,
    entry_or_404,
    journey_lang,
    parcours,
    reading,
    redirect,
    render,
    url,
)


def check_page(request: Request) -> Response:
    """Every shown answer grouped by page, each with a Change link."""
    got = draft_page(request)
    if isinstance(got, Response):
        return got
    who, ctx = got
    if ctx.draft.submitted:
        return redirect(request, url(request, "confirmation", journey=ctx.id), who)
    outcome = ctx.run.outcome
    if outcome is None or ctx.journey.outcomes[outcome].kind != "submit":
        return redirect(request, node_url(request, ctx, ctx.run.current), who)
    j = reading(ctx.journey, who)
    lang = journey_lang(j, who.lang)
    return render(request, "check.html", {
        "lang": lang, "sections": _review(request, ctx, lang, j),
        "back_url": _last_page_url(request, ctx),
        "contact_email": citizen_email(j, ctx.run.kept_answers()),
    }, who=who, journey=j)


def _last_page_url(request: Request, ctx: Context) -> str:
    pages = ctx.run.pages()
    if pages:
        return url(request, "step", journey=ctx.id, step=pages[-1].step)
    return url(request, "start_page", journey=ctx.id)


def _review(
    request: Request, ctx: Context, lang: str, journey: CompiledJourney
) -> list[dict[str, Any]]:
    """The answers as the summary shows them, in the texts the citizen reads (``journey``:
    the draft's journey, or its easy-to-read view)."""
    sections = review_sections(
        journey, ctx.run, lang,
        lambda step_id: url(request, "step", {"change": "1"}, journey=ctx.id, step=step_id),
    )
    return add_sources(sections, provenance(ctx.draft), lang)


def submit(request: Request) -> Response:
    """Send the dossier once: a replay returns the same reference."""
    got = draft_post(request)
    if isinstance(got, Response):
        return got
    who, ctx, form = got
    if not ctx.draft.submitted:
        outcome = ctx.run.outcome
        if outcome is None or ctx.journey.outcomes[outcome].kind != "submit":
            return redirect(request, node_url(request, ctx, ctx.run.current), who)
        kept = ctx.run.kept_answers()
        app = parcours(request)
        covered, mandate = _mandate(request, who, ctx.id)
        if not covered:
            lang = journey_lang(ctx.journey, who.lang)
            return render(request, "error.html", {
                "title": t("med_mandate_over_title", lang),
                "body": t("med_mandate_over_body", lang)}, who=who, status=403)
        # The dossier is routed and its processing opened in the submission's transaction.
        then = opener(app.store, app.catalog.services, ctx.journey, kept, who.lang, app.today(),
                      mandate, contact_channel=contact_channel(form.get("contact_channel")))
        _reference, created = app.store.submit(
            ctx.draft, encode({"outcome": outcome, "answers": kept,
                               "provenance": submission_provenance(ctx.draft, kept)}),
            who.lang, then=then
        )
        if created:
            SUBMISSIONS.labels(ctx.id).inc()
            measure.submitted(request, ctx, who, outcome)
    # Only the session that sent a dossier reads its confirmation and receipt.
    sent = who.session.data.setdefault("sent", {})
    if sent.get(ctx.id) != ctx.draft.id:
        sent[ctx.id] = ctx.draft.id
        parcours(request).store.save_session(who.session)
    return redirect(request, url(request, "confirmation", journey=ctx.id), who)


def _mandate(request: Request, who: Citizen, journey_id: str) -> tuple[bool, Mandate | None]:
    """Whether the dossier may be sent, and the mandate a mediator keys this journey under
    in this session (None: the citizen alone). Not sent: the session's mandate no longer
    covers the journey (expired, or already used for a dossier)."""
    mediation = who.session.data.get("mediation")
    if not isinstance(mediation, dict) or mediation.get("journey") != journey_id:
        return True, None
    mandate = Mandates(parcours(request).store).get(str(mediation.get("mandate")))
    if mandate is None or mandate.journey_id != journey_id or not mandate.active():
        return False, None
    return True, mandate


def _submitted(
    request: Request, entry: Entry, who: Citizen
) -> tuple[Context, Submission] | Response:
    """The session's sent draft and its submission, or a redirect to the start page."""
    ctx = draft_context(request, entry, who)
    if ctx is not None and who.session.data.get("sent", {}).get(entry.id) != ctx.draft.id:
        ctx = None  # a session that did not send this dossier never reads it
    submission = (
        parcours(request).store.submission_for_draft(ctx.draft.id) if ctx is not None else None
    )
    if ctx is None or submission is None:
        return redirect(request, url(request, "start_page", journey=entry.id), who)
    return ctx, submission


def _sent(request: Request) -> tuple[Entry, Citizen, Context, Submission] | Response:
    """For the pages of a sent dossier: the journey, the citizen, the draft and what was
    sent; a redirect to the start for a session that did not send it."""
    entry = entry_or_404(request)
    who = citizen(request)
    assert who is not None
    got = _submitted(request, entry, who)
    if isinstance(got, Response):
        return got
    return (entry, who, *got)


def confirmation(request: Request) -> Response:
    """The reference number, what happens next, and a link to the printable receipt."""
    got = _sent(request)
    if isinstance(got, Response):
        return got
    _, who, ctx, submission = got
    j = reading(ctx.journey, who)
    lang = journey_lang(j, who.lang)
    outcome = j.outcomes[decode(submission.answers)["outcome"]]
    dossiers = Dossiers(parcours(request).store)
    follow = handover = None
    if isinstance(who.session.data.get("mediation"), dict):
        # The mediator prints the handover sheet (their page: it checks who they are).
        handover = url(request, "mediators_handover", reference=submission.reference)
    if dossiers.get(submission.reference) is not None:
        token = dossiers.follow_token(submission.reference)
        follow = str(request.url.replace(path=url(request, "follow", token=token), query=""))
    return render(request, "confirmation.html", {
        "lang": lang, "reference": submission.reference, "outcome": outcome,
        "follow_url": follow, "handover_url": handover,
        "feedback_given": bool(ctx.draft.state.get("usage", {}).get("feedback")),
        "ask_feedback": parcours(request).usage.enabled,
        "yes_no": [("yes", yes_no_text(True, lang)), ("no", yes_no_text(False, lang))],
    }, who=who, journey=j)


def feedback(request: Request) -> Response:
    """The optional end-of-journey question ("Je donne mon avis"): counted once, anonymously,
    then back to the confirmation (which thanks the citizen)."""
    posted = checked_post(request)
    if isinstance(posted, Response):
        return posted
    entry, who, form = posted
    got = _submitted(request, entry, who)
    if isinstance(got, Response):
        return got
    ctx, submission = got
    outcome = str(decode(submission.answers)["outcome"])
    if measure.satisfaction(request, ctx, who, outcome, form):
        if (conflict := save(request, ctx, who)) is not None:
            return conflict
    return redirect(request, url(request, "confirmation", journey=entry.id), who)


def receipt(request: Request) -> Response:
    """A printable receipt: reference, date and the answers sent."""
    got = _sent(request)
    if isinstance(got, Response):
        return got
    _, who, ctx, submission = got
    j = reading(ctx.journey, who)
    lang = journey_lang(j, who.lang)
    sent = datetime.datetime.fromisoformat(submission.created_at)
    return render(request, "receipt.html", {
        "lang": lang, "reference": submission.reference,
        "sent_on": date_text(sent.date(), lang) + sent.strftime(" %H:%M UTC"),
        "sections": _review(request, ctx, lang, j),
    }, who=who, journey=j)


def receipt_pdf(request: Request) -> Response:
    """The acknowledgement of receipt as a PDF (the session that sent the dossier only)."""
    got = _sent(request)
    if isinstance(got, Response):
        return got
    entry, who, _, submission = got
    d = Dossiers(parcours(request).store).get(submission.reference)
    if d is None:
        return redirect(request, url(request, "confirmation", journey=entry.id), who)
    return pdf(paperwork(request).receipt(d), filename("accuse-reception", d.reference))


def exit_page(request: Request) -> Response:
    """An exit outcome: why the journey ends here, and where to go instead."""
    got = draft_page(request)
    if isinstance(got, Response):
        return got
    who, ctx = got
    oid = request.path_params["outcome"]
    if ctx.run.outcome != oid:
        return redirect(request, node_url(request, ctx, ctx.run.current), who)
    j = reading(ctx.journey, who)
    return render(request, "exit.html", {
        "lang": journey_lang(j, who.lang), "outcome": j.outcomes[oid],
        "back_url": _last_page_url(request, ctx),
    }, who=who, journey=j)
