"""The studio's JSON and fragment endpoints, called by the editor's script as the designer
types: the diagnostics (``/-/check``), an edit fix (``/-/fix``), the step graph
(``/-/graph``), the headline figures (``/-/figures``) and the format's JSON Schema. Each
POST needs the page's CSRF token in the ``x-csrf-token`` header."""

from __future__ import annotations

import json
import time
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from renderer.security import csrf_ok
from renderer.studio.access import OutsideFolder, resolve_journey
from renderer.studio.diagnostics import cases_result, check_text, diagnose
from renderer.studio.figures import headline
from renderer.studio.graph import graph_picture
from renderer.studio.publication import reference
from renderer.studio.texts import t
from renderer.studio.web import (
    CSRF_HEADER,
    origin_of,
    page_lang,
    rule_urls,
    studio_of,
    url_for,
)


async def check_api(request: Request) -> Response:
    """Diagnostics of the editor's unsaved text (JSON in, JSON out)."""
    if not csrf_ok(studio_of(request).csrf, request.headers.get(CSRF_HEADER)):
        return JSONResponse({"error": "csrf"}, status_code=403)
    try:
        body = json.loads(await request.body())
        text, relative = body["text"], body["path"]
        if not isinstance(text, str) or not isinstance(relative, str):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        return JSONResponse({"error": 'expected {"path": str, "text": str}'}, status_code=400)
    try:
        path = resolve_journey(studio_of(request).folder.root, relative)
    except OutsideFolder:
        path = None
    if path is None or not path.is_file():
        return JSONResponse({"error": "no such journey in the folder"}, status_code=404)

    def check() -> dict[str, Any]:
        started = time.perf_counter()
        loaded = check_text(text, relative, origin=origin_of(request, relative))
        result = diagnose(text, relative, loaded, (time.perf_counter() - started) * 1000,
                          rule_url=rule_urls(request, page_lang(request)))
        result["cases"] = cases_result(loaded, path)
        return result

    result = await run_in_threadpool(check)
    return JSONResponse(result, headers={"cache-control": "no-store"})


async def fix_api(request: Request) -> Response:
    """The change an edit fix makes to the editor's unsaved text (JSON in, JSON out)."""
    from renderer.studio.fixes import FixRefused, apply_fix

    if not csrf_ok(studio_of(request).csrf, request.headers.get(CSRF_HEADER)):
        return JSONResponse({"error": "csrf"}, status_code=403)
    try:
        body = json.loads(await request.body())
        text, relative, fix = str(body["text"]), str(body["path"]), dict(body["fix"])
        origin = resolve_journey(studio_of(request).folder.root, relative)
    except (ValueError, KeyError, TypeError, OutsideFolder):
        return JSONResponse(
            {"error": 'expected {"path": str, "text": str, "fix": {}}'}, status_code=400
        )

    def structure(source: str) -> Any:
        return check_text(source, relative, structure_only=True, origin=origin)

    try:
        change = await run_in_threadpool(apply_fix, text, relative, fix, structure)
    except FixRefused as exc:
        return JSONResponse({"error": str(exc)}, status_code=422)
    return JSONResponse(change, headers={"cache-control": "no-store"})


async def graph_api(request: Request) -> Response:
    """The step graph of the editor's unsaved text, as the SVG fragment the page shows."""
    if not csrf_ok(studio_of(request).csrf, request.headers.get(CSRF_HEADER)):
        return JSONResponse({"error": "csrf"}, status_code=403)
    try:
        body = json.loads(await request.body())
        text, relative = str(body["text"]), str(body["path"])
    except (ValueError, KeyError, TypeError):
        return JSONResponse({"error": 'expected {"path": str, "text": str}'}, status_code=400)
    lang = page_lang(request)

    def draw() -> str:
        # The structure is enough to draw (and mark) the steps; the full check runs in
        # the /-/check request beside this one.
        graph = graph_picture(
            check_text(text, relative, structure_only=True, origin=origin_of(request, relative)),
            lang,
        )
        template = studio_of(request).templates.get_template("_graph.html")
        return template.render(
            {
                "graph": graph,
                "t": lambda key, **kw: t(key, lang, **kw),
                "edit_url": url_for(request, "edit", lang, path=relative),
            }
        )

    return HTMLResponse(await run_in_threadpool(draw), headers={"cache-control": "no-store"})


async def figures_api(request: Request) -> Response:
    """The report's headline figures of the unsaved text and of the published version (the
    saved file when there is none)."""
    if not csrf_ok(studio_of(request).csrf, request.headers.get(CSRF_HEADER)):
        return JSONResponse({"error": "csrf"}, status_code=403)
    try:
        body = json.loads(await request.body())
        text, relative = str(body["text"]), str(body["path"])
        path = resolve_journey(studio_of(request).folder.root, relative)
    except (ValueError, KeyError, TypeError, OutsideFolder):
        return JSONResponse({"error": 'expected {"path": str, "text": str}'}, status_code=400)
    lang = page_lang(request)

    def measure() -> str:
        unsaved = headline(check_text(text, relative, origin=origin_of(request, relative)), lang)
        saved = studio_of(request).folder.loaded(path) if path.is_file() else None
        compared, label = reference(path, relative, saved)
        template = studio_of(request).templates.get_template("_figures.html")
        return template.render({
            "unsaved": unsaved, "reference_label": label,
            "saved": headline(compared, lang) if compared is not None else None,
            "t": lambda key, **kw: t(key, lang, **kw)})

    return HTMLResponse(await run_in_threadpool(measure), headers={"cache-control": "no-store"})


async def schema(request: Request) -> Response:
    """The journey format's JSON Schema, for the editor's completion."""
    from designer.model import journey_schema

    return JSONResponse(journey_schema())
