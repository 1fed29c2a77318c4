"""The clients of the providers this server is connected to, built from its settings
(:class:`renderer.config.Settings`: the environment ``PARCOURS_<NAME>`` or the server's TOML
file, never a journey file). A journey only says which providers it wants (``prefill``);
the server fills from those it is configured for (docs/providers.md, "Configuration").
"""

from __future__ import annotations

from designer.prefill import ENDPOINTS, KEYED_BY
from renderer.config import Settings
from renderer.providers.apis import ApiEntreprise, ApiParticulier
from renderer.providers.franceconnect import FranceConnect, FranceConnectConfig

#: The paths of the FranceConnect callback and of the page FranceConnect returns to after
#: logout (the application's routes ``franceconnect_callback`` and
#: ``franceconnect_logged_out``; registered with FranceConnect under ``public_url``).
CALLBACK_PATH = "/-/franceconnect/callback"
LOGGED_OUT_PATH = "/-/franceconnect/logged-out"


class Providers:
    """The clients of the providers this server is configured for."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self._franceconnect: dict[str, FranceConnect] = {}
        particulier = self.settings.api("particulier")
        entreprise = self.settings.api("entreprise")
        self.particulier = ApiParticulier(particulier) if particulier else None
        self.entreprise = ApiEntreprise(entreprise) if entreprise else None

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
        if self.entreprise is not None:
            found |= set(KEYED_BY)
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
