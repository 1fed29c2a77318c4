"""Clients of API Particulier v3 and API Entreprise v3, called server-side.

A provider never blocks a citizen: every call is bounded in time, and whatever goes wrong
(a timeout, the provider down, an answer that is not JSON, no record for this person)
comes back as a :class:`ProviderAnswer` whose ``status`` says which and whose ``reason``
is a sentence the form can show before asking the question as usual. Nothing raises.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, Literal

import httpx

Status = Literal["ok", "not_found", "unavailable", "refused"]

#: Why the form asks after all, for the citizen (French first, English).
REASONS: dict[Status, dict[str, str]] = {
    "not_found": {
        "fr": "{provider} n'a pas trouvé votre dossier : saisissez l'information vous-même.",
        "en": "{provider} found no record for you: please enter the information yourself.",
    },
    "unavailable": {
        "fr": "{provider} ne répond pas pour le moment : saisissez l'information vous-même.",
        "en": "{provider} is not answering at the moment: please enter the information "
              "yourself.",
    },
    "refused": {
        "fr": "{provider} n'a pas pu être interrogé : saisissez l'information vous-même.",
        "en": "{provider} could not be asked: please enter the information yourself.",
    },
}


@dataclass(frozen=True)
class ProviderAnswer:
    """What a provider answered: the data, or why there is none."""

    status: Status
    data: dict[str, Any] | None = None
    detail: str = ""

    def reason(self, provider: str, lang: str = "fr") -> str:
        """The sentence shown to the citizen when the answer is not ``ok``."""
        if self.status == "ok":
            return ""
        texts = REASONS[self.status]
        return texts.get(lang, texts["fr"]).format(provider=provider)


@dataclass(frozen=True)
class ApiConfig:
    """One API's address and credentials (from the configuration, never a journey)."""

    base_url: str
    token: str
    recipient: str  # the SIRET of the organisation that asks
    timeout: float = 3.0


def civility_params(identity: dict[str, Any]) -> dict[str, Any]:
    """An identity (FranceConnect's claims, or what the citizen typed, with the same
    names) as API Particulier's civility parameters."""
    params: dict[str, Any] = {}
    if identity.get("given_name"):
        params["prenoms[]"] = str(identity["given_name"]).split()
    if identity.get("family_name"):
        params["nomNaissance"] = identity["family_name"]
    if identity.get("preferred_username"):
        params["nomUsage"] = identity["preferred_username"]
    birthdate = str(identity.get("birthdate") or "")
    parts = birthdate.split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        params["anneeDateNaissance"] = int(parts[0])
        if int(parts[1]):
            params["moisDateNaissance"] = int(parts[1])
        if int(parts[2]):
            params["jourDateNaissance"] = int(parts[2])
    if identity.get("gender") in ("female", "male"):
        params["sexeEtatCivil"] = "F" if identity["gender"] == "female" else "M"
    if identity.get("birthplace"):
        params["codeCogInseeCommuneNaissance"] = identity["birthplace"]
    if identity.get("birthcountry"):
        params["codeCogInseePaysNaissance"] = identity["birthcountry"]
    return params


async def _get(config: ApiConfig, path: str, params: dict[str, Any], bearer: str) -> ProviderAnswer:
    try:
        async with httpx.AsyncClient(base_url=config.base_url, timeout=config.timeout) as client:
            r = await client.get(path, params=params,
                                 headers={"Authorization": f"Bearer {bearer}"})
    except httpx.HTTPError as exc:
        return ProviderAnswer("unavailable", detail=f"{type(exc).__name__}: {exc}")
    if r.status_code == 404:
        return ProviderAnswer("not_found", detail=r.text[:200])
    if r.status_code in (400, 401, 403, 422):
        return ProviderAnswer("refused", detail=f"{r.status_code}: {r.text[:200]}")
    if r.status_code != 200:
        return ProviderAnswer("unavailable", detail=f"{r.status_code}: {r.text[:200]}")
    try:
        body = r.json()
    except ValueError:
        return ProviderAnswer("unavailable", detail="the answer is not JSON")
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, dict):
        return ProviderAnswer("unavailable", detail="the answer has no data")
    return ProviderAnswer("ok", data)


class ApiParticulier:
    """API Particulier v3: one method per endpoint family, by FranceConnect or civility."""

    def __init__(self, config: ApiConfig) -> None:
        self.config = config

    async def call(self, endpoint: str, *, franceconnect_token: str | None = None,
                   identity: dict[str, Any] | None = None) -> ProviderAnswer:
        """``endpoint`` such as ``dss/quotient_familial``: with the citizen's FranceConnect
        access token when they signed in, else with the identity they typed."""
        params: dict[str, Any] = {"recipient": self.config.recipient}
        if franceconnect_token:
            return await _get(self.config, f"/v3/{endpoint}/france_connect", params,
                              franceconnect_token)
        if identity:
            return await _get(self.config, f"/v3/{endpoint}/identite",
                              params | civility_params(identity), self.config.token)
        return ProviderAnswer("refused", detail="neither a FranceConnect token nor an identity")

    async def fetch(self, endpoints: tuple[str, ...], **who: Any) -> ProviderAnswer:
        """A data provider's endpoints asked together (``who`` as :meth:`call`). One
        endpoint: its answer. Several: ``ok`` with ``{last segment: data}`` of those that
        answered, else the first of ``refused`` (so that the caller may try the identity),
        ``unavailable``, ``not_found`` among them."""
        answers = await asyncio.gather(*(self.call(e, **who) for e in endpoints))
        if len(answers) == 1:
            return answers[0]
        pairs = list(zip(endpoints, answers, strict=True))
        data = {e.rsplit("/", 1)[-1]: a.data for e, a in pairs
                if a.status == "ok" and a.data is not None}
        if data:
            return ProviderAnswer("ok", data)
        detail = "; ".join(f"{e}: {a.status} {a.detail}" for e, a in pairs)
        order: tuple[Status, ...] = ("refused", "unavailable", "not_found")
        status = next((s for s in order if any(a.status == s for a in answers)), order[1])
        return ProviderAnswer(status, detail=detail[:500])

    async def quotient_familial(self, **who: Any) -> ProviderAnswer:
        """The family quotient (CAF or MSA) and the household."""
        return await self.call("dss/quotient_familial", **who)


class ApiEntreprise:
    """API Entreprise v3 (INSEE's Sirene register)."""

    def __init__(self, config: ApiConfig) -> None:
        self.config = config

    async def etablissement(self, siret: str, purpose: str) -> ProviderAnswer:
        """The establishment of ``siret``; ``purpose`` is the ``object`` the API requires."""
        if not (siret.isdigit() and len(siret) == 14):
            return ProviderAnswer("refused", detail="a SIRET has 14 digits")
        params = {"recipient": self.config.recipient, "context": "Démarche en ligne",
                  "object": purpose}
        return await _get(self.config, f"/v3/insee/sirene/etablissements/{siret}", params,
                          self.config.token)
