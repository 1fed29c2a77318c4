"""Who calls the API: a service token in ``Authorization: Bearer …``, nothing else.

Cookies are never read, so an agent's or a citizen's browser session opens nothing here and
a page of another site cannot make a browser act on the API (no CSRF token is needed: a
browser does not add this header by itself). Wrong tokens are throttled per address like
the agents' logins (renderer/backoffice/throttle.py); while an address is blocked, even a
right token waits, so guessing gains nothing.
"""

from __future__ import annotations

from starlette.requests import Request

from renderer.backoffice.throttle import api_token_throttle
from renderer.web import parcours

from .problems import ApiProblem
from .tokens import ServiceToken, Tokens

CHALLENGE = 'Bearer realm="parcours"'


def caller(request: Request) -> ServiceToken:
    """The live service token of the request; raises a 401 or 429 :class:`ApiProblem`."""
    store = parcours(request).store
    address = request.client.host if request.client else ""
    throttle = api_token_throttle(store)
    if throttle.blocked(address):
        window = int(throttle.window.total_seconds())
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
        throttle.fail(address)
        raise ApiProblem(
            401,
            "invalid_token",
            "This token is unknown or revoked.",
            {"www-authenticate": CHALLENGE + ', error="invalid_token"'},
        )
    return found
