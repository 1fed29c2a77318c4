"""`parcours studio --usage DB_URL`: beside the journey, the page where most citizens give
up and the error they make most often, with the suggestion — from a database filled by
citizens walking the real application (the usage tests' simulation)."""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from renderer.app import create_app
from renderer.studio.app import create_studio_app
from renderer.studio.cli import run_studio
from renderer.studio.usage import UsageOption

from . import test_studio_browser
from .test_browser import axe_violations
from .test_usage import JOURNEY, Drawn, walk

#: The studio's browser tests' Chromium, shared by the test below.
browser = test_studio_browser.browser

TOKEN = "usage-studio-token"


@pytest.fixture(scope="module")
def used(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Drawn]:
    """60 citizens through the real application, recorded in SQLite."""
    url = f"sqlite:///{tmp_path_factory.mktemp('studio-usage') / 'parcours.db'}"
    client = TestClient(create_app([JOURNEY], db_url=url))
    rng = random.Random(17)
    drawn = Drawn()
    for _ in range(60):
        walk(client, rng, drawn)
    return url, drawn


def _studio(tmp_path: Path, usage: UsageOption | None) -> TestClient:
    folder = tmp_path / "journeys"
    folder.mkdir(parents=True)
    shutil.copy(JOURNEY, folder / "usage.yaml")
    client = TestClient(create_studio_app(folder, TOKEN, usage))
    client.cookies.set("parcours_studio", TOKEN)
    return client


def test_the_editor_shows_where_citizens_give_up_and_the_most_frequent_error(
    used: tuple[str, Drawn], tmp_path: Path
) -> None:
    url, drawn = used
    page = _studio(tmp_path, UsageOption(url)).get("/edit/usage.yaml").text
    section = page.split('id="usage"', 1)[1].split("</section>", 1)[0]
    assert "sur 60 démarrage(s)" in section
    give_up = section.split('id="usage-give-up"', 1)[1].split("</dd>", 1)[0]
    # The simulation leaves most often on the page 'identite' (15 % of those who reach it).
    assert "(<code>identite</code>)" in give_up
    assert f"{drawn.n['left identite']} personne(s) arrivée(s) sur cette page" in give_up
    line = JOURNEY.read_text(encoding="utf-8").splitlines().index("  identite:") + 1
    assert f'href="/edit/usage.yaml#L{line}"' in give_up
    error = section.split('id="usage-error"', 1)[1].split("</dd>", 1)[0]
    assert "<code>age</code>" in error
    assert f"{drawn.n['age error']} fois" in error
    assert "Saisissez un nombre supérieur ou égal à 18" in error
    assert "Piste :" in error  # the suggestion from the checks for that place
    english = _studio(tmp_path / "en", UsageOption(url)).get("/edit/usage.yaml?lang=en").text
    assert "What real use shows" in english and "The most frequent error" in english


def test_counts_under_the_threshold_are_not_shown(used: tuple[str, Drawn], tmp_path: Path) -> None:
    url, _ = used
    page = _studio(tmp_path, UsageOption(url, threshold=1000)).get("/edit/usage.yaml").text
    assert "moins de 1000 démarrage(s)" in page
    assert 'id="usage-give-up"' not in page and 'id="usage-error"' not in page
    assert "Pas encore assez d&#39;usage" in page


def test_without_usage_or_with_an_unreadable_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert 'id="usage"' not in _studio(tmp_path / "a", None).get("/edit/usage.yaml").text
    missing = UsageOption(f"sqlite:///{tmp_path / 'none.db'}")
    page = _studio(tmp_path / "b", missing).get("/edit/usage.yaml").text
    assert "Usage illisible : no such database" in page
    args = argparse.Namespace(
        folder=str(tmp_path / "a" / "journeys"),
        host="127.0.0.1",
        port=0,
        usage=missing.db_url,
        threshold=None,
    )
    assert run_studio(args) == 2
    assert "parcours studio: no such database" in capsys.readouterr().err


@pytest.mark.browser
def test_axe_core_finds_no_violation_in_the_usage_section(
    used: tuple[str, Drawn], tmp_path: Path, browser: Any
) -> None:
    import threading
    import time

    import uvicorn

    from .test_browser import _free_port

    folder = tmp_path / "journeys"
    folder.mkdir()
    shutil.copy(JOURNEY, folder / "usage.yaml")
    port = _free_port()
    app = create_studio_app(folder, TOKEN, UsageOption(used[0]))
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    while not srv.started:
        time.sleep(0.05)
    try:
        context = browser.new_context()
        page = context.new_page()
        violations: list[str] = []
        for lang in ("", "&lang=en"):
            page.goto(f"http://127.0.0.1:{port}/edit/usage.yaml?token={TOKEN}{lang}")
            page.locator("#usage-give-up").wait_for()
            violations += axe_violations(page)
        context.close()
    finally:
        srv.should_exit = True
        thread.join(timeout=10)
    assert violations == [], "\n".join(violations)
