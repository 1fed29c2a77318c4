"""Which providers this server is connected to, with which credentials: read from the
environment (``PARCOURS_<NAME>``) or the server's TOML file (``<name>`` keys, the file named
by ``$PARCOURS_CONFIG``), never from a journey file. A journey only says which providers it
wants (``prefill``); the server fills from those it is configured for.

Settings (docs/providers.md): ``franceconnect_issuer``, ``franceconnect_client_id``,
``franceconnect_client_secret``, ``api_particulier_url``, ``api_particulier_token``,
``api_entreprise_url``, ``api_entreprise_token``, ``providers_recipient`` (the SIRET of the
organisation that asks), ``public_url`` (the address citizens use: the FranceConnect
callback is registered under it).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

from designer.prefill import ENDPOINTS
from renderer.providers.apis import ApiConfig, ApiEntreprise, ApiParticulier
from renderer.providers.franceconnect import FranceConnect, FranceConnectConfig

#: The paths of the FranceConnect callback and of the page FranceConnect returns to after
#: logout (the application's routes ``franceconnect_callback`` and
#: ``franceconnect_logged_out``; registered with FranceConnect under ``public_url``).
CALLBACK_PATH = "/-/franceconnect/callback"
LOGGED_OUT_PATH = "/-/franceconnect/logged-out"


class ProvidersConfigError(ValueError):
    """A provider setting that cannot be used (shown without a traceback)."""


@dataclass(frozen=True)
class ProviderSettings:
    """The providers' addresses and credentials."""

    franceconnect_issuer: str = ""
    franceconnect_client_id: str = ""
    franceconnect_client_secret: str = ""
    api_particulier_url: str = ""
    api_particulier_token: str = ""
    api_entreprise_url: str = ""
    api_entreprise_token: str = ""
    providers_recipient: str = ""
    public_url: str = ""

    @classmethod
    def load(cls, environ: Mapping[str, str] | None = None,
             file: str | Path | None = None) -> ProviderSettings:
        """The file's keys (``file``, else ``$PARCOURS_CONFIG``), then the environment's
        ``PARCOURS_<NAME>`` variables, each overriding the one before."""
        env = os.environ if environ is None else environ
        values: dict[str, str] = {}
        path = file or env.get("PARCOURS_CONFIG")
        if path:
            try:
                data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError) as exc:
                raise ProvidersConfigError(f"{path}: {exc}") from None
            values |= {f.name: str(data[f.name]) for f in fields(cls) if f.name in data}
        for f in fields(cls):
            variable = f"PARCOURS_{f.name.upper()}"
            if env.get(variable):
                values[f.name] = env[variable]
        return cls(**values)


class Providers:
    """The clients of the providers this server is configured for."""

    def __init__(self, settings: ProviderSettings | None = None) -> None:
        self.settings = settings or ProviderSettings()
        s = self.settings
        self._franceconnect: dict[str, FranceConnect] = {}
        self.particulier: ApiParticulier | None = None
        self.entreprise: ApiEntreprise | None = None
        if s.api_particulier_url and s.api_particulier_token:
            self.particulier = ApiParticulier(ApiConfig(
                s.api_particulier_url, s.api_particulier_token, s.providers_recipient))
        if s.api_entreprise_url and s.api_entreprise_token:
            self.entreprise = ApiEntreprise(ApiConfig(
                s.api_entreprise_url, s.api_entreprise_token, s.providers_recipient))

    @property
    def has_franceconnect(self) -> bool:
        """Whether FranceConnect is configured."""
        s = self.settings
        return bool(s.franceconnect_issuer and s.franceconnect_client_id
                    and s.franceconnect_client_secret)

    def available(self) -> set[str]:
        """The ids (the concept catalogue's) of the providers configured."""
        found = set()
        if self.has_franceconnect:
            found.add("franceconnect")
        if self.particulier is not None:
            found |= set(ENDPOINTS)
        return found

    def franceconnect(self, base_url: str) -> FranceConnect | None:
        """The FranceConnect client, its callback under ``public_url`` (else ``base_url``,
        the address the request came to). One client per address: it keeps the provider's
        discovery document and keys."""
        if not self.has_franceconnect:
            return None
        base = (self.settings.public_url or base_url).rstrip("/")
        client = self._franceconnect.get(base)
        if client is None:
            s = self.settings
            client = FranceConnect(FranceConnectConfig(
                issuer=s.franceconnect_issuer, client_id=s.franceconnect_client_id,
                client_secret=s.franceconnect_client_secret,
                redirect_uri=base + CALLBACK_PATH,
                post_logout_redirect_uri=base + LOGGED_OUT_PATH))
            self._franceconnect[base] = client
        return client
