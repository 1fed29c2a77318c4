"""A FranceConnect stand-in: an OpenID Connect provider on the loopback, for development,
tests and demonstrations, offering FranceConnect's own test identities.

It follows FranceConnect v2's service-provider contract: discovery document, an authorize
page (an identity picker, with the login and password of the mock identity provider),
the authorization code flow with ``state`` and ``nonce`` mandatory and ``acr_values``
``eidas1``, client authentication by ``client_secret_post``, an ID token and a userinfo
answer both signed (RS256) with a key of its JWKS, the end-session endpoint, and the
``checktoken`` endpoint a data provider calls to learn whose access token it was given.
Keys are real key pairs made at start; nothing is hard-coded but the test identities.

``failure`` lets a test or a demonstration make it misbehave (``down``: every endpoint
answers 503; ``slow``: every answer waits ``delay`` seconds), and ``forge`` lets the
security tests make it lie as an attacker would (claims changed in the ID token or the
userinfo answer, a token signed with ``none`` or with another key).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import html
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Route

from renderer.providers.testdata import Identity

PREFIX = "/api/v2"
SCOPES = (
    "openid", "given_name", "family_name", "preferred_username", "birthdate", "birthplace",
    "birthcountry", "gender", "email", "phone", "address",
)
#: Lifetimes, as FranceConnect's: a code is used within a minute, tokens last a minute.
CODE_SECONDS = 60
TOKEN_SECONDS = 60


@dataclass
class Client:
    """A registered service provider."""

    client_id: str
    client_secret: str
    redirect_uris: list[str]
    post_logout_redirect_uris: list[str] = field(default_factory=list)


@dataclass
class _Grant:
    client_id: str
    redirect_uri: str
    nonce: str
    scopes: list[str]
    login: str
    expires: float


class FranceConnectStandIn:
    """The provider's state: its key, its clients, the codes and tokens it issued."""

    def __init__(self, issuer: str, identities: dict[str, Identity], clients: list[Client]):
        self.issuer = issuer.rstrip("/")
        self.identities = identities
        self.clients = {c.client_id: c for c in clients}
        self.key = RSAKey.generate_key(2048, parameters={
            "kid": secrets.token_hex(8), "use": "sig", "alg": "RS256"}, private=True)
        self.codes: dict[str, _Grant] = {}
        self.tokens: dict[str, _Grant] = {}
        self.failure: str | None = None
        self.delay = 5.0
        self.forge: dict[str, Any] = {}

    # -- what the provider knows -------------------------------------------------------

    def sub(self, client_id: str, login: str) -> str:
        """A pairwise subject, as FranceConnect's: stable per (service, person)."""
        return hashlib.sha256(f"{client_id}:{login}".encode()).hexdigest()

    def claims(self, grant: _Grant) -> dict[str, Any]:
        identity = self.identities[grant.login].claims
        wanted = set(grant.scopes)
        if "phone" in wanted:
            wanted.add("phone_number")
        return {k: v for k, v in identity.items() if k in wanted}

    def sign(self, payload: dict[str, Any]) -> str:
        header = {"alg": "RS256", "kid": self.key.kid, "typ": "JWT"}
        if self.forge.get("alg") == "none":
            def part(data: dict[str, Any]) -> str:
                raw = json.dumps(data).encode()
                return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
            return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(payload)}."
        key = self.forge.get("key") or self.key
        return jwt.encode(header, payload, key)

    # -- the endpoints --------------------------------------------------------------------

    async def _misbehave(self) -> Response | None:
        if self.failure == "down":
            return PlainTextResponse("service indisponible", status_code=503)
        if self.failure == "slow":
            await asyncio.sleep(self.delay)
        return None

    async def discovery(self, request: Request) -> Response:
        base = self.issuer + PREFIX
        return JSONResponse({
            "issuer": self.issuer + PREFIX,
            "authorization_endpoint": f"{base}/authorize",
            "token_endpoint": f"{base}/token",
            "userinfo_endpoint": f"{base}/userinfo",
            "end_session_endpoint": f"{base}/session/end",
            "jwks_uri": f"{base}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "userinfo_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post"],
            "acr_values_supported": ["eidas1"],
            "scopes_supported": list(SCOPES),
            "claims_supported": ["sub", *[s for s in SCOPES if s != "openid"]],
        })

    async def jwks(self, request: Request) -> Response:
        return JSONResponse({"keys": [self.key.as_dict(private=False)]})

    def _authorize_error(self, message: str) -> Response:
        return HTMLResponse(f"<!doctype html><html lang=fr><title>Erreur</title><h1>Erreur</h1>"
                            f"<p>{html.escape(message)}</p></html>", status_code=400)

    async def authorize(self, request: Request) -> Response:
        failed = await self._misbehave()
        if failed is not None:
            return failed
        q = request.query_params if request.method == "GET" else await request.form()
        client = self.clients.get(str(q.get("client_id", "")))
        redirect_uri = str(q.get("redirect_uri", ""))
        if client is None or redirect_uri not in client.redirect_uris:
            return self._authorize_error("client_id ou redirect_uri inconnu")
        for name in ("state", "nonce"):
            if len(str(q.get(name, ""))) < 22:
                return self._authorize_error(f"{name} manquant ou trop court")
        if q.get("response_type") != "code" or "openid" not in str(q.get("scope", "")).split():
            return self._authorize_error("response_type=code et scope openid attendus")
        if q.get("acr_values") != "eidas1":
            return self._authorize_error("acr_values=eidas1 attendu")
        hidden = "".join(
            f'<input type="hidden" name="{k}" value="{html.escape(str(q.get(k, "")))}">'
            for k in ("client_id", "redirect_uri", "state", "nonce", "scope", "response_type",
                      "acr_values")
        )
        error = ""
        if request.method == "POST":
            login, password = str(q.get("login", "")), str(q.get("password", ""))
            identity = self.identities.get(login)
            if identity is not None and secrets.compare_digest(identity.password, password):
                code = secrets.token_urlsafe(32)
                self.codes[code] = _Grant(client.client_id, redirect_uri, str(q["nonce"]),
                                          str(q.get("scope", "")).split(), login,
                                          time.time() + CODE_SECONDS)
                return RedirectResponse(
                    redirect_uri + "?" + urlencode({"code": code, "state": q["state"]}),
                    status_code=303)
            error = '<p role="alert">Identifiant ou mot de passe incorrect.</p>'
        options = "".join(f"<li><code>{html.escape(i.login)}</code> : {html.escape(i.label)}</li>"
                          for i in self.identities.values())
        return HTMLResponse(f"""<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>FranceConnect (bac à sable local)</title></head>
<body><main>
<h1>FranceConnect — fournisseur d'identité de test</h1>
<p>Bac à sable local : identités de test de FranceConnect, mot de passe <code>123</code>.</p>
{error}
<form method="post" action="{PREFIX}/authorize">{hidden}
<p><label for="login">Identifiant</label> <input id="login" name="login" autocomplete="off"></p>
<p><label for="password">Mot de passe</label>
<input id="password" name="password" type="password"></p>
<p><button type="submit">Se connecter</button></p></form>
<h2>Identités de test</h2><ul>{options}</ul>
</main></body></html>""", status_code=200 if not error else 401)

    def _client(self, form: Any) -> Client | None:
        client = self.clients.get(str(form.get("client_id", "")))
        secret = str(form.get("client_secret", ""))
        if client is None or not secrets.compare_digest(client.client_secret, secret):
            return None
        return client

    async def token(self, request: Request) -> Response:
        failed = await self._misbehave()
        if failed is not None:
            return failed
        form = await request.form()
        client = self._client(form)
        if client is None:
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        if form.get("grant_type") != "authorization_code":
            return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)
        grant = self.codes.pop(str(form.get("code", "")), None)  # a code is used once
        if (grant is None or grant.expires < time.time() or grant.client_id != client.client_id
                or grant.redirect_uri != form.get("redirect_uri")):
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        now = int(time.time())
        access_token = secrets.token_urlsafe(32)
        grant.expires = now + TOKEN_SECONDS
        self.tokens[access_token] = grant
        id_token = self.sign({
            "iss": self.issuer + PREFIX, "sub": self.sub(client.client_id, grant.login),
            "aud": client.client_id, "exp": now + TOKEN_SECONDS, "iat": now,
            "auth_time": now, "nonce": grant.nonce, "acr": "eidas1", "amr": ["pwd"],
            **self.forge.get("id_claims", {}),
        })
        return JSONResponse({"access_token": access_token, "token_type": "Bearer",
                             "expires_in": TOKEN_SECONDS, "id_token": id_token,
                             "scope": " ".join(grant.scopes)},
                            headers={"Cache-Control": "no-store"})

    def _bearer(self, request: Request) -> _Grant | None:
        auth = request.headers.get("authorization", "")
        if not auth.startswith("Bearer "):
            return None
        grant = self.tokens.get(auth[7:].strip())
        if grant is None or grant.expires < time.time():
            return None
        return grant

    async def userinfo(self, request: Request) -> Response:
        failed = await self._misbehave()
        if failed is not None:
            return failed
        grant = self._bearer(request)
        if grant is None:
            return JSONResponse({"error": "invalid_token"}, status_code=401,
                                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
        now = int(time.time())
        payload = {"iss": self.issuer + PREFIX, "aud": grant.client_id, "iat": now,
                   "exp": now + TOKEN_SECONDS, "sub": self.sub(grant.client_id, grant.login),
                   **self.claims(grant), **self.forge.get("userinfo_claims", {})}
        return Response(self.sign(payload), media_type="application/jwt")

    async def checktoken(self, request: Request) -> Response:
        """For data providers: whose access token is this, with which scopes (identity)."""
        failed = await self._misbehave()
        if failed is not None:
            return failed
        form = await request.form()
        grant = self.tokens.get(str(form.get("token", "")))
        if grant is None or grant.expires < time.time():
            return JSONResponse({"error": "token_not_found_or_expired"}, status_code=400)
        return JSONResponse({"scope": grant.scopes, "identity": {
            "sub": self.sub(grant.client_id, grant.login),
            **self.identities[grant.login].claims}, "client": {"client_id": grant.client_id}})

    async def end_session(self, request: Request) -> Response:
        q = request.query_params
        target = q.get("post_logout_redirect_uri", "")
        allowed = {u for c in self.clients.values() for u in c.post_logout_redirect_uris}
        if target not in allowed:
            return self._authorize_error("post_logout_redirect_uri inconnu")
        # Every token of this person for the client ends with the session.
        hint = q.get("id_token_hint", "")
        try:
            keys = KeySet([self.key])
            sub = jwt.decode(hint, keys, algorithms=["RS256"]).claims.get("sub")
        except (JoseError, ValueError):
            return self._authorize_error("id_token_hint invalide")
        for token, grant in list(self.tokens.items()):
            if self.sub(grant.client_id, grant.login) == sub:
                del self.tokens[token]
        return RedirectResponse(target + "?" + urlencode({"state": q.get("state", "")}),
                                status_code=303)

    def app(self) -> Starlette:
        """The provider as an ASGI application."""
        return Starlette(routes=[
            Route(f"{PREFIX}/.well-known/openid-configuration", self.discovery),
            Route(f"{PREFIX}/jwks", self.jwks),
            Route(f"{PREFIX}/authorize", self.authorize, methods=["GET", "POST"]),
            Route(f"{PREFIX}/token", self.token, methods=["POST"]),
            Route(f"{PREFIX}/userinfo", self.userinfo, methods=["GET"]),
            Route(f"{PREFIX}/checktoken", self.checktoken, methods=["POST"]),
            Route(f"{PREFIX}/session/end", self.end_session, methods=["GET"]),
        ])
