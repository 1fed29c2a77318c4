"""Save and come back later: resume codes and links, issued on request and used once.

The attacks these pages close (issue 13, each replayed by tests/renderer/test_attacks.py):

- *Planting*: a resume link opened by GET changes nothing; it shows a page whose button
  POSTs (CSRF-checked) to take the draft. A draft in progress in the session is never
  dropped without a second, explicit confirmation.
- *Guessing*: codes have 60 bits and are made only when the citizen asks to save; failed
  attempts are counted per client and per journey in the database shared by every process
  (:mod:`renderer.throttle`) and locked out past the limit.
- *Sharing*: a key works once. Taking the draft moves it to the new session; the session
  that held it loses it (it reads a notice instead), and so does whoever knew the key.
- *After submission*: a submitted draft has no key left, and only the session that sent the
  dossier reads its confirmation and receipt.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from renderer.catalog import Entry
from renderer.citizens import measure
from renderer.citizens.drafts import draft_context, draft_page, draft_post, node_url
from renderer.i18n import t
from renderer.security import client_address
from renderer.store import Draft
from renderer.web import (
    Citizen,
    checked_post,
    citizen,
    entry_or_404,
    journey_lang,
    parcours,
    redirect,
    render,
    url,
)


def link_for(request: Request, journey: str, token: str) -> str:
    """The resume link, given to keep: absolute, on the configured public address (never
    the request's Host header; the request's address only when none is configured)."""
    public = parcours(request).public_url
    if public:
        return public + url(request, "resume_link", journey=journey, token=token)
    return str(request.url_for("resume_link", journey=journey, token=token))


def saved_page(request: Request) -> Response:
    """The resume link and code issued when the citizen asked to save."""
    got = draft_page(request)
    if isinstance(got, Response):
        return got
    who, ctx = got
    key = parcours(request).store.resume_key(ctx.draft.id)
    if key is None:  # nothing saved (or the key was used): nothing to show
        return redirect(request, node_url(request, ctx, ctx.run.current), who)
    return render(request, "saved.html", {
        "lang": journey_lang(ctx.journey, who.lang),
        "link": link_for(request, ctx.id, key.token), "code": key.code,
        "continue_url": node_url(request, ctx, ctx.run.current),
    }, who=who, journey=ctx.journey)


def save_post(request: Request) -> Response:
    """Save and come back later (from the check page or any page without answers)."""
    got = draft_post(request)
    if isinstance(got, Response):
        return got
    who, ctx, _form = got
    parcours(request).store.issue_resume_key(ctx.draft)
    measure.counted(request, ctx, who, "save")
    return redirect(request, url(request, "saved", journey=ctx.id), who)


def resume_page(request: Request) -> Response:
    """The form to type a resume code."""
    entry = entry_or_404(request)
    who = citizen(request)
    assert who is not None
    return render(request, "resume.html", {"lang": who.lang, "error": None, "code": ""},
                  who=who, journey=entry.journey)


def resume_link(request: Request) -> Response:
    """A resume link, opened: nothing changes on GET; a button confirms by POST."""
    entry = entry_or_404(request)
    who = citizen(request)
    assert who is not None
    lang = who.lang
    token = request.path_params["token"][:100]
    return render(request, "resume_confirm.html", {
        "lang": lang, "title": t("resume_confirm_title", lang),
        "body": t("resume_confirm_body", lang), "button": t("resume_button", lang),
        "token": token, "code": "", "replace": False, "keep_url": None,
    }, who=who, journey=entry.journey)


def resume_post(request: Request) -> Response:
    """Resume by code (typed in any case, with or without spaces)."""
    posted = checked_post(request)
    if isinstance(posted, Response):
        return posted
    entry, who, form = posted
    code = str(form.get("code") or "")[:40]
    return _resume(request, entry, who, code=code, replace=form.get("replace") == "1")


def resume_link_post(request: Request) -> Response:
    """Resume by link, confirmed."""
    posted = checked_post(request)
    if isinstance(posted, Response):
        return posted
    entry, who, form = posted
    token = request.path_params["token"][:100]
    return _resume(request, entry, who, token=token, replace=form.get("replace") == "1")


def _resume(
    request: Request, entry: Entry, who: Citizen, *, code: str | None = None,
    token: str | None = None, replace: bool,
) -> Response:
    app = parcours(request)
    lang = who.lang
    client = client_address(request, "-")

    def refused(message: str, status: int) -> Response:
        return render(request, "resume.html", {
            "lang": lang, "error": message, "code": code or "",
        }, who=who, status=status, journey=entry.journey)

    if app.throttle.locked(client, entry.id):
        return refused(t("resume_locked", lang), 429)
    draft = app.store.find_draft(entry.id, code=code, token=token)
    if draft is None:
        app.throttle.failed(client, entry.id)
        return refused(t("resume_unknown", lang), 422)
    current = draft_context(request, entry, who)
    in_progress = (current is not None and current.draft.id != draft.id
                   and not current.draft.submitted and bool(current.draft.state.get("seen")))
    if in_progress and not replace:
        assert current is not None
        return render(request, "resume_confirm.html", {
            "lang": lang, "title": t("resume_replace_title", lang),
            "body": t("resume_replace_body", lang),
            "button": t("resume_replace_button", lang), "token": token,
            "code": code or "", "replace": True,
            "keep_url": node_url(request, current, current.run.current),
        }, who=who, journey=entry.journey)
    return _take(request, entry, who, draft)


def _take(request: Request, entry: Entry, who: Citizen, draft: Draft) -> Response:
    app = parcours(request)
    if not app.store.take_draft(draft, who.session.id):
        # Another request used the key a moment before: as if it did not exist.
        return render(request, "resume.html", {
            "lang": who.lang, "error": t("resume_unknown", who.lang), "code": "",
        }, who=who, status=422, journey=entry.journey)
    who.session.data.setdefault("drafts", {})[entry.id] = draft.id
    app.store.save_session(who.session)
    ctx = draft_context(request, entry, who)
    if ctx is None:
        return redirect(request, url(request, "start_page", journey=entry.id), who)
    measure.counted(request, ctx, who, "resume")
    return redirect(request, node_url(request, ctx, ctx.run.current), who)
