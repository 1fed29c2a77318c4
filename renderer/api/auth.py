"""Who calls the API: a service token in ``Authorization: Bearer …``, nothing else.

Cookies are never read, so an agent's or a citizen's browser session opens nothing here and
a page of another site cannot make a browser act on the API (no CSRF token is needed: a
browser does not add this header by itself). Wrong tokens are throttled per address like
the agents' logins (renderer/throttle.py, kind ``api-token``); while an address is blocked, even a
right token waits, so guessing gains nothing.
"""

from __future__ import annotations

from starlette.requests import Request

from renderer.security import client_address
from renderer.throttle import LIMITS
from renderer.web import parcours

from .problems import ApiProblem
from .tokens import ServiceToken, Tokens

CHALLENGE = 'Bearer realm="parcours"'


def caller(request: Request) -> ServiceToken:
    """The live service token of the request; raises a 401 or 429 :class:`ApiProblem`."""
    app = parcours(request)
    store, throttle = app.store, app.throttle
    address = client_address(request)
    if throttle.blocked("api-token", address):
        window = LIMITS["api-token"].lockout
        raise ApiProblem(
            429,
            "throttled",
            "Too many wrong tokens from this address.",
            {"retry-after": str(window)},
        )
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiProblem(
            401,
            "missing_token",
            "Send a service token: Authorization: Bearer …",
            {"www-authenticate": CHALLENGE},
        )
    found = Tokens(store).authenticate(token.strip())
    if found is None:
        throttle.fail("api-token", address)
        raise ApiProblem(
            401,
            "invalid_token",
            "This token is unknown or revoked.",
            {"www-authenticate": CHALLENGE + ', error="invalid_token"'},
        )
    return found
