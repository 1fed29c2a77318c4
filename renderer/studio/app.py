"""The studio's web application: ``create_studio_app(folder, token) -> Starlette``.

=================================  ===================================================
``/``                              the journeys of the folder with their state
``/edit/PATH``                     the editor (GET); ``POST``: check or save the form
``/-/check`` (POST, JSON)          diagnostics of unsaved text, for the editor's script
``/-/schema.json``                 the journey JSON Schema (the editor's completion)
``/-/rules/SLUG``                  a check rule's documentation page
``/static/…``                      the studio's style sheet and editor bundle
=================================  ===================================================

Every request needs the access token (:mod:`renderer.studio.access`); every POST needs the
CSRF token of the page it came from. Without JavaScript the editor is a plain form: a
textarea, "Vérifier" and "Enregistrer", the findings listed under it.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from designer.editing import EditError
from designer.findings import RULES
from designer.source import MAX_BYTES
from renderer.security import CSP, CSRF_FIELD, SecurityMiddleware, csrf_ok
from renderer.studio.access import OutsideFolder, TokenGate, resolve_journey
from renderer.studio.diagnostics import cases_result, check_text, diagnose
from renderer.studio.figures import headline
from renderer.studio.files import ChangedOnDisk, Folder, digest, save
from renderer.studio.graph import graph_picture
from renderer.studio.panels import panel_edit
from renderer.studio.rules import rule_html
from renderer.studio.texts import LANGUAGES, t

HERE = Path(__file__).parent
#: The project's rule pages, present in a source checkout (not in a wheel).
RULE_DOCS = HERE.parents[1] / "docs" / "rules"
#: A journey is at most 5 MB; its form encoding can take up to three times that.
MAX_BODY = 3 * MAX_BYTES + 100_000
CSRF_HEADER = "x-csrf-token"


class Studio:
    """The application's state: the folder, the CSRF token of this process, templates."""

    def __init__(self, root: Path) -> None:
        self.folder = Folder(root)
        self.csrf = secrets.token_urlsafe(32)
        self.templates = Environment(
            # The studio's pages, then the renderer's shared macros (the CSRF input).
            loader=ChoiceLoader([FileSystemLoader(str(HERE / "templates")),
                                 FileSystemLoader(str(HERE.parent / "templates"))]),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )


def _studio(request: Request) -> Studio:
    return request.app.state.studio


def _lang(request: Request) -> str:
    lang = request.query_params.get("lang", "fr")
    return lang if lang in LANGUAGES else "fr"


def render(request: Request, template: str, context: dict[str, Any],
           status: int = 200) -> HTMLResponse:
    """A studio page, with what every page needs."""
    lang = context.get("lang") or _lang(request)
    other = "en" if lang == "fr" else "fr"
    # CodeMirror mounts its style sheet as a <style> element: allowed by this response's
    # nonce only (no 'unsafe-inline'); its lint markers are data: SVG images. Every other
    # rule of the house's CSP stays.
    nonce = secrets.token_urlsafe(16)
    base = {
        "style_nonce": nonce,
        "lang": lang,
        "t": lambda key, **kw: t(key, lang, **kw),
        "csrf_field": CSRF_FIELD,
        "csrf_token": _studio(request).csrf,
        "switch_url": f"{request.url.path}?{urlencode({'lang': other})}",
        "switch_lang": other,
        "lang_query": "" if lang == "fr" else "?lang=en",
        "url": lambda name, **params: _url(request, name, lang, **params),
    }
    base.update(context)
    html = _studio(request).templates.get_template(template).render(base)
    response = HTMLResponse(html, status_code=status)
    response.headers["content-language"] = lang
    response.headers["cache-control"] = "no-store"
    response.headers["content-security-policy"] = CSP.replace(
        "style-src 'self'", f"style-src 'self' 'nonce-{nonce}'").replace(
        "img-src 'self'", "img-src 'self' data:")
    return response


def _url(request: Request, name: str, lang: str = "fr", **params: str) -> str:
    """The path of a named route, in the page's language (``?lang=en``)."""
    # Path parameters are file names: quoted here (Starlette's path convertor does not).
    path = str(request.app.url_path_for(name, **{k: quote(v) for k, v in params.items()}))
    return path + ("?lang=en" if lang == "en" and name not in ("static",) else "")


def _error(request: Request, status: int, title: str, body: str) -> HTMLResponse:
    lang = _lang(request)
    return render(request, "error.html", {"title": t(title, lang), "body": t(body, lang)},
                  status=status)


def _origin(request: Request, relative: str) -> Path:
    """Where a journey of the folder lies (what is declared beside it is read there)."""
    return _studio(request).folder.root / relative


def _journey(request: Request) -> tuple[Path, str]:
    relative = request.path_params["path"]
    try:
        path = resolve_journey(_studio(request).folder.root, relative)
    except OutsideFolder:
        raise HTTPException(404) from None
    if not path.is_file():
        raise HTTPException(404)
    return path, relative


# -- pages ------------------------------------------------------------------------------


async def index(request: Request, *, form: dict[str, str] | None = None,
                problem: str | None = None, status: int = 200) -> Response:
    """The journeys of the folder with their state, and the form of a new journey."""
    from designer.templates import TEMPLATES

    journeys = await run_in_threadpool(_studio(request).folder.journeys)
    return render(request, "index.html", {"journeys": journeys, "templates": TEMPLATES,
                                          "form": form or {}, "problem": problem,
                                          }, status=status)


async def new_post(request: Request) -> Response:
    """Create a journey from a template (never over an existing file), then edit it."""
    from designer.templates import new_journey

    form = await request.form(max_fields=10, max_files=0)
    lang = _lang(request)
    if not csrf_ok(_studio(request).csrf, form.get(CSRF_FIELD)):
        return _error(request, 403, "forbidden_title", "csrf")
    fields = {k: str(v) for k, v in form.items() if k != CSRF_FIELD}
    relative = fields.get("file", "").strip()
    if relative and "." not in Path(relative).name:
        relative += ".yaml"
    try:
        path = resolve_journey(_studio(request).folder.root, relative)
        text = new_journey(fields.get("template", ""), Path(relative).stem.lower(),
                           {"fr": fields.get("title_fr", ""), "en": fields.get("title_en", "")})
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8") as out:  # "x": never overwrite
            out.write(text)
    except OutsideFolder:
        return await index(request, form=fields, status=422,
                           problem=t("new_refused", lang, reason=t("bad_file", lang)))
    except FileExistsError:
        return await index(request, form=fields, status=409,
                           problem=t("new_refused", lang, reason=t("exists", lang)))
    except (KeyError, ValueError) as exc:
        return await index(request, form=fields, status=422,
                           problem=t("new_refused", lang, reason=exc))
    return RedirectResponse(_url(request, "edit", lang, path=relative), status_code=303)


def _editor(request: Request, relative: str, text: str, base: str, *, status: int = 200,
            message: str | None = None, problem: str | None = None,
            form: dict[str, str] | None = None, panel: str | None = None) -> HTMLResponse:
    from designer.model import QUESTION_TYPES

    loaded = check_text(text, relative, origin=_origin(request, relative))
    result = diagnose(text, relative, loaded)
    lang = _lang(request)
    folder = _studio(request).folder
    root = folder.root
    on_disk = resolve_journey(root, relative)
    return render(request, "edit.html", {
        "unsaved": headline(loaded, lang),
        "saved": headline(folder.loaded(on_disk), lang) if on_disk.is_file() else None,
        "cases": cases_result(loaded, resolve_journey(root, relative)),
        "cases_file": Path(relative).name.rsplit(".", 1)[0] + ".cases.yaml",
        "graph": graph_picture(loaded, lang),
        "edit_url": _url(request, "edit", lang, path=relative),
        "ids": result["ids"],
        "question_types": QUESTION_TYPES,
        "form": form or {},
        "panel": panel,
        "path": relative,
        "action": _url(request, "edit_post", lang, path=relative),
        "text": text,
        "base": base,
        "findings": result["findings"],
        "counts": result["counts"],
        "message": message,
        "problem": problem,
    }, status=status)


async def edit_page(request: Request) -> Response:
    """The editor, opened on the file as it is on disk."""
    path, relative = _journey(request)
    raw = path.read_bytes()
    text = raw.decode("utf-8", errors="replace")
    saved = request.query_params.get("saved") == "1"
    lang = _lang(request)
    return await run_in_threadpool(_editor, request, relative, text, digest(raw),
                                   message=t("saved", lang) if saved else None)


async def edit_post(request: Request) -> Response:
    """The plain form's two buttons: check the text, or save it."""
    path, relative = _journey(request)
    form = await request.form(max_fields=40, max_files=0, max_part_size=MAX_BODY)
    lang = _lang(request)
    if not csrf_ok(_studio(request).csrf, form.get(CSRF_FIELD)):
        return _error(request, 403, "forbidden_title", "csrf")
    text = str(form.get("text") or "")
    base = str(form.get("base") or "")
    action = form.get("action")
    panels = {"add-question": "question", "add-branch": "branch", "add-step": "step",
              "change-question": "change"}
    if action in panels:
        fields = {k: str(v) for k, v in form.items() if k.startswith(("q_", "b_", "s_", "c_"))}
        panel = panels[str(action)]
        try:
            text = panel_edit(text, panel, fields)
        except EditError as exc:
            reason = str(exc)
            return await run_in_threadpool(
                lambda: _editor(request, relative, text, base, status=422, form=fields,
                                panel=panel, problem=t("edit_refused", lang, reason=reason)))
        return await run_in_threadpool(
            lambda: _editor(request, relative, text, base, message=t("added", lang)))
    if action == "preview":
        return await run_in_threadpool(_preview, request, relative, text,
                                       str(form.get("preview_step") or ""),
                                       str(form.get("preview_lang") or lang))
    if action == "save":
        try:
            await run_in_threadpool(save, path, text, base)
        except ChangedOnDisk:
            return await run_in_threadpool(
                lambda: _editor(request, relative, text, base, status=409,
                                problem=t("conflict", lang)))
        query = {"saved": "1"} | ({"lang": "en"} if lang == "en" else {})
        edit = str(request.app.url_path_for("edit", path=quote(relative)))
        return RedirectResponse(f"{edit}?{urlencode(query)}", status_code=303)
    return await run_in_threadpool(_editor, request, relative, text, base)


def _preview(request: Request, relative: str, text: str, step: str, lang: str) -> Response:
    """The citizen's page of one step of the unsaved text (the renderer's templates)."""
    from renderer.studio.preview import citizen_page

    loaded = check_text(text, relative, structure_only=True, origin=_origin(request, relative))
    journey = loaded.journey
    if journey is None or step not in journey.steps:
        return _error(request, 422, "preview_title", "preview_none")
    html = citizen_page(journey, step, lang,
                        lambda path: str(request.app.url_path_for("citizen_static", path=path)))
    return HTMLResponse(html, headers={"cache-control": "no-store"})


async def check_api(request: Request) -> Response:
    """Diagnostics of the editor's unsaved text (JSON in, JSON out)."""
    if not csrf_ok(_studio(request).csrf, request.headers.get(CSRF_HEADER)):
        return JSONResponse({"error": "csrf"}, status_code=403)
    try:
        body = json.loads(await request.body())
        text, relative = body["text"], body["path"]
        if not isinstance(text, str) or not isinstance(relative, str):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        return JSONResponse({"error": "expected {\"path\": str, \"text\": str}"},
                            status_code=400)
    try:
        path = resolve_journey(_studio(request).folder.root, relative)
    except OutsideFolder:
        path = None
    if path is None or not path.is_file():
        return JSONResponse({"error": "no such journey in the folder"}, status_code=404)

    def check() -> dict[str, Any]:
        loaded = check_text(text, relative, origin=_origin(request, relative))
        result = diagnose(text, relative, loaded)
        result["cases"] = cases_result(loaded, path)
        return result

    result = await run_in_threadpool(check)
    return JSONResponse(result, headers={"cache-control": "no-store"})


async def graph_api(request: Request) -> Response:
    """The step graph of the editor's unsaved text, as the SVG fragment the page shows."""
    if not csrf_ok(_studio(request).csrf, request.headers.get(CSRF_HEADER)):
        return JSONResponse({"error": "csrf"}, status_code=403)
    try:
        body = json.loads(await request.body())
        text, relative = str(body["text"]), str(body["path"])
    except (ValueError, KeyError, TypeError):
        return JSONResponse({"error": "expected {\"path\": str, \"text\": str}"},
                            status_code=400)
    lang = _lang(request)

    def draw() -> str:
        # The structure is enough to draw (and mark) the steps; the full check runs in
        # the /-/check request beside this one.
        graph = graph_picture(check_text(text, relative, structure_only=True,
                                         origin=_origin(request, relative)), lang)
        template = _studio(request).templates.get_template("_graph.html")
        return template.render({"graph": graph, "t": lambda key, **kw: t(key, lang, **kw),
                                "edit_url": _url(request, "edit", lang, path=relative)})

    return HTMLResponse(await run_in_threadpool(draw), headers={"cache-control": "no-store"})


async def figures_api(request: Request) -> Response:
    """The report's headline figures of the unsaved text and of the saved file."""
    if not csrf_ok(_studio(request).csrf, request.headers.get(CSRF_HEADER)):
        return JSONResponse({"error": "csrf"}, status_code=403)
    try:
        body = json.loads(await request.body())
        text, relative = str(body["text"]), str(body["path"])
        path = resolve_journey(_studio(request).folder.root, relative)
    except (ValueError, KeyError, TypeError, OutsideFolder):
        return JSONResponse({"error": "expected {\"path\": str, \"text\": str}"},
                            status_code=400)
    lang = _lang(request)

    def measure() -> str:
        unsaved = headline(check_text(text, relative, origin=_origin(request, relative)), lang)
        saved = headline(_studio(request).folder.loaded(path), lang) if path.is_file() else None
        template = _studio(request).templates.get_template("_figures.html")
        return template.render({"unsaved": unsaved, "saved": saved,
                                "t": lambda key, **kw: t(key, lang, **kw)})

    return HTMLResponse(await run_in_threadpool(measure), headers={"cache-control": "no-store"})


async def schema(request: Request) -> Response:
    """The journey format's JSON Schema, for the editor's completion."""
    from designer.model import journey_schema

    return JSONResponse(journey_schema())


async def rule_page(request: Request) -> Response:
    """A check rule's documentation: the project's page when installed, else its summary."""
    slug = request.path_params["slug"]
    rule = RULES.get(slug)
    if rule is None:
        raise HTTPException(404)
    page = RULE_DOCS / f"{slug}.md"
    body = rule_html(page.read_text(encoding="utf-8")) if page.is_file() else None
    return render(request, "rule.html", {"rule": rule, "body": body})


async def no_icon(request: Request) -> Response:
    """No icon (browsers ask for one; a 404 would fill the console)."""
    return Response(status_code=204)


async def not_found(request: Request, exc: Exception) -> Response:
    """The studio's 404 page (405 too: this path takes no such method)."""
    status = exc.status_code if isinstance(exc, HTTPException) else 404
    return _error(request, status, "not_found_title", "not_found")


# -- the application ------------------------------------------------------------------------


def _too_large(scope: dict[str, Any]) -> tuple[bytes, str, str]:
    return (b"<!DOCTYPE html><html lang=\"fr\"><title>Trop grand</title><p>Texte trop grand "
            b"(5 Mo au plus).</p></html>", "fr", "text/html; charset=utf-8")


def create_studio_app(folder: str | Path, token: str) -> Starlette:
    """The studio over ``folder``; every request needs ``token`` (see :mod:`.access`)."""
    studio = Studio(Path(folder))
    routes = [
        Route("/", index, methods=["GET"], name="journeys"),
        Route("/new", new_post, methods=["POST"], name="new"),
        Route("/edit/{path:path}", edit_page, methods=["GET"], name="edit"),
        Route("/edit/{path:path}", edit_post, methods=["POST"], name="edit_post"),
        Route("/-/check", check_api, methods=["POST"], name="check"),
        Route("/-/graph", graph_api, methods=["POST"], name="graph"),
        Route("/-/figures", figures_api, methods=["POST"], name="figures"),
        Route("/-/schema.json", schema, methods=["GET"], name="schema"),
        Route("/-/rules/{slug}", rule_page, methods=["GET"], name="rule"),
        Route("/favicon.ico", no_icon, methods=["GET"], name="favicon"),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
        # The citizens' style sheet and scripts, for the preview of their pages.
        Mount("/citizen-static", StaticFiles(directory=str(HERE.parent / "static")),
              name="citizen_static"),
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: not_found})
    app.state.studio = studio
    app.add_middleware(TokenGate, token=token)
    app.add_middleware(SecurityMiddleware, max_body=MAX_BODY,
                       too_large=_too_large)
    return app
