"""``parcours serve --dev-providers``: the FranceConnect and API stand-ins started beside the
server on loopback ports, so that a newcomer sees prefill work on a fresh machine (sign in
as ``test`` / ``123``). Never for production: the stand-ins answer with test data only.
"""

from __future__ import annotations

import secrets
import socket
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import uvicorn

from renderer.config import Settings
from renderer.providers.connected import CALLBACK_PATH, LOGGED_OUT_PATH
from renderer.providers.standin_apis import ApiStandIn
from renderer.providers.standin_franceconnect import PREFIX, Client, FranceConnectStandIn
from renderer.providers.testdata import default_folder, identities

#: The SIRET the stand-ins are asked for (a commune's, as in the staging data).
DEV_RECIPIENT = "21370261700019"


def free_port(host: str = "127.0.0.1") -> int:
    """A port free on ``host`` now."""
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


class Background:
    """An ASGI application served over HTTP on the loopback, in a thread."""

    def __init__(self, app: Any, port: int) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                                    log_level="warning", lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> Background:
        """Start, and wait until it listens."""
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError(f"the stand-in on {self.url} did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        """Stop and wait for the thread."""
        self.server.should_exit = True
        self.thread.join(timeout=10)


@dataclass
class DevProviders:
    """The running stand-ins, and the settings that connect a server to them."""

    franceconnect: FranceConnectStandIn
    apis: ApiStandIn
    #: The providers' settings (issuer, client, API addresses and token) of the stand-ins.
    values: dict[str, str]
    servers: list[Background]

    @property
    def settings(self) -> Settings:
        """Default settings connected to the stand-ins."""
        return self.connect(Settings())

    def connect(self, settings: Settings) -> Settings:
        """``settings`` with its providers' settings replaced by the stand-ins'."""
        connected = replace(settings)
        for name, value in self.values.items():
            setattr(connected, name, value)
        return connected

    def stop(self) -> None:
        """Stop both stand-ins."""
        for server in self.servers:
            server.stop()


def start_dev_providers(app_urls: list[str], folder: Path | None = None) -> DevProviders:
    """Start both stand-ins for a server reached at ``app_urls`` (its callback registered
    under each); ``folder`` the test data (default: :func:`testdata.default_folder`).
    Raises ``FileNotFoundError`` when there is no test data."""
    folder = folder or default_folder()
    if folder is None:
        raise FileNotFoundError(
            "no provider test data: set $PARCOURS_PROVIDERS_TESTDATA to a folder laid out as "
            "shared/providers")
    fc_port, api_port = free_port(), free_port()
    fc_url = f"http://127.0.0.1:{fc_port}"
    secret, token = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    bases = [u.rstrip("/") for u in app_urls]
    fc = FranceConnectStandIn(fc_url, identities(folder), [Client(
        "parcours-dev", secret, [b + CALLBACK_PATH for b in bases],
        [b + LOGGED_OUT_PATH for b in bases])])
    apis = ApiStandIn(folder, token, checktoken_url=fc_url + PREFIX + "/checktoken")
    servers = [Background(fc.app(), fc_port).start(), Background(apis.app(), api_port).start()]
    values = {
        "franceconnect_issuer": fc_url + PREFIX, "franceconnect_client_id": "parcours-dev",
        "franceconnect_client_secret": secret, "api_particulier_url": servers[1].url,
        "api_particulier_token": token, "api_entreprise_url": servers[1].url,
        "api_entreprise_token": token, "providers_recipient": DEV_RECIPIENT}
    return DevProviders(fc, apis, values, servers)
