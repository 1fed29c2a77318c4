"""Security plumbing of the citizen's side: headers, bounded bodies, signed session cookies, CSRF.

- :class:`SecurityMiddleware` (pure ASGI, so that it also guards streamed bodies) adds the
  security headers to every response and refuses a request body larger than the limit with a
  413 page, whether the client announced its length or streamed it.
- The session cookie holds only an opaque random id signed with ``itsdangerous``; everything
  else (CSRF token, language, drafts) lives in the database.
- :func:`csrf_ok` compares the token of a form with the session's in constant time.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from typing import Any

from itsdangerous import BadSignature, Signer

COOKIE = "parcours_session"
CSRF_FIELD = "csrf_token"

# No inline script or style anywhere: every script and stylesheet is a file of /static.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)

HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    # Resume links carry a token: never send the address to another site.
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]

ASGIApp = Callable[[dict[str, Any], Callable[[], Awaitable[dict[str, Any]]],
                    Callable[[dict[str, Any]], Awaitable[None]]], Awaitable[None]]


class BodyTooLarge(Exception):
    """The request body went past the limit while it was being read."""


class SecurityMiddleware:
    """Security headers on every response; 413 for request bodies above ``max_body`` bytes."""

    def __init__(
        self,
        app: ASGIApp,
        max_body: int,
        too_large: Callable[[dict[str, Any]], tuple[bytes, str, str]],
    ) -> None:
        self.app = app
        self.max_body = max_body
        # Builds the 413 answer (body, language, content type) from the ASGI scope.
        self.too_large = too_large

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: dict[str, Any]) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                present = {name for name, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    h for h in HEADERS if h[0] not in present
                ]
            await send(message)

        declared = _content_length(scope)
        if declared is not None and declared > self.max_body:
            await self._refuse(scope, receive, send_with_headers, drain=False)
            return
        received = 0

        async def bounded_receive() -> dict[str, Any]:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise BodyTooLarge
            return message

        try:
            await self.app(scope, bounded_receive, send_with_headers)
        except BodyTooLarge:
            if started:  # pragma: no cover - the app answered before reading the whole body
                raise
            await self._refuse(scope, receive, send_with_headers, drain=False)

    async def _refuse(self, scope: dict[str, Any], receive: Any, send: Any, drain: bool) -> None:
        body, lang, kind = self.too_large(scope)
        await send({
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", kind.encode("latin-1")),
                (b"content-length", str(len(body)).encode()),
                (b"content-language", lang.encode()),
                # The client may still be sending: tell it the connection will close.
                (b"connection", b"close"),
            ],
        })
        await send({"type": "http.response.body", "body": body})


def _content_length(scope: dict[str, Any]) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class HostCheck:
    """Refuses with a 400 page a request whose Host header is not one of ``hosts``.

    Links written by the server start with the configured public URL, never with the Host
    header; refusing other hosts also keeps the app from answering under names an attacker
    points at it (DNS rebinding, cache poisoning by Host). ``*.example.fr`` accepts the
    subdomains of example.fr; an empty list accepts every host (library use and tests).
    The health and readiness checks answer whatever the host: load balancers and probes
    call them by the host's address, and they write no link.
    """

    EXEMPT = ("/-/health", "/-/ready")

    def __init__(
        self,
        app: ASGIApp,
        hosts: list[str],
        refused: Callable[[dict[str, Any]], tuple[bytes, str]],
    ) -> None:
        self.app = app
        self.exact = {h.lower() for h in hosts if not h.startswith("*")}
        self.suffixes = tuple(h[1:].lower() for h in hosts if h.startswith("*."))
        self.any = "*" in hosts or not hosts
        self.refused = refused

    def allowed(self, host: str) -> bool:
        """Whether a Host header value (with or without a port) is served."""
        if self.any:
            return True
        name = host.lower()
        if name.startswith("["):
            name = name.split("]", 1)[0] + "]"
        else:
            name = name.rsplit(":", 1)[0] if name.count(":") == 1 else name
        return name in self.exact or (bool(self.suffixes) and name.endswith(self.suffixes))

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or self.any or scope["path"] in self.EXEMPT:
            await self.app(scope, receive, send)
            return
        host = ""
        for name, value in scope.get("headers", []):
            if name == b"host":
                host = value.decode("latin-1")
                break
        if self.allowed(host):
            await self.app(scope, receive, send)
            return
        body, lang = self.refused(scope)
        await send({
            "type": "http.response.start",
            "status": 400,
            "headers": [
                (b"content-type", b"text/html; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"content-language", lang.encode()),
                (b"cache-control", b"no-store"),
            ] + HEADERS,
        })
        await send({"type": "http.response.body", "body": body})


class CookieSigner:
    """Signs and checks the opaque session id carried by the cookie.

    Several keys rotate: the last one signs, every one is accepted (itsdangerous tries them
    newest first), so that hosts restarted with a new key keep the citizens' sessions.
    """

    def __init__(self, secret: str | list[str]) -> None:
        self._signer = Signer(secret, salt="parcours-session")
        self._csrf = Signer(secret, salt="parcours-csrf")

    def derive_csrf(self, session_id: str) -> str:
        """The CSRF token of a session not stored yet: derived from its id with the newest
        key, so that its first POST is checked before anything is written."""
        mac = self._csrf.get_signature(session_id.encode("ascii"))
        return mac.decode("ascii")

    def sign(self, session_id: str) -> str:
        """The cookie value for a session id."""
        return self._signer.sign(session_id).decode("ascii")

    def unsign(self, value: str | None) -> str | None:
        """The session id of a cookie value, or None when absent or forged."""
        if not value or len(value) > 200:
            return None
        try:
            return self._signer.unsign(value).decode("ascii")
        except (BadSignature, UnicodeDecodeError):
            return None


def client_address(request: Any, unknown: str = "") -> str:
    """The client's address, the key of the throttles and of the metrics' allow list
    (behind trusted proxies, uvicorn has already put the forwarded address here)."""
    return request.client.host if request.client else unknown


def csrf_ok(expected: str | None, given: Any) -> bool:
    """Whether a posted CSRF token matches the session's (constant-time comparison)."""
    if not expected or not isinstance(given, str) or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())
