"""FranceConnect sign-in against the stand-in, over real HTTP, with real signatures; and
every way a sign-in can be forged or replayed, refused."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from joserfc.jwk import RSAKey
from sharedfolder import SHARED, need

from renderer.providers.franceconnect import (
    FranceConnect,
    FranceConnectConfig,
    PendingSignIn,
    SignedIn,
    SignInRefused,
)
from renderer.providers.standin_franceconnect import PREFIX, Client, FranceConnectStandIn
from renderer.providers.testdata import identities

from .servers import free_port, serving

CALLBACK = "http://127.0.0.1:9/fc/callback"
LOGOUT = "http://127.0.0.1:9/fc/logged-out"


@dataclass
class World:
    provider: FranceConnectStandIn
    client: FranceConnect
    base: str


@pytest.fixture
def world() -> Iterator[World]:
    folder = need(SHARED / "providers")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    provider = FranceConnectStandIn(base, identities(folder), [
        Client("parcours-test", "s3cret-s3cret", [CALLBACK], [LOGOUT])])
    with serving(provider.app(), port):
        client = FranceConnect(FranceConnectConfig(
            issuer=base + PREFIX, client_id="parcours-test", client_secret="s3cret-s3cret",
            redirect_uri=CALLBACK, post_logout_redirect_uri=LOGOUT))
        yield World(provider, client, base)


def sign_in_at_provider(world: World, pending: PendingSignIn, login: str = "test",
                        password: str = "123") -> dict[str, str]:
    """What a citizen does at FranceConnect: the picker, login and password; returns the
    callback's query parameters."""
    url = asyncio.run(world.client.authorization_url(pending))
    page = httpx.get(url)
    assert page.status_code == 200 and "Angela Claire Louise" in page.text
    hidden = dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', page.text))
    assert hidden["acr_values"] == "eidas1" and hidden["nonce"] == pending.nonce
    answer = httpx.post(world.base + PREFIX + "/authorize",
                        data={**hidden, "login": login, "password": password})
    assert answer.status_code == 303, answer.text
    location = answer.headers["location"]
    assert location.startswith(CALLBACK)
    return {k: v[0] for k, v in parse_qs(urlparse(location).query).items()}


def finish(world: World, pending: PendingSignIn | None, params: dict[str, str]) -> SignedIn:
    return asyncio.run(world.client.finish(pending, params))


def test_sign_in_gives_the_verified_identity(world: World) -> None:
    pending = world.client.start()
    signed = finish(world, pending, sign_in_at_provider(world, pending))
    assert signed.claims["given_name"] == "Angela Claire Louise"
    assert signed.claims["family_name"] == "DUBOIS"
    assert signed.claims["birthdate"] == "1962-08-24"
    assert signed.claims["birthplace"] == "75107" and signed.claims["gender"] == "female"
    assert len(signed.sub) == 64


def test_wrong_password_gets_no_code(world: World) -> None:
    pending = world.client.start()
    url = asyncio.run(world.client.authorization_url(pending))
    hidden = dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', httpx.get(url).text))
    answer = httpx.post(world.base + PREFIX + "/authorize",
                        data={**hidden, "login": "test", "password": "nope"})
    assert answer.status_code == 401 and "location" not in answer.headers


def test_a_state_that_does_not_match_is_refused(world: World) -> None:
    pending = world.client.start()
    params = sign_in_at_provider(world, pending)
    with pytest.raises(SignInRefused, match="state"):
        finish(world, pending, {**params, "state": "x" * 43})


def test_a_replayed_callback_is_refused(world: World) -> None:
    pending = world.client.start()
    params = sign_in_at_provider(world, pending)
    finish(world, pending, params)
    # The session's pending sign-in is consumed by the first callback: none is left.
    with pytest.raises(SignInRefused, match="no sign-in is pending"):
        finish(world, None, params)
    # Even with the old pending sign-in kept by an attacker, the code serves once.
    with pytest.raises(SignInRefused, match="token endpoint answered 400"):
        finish(world, pending, params)


def test_a_replayed_nonce_is_refused(world: World) -> None:
    """An ID token minted for another sign-in (its nonce) does not end this one."""
    first = world.client.start()
    params = sign_in_at_provider(world, first)
    second = world.client.start()
    with pytest.raises(SignInRefused):
        finish(world, second, params)  # state differs
    with pytest.raises(SignInRefused, match="nonce"):
        finish(world, PendingSignIn(first.state, second.nonce), params)


@pytest.mark.parametrize(("claims", "why"), [
    ({"aud": "another-service"}, "aud"),
    ({"iss": "http://evil.example/api/v2"}, "iss"),
    ({"exp": 1_000_000_000}, "expired"),
    ({"nonce": "a" * 43}, "nonce"),
])
def test_a_forged_id_token_is_refused(world: World, claims: dict[str, object], why: str) -> None:
    world.provider.forge = {"id_claims": claims}
    pending = world.client.start()
    with pytest.raises(SignInRefused, match=why):
        finish(world, pending, sign_in_at_provider(world, pending))


def test_an_id_token_signed_with_none_is_refused(world: World) -> None:
    world.provider.forge = {"alg": "none"}
    pending = world.client.start()
    with pytest.raises(SignInRefused):
        finish(world, pending, sign_in_at_provider(world, pending))


def test_an_id_token_signed_with_another_key_is_refused(world: World) -> None:
    kid = world.provider.key.kid
    other = RSAKey.generate_key(2048, parameters={"kid": kid}, private=True)
    world.provider.forge = {"key": other}
    pending = world.client.start()
    with pytest.raises(SignInRefused, match="bad_signature|signature"):
        finish(world, pending, sign_in_at_provider(world, pending))


def test_a_userinfo_answer_for_another_subject_is_refused(world: World) -> None:
    world.provider.forge = {"userinfo_claims": {"sub": "0" * 64}}
    pending = world.client.start()
    with pytest.raises(SignInRefused, match="sub"):
        finish(world, pending, sign_in_at_provider(world, pending))


def test_a_sign_in_left_too_long_is_refused(world: World) -> None:
    pending = world.client.start()
    params = sign_in_at_provider(world, pending)
    pending.created = time.time() - 3600
    with pytest.raises(SignInRefused, match="too long"):
        finish(world, pending, params)


def test_logout_goes_through_the_end_session_endpoint(world: World) -> None:
    pending = world.client.start()
    signed = finish(world, pending, sign_in_at_provider(world, pending))
    url = asyncio.run(world.client.logout_url(signed, "after-logout-state"))
    assert url.startswith(world.base + PREFIX + "/session/end?")
    answer = httpx.get(url)
    assert answer.status_code == 303
    assert answer.headers["location"] == LOGOUT + "?state=after-logout-state"
    # The access token died with the session.
    info = httpx.get(world.base + PREFIX + "/userinfo",
                     headers={"Authorization": f"Bearer {signed.access_token}"})
    assert info.status_code == 401


def test_the_authorize_page_demands_state_nonce_and_eidas1(world: World) -> None:
    pending = world.client.start()
    url = asyncio.run(world.client.authorization_url(pending))
    for drop in ("state", "nonce", "acr_values"):
        broken = re.sub(rf"([?&]){drop}=[^&]*", r"\1", url)
        assert httpx.get(broken).status_code == 400, drop
