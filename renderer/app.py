"""The citizen's web application: ``create_app(journeys) -> Starlette``.

Every page follows the same order: find the session (signed cookie → database row), the
draft and its journey version, build the engine's :class:`designer.run.Run` from the stored
answers, and let the run decide what is shown, what is valid and where to go. The process
keeps no state between requests: several processes on one database serve the same citizens.

URLs (``J`` a journey id, ``S`` a step id, ``O`` an outcome id):

=============================  ======================================================
``/``                          the front door: every journey, search, themes
``/J/``                        start page; ``POST /J/start`` opens a draft
``/J/q/S`` (``?part=N``)       a question page (part N: a follow-up without scripts)
``/J/check``                   check your answers; ``POST`` sends the dossier
``/J/confirmation``            the reference number; ``/J/receipt`` the printable receipt
``/J/end/O``                   an exit outcome
``/J/save`` (POST), ``/J/saved``  save and come back later: link and code
``/J/resume``, ``/J/resume/T``    resume by code or by link
``/-/reports``, ``/-/reports/J``  the auditor's reports, read-only (:mod:`renderer.reports`)
=============================  ======================================================
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from designer.compiled import CompiledJourney
from designer.run import FieldError, Run
from designer.values import InvalidAnswer, check_file, parse_size, sniff_kind
from renderer import markdown
from renderer.catalog import Catalog, Entry, fold, load_catalog
from renderer.forms import Upload, decode, display_answer, encode, parse_page
from renderer.i18n import LANGUAGES, t
from renderer.pages import (
    PageErrors,
    build_controls,
    layout,
    minutes,
    preparation,
    preview,
    progress,
)
from renderer.reports import PREFIX as REPORTS
from renderer.reports import Format, Page, ReportShelf
from renderer.security import COOKIE, CSRF_FIELD, CookieSigner, SecurityMiddleware, csrf_ok
from renderer.store import ConflictError, Draft, Session, Store

HERE = Path(__file__).parent
log = logging.getLogger("parcours.renderer")

#: Largest request body when no journey allows a larger upload (forms without files).
BASE_BODY = 1_000_000
MAX_FORM_FIELDS = 2000


class Citizen:
    """What one request knows about its citizen: session, language, draft and run."""

    def __init__(self, session: Session, new: bool, lang: str) -> None:
        self.session = session
        self.new = new
        self.lang = lang


class Parcours:
    """The application's state: store, served journeys, templates, signer."""

    def __init__(
        self,
        paths: str | Path | list[str | Path],
        db_url: str,
        secret: str | None,
        reload: bool,
        max_body: int | None,
        today: datetime.date | None,
    ) -> None:
        self.paths = paths
        self.store = Store(db_url)
        self.reload = reload
        self.catalog: Catalog = load_catalog(paths, self.store)
        self.reports = ReportShelf()
        self.signer = CookieSigner(secret or self.store.secret())
        self.fixed_today = today
        self.max_body = max_body or self._default_max_body()
        self.templates = Environment(
            loader=FileSystemLoader(str(HERE / "templates")),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=reload,
        )
        self.templates.filters["md"] = markdown.render
        self.templates.filters["md_inline"] = markdown.inline

    def _default_max_body(self) -> int:
        largest = 0
        for entry in self.catalog.entries.values():
            for q in entry.journey.questions.values():
                if q.type == "file":
                    try:
                        largest = max(largest, parse_size(str(q.question.max_size)))
                    except ValueError:
                        pass
        return BASE_BODY + largest

    def today(self) -> datetime.date:
        """Today's date (fixed in tests)."""
        return self.fixed_today or datetime.date.today()

    def refresh(self) -> None:
        """Reload the journey files (designers editing with --reload)."""
        if self.reload:
            self.catalog = load_catalog(self.paths, self.store)

    def folder(self) -> str:
        """What is served, named as `parcours report` names a portfolio's folder."""
        if isinstance(self.paths, list):
            return ", ".join(map(str, self.paths))
        return str(self.paths)


# -- helpers -----------------------------------------------------------------------------------


def _app(request: Request) -> Parcours:
    return request.app.state.parcours  # type: ignore[no-any-return]


def citizen(request: Request, create: bool = True) -> Citizen | None:
    """The request's session (created when ``create``), with the language to show."""
    app = _app(request)
    session_id = app.signer.unsign(request.cookies.get(COOKIE))
    session = app.store.get_session(session_id) if session_id else None
    new = False
    requested = request.query_params.get("lang")
    if session is None:
        if not create:
            return None
        session = app.store.create_session(requested if requested in LANGUAGES else "fr")
        new = True
    elif requested in LANGUAGES and requested != session.lang:
        session.lang = requested
        app.store.save_session(session)
    return Citizen(session, new, session.lang)


def request_lang(request: Request, who: Citizen | None) -> str:
    """The page language: the session's, or ``?lang=``, French by default."""
    if who is not None:
        return who.lang
    requested = request.query_params.get("lang")
    return requested if requested in LANGUAGES else "fr"


def render(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    who: Citizen | None = None,
    status: int = 200,
    journey: CompiledJourney | None = None,
) -> HTMLResponse:
    """Render a page with the context every page needs, and set the session cookie."""
    app = _app(request)
    lang = context.get("lang") or request_lang(request, who)
    other = "en" if lang == "fr" else "fr"
    query = dict(request.query_params)
    query["lang"] = other
    base = {
        "lang": lang,
        "t": lambda key, **kw: t(key, lang, **kw),
        "jt": (lambda value: journey.text(value, lang)) if journey is not None else str,
        "csrf_field": CSRF_FIELD,
        "csrf_token": who.session.csrf if who is not None else "",
        "switch_url": f"{request.url.path}?{urlencode(query)}",
        "switch_lang": other,
        "journey": journey,
    }
    base.update(context)
    html = app.templates.get_template(template).render(base)
    response = HTMLResponse(html, status_code=status)
    response.headers["content-language"] = lang
    # Answers are personal: no shared cache may keep a page.
    response.headers["cache-control"] = "no-store"
    if who is not None and who.new:
        set_cookie(request, response, who)
    return response


def set_cookie(request: Request, response: Response, who: Citizen) -> None:
    """The session cookie: signed opaque id, HttpOnly, SameSite=Lax, Secure behind HTTPS."""
    response.set_cookie(
        COOKIE,
        _app(request).signer.sign(who.session.id),
        max_age=30 * 24 * 3600,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


def redirect(request: Request, url: str, who: Citizen | None = None) -> Response:
    """A 303 redirect (after a POST, the browser GETs the next page)."""
    response = RedirectResponse(url, status_code=303)
    response.headers["cache-control"] = "no-store"
    if who is not None and who.new:
        set_cookie(request, response, who)
    return response


def entry_or_404(request: Request) -> Entry:
    """The served journey named in the URL."""
    app = _app(request)
    app.refresh()
    entry = app.catalog.get(request.path_params["journey"])
    if entry is None:
        raise HTTPException(404)
    return entry


async def read_form(request: Request) -> FormData:
    """The posted form, bounded in fields, files and part size."""
    return await request.form(max_files=50, max_fields=MAX_FORM_FIELDS,
                              max_part_size=1024 * 1024)


def csrf_refused(request: Request, who: Citizen | None, form: FormData) -> Response | None:
    """A 403 page when the form's CSRF token is not the session's; None when it is."""
    if who is None or who.new or not csrf_ok(who.session.csrf, form.get(CSRF_FIELD)):
        lang = request_lang(request, who)
        return render(request, "error.html", {
            "title": t("forbidden_title", lang), "body": t("forbidden_body", lang),
        }, status=403, who=None)
    return None


async def checked_post(request: Request) -> tuple[Entry, Citizen, FormData] | Response:
    """The journey, the citizen and the posted form of a POST whose CSRF token is valid;
    the 403 page otherwise (nothing changes)."""
    entry = entry_or_404(request)
    who = citizen(request)
    assert who is not None
    form = await read_form(request)
    if (refused := csrf_refused(request, who, form)) is not None:
        return refused
    return entry, who, form


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
    app = _app(request)
    draft_id = who.session.data.get("drafts", {}).get(entry.id)
    draft = app.store.get_draft(draft_id) if draft_id else None
    if draft is None:
        return None
    journey = app.catalog.version(app.store, entry.id, draft.journey_hash)
    if journey is None:
        return None
    run = CachedRun(journey, decode(draft.answers), seen=draft.state.get("seen", []),
                    today=app.today())
    return Context(entry, journey, draft, run)


def node_url(ctx: Context, node: str | None) -> str:
    """Where a node of the run is shown: a step page, the summary, or an exit page."""
    base = f"/{ctx.id}"
    if node is None:
        return f"{base}/"
    if node in ctx.journey.steps:
        return f"{base}/q/{node}"
    outcome = ctx.journey.outcomes.get(node)
    if outcome is not None and outcome.kind == "submit":
        return f"{base}/check"
    return f"{base}/end/{node}"


def save(request: Request, ctx: Context) -> bool:
    """Write the draft; False when another request changed it meanwhile."""
    try:
        _app(request).store.save_draft(ctx.draft)
        return True
    except ConflictError:
        return False


# -- pages -------------------------------------------------------------------------------------


async def front_door(request: Request) -> Response:
    """Every journey served, searchable, grouped by theme (or organisation)."""
    app = _app(request)
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
        "reports_url": f"{REPORTS}?lang={lang}",
    }, who=who)


async def start_page(request: Request) -> Response:
    """What the procedure is for, what to prepare, how long it takes, other channels."""
    entry = entry_or_404(request)
    who = citizen(request)
    assert who is not None
    j = entry.journey
    lang = _journey_lang(j, who.lang)
    ctx = draft_context(request, entry, who)
    in_progress = ctx is not None and not ctx.draft.submitted and bool(ctx.draft.state.get("seen"))
    return render(request, "start.html", {
        "lang": lang,
        "prep": preparation(j, lang),
        "minutes": minutes(j, lang),
        "in_progress": in_progress,
        "continue_url": node_url(ctx, ctx.run.current) if ctx is not None and in_progress
        else None,
    }, who=who, journey=j)


def _journey_lang(journey: CompiledJourney, lang: str) -> str:
    # Interface messages exist in fr and en; journey texts fall back on their default language.
    return lang if lang in LANGUAGES else "fr"


async def start(request: Request) -> Response:
    """Open a new draft on the current version of the journey and go to its first page."""
    posted = await checked_post(request)
    if isinstance(posted, Response):
        return posted
    entry, who, form = posted
    app = _app(request)
    draft = app.store.create_draft(entry.id, entry.hash, entry.journey.start)
    who.session.data.setdefault("drafts", {})[entry.id] = draft.id
    app.store.save_session(who.session)
    return redirect(request, f"/{entry.id}/q/{entry.journey.start}", who)


def _no_draft(request: Request, entry: Entry, who: Citizen) -> Response:
    return redirect(request, f"/{entry.id}/", who)


def draft_or_redirect(request: Request, entry: Entry, who: Citizen) -> Context | Response:
    """The session's draft on this journey, or a redirect to its start page when none."""
    ctx = draft_context(request, entry, who)
    return _no_draft(request, entry, who) if ctx is None else ctx


def draft_page(request: Request) -> tuple[Citizen, Context] | Response:
    """For a GET page of a draft: the citizen and the draft, or the response to send
    instead (404 for an unknown journey, a redirect when the session has no draft)."""
    entry = entry_or_404(request)
    who = citizen(request)
    assert who is not None
    ctx = draft_or_redirect(request, entry, who)
    return ctx if isinstance(ctx, Response) else (who, ctx)


def _part(value: Any) -> int:
    try:
        return max(0, min(int(value), 50))
    except (TypeError, ValueError):
        return 0


def _pending(ctx: Context, step_id: str) -> dict[str, Any] | None:
    pending = ctx.draft.state.get("pending", {}).get(step_id)
    return decode(pending) if isinstance(pending, dict) else None


def _stored(ctx: Context, step_id: str) -> dict[str, Any]:
    """The stored answers of a page's questions (what the page shows when revisited)."""
    ids = {q.id for q in ctx.journey.step_questions(step_id)}
    return {k: v for k, v in ctx.run.answers.items() if k in ids}


def step_response(
    request: Request,
    ctx: Context,
    who: Citizen,
    step_id: str,
    part: int,
    raw: Mapping[str, Any],
    errors: list[FieldError],
    *,
    status: int = 200,
    returning: bool = False,
) -> Response:
    """Render a question page (part ``part`` of step ``step_id``)."""
    j = ctx.journey
    lang = _journey_lang(j, who.lang)
    step = j.steps[step_id]
    page_errors = PageErrors.of(errors, lang, j)
    controls = build_controls(j, ctx.run, step_id, part, raw, page_errors, lang,
                              _app(request).today())
    if part > 0 and not controls:
        return redirect(request, f"/{ctx.id}/q/{step_id}", who)
    links = _error_links(page_errors, controls)
    back = _back_url(ctx, step_id, part, returning)
    env = {}
    if part == 0 and any(c.hidden or any(ic.hidden for i in c.items for ic in i.controls)
                         for c in controls):
        env = _client_env(ctx, step_id)
    title = j.text(step.title, lang)
    return render(request, "step.html", {
        "lang": lang,
        "step_id": step_id,
        "title": title,
        "page_title": (t("error_title_prefix", lang) + " : " if errors and lang == "fr"
                       else t("error_title_prefix", lang) + ": " if errors else "") + title,
        "intro": j.text(step.intro, lang) if step.intro else "",
        "controls": controls,
        "errors": links,
        "part": part,
        "progress": progress(j, ctx.run, step_id, lang),
        "back_url": back,
        "returning": returning,
        "env_json": _json(env) if env else "",
        "today": _app(request).today().isoformat(),
        "action": f"/{ctx.id}/q/{step_id}",
        "has_files": any(_has_file(c) for c in controls),
        "show_no_js_note": layout(j, step_id).max_depth > part,
    }, who=who, status=status, journey=j)


def _has_file(control: Any) -> bool:
    return control.kind == "file" or any(_has_file(c) for i in control.items for c in i.controls)


def _json(value: Any) -> str:
    import json

    from renderer.forms import export_value

    return json.dumps(export_value(value), ensure_ascii=False, separators=(",", ":"))


def _client_env(ctx: Context, step_id: str) -> dict[str, Any]:
    """The answers of earlier pages that this page's conditions read (for the script)."""
    return ctx.run.environment_before(step_id).answers


def _error_links(errors: PageErrors, controls: list[Any]) -> list[tuple[str, str]]:
    """(anchor id, message) for the error summary, in page order."""
    ids: dict[str, str] = {}

    def visit(c: Any) -> None:
        ids[c.name] = c.id
        for item in c.items:
            for ic in item.controls:
                visit(ic)

    for c in controls:
        visit(c)
    links = []
    for name, _question, message in errors.order:
        base = name
        anchor = ids.get(base)
        if anchor is None:
            stem, _, part = name.rpartition("-")
            anchor = f"{stem}-{part}" if stem in ids else name
        links.append((anchor, message))
    return links


def _back_url(ctx: Context, step_id: str, part: int, returning: bool) -> str:
    if returning:
        return f"/{ctx.id}/check"
    if part > 0:
        return f"/{ctx.id}/q/{step_id}" + (f"?part={part - 1}" if part > 1 else "")
    pages = [p.step for p in ctx.run.pages()]
    if step_id in pages and pages.index(step_id) > 0:
        return f"/{ctx.id}/q/{pages[pages.index(step_id) - 1]}"
    return f"/{ctx.id}/"


async def step_page(request: Request) -> Response:
    """GET a question page: refused (redirected) when the run has not reached it."""
    got = draft_page(request)
    if isinstance(got, Response):
        return got
    who, ctx = got
    entry = ctx.entry
    if ctx.draft.submitted:
        return redirect(request, f"/{entry.id}/confirmation", who)
    step_id = request.path_params["step"]
    if step_id not in ctx.journey.steps or not ctx.run.can_visit(step_id):
        return redirect(request, node_url(ctx, ctx.run.current), who)
    part = _part(request.query_params.get("part"))
    raw = _pending(ctx, step_id)
    if raw is None:
        raw = _stored(ctx, step_id)
    return step_response(request, ctx, who, step_id, part, raw, [],
                         returning=request.query_params.get("change") == "1")


async def step_post(request: Request) -> Response:
    """POST a question page: the engine validates; 303 onwards, or 422 with the errors."""
    posted = await checked_post(request)
    if isinstance(posted, Response):
        return posted
    entry, who, form = posted
    ctx = draft_or_redirect(request, entry, who)
    if isinstance(ctx, Response):
        return ctx
    if ctx.draft.submitted:
        return redirect(request, f"/{entry.id}/confirmation", who)
    step_id = request.path_params["step"]
    if step_id not in ctx.journey.steps or not ctx.run.can_visit(step_id):
        return redirect(request, node_url(ctx, ctx.run.current), who)
    app = _app(request)
    j = ctx.journey
    part = _part(form.get("_part"))
    # The script reveals in place only on a step's first part: a follow-up part (reached
    # without scripts) holds only its own questions, whatever the browser can do now.
    scripted = form.get("_js") == "1" and part == 0
    returning = form.get("_return") == "check"
    lay = layout(j, step_id)
    base = _pending(ctx, step_id)
    if base is None:
        base = _stored(ctx, step_id)
    displayed = lay.displayed(None if scripted else part, j)
    raw, uploads = parse_page(j, step_id, form, displayed, base)
    file_errors = _store_uploads(app, ctx, uploads, raw)
    action = str(form.get("_action") or "")
    if action.startswith(("add:", "remove:")):
        _repeat_action(j, raw, action)
        ctx.draft.state.setdefault("pending", {})[step_id] = encode(raw)
        if not save(request, ctx):
            return _conflict(request, who)
        query = {"part": str(part)} if part else {}
        if returning:
            query["change"] = "1"
        suffix = ("?" + urlencode(query)) if query else ""
        return redirect(request, f"/{entry.id}/q/{step_id}{suffix}", who)
    if action == "save":
        ctx.draft.state.setdefault("pending", {})[step_id] = encode(raw)
        if not save(request, ctx):
            return _conflict(request, who)
        return redirect(request, f"/{entry.id}/saved", who)
    result = ctx.run.answer_page(step_id, raw)
    errors = _merge_errors(result.errors, file_errors)
    if not errors:
        ctx.draft.answers = encode(ctx.run.answers)
        ctx.draft.state["seen"] = sorted(ctx.run.seen or [])
        ctx.draft.state.get("pending", {}).pop(step_id, None)
        ctx.draft.current_step = ctx.run.current
        if not save(request, ctx):
            return _conflict(request, who)
        later = _next_part(ctx, step_id, part, {}) if not scripted else None
        if later is not None:
            return redirect(request, _part_url(ctx, step_id, later, returning), who)
        if returning:
            return redirect(request, node_url(ctx, ctx.run.current), who)
        target = ctx.run.next(step_id)
        if target in j.steps and ctx.run.can_visit(target):
            return redirect(request, node_url(ctx, target), who)
        return redirect(request, node_url(ctx, ctx.run.current), who)
    # Keep what was typed (and uploaded) so that the page shows it again.
    ctx.draft.state.setdefault("pending", {})[step_id] = encode(raw)
    if not save(request, ctx):
        return _conflict(request, who)
    if not scripted:
        depth_of = lay.depth
        error_depths = [depth_of.get(e.question, 0) for e in errors]
        seen_here = [d for d in error_depths if d <= part]
        if not seen_here:
            # Only questions this page did not show yet: the follow-up part shows them.
            later = _next_part(ctx, step_id, part, raw) or min(error_depths)
            return redirect(request, _part_url(ctx, step_id, later, returning), who)
        part = min(seen_here)
    return step_response(request, ctx, who, step_id, part, raw, errors, status=422,
                         returning=returning)


def _part_url(ctx: Context, step_id: str, part: int, returning: bool) -> str:
    query = {"part": str(part)}
    if returning:
        query["change"] = "1"
    return f"/{ctx.id}/q/{step_id}?{urlencode(query)}"


def _next_part(ctx: Context, step_id: str, part: int, raw: Mapping[str, Any]) -> int | None:
    """The next follow-up part of a step that shows a question, given the answers."""
    j = ctx.journey
    lay = layout(j, step_id)
    if part >= lay.max_depth:
        return None
    typed = preview(j, step_id, raw) if raw else {}
    visible = ctx.run.visible_questions(step_id, answers=typed or None)
    shown = {q.id for q in visible}
    for q in visible:
        if q.type == "repeat":
            items = (typed.get(q.id) if typed else ctx.run.answers.get(q.id)) or []
            env = ctx.run.environment_before(step_id)
            for item in items if isinstance(items, list) else []:
                shown |= {iq.id for iq in ctx.run.item_visible_questions(q.id, item, env)}
    depths = sorted({lay.depth.get(qid, 0) for qid in shown if lay.depth.get(qid, 0) > part})
    return depths[0] if depths else None


def _merge_errors(errors: list[FieldError], file_errors: list[FieldError]) -> list[FieldError]:
    fields = {e.field for e in file_errors}
    return file_errors + [e for e in errors if e.field not in fields]


def _store_uploads(
    app: Parcours, ctx: Context, uploads: list[Upload], raw: dict[str, Any]
) -> list[FieldError]:
    """Check each new upload by size and sniffed kind; store the good ones in the draft."""
    errors: list[FieldError] = []
    for up in uploads:
        question = up.question.question
        max_size = str(getattr(question, "max_size", "10MB"))
        try:
            limit = parse_size(max_size)
        except ValueError:
            limit = 10_000_000
        data = up.file.file.read(limit + 1)
        size = len(data) if len(data) <= limit else limit + 1
        bad: InvalidAnswer | None = check_file(
            data[:64], size, accept=getattr(question, "accept", None), max_size=max_size
        )
        if bad is not None:
            errors.append(FieldError(up.field, up.question.id, bad))
            continue
        kind = sniff_kind(data[:64]) or "bin"
        content_type = {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg",
                        "gif": "image/gif", "webp": "image/webp",
                        "zip": "application/zip"}.get(kind, "application/octet-stream")
        name = Path(up.filename.replace("\\", "/")).name[:200] or "file"
        stored = app.store.save_file(ctx.draft.id, up.question.id, name, content_type, data)
        reference = {"file": stored.id, "name": name, "size": stored.size,
                     "content_type": content_type, "sha256": stored.sha256}
        _set_field(raw, up, reference)
    return errors


def _set_field(raw: dict[str, Any], up: Upload, value: Any) -> None:
    q = up.question
    if q.repeat is None:
        raw[q.id] = value
        return
    index = int(up.field.split("-")[1])
    items = raw.get(q.repeat)
    if isinstance(items, list) and index < len(items) and isinstance(items[index], dict):
        items[index][q.id] = value


def _repeat_action(journey: CompiledJourney, raw: dict[str, Any], action: str) -> None:
    """"Add another" and "Remove" of a repeat, done on the server (no script needed)."""
    parts = action.split(":")
    rid = parts[1] if len(parts) > 1 else ""
    q = journey.questions.get(rid)
    if q is None or q.type != "repeat":
        return
    found = raw.get(rid)
    items: list[Any] = found if isinstance(found, list) else []
    if parts[0] == "add":
        limit = q.max if isinstance(q.max, int) else 50
        if len(items) < limit:
            items.append({})
    elif parts[0] == "remove" and len(parts) == 3 and parts[2].isdigit():
        index = int(parts[2])
        if index < len(items):
            items.pop(index)
    raw[rid] = items


def _conflict(request: Request, who: Citizen) -> Response:
    lang = who.lang
    return render(request, "error.html", {
        "title": t("method_title", lang), "body": t("conflict_body", lang),
    }, status=409, who=who)


async def check_page(request: Request) -> Response:
    """Every shown answer grouped by page, each with a Change link."""
    got = draft_page(request)
    if isinstance(got, Response):
        return got
    who, ctx = got
    entry = ctx.entry
    if ctx.draft.submitted:
        return redirect(request, f"/{entry.id}/confirmation", who)
    outcome = ctx.run.outcome
    if outcome is None or ctx.journey.outcomes[outcome].kind != "submit":
        return redirect(request, node_url(ctx, ctx.run.current), who)
    j = ctx.journey
    lang = _journey_lang(j, who.lang)
    sections = _review(ctx, lang)
    pages = ctx.run.pages()
    return render(request, "check.html", {
        "lang": lang, "sections": sections,
        "back_url": f"/{entry.id}/q/{pages[-1].step}" if pages else f"/{entry.id}/",
    }, who=who, journey=j)


def _anchor(q: Any) -> str:
    """The id of a question's first input on its page (where a Change link lands)."""
    from renderer.forms import SELECT_THRESHOLD

    if q.type == "choice" and len(q.options or {}) > SELECT_THRESHOLD:
        return str(q.id)
    if q.type in ("yesno", "choice", "multichoice"):
        return f"{q.id}-0"
    return {"date": f"{q.id}-day", "address": f"{q.id}-street"}.get(q.type, q.id)


def _review(ctx: Context, lang: str) -> list[dict[str, Any]]:
    j = ctx.journey
    sections = []
    for step_id, rows in ctx.run.review():
        lines = []
        for q, value in rows:
            if q.type == "repeat":
                for index, item in enumerate(value or []):
                    for iq in j.item_questions(q.id):
                        if iq.answers and iq.id in item:
                            lines.append({
                                "label": f"{j.text(q.label, lang)} {index + 1} : "
                                if lang == "fr" else f"{j.text(q.label, lang)} {index + 1}: ",
                                "question": j.text(iq.label, lang),
                                "value": display_answer(j, iq, item[iq.id], lang),
                                "qid": q.id,
                                "anchor": f"{q.id}-{index}",
                            })
                continue
            lines.append({
                "label": "", "question": j.text(q.label, lang),
                "value": display_answer(j, q, value, lang), "qid": q.id,
                "anchor": _anchor(q),
            })
        if lines:
            sections.append({
                "step": step_id, "title": j.text(j.steps[step_id].title, lang), "rows": lines,
                "change_url": f"/{ctx.id}/q/{step_id}?change=1",
            })
    return sections


async def submit(request: Request) -> Response:
    """Send the dossier once: a replay returns the same reference."""
    posted = await checked_post(request)
    if isinstance(posted, Response):
        return posted
    entry, who, form = posted
    ctx = draft_or_redirect(request, entry, who)
    if isinstance(ctx, Response):
        return ctx
    app = _app(request)
    if not ctx.draft.submitted:
        outcome = ctx.run.outcome
        if outcome is None or ctx.journey.outcomes[outcome].kind != "submit":
            return redirect(request, node_url(ctx, ctx.run.current), who)
        kept = ctx.run.kept_answers()
        app.store.submit(ctx.draft, encode({"outcome": outcome, "answers": kept}), who.lang)
    return redirect(request, f"/{entry.id}/confirmation", who)


def _submission_context(request: Request, entry: Entry, who: Citizen) -> Any:
    ctx = draft_context(request, entry, who)
    if ctx is None:
        return None, None
    submission = _app(request).store.submission_for_draft(ctx.draft.id)
    return ctx, submission


async def confirmation(request: Request) -> Response:
    """The reference number, what happens next, and a link to the printable receipt."""
    entry = entry_or_404(request)
    who = citizen(request)
    assert who is not None
    ctx, submission = _submission_context(request, entry, who)
    if ctx is None or submission is None:
        return redirect(request, f"/{entry.id}/", who)
    j = ctx.journey
    lang = _journey_lang(j, who.lang)
    outcome = j.outcomes[decode(submission.answers)["outcome"]]
    return render(request, "confirmation.html", {
        "lang": lang, "reference": submission.reference, "outcome": outcome,
    }, who=who, journey=j)


async def receipt(request: Request) -> Response:
    """A printable receipt: reference, date and the answers sent."""
    entry = entry_or_404(request)
    who = citizen(request)
    assert who is not None
    ctx, submission = _submission_context(request, entry, who)
    if ctx is None or submission is None:
        return redirect(request, f"/{entry.id}/", who)
    j = ctx.journey
    lang = _journey_lang(j, who.lang)
    from renderer.forms import format_date

    sent = datetime.datetime.fromisoformat(submission.created_at)
    return render(request, "receipt.html", {
        "lang": lang, "reference": submission.reference,
        "sent_on": format_date(sent.date(), lang) + sent.strftime(" %H:%M UTC"),
        "sections": _review(ctx, lang),
    }, who=who, journey=j)


async def exit_page(request: Request) -> Response:
    """An exit outcome: why the journey ends here, and where to go instead."""
    got = draft_page(request)
    if isinstance(got, Response):
        return got
    who, ctx = got
    entry = ctx.entry
    oid = request.path_params["outcome"]
    if ctx.run.outcome != oid:
        return redirect(request, node_url(ctx, ctx.run.current), who)
    j = ctx.journey
    pages = ctx.run.pages()
    return render(request, "exit.html", {
        "lang": _journey_lang(j, who.lang), "outcome": j.outcomes[oid],
        "back_url": f"/{entry.id}/q/{pages[-1].step}" if pages else f"/{entry.id}/",
    }, who=who, journey=j)


async def saved_page(request: Request) -> Response:
    """The resume link and code of the session's draft."""
    got = draft_page(request)
    if isinstance(got, Response):
        return got
    who, ctx = got
    entry = ctx.entry
    link = str(request.url_for("resume_link", journey=entry.id, token=ctx.draft.resume_token))
    return render(request, "saved.html", {
        "lang": _journey_lang(ctx.journey, who.lang), "link": link,
        "code": ctx.draft.resume_code, "continue_url": node_url(ctx, ctx.run.current),
    }, who=who, journey=ctx.journey)


async def save_post(request: Request) -> Response:
    """Save and come back later (from the check page or any page without answers)."""
    posted = await checked_post(request)
    if isinstance(posted, Response):
        return posted
    entry, who, form = posted
    return redirect(request, f"/{entry.id}/saved", who)


async def resume_page(request: Request) -> Response:
    """The form to type a resume code."""
    entry = entry_or_404(request)
    who = citizen(request)
    assert who is not None
    return render(request, "resume.html", {"lang": who.lang, "error": None, "code": ""},
                  who=who, journey=entry.journey)


async def resume_post(request: Request) -> Response:
    """Resume by code: attach the draft to this session and go to its current page."""
    posted = await checked_post(request)
    if isinstance(posted, Response):
        return posted
    entry, who, form = posted
    code = str(form.get("code") or "")[:40]
    draft = _app(request).store.find_draft(entry.id, code=code)
    if draft is None:
        return render(request, "resume.html", {
            "lang": who.lang, "error": t("resume_unknown", who.lang), "code": code,
        }, who=who, status=422, journey=entry.journey)
    return _attach(request, entry, who, draft)


async def resume_link(request: Request) -> Response:
    """Resume by link."""
    entry = entry_or_404(request)
    who = citizen(request)
    assert who is not None
    token = request.path_params["token"][:100]
    draft = _app(request).store.find_draft(entry.id, token=token)
    if draft is None:
        raise HTTPException(404)
    return _attach(request, entry, who, draft)


def _attach(request: Request, entry: Entry, who: Citizen, draft: Draft) -> Response:
    who.session.data.setdefault("drafts", {})[entry.id] = draft.id
    _app(request).store.save_session(who.session)
    ctx = draft_context(request, entry, who)
    if ctx is None:
        return redirect(request, f"/{entry.id}/", who)
    if draft.submitted:
        return redirect(request, f"/{entry.id}/confirmation", who)
    return redirect(request, node_url(ctx, ctx.run.current), who)


# -- the auditor's reports ---------------------------------------------------------------------


def _report_format(request: Request) -> Format:
    return "json" if request.url.path.endswith(".json") else "html"


def _report_response(page: Page, fmt: Format) -> Response:
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
    app = _app(request)
    app.refresh()
    # Read-only: the language comes from ?lang= or an existing session; no session is made.
    lang = _safe_lang(request)
    fmt = _report_format(request)
    entries = list(app.catalog.entries.values())
    # Up to a second per large journey the first time: not on the event loop.
    page = await run_in_threadpool(app.reports.portfolio_page, app.folder(), entries, lang, fmt)
    return _report_response(page, fmt)


async def journey_report(request: Request) -> Response:
    """One served journey's report, of the version being served."""
    entry = entry_or_404(request)
    fmt = _report_format(request)
    page = await run_in_threadpool(
        _app(request).reports.journey_page, entry, _safe_lang(request), fmt
    )
    return _report_response(page, fmt)


# -- errors ------------------------------------------------------------------------------------


async def not_found(request: Request, exc: Exception) -> Response:
    """A friendly 404 in the citizen's language."""
    lang = _safe_lang(request)
    status = getattr(exc, "status_code", 404)
    if status == 405:
        response = render(request, "error.html", {
            "lang": lang, "title": t("method_title", lang), "body": t("not_found_body", lang),
        }, status=405)
        # HTTP requires a 405 to say which methods the URL accepts.
        allow = (getattr(exc, "headers", None) or {}).get("Allow")
        if allow:
            response.headers["allow"] = allow
        return response
    return render(request, "error.html", {
        "lang": lang, "title": t("not_found_title", lang), "body": t("not_found_body", lang),
    }, status=404 if status == 404 else status)


async def server_error(request: Request, exc: Exception) -> Response:
    """A friendly 500: never a traceback on a citizen's screen (it goes to the log)."""
    log.exception("error on %s %s", request.method, request.url.path, exc_info=exc)
    lang = _safe_lang(request)
    return HTMLResponse(
        _app(request).templates.get_template("error.html").render(
            lang=lang, t=lambda key, **kw: t(key, lang, **kw), title=t("error_title", lang),
            body=t("error_body", lang), switch_url="/", switch_lang="en", journey=None,
            jt=str, csrf_token="", csrf_field=CSRF_FIELD,
        ),
        status_code=500,
        headers={"cache-control": "no-store"},
    )


def _safe_lang(request: Request) -> str:
    requested = request.query_params.get("lang")
    if requested in LANGUAGES:
        return requested
    try:
        app = _app(request)
        session_id = app.signer.unsign(request.cookies.get(COOKIE))
        session = app.store.get_session(session_id) if session_id else None
        if session is not None:
            return session.lang
    except Exception:  # noqa: BLE001 - an error page must not fail
        pass
    return "fr"


def _too_large_page(parcours: Parcours) -> Any:
    def page(scope: dict[str, Any]) -> tuple[bytes, str]:
        query = scope.get("query_string", b"").decode("latin-1")
        lang = "en" if "lang=en" in query else "fr"
        size = f"{parcours.max_body / 1_000_000:.0f} {'Mo' if lang == 'fr' else 'MB'}"
        html = parcours.templates.get_template("error.html").render(
            lang=lang, t=lambda key, **kw: t(key, lang, **kw), title=t("too_large_title", lang),
            body=t("too_large_body", lang, size=size), switch_url="/", switch_lang="en",
            journey=None, jt=str, csrf_token="", csrf_field=CSRF_FIELD,
        )
        return html.encode("utf-8"), lang

    return page


# -- the application ---------------------------------------------------------------------------


def create_app(
    journeys_dir_or_paths: str | Path | list[str | Path],
    db_url: str = "sqlite:///parcours.db",
    secret: str | None = None,
    reload: bool = False,
    *,
    max_body: int | None = None,
    today: datetime.date | None = None,
) -> Starlette:
    """The citizen's application for the journeys of a folder (or a list of files).

    ``db_url``: ``sqlite:///FILE`` or ``postgresql://…``. ``secret`` signs the session
    cookie (default: a random secret kept in the database, shared by every process on it).
    ``reload`` re-reads the journey files on each request (designers editing them).
    ``max_body`` bounds request bodies (default: 1 MB plus the largest file a journey accepts).
    """
    parcours = Parcours(journeys_dir_or_paths, db_url, secret, reload, max_body, today)
    routes = [
        Route("/", front_door, methods=["GET"]),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
        # Read-only (GET and HEAD): every other method gets the 405 page.
        Route(REPORTS, portfolio_report, methods=["GET"]),
        Route(f"{REPORTS}.json", portfolio_report, methods=["GET"]),
        Route(f"{REPORTS}/{{journey}}.json", journey_report, methods=["GET"]),
        Route(f"{REPORTS}/{{journey}}", journey_report, methods=["GET"]),
        Route("/{journey}/", start_page, methods=["GET"]),
        Route("/{journey}/start", start, methods=["POST"]),
        Route("/{journey}/q/{step}", step_page, methods=["GET"]),
        Route("/{journey}/q/{step}", step_post, methods=["POST"]),
        Route("/{journey}/check", check_page, methods=["GET"]),
        Route("/{journey}/check", submit, methods=["POST"]),
        Route("/{journey}/confirmation", confirmation, methods=["GET"]),
        Route("/{journey}/receipt", receipt, methods=["GET"]),
        Route("/{journey}/end/{outcome}", exit_page, methods=["GET"]),
        Route("/{journey}/save", save_post, methods=["POST"]),
        Route("/{journey}/saved", saved_page, methods=["GET"]),
        Route("/{journey}/resume", resume_page, methods=["GET"]),
        Route("/{journey}/resume", resume_post, methods=["POST"]),
        Route("/{journey}/resume/{token}", resume_link, methods=["GET"], name="resume_link"),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={HTTPException: not_found, 404: not_found, 405: not_found,
                            500: server_error, Exception: server_error},
    )
    app.state.parcours = parcours
    app.add_middleware(SecurityMiddleware, max_body=parcours.max_body,  # type: ignore[arg-type]
                       too_large=_too_large_page(parcours))
    return app
