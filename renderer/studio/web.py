"""The studio's shared web parts: its state (the folder, the CSRF token, templates), the
page renderer with the studio's security headers, URLs in the page's language, the error
page, and resolving a journey path of a request (only files under the folder)."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse

from designer.source import MAX_BYTES
from renderer.security import CSP, CSRF_FIELD
from renderer.studio.access import OutsideFolder, resolve_journey
from renderer.studio.files import Folder
from renderer.studio.texts import LANGUAGES, t
from renderer.studio.usage import UsageOption

HERE = Path(__file__).parent
#: The project's rule pages, present in a source checkout (not in a wheel).
RULE_DOCS = HERE.parents[1] / "docs" / "rules"
#: A journey is at most 5 MB; its form encoding can take up to three times that.
MAX_BODY = 3 * MAX_BYTES + 100_000
CSRF_HEADER = "x-csrf-token"


class Studio:
    """The application's state: the folder, the CSRF token of this process, templates."""

    def __init__(self, root: Path, usage: UsageOption | None = None) -> None:
        self.folder = Folder(root)
        #: The server database whose use the editor shows (`parcours studio --usage`).
        self.usage = usage
        self.csrf = secrets.token_urlsafe(32)
        self.templates = Environment(
            # The studio's pages, then the renderer's shared macros (the CSRF input).
            loader=ChoiceLoader(
                [
                    FileSystemLoader(str(HERE / "templates")),
                    FileSystemLoader(str(HERE.parent / "templates")),
                ]
            ),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )


def studio_of(request: Request) -> Studio:
    return request.app.state.studio


def page_lang(request: Request) -> str:
    lang = request.query_params.get("lang", "fr")
    return lang if lang in LANGUAGES else "fr"


def render(
    request: Request, template: str, context: dict[str, Any], status: int = 200
) -> HTMLResponse:
    """A studio page, with what every page needs."""
    lang = context.get("lang") or page_lang(request)
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
        "csrf_token": studio_of(request).csrf,
        "switch_url": f"{request.url.path}?{urlencode({'lang': other})}",
        "switch_lang": other,
        "lang_query": "" if lang == "fr" else "?lang=en",
        "url": lambda name, **params: url_for(request, name, lang, **params),
    }
    base.update(context)
    html = studio_of(request).templates.get_template(template).render(base)
    response = HTMLResponse(html, status_code=status)
    response.headers["content-language"] = lang
    response.headers["cache-control"] = "no-store"
    response.headers["content-security-policy"] = CSP.replace(
        "style-src 'self'", f"style-src 'self' 'nonce-{nonce}'"
    ).replace("img-src 'self'", "img-src 'self' data:")
    return response


def url_for(request: Request, name: str, lang: str = "fr", **params: str) -> str:
    """The path of a named route, in the page's language (``?lang=en``)."""
    # Path parameters are file names: quoted here (Starlette's path convertor does not).
    path = str(request.app.url_path_for(name, **{k: quote(v) for k, v in params.items()}))
    return path + ("?lang=en" if lang == "en" and name not in ("static",) else "")


def rule_urls(request: Request, lang: str = "fr") -> Callable[[str], str]:
    """The address of a check rule's documentation page (the route ``rule``), by its name."""
    return lambda slug: url_for(request, "rule", lang, slug=slug)


def error_page(request: Request, status: int, title: str, body: str) -> HTMLResponse:
    lang = page_lang(request)
    return render(
        request, "error.html", {"title": t(title, lang), "body": t(body, lang)}, status=status
    )


def origin_of(request: Request, relative: str) -> Path:
    """Where a journey of the folder lies (what is declared beside it is read there)."""
    return studio_of(request).folder.root / relative


def journey_of(request: Request) -> tuple[Path, str]:
    relative = request.path_params["path"]
    try:
        path = resolve_journey(studio_of(request).folder.root, relative)
    except OutsideFolder:
        raise HTTPException(404) from None
    if not path.is_file():
        raise HTTPException(404)
    return path, relative
