"""Signing a citizen in with FranceConnect (OpenID Connect, authorization code flow, as
FranceConnect v2 specifies it for service providers).

What this module guarantees, each refused with :class:`SignInRefused` and nothing kept:

- ``state`` and ``nonce`` are random, single-use, bound to the pending sign-in of one
  browser session; a callback with another ``state`` is refused, and a pending sign-in is
  consumed by its first callback (a replayed callback or nonce finds nothing);
- the ID token is verified with joserfc (the maintained JOSE library of Authlib's
  author) against the provider's published keys (JWKS),
  with the algorithms FranceConnect uses only (``none`` and symmetric algorithms are never
  accepted), and its ``iss``, ``aud``, ``exp``, ``iat``, ``nonce`` and ``acr`` checked;
- the userinfo answer, a signed JWT, is verified the same way, and its ``sub`` must be
  the ID token's;
- tokens never reach the browser: the caller keeps them server-side, only for logout.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

#: The identity claims Parcours asks for (FranceConnect's "identité pivot" and e-mail).
IDENTITY_SCOPES = (
    "openid", "given_name", "family_name", "preferred_username", "birthdate", "birthplace",
    "birthcountry", "gender", "email",
)
#: Only asymmetric signatures, as FranceConnect signs: never "none", never a shared secret.
ALGORITHMS = ["RS256", "ES256"]
LEEWAY = 30


class SignInRefused(Exception):
    """A sign-in that cannot be trusted; the message says why (for logs, not citizens)."""


@dataclass(frozen=True)
class FranceConnectConfig:
    """A service provider's registration with FranceConnect (from the configuration,
    never from a journey file)."""

    issuer: str
    client_id: str
    client_secret: str
    redirect_uri: str
    post_logout_redirect_uri: str
    scopes: tuple[str, ...] = IDENTITY_SCOPES
    timeout: float = 5.0


@dataclass
class PendingSignIn:
    """What the server keeps between the redirect to FranceConnect and its callback."""

    state: str
    nonce: str
    created: float = field(default_factory=time.time)


@dataclass
class SignedIn:
    """A verified sign-in: the identity claims, and the tokens kept server-side."""

    sub: str
    claims: dict[str, Any]
    id_token: str
    access_token: str


class FranceConnect:
    """The FranceConnect client of one service provider."""

    def __init__(self, config: FranceConnectConfig) -> None:
        self.config = config
        self._metadata: dict[str, Any] | None = None
        self._keys: Any = None

    async def metadata(self) -> dict[str, Any]:
        """The provider's discovery document (fetched once)."""
        if self._metadata is None:
            url = self.config.issuer.rstrip("/") + "/.well-known/openid-configuration"
            async with httpx.AsyncClient(timeout=self.config.timeout) as client:
                r = await client.get(url)
            r.raise_for_status()
            self._metadata = r.json()
        return self._metadata

    async def keys(self, refresh: bool = False) -> Any:
        """The provider's public keys (fetched again when a token names an unknown key)."""
        if self._keys is None or refresh:
            meta = await self.metadata()
            async with httpx.AsyncClient(timeout=self.config.timeout) as client:
                r = await client.get(meta["jwks_uri"])
            r.raise_for_status()
            self._keys = KeySet.import_key_set(r.json())
        return self._keys

    def start(self) -> PendingSignIn:
        """A new pending sign-in, to keep in the browser's server-side session."""
        return PendingSignIn(secrets.token_urlsafe(32), secrets.token_urlsafe(32))

    async def authorization_url(self, pending: PendingSignIn) -> str:
        """Where to send the browser to sign in."""
        meta = await self.metadata()
        query = {
            "response_type": "code", "client_id": self.config.client_id,
            "redirect_uri": self.config.redirect_uri, "scope": " ".join(self.config.scopes),
            "state": pending.state, "nonce": pending.nonce, "acr_values": "eidas1",
            "prompt": "login consent",
        }
        return str(meta["authorization_endpoint"]) + "?" + urlencode(query)

    async def _verify(self, token: str, claims_options: dict[str, Any]) -> dict[str, Any]:
        registry = jwt.JWTClaimsRegistry(leeway=LEEWAY, **claims_options)
        for refresh in (False, True):
            keys = await self.keys(refresh=refresh)
            try:
                decoded = jwt.decode(token, keys, algorithms=ALGORITHMS)
                registry.validate(decoded.claims)
                return dict(decoded.claims)
            except JoseError as exc:
                raise SignInRefused(f"token refused: {exc}") from exc
            except ValueError as exc:  # an unknown key id: the provider may have rotated
                if refresh:
                    raise SignInRefused(f"token refused: {exc}") from exc
        raise SignInRefused("token refused")  # pragma: no cover

    async def finish(self, pending: PendingSignIn | None, params: dict[str, str]) -> SignedIn:
        """Verify the callback (``state``, ``code``), exchange the code, verify the ID token
        and the userinfo answer. ``pending`` must be taken out of the session before the
        call, so that it serves once."""
        if pending is None:
            raise SignInRefused("no sign-in is pending for this session")
        if "error" in params:
            raise SignInRefused(f"the provider answered {params['error']}")
        if not secrets.compare_digest(params.get("state", ""), pending.state):
            raise SignInRefused("state does not match the pending sign-in")
        if time.time() - pending.created > 600:
            raise SignInRefused("the sign-in took too long")
        meta = await self.metadata()
        async with httpx.AsyncClient(timeout=self.config.timeout) as client:
            r = await client.post(meta["token_endpoint"], data={
                "grant_type": "authorization_code", "code": params.get("code", ""),
                "redirect_uri": self.config.redirect_uri,
                "client_id": self.config.client_id,
                "client_secret": self.config.client_secret,
            })
            if r.status_code != 200:
                raise SignInRefused(f"token endpoint answered {r.status_code}")
            tokens = r.json()
            id_token, access_token = tokens.get("id_token"), tokens.get("access_token")
            if not isinstance(id_token, str) or not isinstance(access_token, str):
                raise SignInRefused("the token answer lacks a token")
            id_claims = await self._verify(id_token, {
                "iss": {"essential": True, "value": meta["issuer"]},
                "aud": {"essential": True, "value": self.config.client_id},
                "exp": {"essential": True}, "iat": {"essential": True},
                "sub": {"essential": True},
                "nonce": {"essential": True, "value": pending.nonce},
                "acr": {"essential": True, "values": ["eidas1", "eidas2", "eidas3"]},
            })
            r = await client.get(meta["userinfo_endpoint"],
                                 headers={"Authorization": f"Bearer {access_token}"})
            if r.status_code != 200:
                raise SignInRefused(f"userinfo endpoint answered {r.status_code}")
        info = await self._verify(r.text.strip(), {
            "iss": {"essential": True, "value": meta["issuer"]},
            "aud": {"essential": True, "value": self.config.client_id},
            "sub": {"essential": True, "value": id_claims["sub"]},
        })
        claims = {k: v for k, v in info.items()
                  if k not in ("iss", "aud", "exp", "iat", "nbf", "sub")}
        return SignedIn(str(id_claims["sub"]), claims, id_token, access_token)

    async def logout_url(self, signed_in: SignedIn, state: str) -> str:
        """Where to send the browser to end the FranceConnect session too."""
        meta = await self.metadata()
        return str(meta["end_session_endpoint"]) + "?" + urlencode({
            "id_token_hint": signed_in.id_token, "state": state,
            "post_logout_redirect_uri": self.config.post_logout_redirect_uri,
        })
