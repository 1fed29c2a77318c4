"""What a first visit of each page downloads, compressed, on every example journey.

Walks each journey as a citizen without scripts (the walker of the renderer's tests, until
a dossier is sent and another way ends elsewhere), keeps every page shown, and counts the
page's HTML and the styles and scripts it names, each compressed with gzip (level 6, as a
reverse proxy serves them). The budget (tests/renderer/screens.py) is checked in Chromium
by tests/renderer/test_browser.py on every kind of page; this prints the figures kept in
docs/benchmarks.md.

    .venv/bin/python bench/page_weight.py
"""

from __future__ import annotations

import datetime
import gzip
import importlib.util
import re
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "renderer" / "static"


def _citizen() -> Any:
    """The tests' scriptless citizen (loaded by path: `tests` is no package)."""
    spec = importlib.util.spec_from_file_location("citizen", ROOT / "tests/renderer/citizen.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["citizen"] = module
    spec.loader.exec_module(module)
    return module


def weigh(html: str) -> tuple[int, int]:
    """(the HTML alone, the HTML with its styles and scripts), bytes compressed."""
    page = len(gzip.compress(html.encode("utf-8"), 6))
    assets = sum(len(gzip.compress((STATIC / name).read_bytes(), 6))
                 for name in sorted(set(re.findall(r'(?:href|src)="/static/([^"?#]+)', html)))
                 if (STATIC / name).is_file())
    return page, page + assets


class Recorder:
    """A test client that keeps every HTML page it GETs."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.pages: list[tuple[str, str]] = []

    def get(self, url: str, **kwargs: Any) -> Any:
        response = self.client.get(url, **kwargs)
        if response.headers.get("content-type", "").startswith("text/html"):
            self.pages.append((url, response.text))
        return response

    def post(self, url: str, **kwargs: Any) -> Any:
        return self.client.post(url, **kwargs)


def main() -> None:
    from renderer.app import create_app

    citizen = _citizen()
    today = datetime.date.today()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(ROOT / "journeys", db_url=f"sqlite:///{tmp}/w.db")
        journeys = sorted(app.state.parcours.catalog.entries)
        for journey in journeys:
            recorded: list[tuple[str, str]] = []

            def once(strategy: Any, journey: str = journey,
                     recorded: list[tuple[str, str]] = recorded) -> Any:
                with TestClient(app) as client:
                    recorder = Recorder(client)
                    result = citizen.walk(recorder, journey, strategy, today)
                    recorder.get(f"/{journey}/confirmation")
                    recorded.extend(recorder.pages)
                    return result

            citizen.explore(once)
            weights = [weigh(html) for _, html in recorded]
            heaviest = max(range(len(weights)), key=lambda i: weights[i][1])
            rows.append((journey, len(weights), statistics.median(w[0] for w in weights),
                         max(w[0] for w in weights), max(w[1] for w in weights),
                         recorded[heaviest][0].split("?")[0]))
    print("| journey | pages | HTML, median | HTML, largest | first visit, largest | "
          "largest page |")
    print("|---|---|---|---|---|---|")
    for journey, n, median, largest, first, url in rows:
        print(f"| {journey} | {n} | {median / 1000:.1f} kB | {largest / 1000:.1f} kB | "
              f"{first / 1000:.1f} kB | `{url}` |")


if __name__ == "__main__":
    main()
