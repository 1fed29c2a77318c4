"""The API Particulier and API Entreprise clients against the stand-in, over real HTTP,
answering from the State's staging cases; a provider down or slow never raises."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from sharedfolder import SHARED, need

from renderer.providers.apis import ApiConfig, ApiEntreprise, ApiParticulier
from renderer.providers.franceconnect import FranceConnect, FranceConnectConfig
from renderer.providers.standin_apis import ApiStandIn
from renderer.providers.standin_franceconnect import PREFIX, Client, FranceConnectStandIn
from renderer.providers.testdata import identities

from .servers import free_port, serving

CALLBACK = "http://127.0.0.1:9/fc/callback"
RECIPIENT = "21370261700019"  # a commune's SIRET
TOKEN = "api-token-for-tests"


@dataclass
class Providers:
    fc: FranceConnectStandIn
    fc_client: FranceConnect
    apis: ApiStandIn
    particulier: ApiParticulier
    entreprise: ApiEntreprise
    fc_base: str


@pytest.fixture
def providers() -> Iterator[Providers]:
    folder = need(SHARED / "providers")
    fc_port, api_port = free_port(), free_port()
    fc_base = f"http://127.0.0.1:{fc_port}"
    fc = FranceConnectStandIn(fc_base, identities(folder),
                              [Client("parcours-test", "s3cret", [CALLBACK], [])])
    apis = ApiStandIn(folder, TOKEN, checktoken_url=fc_base + PREFIX + "/checktoken")
    with serving(fc.app(), fc_port), serving(apis.app(), api_port) as api_base:
        config = ApiConfig(api_base, TOKEN, RECIPIENT, timeout=1.0)
        yield Providers(fc, FranceConnect(FranceConnectConfig(
            fc_base + PREFIX, "parcours-test", "s3cret", CALLBACK, "")),
            apis, ApiParticulier(config), ApiEntreprise(config), fc_base)


def franceconnect_token(p: Providers, login: str = "test") -> str:
    pending = p.fc_client.start()
    url = asyncio.run(p.fc_client.authorization_url(pending))
    hidden = dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', httpx.get(url).text))
    answer = httpx.post(p.fc_base + PREFIX + "/authorize",
                        data={**hidden, "login": login, "password": "123"})
    params = {k: v[0] for k, v in parse_qs(urlparse(answer.headers["location"]).query).items()}
    return asyncio.run(p.fc_client.finish(pending, params)).access_token


def test_quotient_familial_with_franceconnect(providers: Providers) -> None:
    answer = asyncio.run(providers.particulier.quotient_familial(
        franceconnect_token=franceconnect_token(providers)))
    assert answer.status == "ok" and answer.data is not None
    assert answer.data["quotient_familial"]["valeur"] == 2550
    assert answer.data["quotient_familial"]["fournisseur"] == "CNAF"


def test_quotient_familial_by_the_identity_typed(providers: Providers) -> None:
    """A civility case of the staging data: Sophie Dupont, born in Marseille, 4 children."""
    cases = next(c for c in providers.apis.routes
                 if c[1] == "/v3/dss/quotient_familial/identite")[2].cases
    p = next(c for c in cases if c.name == "200-famille-4_enfants").params
    identity = {
        "given_name": " ".join(p["prenoms"]), "family_name": p["nomNaissance"],
        "birthdate": f"{p['anneeDateNaissance']:04d}-{int(p.get('moisDateNaissance', 0)):02d}-"
                     f"{int(p.get('jourDateNaissance', 0)):02d}",
        "gender": "female" if p["sexeEtatCivil"] == "F" else "male",
        "birthplace": p.get("codeCogInseeCommuneNaissance"),
        "birthcountry": p.get("codeCogInseePaysNaissance"),
    }
    answer = asyncio.run(providers.particulier.quotient_familial(identity=identity))
    assert answer.status == "ok" and answer.data is not None and "quotient_familial" in answer.data


def test_nobody_at_the_caf_is_not_found_with_a_sentence(providers: Providers) -> None:
    answer = asyncio.run(providers.particulier.quotient_familial(identity={
        "given_name": "Personne", "family_name": "INCONNUE", "birthdate": "1990-01-01",
        "gender": "male", "birthplace": "75056", "birthcountry": "99100"}))
    assert answer.status == "not_found"
    assert answer.reason("la CAF") == (
        "la CAF n'a pas trouvé votre dossier : saisissez l'information vous-même.")


def test_an_api_token_is_required(providers: Providers) -> None:
    forged = ApiParticulier(ApiConfig(providers.particulier.config.base_url, "forged",
                                      RECIPIENT))
    answer = asyncio.run(forged.quotient_familial(identity={"family_name": "DUBOIS"}))
    assert answer.status == "refused"


def test_a_stale_franceconnect_token_is_refused(providers: Providers) -> None:
    answer = asyncio.run(providers.particulier.quotient_familial(franceconnect_token="stale"))
    assert answer.status == "refused"


def test_company_by_siret(providers: Providers) -> None:
    answer = asyncio.run(providers.entreprise.etablissement("30613890001294", "Subvention"))
    assert answer.status == "ok" and answer.data is not None
    assert answer.data["siret"] == "30613890001294"
    assert asyncio.run(providers.entreprise.etablissement("123", "x")).status == "refused"


@pytest.mark.parametrize("failure", ["down", "slow"])
def test_a_provider_down_or_slow_never_blocks(providers: Providers, failure: str) -> None:
    providers.apis.failure, providers.apis.delay = failure, 3.0
    answer = asyncio.run(providers.entreprise.etablissement("30613890001294", "Subvention"))
    assert answer.status == "unavailable"
    assert "saisissez l'information vous-même" in answer.reason("l'INSEE")


def test_every_staging_endpoint_is_served(providers: Providers) -> None:
    assert len(providers.apis.served) == 40
