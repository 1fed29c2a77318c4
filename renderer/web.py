"""What every page of the web application shares: the application's state, the citizen's
session cookie, the CSRF check, rendering, redirects and the URLs of named routes.

The pages (:mod:`renderer.citizens`, :mod:`renderer.auditors`, :mod:`renderer.errors`) import
this module; it imports none of them (the route table is :mod:`renderer.app`'s).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from anyio import from_thread
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Router

from designer.answers import date_text
from designer.compiled import CompiledJourney
from designer.report.usage import DEFAULT_THRESHOLD
from designer.values.uploads import parse_size
from renderer import markdown
from renderer.catalog import Catalog, Entry, load_catalog
from renderer.config import Settings
from renderer.i18n import DEFAULT, LANGUAGES, t
from renderer.objects import open_objects
from renderer.paper import PaperShelf
from renderer.printing import Printer
from renderer.providers.connected import Providers
from renderer.purge import retention_of
from renderer.reports import ReportShelf
from renderer.security import COOKIE, CSRF_FIELD, CookieSigner, csrf_ok
from renderer.store import Session, Store
from renderer.throttle import throttle_for
from renderer.usage import Recorder

HERE = Path(__file__).parent


#: Largest request body when no journey allows a larger upload (forms without files).
BASE_BODY = 1_000_000
MAX_FORM_FIELDS = 2000
#: The session's key (and the query parameter, `?falc=1` / `?falc=0`) of the citizen's
#: choice of the easy-to-read version, kept like the language (docs/renderer.md).
FALC_KEY = "falc"


class Citizen:
    """What one request knows about its citizen: session and language."""

    def __init__(self, session: Session, new: bool, lang: str, stored: bool = True) -> None:
        self.session = session
        #: The cookie is to be set (the browser sent none, or a forged one).
        self.new = new
        self.lang = lang
        #: The session has its row: a visitor who only reads pages has none (it is created
        #: by their first valid POST), so that anonymous GETs never grow the database.
        self.stored = stored

    @property
    def falc(self) -> bool:
        """The citizen reads the easy-to-read (FALC) version of journeys that give one."""
        return bool(self.session.data.get(FALC_KEY))


class Parcours:
    """The application's state: store, served journeys, templates, signer, routes."""

    def __init__(
        self,
        paths: str | Path | list[str | Path],
        db_url: str,
        secret: str | None,
        reload: bool,
        max_body: int | None,
        today: datetime.date | None,
        settings: Settings | None = None,
        providers: Providers | None = None,
        record_usage: bool = True,
        usage_threshold: int = DEFAULT_THRESHOLD,
    ) -> None:
        self.paths = paths
        self.settings = settings or Settings(database_url=db_url)
        #: The identity and data providers this server is configured for (its settings').
        self.providers = providers or Providers(self.settings)
        self.store = Store(db_url, files_dir=self.settings.files_dir or None,
                           busy_timeout_ms=self.settings.busy_timeout_ms,
                           pool_size=self.settings.db_pool_size,
                           objects=open_objects(self.settings.objects()))
        self.throttle = throttle_for(self.store, self.settings.redis_url)
        self.reload = reload
        self.catalog: Catalog = load_catalog(paths, self.store)
        self.reports = ReportShelf()
        #: Every PDF of this process is made by it: a few at a time, each content once.
        self.printer = Printer(self.settings.pdf_renders, self.settings.busy_timeout_ms)
        self.paper = PaperShelf(self.printer)
        keys: str | list[str] = self.settings.secret_keys or secret or self.store.secret()
        self.signer = CookieSigner(keys)
        #: The address links given to keep are written with (never the request's Host).
        self.public_url = self.settings.public_url.rstrip("/")
        #: Aggregate usage counts (renderer/usage.py); off only to measure what they cost.
        self.usage = Recorder(self.store, secret or self.store.secret(), record_usage,
                              usage_threshold)
        self.fixed_today = today
        self.max_body = max_body or self._default_max_body()
        #: The application's routes, by name (set by :func:`renderer.app.create_app`).
        self.router = Router()
        self.templates = Environment(
            loader=FileSystemLoader(str(HERE / "templates")),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=reload,
        )
        self.templates.filters["md"] = markdown.render
        self.templates.filters["md_inline"] = markdown.inline
        self.templates.globals["url_for"] = self.url_for
        self.templates.globals["link_href"] = self.link_href

    def retention(self) -> dict[str, int]:
        """The retention in days of the served journeys that declare one (for the purge)."""
        return retention_of(e.journey.model for e in self.catalog.entries.values())

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

    def url_for(self, name: str, /, query: Mapping[str, str] | None = None, **params: str) -> str:
        """The path of the route called ``name`` (with ``query`` when given): every link,
        form action and redirect of the application is made here, from the route table.
        Templates call it as ``url_for('step', journey=journey.id, step=s)``."""
        path = str(self.router.url_path_for(name, **params))
        return f"{path}?{urlencode(query)}" if query else path

    def link_href(self, link: Any) -> str | None:
        """Where an outcome's link leads: the start page of a served journey (by id), or
        a web address; None for a journey not served here or an address that is not one
        (never a `javascript:` link)."""
        if link is None:
            return None
        if link.journey is not None:
            if self.catalog.get(link.journey) is None:
                return None
            return self.url_for("start_page", journey=link.journey)
        url = str(link.url or "")
        return url if url.startswith(("https://", "http://")) else None

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

    def page(self, template: str, lang: str, **context: Any) -> str:
        """A page rendered without a request (error pages): no journey, no form."""
        return self.templates.get_template(template).render(
            lang=lang, t=lambda key, **kw: t(key, lang, **kw), jt=str, journey=None,
            switch_url=self.url_for("front", query={"lang": "en" if lang == "fr" else "fr"}),
            switch_lang="en" if lang == "fr" else "fr", csrf_token="", csrf_field=CSRF_FIELD,
            **context,
        )


def parcours(request: Request) -> Parcours:
    """The application's state."""
    return request.app.state.parcours


def url(request: Request, name: str, /, query: Mapping[str, str] | None = None,
        **params: str) -> str:
    """The path of the route called ``name`` (see :meth:`Parcours.url_for`)."""
    return parcours(request).url_for(name, query, **params)


def citizen(request: Request, create: bool = True) -> Citizen | None:
    """The request's session, with the language to show.

    A visitor without a stored session gets one in memory only (when ``create``): its id in
    the signed cookie and a CSRF token derived from that id, so that their first POST can
    be checked and only then stored (:func:`checked_post`).
    """
    app = parcours(request)
    session_id = app.signer.unsign(request.cookies.get(COOKIE))
    session = app.store.get_session(session_id) if session_id else None
    requested = request.query_params.get("lang")
    lang = requested if requested in LANGUAGES else None
    falc = {"1": True, "0": False}.get(request.query_params.get(FALC_KEY, ""))
    if session is None:
        if not create:
            return None
        new_id = session_id or Session.new_id()
        pending = Session(new_id, app.signer.derive_csrf(new_id), lang or "fr",
                          {FALC_KEY: True} if falc else {})
        return Citizen(pending, session_id is None, pending.lang, stored=False)
    changed = False
    if lang is not None and lang != session.lang:
        session.lang, changed = lang, True
    if falc is not None and falc != bool(session.data.get(FALC_KEY)):
        if falc:
            session.data[FALC_KEY] = True
        else:
            session.data.pop(FALC_KEY, None)
        changed = True
    if changed:
        app.store.save_session(session)
    return Citizen(session, False, session.lang)


def reading(journey: CompiledJourney, who: Citizen | None) -> CompiledJourney:
    """The journey as this citizen reads it: its easy-to-read (FALC) view when they chose
    it (texts without a FALC version read as usual), else the journey itself."""
    return journey.easy_to_read() if who is not None and who.falc else journey


def keep_reading(who: Citizen | None) -> dict[str, str]:
    """The query that carries a visitor's chosen language and FALC reading to their first
    POST (the start form): their session is stored only then (:func:`checked_post`)."""
    if who is None or who.stored:
        return {}
    query = {"lang": who.lang} if who.lang != DEFAULT else {}
    return {**query, FALC_KEY: "1"} if who.falc else query


def request_lang(request: Request, who: Citizen | None) -> str:
    """The page language: the session's, or ``?lang=``, French by default."""
    if who is not None:
        return who.lang
    requested = request.query_params.get("lang")
    return requested if requested in LANGUAGES else "fr"


def safe_lang(request: Request) -> str:
    """The language of a page that must not fail nor create a session (errors, reports):
    ``?lang=``, else an existing session's, else French."""
    requested = request.query_params.get("lang")
    if requested in LANGUAGES:
        return requested
    try:
        app = parcours(request)
        session_id = app.signer.unsign(request.cookies.get(COOKIE))
        session = app.store.get_session(session_id) if session_id else None
        if session is not None:
            return session.lang
    except Exception:  # noqa: BLE001 - an error page must not fail
        pass
    return "fr"


def journey_lang(journey: CompiledJourney, lang: str) -> str:
    """The interface language of a journey's pages: the citizen's, when the journey is
    offered in it; else the journey's own (an English interface around French questions
    would be one page in two languages, its `lang` wrong for screen readers)."""
    if lang in LANGUAGES and lang in journey.languages:
        return lang
    default = journey.languages[0] if journey.languages else "fr"
    return default if default in LANGUAGES else "fr"


def render(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    who: Citizen | None = None,
    status: int = 200,
    journey: CompiledJourney | None = None,
    falc_journey: CompiledJourney | None = None,
) -> HTMLResponse:
    """Render a page with the context every page needs, and set the session cookie.
    ``falc_journey``: on a page about a journey that is not its own (the follow-up of a
    dossier), the journey whose easy-to-read version the page offers to switch to."""
    app = parcours(request)
    lang = context.get("lang") or request_lang(request, who)
    if journey is not None:
        lang = journey_lang(journey, lang)
    other = "en" if lang == "fr" else "fr"
    # No switch to a language the journey is not offered in.
    switch = journey is None or other in journey.languages
    query = dict(request.query_params)
    query["lang"] = other
    query.pop(FALC_KEY, None)
    read = reading(journey, who) if journey is not None else None
    base = {
        "lang": lang,
        "t": lambda key, **kw: t(key, lang, **kw),
        "jt": (lambda value: read.text(value, lang)) if read is not None else str,
        **_falc_switch(request, who, lang, journey or falc_journey),
        "csrf_field": CSRF_FIELD,
        "csrf_token": who.session.csrf if who is not None else "",
        # The same page in the other language: the current path, its query and ``lang``.
        "switch_url": str(request.url.replace(scheme="", netloc="", query=urlencode(query)))
        if switch else None,
        "switch_lang": other,
        "journey": journey,
    }
    base.update(context)
    base["lang"] = lang
    base["mediation_banner"] = mediation_banner(who, journey, lang)
    html = app.templates.get_template(template).render(base)
    response = HTMLResponse(html, status_code=status)
    response.headers["content-language"] = lang
    # Answers are personal: no shared cache may keep a page.
    response.headers["cache-control"] = "no-store"
    if who is not None and who.new:
        set_cookie(request, response, who)
    return response


def _falc_switch(
    request: Request, who: Citizen | None, lang: str, journey: CompiledJourney | None
) -> dict[str, Any]:
    """The one link between a page and its easy-to-read version: the same page (its path
    and query, so the citizen keeps their place; answers are in the draft) with ``?falc=``.
    Offered where the journey gives FALC texts in the page's language, and wherever the
    citizen reads in FALC, so that they can always leave it."""
    on = who is not None and who.falc
    offered = journey is not None and lang in journey.falc_languages()
    if who is None or not (on or offered):
        return {"falc_url": None, "falc_on": on}
    query = {k: v for k, v in request.query_params.items() if k not in ("lang", FALC_KEY)}
    query[FALC_KEY] = "0" if on else "1"
    target = request.url.replace(scheme="", netloc="", query=urlencode(query))
    return {"falc_url": str(target), "falc_on": on}
def mediation_banner(who: Citizen | None, journey: CompiledJourney | None,
                     lang: str) -> str | None:
    """The banner of a journey's pages keyed by a mediator with a citizen: who keys it, for
    whom, until when (the session's mandate, set by :mod:`renderer.mediators`); None on the
    pages of a citizen alone, and on another journey than the mandate's."""
    mediation = who.session.data.get("mediation") if who is not None else None
    if journey is None or not isinstance(mediation, dict) or mediation.get("journey") != journey.id:
        return None
    until = date_text(datetime.date.fromisoformat(str(mediation["until"])[:10]), lang)
    return t("med_banner", lang, mediator=mediation["mediator"],
             structure=mediation["structure"], citizen=mediation["citizen"], until=until)


def set_cookie(request: Request, response: Response, who: Citizen) -> None:
    """The session cookie: signed opaque id, HttpOnly, SameSite=Lax, Secure behind HTTPS."""
    response.set_cookie(
        COOKIE,
        parcours(request).signer.sign(who.session.id),
        max_age=30 * 24 * 3600,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


def redirect(request: Request, to: str, who: Citizen | None = None) -> Response:
    """A 303 redirect to the path ``to`` (after a POST, the browser GETs the next page)."""
    response = RedirectResponse(to, status_code=303)
    response.headers["cache-control"] = "no-store"
    if who is not None and who.new:
        set_cookie(request, response, who)
    return response


def entry_or_404(request: Request) -> Entry:
    """The served journey named in the URL."""
    app = parcours(request)
    app.refresh()
    journey_id = request.path_params["journey"]
    entry = app.catalog.get(journey_id)
    if entry is None:
        # A journey served here before and no longer (taken offline, or its file removed):
        # the citizen is told so, not that the address is wrong.
        raise HTTPException(410 if app.store.was_served(journey_id) else 404)
    return entry


#: Control characters that no answer may hold (NUL, and the C0 controls but tab and newlines):
#: removed as the form is read, so that they are neither stored nor echoed in a page.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


async def read_form(request: Request) -> FormData:
    """The posted form, bounded in fields, files and part size, without control characters."""
    form = await request.form(max_files=50, max_fields=MAX_FORM_FIELDS,
                              max_part_size=1024 * 1024)
    if not any(isinstance(v, str) and _CONTROLS.search(v) for _, v in form.multi_items()):
        return form
    return FormData([(k, _CONTROLS.sub("", v) if isinstance(v, str) else v)
                     for k, v in form.multi_items()])


def csrf_refused(request: Request, who: Citizen | None, form: FormData) -> Response | None:
    """A 403 page when the form's CSRF token is not the session's; None when it is."""
    if who is None or who.new or not csrf_ok(who.session.csrf, form.get(CSRF_FIELD)):
        lang = request_lang(request, who)
        return render(request, "error.html", {
            "title": t("forbidden_title", lang), "body": t("forbidden_body", lang),
        }, status=403, who=None)
    return None


def checked_post(request: Request) -> tuple[Entry, Citizen, FormData] | Response:
    """The journey, the citizen and the posted form of a POST whose CSRF token is valid;
    the 403 page otherwise (nothing changes). The session is stored here, on the first
    valid POST of a visitor.

    Called from a page function running in the thread pool (Starlette runs plain ``def``
    endpoints there): the form is read on the event loop (``from_thread``), everything
    else, the database above all, stays off it.
    """
    entry = entry_or_404(request)
    who = citizen(request)
    assert who is not None
    form = from_thread.run(read_form, request)
    if (refused := csrf_refused(request, who, form)) is not None:
        return refused
    if not who.stored:
        store = parcours(request).store
        store.create_session(who.lang, session_id=who.session.id, csrf=who.session.csrf)
        if who.falc:
            # Read back: two first POSTs at once share one row, whose data must not be lost.
            stored = store.get_session(who.session.id)
            if stored is not None:
                stored.data[FALC_KEY] = True
                store.save_session(stored)
                who.session = stored
        who.stored = True
    return entry, who, form
