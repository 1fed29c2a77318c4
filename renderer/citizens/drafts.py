"""A citizen's draft on a journey, and the page that opens it.

Saving and resuming are :mod:`renderer.citizens.resume`'s.

Every page of a draft follows the same order: find the session (signed cookie → database
row), the draft and its journey version, build the engine's :class:`designer.run.Run` from
the stored answers (:func:`draft_context`), and let the run decide what is shown, what is
valid and where to go. Nothing is kept between requests.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from designer.answers import decode, encode
from designer.compiled import CompiledJourney
from designer.run import Run
from renderer.catalog import Entry
from renderer.citizens import measure
from renderer.i18n import t
from renderer.store import ConflictError, Draft
from renderer.web import (
    Citizen,
    checked_post,
    citizen,
    entry_or_404,
    parcours,
    redirect,
    render,
    url,
)


class CachedRun(Run):
    """The engine's run, remembering its walk between two changes of the answers.

    A page asks the run several questions (may it be shown? what does it show? how far is
    the citizen?) and each one walks the path again from the start; the walk only changes
    when ``answer_page`` changes the answers, so it is kept until then. The semantics are
    the engine's own: only the repetition is saved.
    """

    _cached: Any = None

    def _walk(self) -> Any:
        if self._cached is None:
            self._cached = super()._walk()
        return self._cached

    def answer_page(self, step_id: str, form: Mapping[str, Any], *, only: Any = None) -> Any:
        """Validate and keep a page (the engine's), then forget the walk."""
        try:
            return super().answer_page(step_id, form, only=only)
        finally:
            self._cached = None


class Context:
    """A citizen's draft on one journey, with the journey version it runs on."""

    def __init__(self, entry: Entry, journey: CompiledJourney, draft: Draft, run: Run) -> None:
        self.entry = entry
        self.journey = journey
        self.draft = draft
        self.run = run

    @property
    def id(self) -> str:
        """The journey id (as in URLs)."""
        return self.entry.id


def draft_context(request: Request, entry: Entry, who: Citizen) -> Context | None:
    """The session's draft on this journey and the run of its answers, or None."""
    app = parcours(request)
    draft_id = who.session.data.get("drafts", {}).get(entry.id)
    draft = app.store.get_draft(draft_id) if draft_id else None
    if draft is None:
        return None
    if draft.owner is not None and draft.owner != who.session.id:
        # Resumed in another session since: this one no longer reads or writes it.
        return None
    journey = app.catalog.version(app.store, entry.id, draft.journey_hash)
    if journey is None:
        return None
    run = CachedRun(journey, decode(draft.answers), seen=draft.state.get("seen", []),
                    today=app.today())
    return Context(entry, journey, draft, run)


def resumed_elsewhere(request: Request, entry: Entry, who: Citizen) -> bool:
    """Whether the session's draft on this journey was taken by another session (resumed
    on another device): the page tells the citizen why their draft is gone."""
    draft_id = who.session.data.get("drafts", {}).get(entry.id) if who.stored else None
    draft = parcours(request).store.get_draft(draft_id) if draft_id else None
    return draft is not None and draft.owner not in (None, who.session.id)


def draft_or_redirect(request: Request, entry: Entry, who: Citizen) -> Context | Response:
    """The session's draft on this journey, or a redirect to its start page when none."""
    ctx = draft_context(request, entry, who)
    if ctx is None:
        return redirect(request, url(request, "start_page", journey=entry.id), who)
    return ctx


def draft_page(request: Request) -> tuple[Citizen, Context] | Response:
    """For a GET page of a draft: the citizen and the draft, or the response to send
    instead (404 for an unknown journey, a redirect when the session has no draft)."""
    entry = entry_or_404(request)
    who = citizen(request)
    assert who is not None
    ctx = draft_or_redirect(request, entry, who)
    return ctx if isinstance(ctx, Response) else (who, ctx)


def draft_post(request: Request) -> tuple[Citizen, Context, FormData] | Response:
    """For a POST to a draft: the citizen, the draft and the posted form, or the response
    to send instead (the 403 page for a bad CSRF token, nothing changed; a redirect when
    the session has no draft)."""
    posted = checked_post(request)
    if isinstance(posted, Response):
        return posted
    entry, who, form = posted
    ctx = draft_or_redirect(request, entry, who)
    return ctx if isinstance(ctx, Response) else (who, ctx, form)


def node_url(request: Request, ctx: Context, node: str | None) -> str:
    """Where a node of the run is shown: a step page, the summary, or an exit page."""
    if node is None:
        return url(request, "start_page", journey=ctx.id)
    if node in ctx.journey.steps:
        return url(request, "step", journey=ctx.id, step=node)
    outcome = ctx.journey.outcomes.get(node)
    if outcome is not None and outcome.kind == "submit":
        return url(request, "check", journey=ctx.id)
    return url(request, "exit", journey=ctx.id, outcome=node)


def save(request: Request, ctx: Context, who: Citizen) -> Response | None:
    """Write the draft: None when written, the 409 page when another request changed it
    meanwhile (nothing is written then)."""
    store = parcours(request).store
    try:
        store.save_draft(ctx.draft)
    except ConflictError:
        lang = who.lang
        return render(request, "error.html", {
            "title": t("method_title", lang), "body": t("conflict_body", lang),
        }, status=409, who=who)
    # Files that neither the answers nor a page in progress refer to any more (replaced,
    # removed) are deleted.
    if any(q.type == "file" for q in ctx.journey.questions.values()):
        store.prune_files(ctx.draft)
    return None


def keep_pending(
    request: Request, ctx: Context, who: Citizen, step_id: str, raw: Mapping[str, Any]
) -> Response | None:
    """Keep a page's answers as typed, not validated yet (shown again when the page is),
    and save: None when saved, the 409 page on a conflict."""
    ctx.draft.state.setdefault("pending", {})[step_id] = encode(raw)
    return save(request, ctx, who)


# -- pages -------------------------------------------------------------------------------------


def start(request: Request) -> Response:
    """Open a new draft on the current version of the journey and go to its first page."""
    posted = checked_post(request)
    if isinstance(posted, Response):
        return posted
    entry, who, form = posted
    return open_draft(request, entry, who)


def open_draft(request: Request, entry: Entry, who: Citizen, then: str | None = None) -> Response:
    """A new draft in the citizen's (stored) session, and the redirect to its first page, or
    to ``then`` (also how a mediator's assisted journey begins, :mod:`renderer.mediators`,
    by the mandate's receipt)."""
    app = parcours(request)
    draft = app.store.create_draft(entry.id, entry.hash, entry.journey.start,
                                   owner=who.session.id)
    who.session.data.setdefault("drafts", {})[entry.id] = draft.id
    app.store.save_session(who.session)
    measure.started(request, entry.id, entry.hash, entry.journey.start, who)
    first = url(request, "step", journey=entry.id, step=entry.journey.start)
    return redirect(request, then or first, who)
