"""The studio's web application: ``create_studio_app(folder, token) -> Starlette``.

=================================  ===================================================
``/``                              the journeys of the folder with their state
``/edit/PATH``                     the editor (GET); ``POST``: check or save the form
``/publish/PATH``                  the journey's publication (GET); ``POST``: a transition
``/-/check`` (POST, JSON)          diagnostics of unsaved text, for the editor's script
``/-/fix`` (POST, JSON)            the change an edit fix makes to unsaved text
``/-/schema.json``                 the journey JSON Schema (the editor's completion)
``/-/rules/SLUG``                  a check rule's documentation page
``/static/…``                      the studio's style sheet and editor bundle
=================================  ===================================================

Every request needs the access token (:mod:`renderer.studio.access`); every POST needs the
CSRF token of the page it came from. Without JavaScript the editor is a plain form: a
textarea, "Vérifier" and "Enregistrer", the findings listed under it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from designer.editing import EditError
from designer.findings import RULES
from designer.loading import Loaded
from renderer.security import CSP, CSRF_FIELD, SecurityMiddleware, csrf_ok
from renderer.studio.access import OutsideFolder, TokenGate, resolve_journey
from renderer.studio.api import check_api, figures_api, fix_api, graph_api, schema
from renderer.studio.diagnostics import cases_result, check_text, diagnose
from renderer.studio.figures import headline
from renderer.studio.files import ChangedOnDisk, digest, save
from renderer.studio.graph import graph_picture
from renderer.studio.panels import panel_edit, removal_choices
from renderer.studio.preview import COMPUTED_CASE, computed_citizen, preview_cases
from renderer.studio.publication import reference
from renderer.studio.rules import rule_html
from renderer.studio.texts import t
from renderer.studio.usage import UsageOption, hotspots
from renderer.studio.web import (
    HERE,
    MAX_BODY,
    RULE_DOCS,
    Studio,
    error_page,
    journey_of,
    origin_of,
    page_lang,
    render,
    rule_urls,
    studio_of,
    url_for,
)

#: The transitions of the workflow, each with its message once made.
DONE = ("adopt", "submit", "withdraw", "publish", "unpublish")
# -- pages ------------------------------------------------------------------------------


async def index(request: Request, *, form: dict[str, str] | None = None,
                problem: str | None = None, status: int = 200) -> Response:
    """The journeys of the folder with their state, and the form of a new journey."""
    from designer.templates import TEMPLATES

    journeys = await run_in_threadpool(studio_of(request).folder.journeys)
    return render(request, "index.html", {"journeys": journeys, "templates": TEMPLATES,
                                          "form": form or {}, "problem": problem,
                                          }, status=status)


async def new_post(request: Request) -> Response:
    """Create a journey from a template (never over an existing file), then edit it."""
    from designer.templates import new_journey

    form = await request.form(max_fields=10, max_files=0)
    lang = page_lang(request)
    if not csrf_ok(studio_of(request).csrf, form.get(CSRF_FIELD)):
        return error_page(request, 403, "forbidden_title", "csrf")
    fields = {k: str(v) for k, v in form.items() if k != CSRF_FIELD}
    relative = fields.get("file", "").strip()
    if relative and "." not in Path(relative).name:
        relative += ".yaml"
    try:
        path = resolve_journey(studio_of(request).folder.root, relative)
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
    return RedirectResponse(url_for(request, "edit", lang, path=relative), status_code=303)


def _editor(request: Request, relative: str, text: str, base: str, *, status: int = 200,
            message: str | None = None, problem: str | None = None,
            form: dict[str, str] | None = None, panel: str | None = None) -> HTMLResponse:
    from designer.format_types import QUESTION_TYPES

    loaded = check_text(text, relative, origin=origin_of(request, relative))
    lang = page_lang(request)
    result = diagnose(text, relative, loaded, rule_url=rule_urls(request, lang))
    folder = studio_of(request).folder
    root = folder.root
    on_disk = resolve_journey(root, relative)
    saved_loaded = folder.loaded(on_disk) if on_disk.is_file() else None
    compared, label = reference(on_disk, relative, saved_loaded)
    return render(request, "edit.html", {
        "usage": (hotspots(saved_loaded, studio_of(request).usage, lang)
                  if saved_loaded is not None else None),
        "unsaved": headline(loaded, lang),
        "saved": headline(compared, lang) if compared is not None else None,
        "reference_label": label,
        "cases": cases_result(loaded, resolve_journey(root, relative)),
        "cases_file": Path(relative).name.rsplit(".", 1)[0] + ".cases.yaml",
        "graph": graph_picture(loaded, lang),
        "edit_url": url_for(request, "edit", lang, path=relative),
        "ids": result["ids"],
        "preview_cases": list(preview_cases(root, relative)),
        "computed_case": COMPUTED_CASE,
        "question_types": QUESTION_TYPES,
        "removals": removal_choices(loaded, lang),
        "form": form or {},
        "panel": panel,
        "path": relative,
        "action": url_for(request, "edit_post", lang, path=relative),
        "text": text,
        "base": base,
        # The text the findings and their fixes were computed on (a fix posted for another
        # text is refused: its place would be wrong).
        "checked": digest(text.encode("utf-8")),
        "findings": result["findings"],
        "counts": result["counts"],
        "message": message,
        "problem": problem,
    }, status=status)


async def edit_page(request: Request) -> Response:
    """The editor, opened on the file as it is on disk."""
    path, relative = journey_of(request)
    raw = path.read_bytes()
    text = raw.decode("utf-8", errors="replace")
    saved = request.query_params.get("saved") == "1"
    lang = page_lang(request)
    return await run_in_threadpool(_editor, request, relative, text, digest(raw),
                                   message=t("saved", lang) if saved else None)


async def edit_post(request: Request) -> Response:
    """The plain form's two buttons: check the text, or save it."""
    path, relative = journey_of(request)
    form = await request.form(max_fields=40, max_files=0, max_part_size=MAX_BODY)
    lang = page_lang(request)
    if not csrf_ok(studio_of(request).csrf, form.get(CSRF_FIELD)):
        return error_page(request, 403, "forbidden_title", "csrf")
    # Browsers post a textarea's lines ending in CR LF: the text is read as saved (LF), so
    # that what the page showed and what it posts compare equal.
    text = str(form.get("text") or "").replace("\r\n", "\n")
    base = str(form.get("base") or "")
    action = form.get("action")
    panels = {"add-question": "question", "add-branch": "branch", "add-step": "step",
              "change-question": "change", "remove": "remove"}
    if action in panels:
        fields = {k: str(v) for k, v in form.items()
                  if k.startswith(("q_", "b_", "s_", "c_", "r_"))}
        panel = panels[str(action)]
        try:
            edited = panel_edit(text, panel, fields)
            if panel == "remove":
                _refuse_new_errors(text, edited, relative, origin_of(request, relative), lang)
        except EditError as exc:
            reason = str(exc)
            return await run_in_threadpool(
                lambda: _editor(request, relative, text, base, status=422, form=fields,
                                panel=panel, problem=t("edit_refused", lang, reason=reason)))
        done = t("removed" if panel == "remove" else "added", lang)
        return await run_in_threadpool(
            lambda: _editor(request, relative, edited, base, message=done))
    if isinstance(action, str) and action.startswith("fix-"):
        return await run_in_threadpool(_fixed, request, relative, text, base, action,
                                       str(form.get("checked") or ""))
    if action == "preview":
        return await run_in_threadpool(_preview, request, relative, text,
                                       str(form.get("preview_step") or ""),
                                       str(form.get("preview_lang") or lang),
                                       str(form.get("preview_case") or ""))
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


def _refuse_new_errors(before: str, after: str, relative: str, origin: Path, lang: str) -> None:
    """Raise :class:`EditError` when ``after`` has more errors than ``before`` under the
    structural checks (a removal must not break what reads the removed part)."""
    from renderer.studio.fixes import added_errors, error_count

    old, new = (check_text(text, relative, structure_only=True, origin=origin)
                for text in (before, after))
    added = added_errors(old, new)
    if added:
        colon = " : " if lang == "fr" else ": "
        first = "; ".join(t("line_col", lang, line=f.line, column=f.column) + colon + f.message
                          for f in added[:3])
        raise EditError(t("remove_adds_errors", lang, n=error_count(new) - error_count(old),
                          first=first))


def _fixed(request: Request, relative: str, text: str, base: str, action: str,
           checked: str) -> Response:
    """A one-click fix made without JavaScript (``action``: ``fix-I-J``, the J-th fix of the
    I-th finding of the text shown): the page again with the fixed text, not saved yet."""
    from renderer.studio.fixes import FixRefused, fixed_text

    lang = page_lang(request)
    if digest(text.encode("utf-8")) != checked:
        return _editor(request, relative, text, base, status=409, problem=t("fix_stale", lang))
    origin = origin_of(request, relative)
    loaded = check_text(text, relative, origin=origin)
    findings = diagnose(text, relative, loaded, rule_url=rule_urls(request, lang))["findings"]
    try:
        i, j = (int(n) for n in action.removeprefix("fix-").split("-"))
        if i < 0 or j < 0:
            raise IndexError(i, j)
        fix = findings[i]["fixes"][j]
    except (ValueError, IndexError):
        return _editor(request, relative, text, base, status=400, problem=t("fix_unknown", lang))

    def structure(source: str) -> Loaded:
        return check_text(source, relative, structure_only=True, origin=origin)

    try:
        fixed = fixed_text(text, relative, fix, structure)
    except FixRefused as exc:
        return _editor(request, relative, text, base, status=422,
                       problem=t("edit_refused", lang, reason=str(exc)))
    return _editor(request, relative, fixed, base, message=t("fix_applied", lang))


def _preview(request: Request, relative: str, text: str, step: str, lang: str,
             case: str = "") -> Response:
    """The citizen's page of one step of the unsaved text (the renderer's templates), with
    no answer or as the citizen of one of the journey's test cases reaches it."""
    from renderer.studio.preview import citizen_page

    loaded = check_text(text, relative, structure_only=True, origin=origin_of(request, relative))
    journey = loaded.journey
    answers = None
    if case == COMPUTED_CASE:
        if journey is not None and step in journey.steps:
            answers = computed_citizen(journey, text, step)
    elif case:
        found = preview_cases(studio_of(request).folder.root, relative).get(case)
        answers = found.answers if found is not None else None
    html = None
    if journey is not None and step in journey.steps and (answers is not None or not case):
        html = citizen_page(journey, step, lang, lambda path: str(
            request.app.url_path_for("citizen_static", path=path)), answers=answers)
    if html is None:
        key = ("preview_none" if journey is None or not case else
               "preview_not_found" if case == COMPUTED_CASE else "preview_not_reached")
        response: Response = error_page(request, 422, "preview_title", key)
    else:
        response = HTMLResponse(html, headers={"cache-control": "no-store"})
    # Shown in the editor's frame (the citizen's view that follows the cursor): this
    # response only may be framed, by the studio's own pages.
    response.headers["content-security-policy"] = response.headers.get(
        "content-security-policy", CSP).replace("frame-ancestors 'none'",
                                                "frame-ancestors 'self'")
    response.headers["x-frame-options"] = "SAMEORIGIN"
    return response


def _publication(request: Request, relative: str, path: Path, *, status: int = 200,
                 message: str | None = None, problem: str | None = None,
                 refused: list[Any] | None = None) -> HTMLResponse:
    from renderer.studio.publication import comparison_rows, review

    lang = page_lang(request)
    shown = review(path, relative, studio_of(request).folder.loaded(path), lang)
    return render(request, "publish.html", {
        **shown, "path": relative, "message": message, "problem": problem,
        "refused": refused or [],
        "rows": comparison_rows(shown["comparison"]) if shown["comparison"] else [],
        "action": url_for(request, "publish_post", lang, path=relative),
        "edit_url": url_for(request, "edit", lang, path=relative),
    }, status=status)


async def publish_page(request: Request) -> Response:
    """A journey's place in the publication workflow, and what the reviewer checks."""
    path, relative = journey_of(request)
    done = request.query_params.get("done")
    message = t(f"done_{done}", page_lang(request)) if done in DONE else None
    return await run_in_threadpool(lambda: _publication(request, relative, path,
                                                        message=message))


async def publish_post(request: Request) -> Response:
    """A transition of the workflow: adopt, submit, withdraw, publish or unpublish (which
    asks for a ticked confirmation: citizens lose the journey)."""
    from designer.publication import PublicationError
    from renderer.studio.publication import transition

    path, relative = journey_of(request)
    form = await request.form(max_fields=10, max_files=0)
    lang = page_lang(request)
    if not csrf_ok(studio_of(request).csrf, form.get(CSRF_FIELD)):
        return error_page(request, 403, "forbidden_title", "csrf")
    action = str(form.get("action") or "")
    if action == "unpublish" and form.get("confirm") != "yes":
        return await run_in_threadpool(
            lambda: _publication(request, relative, path, status=409,
                                 problem=t("unpublish_unconfirmed", lang)))
    try:
        await run_in_threadpool(transition, path, action, str(form.get("reviewed") or ""))
    except PublicationError as exc:
        reason, found = str(exc), exc.findings
        return await run_in_threadpool(
            lambda: _publication(request, relative, path, status=409, refused=found,
                                 problem=t("publication_refused", lang, reason=reason)))
    query = {"done": action} | ({"lang": "en"} if lang == "en" else {})
    page = str(request.app.url_path_for("publish", path=quote(relative)))
    return RedirectResponse(f"{page}?{urlencode(query)}", status_code=303)

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
    return error_page(request, status, "not_found_title", "not_found")


# -- the application ------------------------------------------------------------------------


def _too_large(scope: dict[str, Any]) -> tuple[bytes, str, str]:
    return (b"<!DOCTYPE html><html lang=\"fr\"><title>Trop grand</title><p>Texte trop grand "
            b"(5 Mo au plus).</p></html>", "fr", "text/html; charset=utf-8")


def create_studio_app(folder: str | Path, token: str,
                      usage: UsageOption | None = None) -> Starlette:
    """The studio over ``folder``; every request needs ``token`` (see :mod:`.access`);
    ``usage``: a server's database, whose observed use the editor shows."""
    studio = Studio(Path(folder), usage)
    routes = [
        Route("/", index, methods=["GET"], name="journeys"),
        Route("/new", new_post, methods=["POST"], name="new"),
        Route("/edit/{path:path}", edit_page, methods=["GET"], name="edit"),
        Route("/edit/{path:path}", edit_post, methods=["POST"], name="edit_post"),
        Route("/publish/{path:path}", publish_page, methods=["GET"], name="publish"),
        Route("/publish/{path:path}", publish_post, methods=["POST"], name="publish_post"),
        Route("/-/check", check_api, methods=["POST"], name="check"),
        Route("/-/fix", fix_api, methods=["POST"], name="fix"),
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
