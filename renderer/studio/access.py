"""Who may use the studio, and which files it may touch.

The studio edits files on the designer's disk, so, as Jupyter does, it is reachable only
with a random token printed at start-up: the first request carries it in the URL
(``?token=…``); the studio answers with a redirect that drops it from the address and sets
it as an HttpOnly, SameSite=Strict cookie. Without a valid token, every path — pages,
static files, the check API — gets a 403 and nothing else.

:func:`resolve_journey` maps a path from a URL to a file under the studio's folder,
refusing absolute paths, ``..`` and symlinks that lead outside it.
"""

from __future__ import annotations

import hmac
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

COOKIE = "parcours_studio"

FORBIDDEN = (
    "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\">"
    "<title>Accès refusé – Parcours studio</title></head><body><main>"
    "<h1>Accès refusé</h1><p>Ouvrez le studio avec l'adresse complète, jeton compris, "
    "affichée par <code>parcours studio</code> au démarrage.</p>"
    "<p lang=\"en\">Access denied: open the studio with the full address, token included, "
    "printed by <code>parcours studio</code> when it starts.</p></main></body></html>"
).encode()


def same_token(expected: str, given: str | None) -> bool:
    """Whether a token matches (constant time)."""
    return bool(given) and hmac.compare_digest(expected.encode(), str(given).encode())


def _cookie(scope: dict[str, Any]) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            for part in value.decode("latin-1").split(";"):
                key, _, val = part.strip().partition("=")
                if key == COOKIE:
                    return val
    return None


class TokenGate:
    """Pure ASGI: a valid token (URL once, then cookie) or a 403 for everything."""

    def __init__(self, app: Any, token: str) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"),
                          keep_blank_values=True)
        given = next((v for k, v in query if k == "token"), None)
        if given is not None and same_token(self.token, given):
            rest = urlencode([(k, v) for k, v in query if k != "token"])
            location = scope.get("root_path", "") + scope["path"] + (f"?{rest}" if rest else "")
            cookie = f"{COOKIE}={self.token}; Path=/; HttpOnly; SameSite=Strict"
            await send({"type": "http.response.start", "status": 303, "headers": [
                (b"location", location.encode("utf-8")),
                (b"set-cookie", cookie.encode()),
                (b"cache-control", b"no-store"),
                (b"content-length", b"0"),
            ]})
            await send({"type": "http.response.body", "body": b""})
            return
        if same_token(self.token, _cookie(scope)):
            await self.app(scope, receive, send)
            return
        await send({"type": "http.response.start", "status": 403, "headers": [
            (b"content-type", b"text/html; charset=utf-8"),
            (b"content-length", str(len(FORBIDDEN)).encode()),
            (b"cache-control", b"no-store"),
        ]})
        await send({"type": "http.response.body", "body": FORBIDDEN})


class OutsideFolder(Exception):
    """A path that is not a journey file under the studio's folder."""


JOURNEY_SUFFIXES = (".yaml", ".yml")


def resolve_journey(root: Path, relative: str) -> Path:
    """The file ``relative`` names under ``root`` (resolved); :class:`OutsideFolder` for an
    absolute path, ``..``, a hidden folder, a symlink out of ``root``, or a file that is
    no YAML."""
    if not relative or relative.startswith(("/", "\\")) or "\x00" in relative:
        raise OutsideFolder(relative)
    parts = Path(relative).parts
    if any(p in ("..", "") for p in parts) or Path(relative).is_absolute():
        raise OutsideFolder(relative)
    # Hidden folders are not the designers': .parcours/ holds the published versions,
    # written only by publishing (designer/publication.py).
    if any(p.startswith(".") for p in parts[:-1]):
        raise OutsideFolder(relative)
    base = root.resolve()
    target = (base / relative).resolve()
    if not target.is_relative_to(base) or target == base:
        raise OutsideFolder(relative)
    if target.suffix not in JOURNEY_SUFFIXES:
        raise OutsideFolder(relative)
    return target
