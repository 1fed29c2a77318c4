"""A live Parcours server connected to the FranceConnect and API stand-ins (all on the
loopback, real HTTP), and a citizen driving it with httpx, for the prefill tests."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from sharedfolder import SHARED, need

from renderer.app import create_app
from renderer.providers.connected import Providers
from renderer.providers.dev import Background, DevProviders, free_port, start_dev_providers
from renderer.store import Store

JOURNEYS = Path(__file__).resolve().parents[2] / "journeys"
CANTINE = JOURNEYS / "inscription-cantine.yaml"


@dataclass
class World:
    """The server, its database and the stand-ins."""

    base: str
    db: str
    dev: DevProviders

    def store(self) -> Store:
        return Store(self.db)


@contextmanager
def world(tmp: Path, files: list[Path] | None = None) -> Iterator[World]:
    """The example journeys (or ``files``) served with the stand-ins connected."""
    folder = need(SHARED / "providers")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    dev = start_dev_providers([base], folder)
    db = f"sqlite:///{tmp / 'parcours.db'}"
    app = create_app(files or [CANTINE], db_url=db, providers=Providers(dev.settings))
    server = Background(app, port).start()
    try:
        yield World(base, db, dev)
    finally:
        server.stop()
        dev.stop()


def csrf(page: str) -> str:
    """The CSRF token of a page's forms."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "no CSRF token on the page"
    return found.group(1)


def hidden_fields(page: str) -> dict[str, str]:
    """The hidden inputs of a page (FranceConnect's authorize form)."""
    return {k: html.unescape(v) for k, v in
            re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', page)}


class Page:
    """An answer with its text unescaped (apostrophes and quotes as the citizen reads them)."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self.text = html.unescape(response.text)
        self.url = response.url
        self.status_code = response.status_code
        self.history = response.history
        self.headers = response.headers


class Citizen:
    """A browser without scripts: httpx with cookies, following redirects."""

    def __init__(self, w: World) -> None:
        self.w = w
        self.http = httpx.Client(base_url=w.base, follow_redirects=True, timeout=20)

    def get(self, path: str) -> Page:
        return Page(self.http.get(path))

    def post(self, path: str, data: dict[str, str] | list[tuple[str, str]],
             page: str | None = None) -> Page:
        """POST a form of the current page (its CSRF token added)."""
        text = page if page is not None else self.http.get(path).text
        token = csrf(text)
        items = list(data.items()) if isinstance(data, dict) else list(data)
        part = re.search(r'name="_part" value="(\d+)"', text)
        if part and not any(k == "_part" for k, _ in items):
            items.append(("_part", part.group(1)))
        fields: dict[str, list[str]] = {}
        for key, value in [*items, ("csrf_token", token)]:
            fields.setdefault(key, []).append(value)
        return Page(self.http.post(path, data=fields))

    def sign_in(self, journey: str = "inscription-cantine", login: str = "test",
                password: str = "123") -> Page:
        """From the start page: the FranceConnect button, the stand-in's picker, back."""
        start = self.get(f"/{journey}/")
        authorize = self.post(f"/{journey}/franceconnect", {}, page=start.text)
        assert authorize.status_code == 200, authorize.text
        fields = hidden_fields(authorize.text)
        fc = str(authorize.url).split("/api/v2/")[0]
        return Page(self.http.post(fc + "/api/v2/authorize",
                                   data={**fields, "login": login, "password": password}))
