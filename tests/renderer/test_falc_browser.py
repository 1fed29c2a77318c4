"""The easy-to-read (FALC) switch in real Chromium, scripts on and off, on SQLite and
PostgreSQL: on every kind of page of a journey with FALC texts (start, each question page,
an error page, check your answers, confirmation, receipt, exit, follow-up), the one link
reads the page in FALC and back at the same place, and axe-core finds no violation of the
FALC pages; the start page's paper form downloads as a PDF whose text is the journey's."""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from designer.organisation import journey_files
from renderer.app import create_app

from .citizen import Strategy
from .conftest import JOURNEYS, pg_schema
from .test_browser import CHROMIUM, LAUNCH_ARGS, Axe, _free_port, _plans, browser_walk

pytestmark = pytest.mark.browser

JOURNEY = "inscription-cantine"
EASY, USUAL = "Revenir à la version habituelle", "Version facile à lire"
#: Per kind of page: a text of its FALC version, and the same text's usual version.
READINGS = {
    "start": ("Inscrire mes enfants à la cantine", "Inscription à la cantine scolaire"),
    "/inscription-cantine/q/commune": (
        "Vous habitez à Saint-Fons ?", "Habitez-vous à Saint-Fons ?"),
    "/inscription-cantine/q/famille": ("Elles servent à vous appeler.", "servent à vous joindre"),
    "/inscription-cantine/q/vos_enfants": (
        "Ajoutez vos enfants un par un.", "Ajoutez chaque enfant à inscrire"),
    "check": ("L'enfant est malade quand il mange certains aliments ?",
              "L'enfant a-t-il une allergie alimentaire ?"),
    "confirmation": ("Nous avons votre demande", "Nous avons bien reçu votre demande"),
    "receipt": ("Le prénom de l'enfant", "Prénom de l'enfant"),
    "/inscription-cantine/end/hors_commune": ("Ce service est pour les familles de Saint-Fons",
                                              "Ce service concerne seulement les familles"),
}


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def served(request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    """A live server of the example journeys on a loopback port, on SQLite then PostgreSQL."""
    import uvicorn

    def serve(url: str) -> Iterator[tuple[str, Any]]:
        app = create_app(sorted(journey_files([JOURNEYS])), db_url=url)
        port = _free_port()
        srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                            log_level="warning"))
        thread = threading.Thread(target=srv.run, daemon=True)
        thread.start()
        for _ in range(200):
            if srv.started:
                break
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}", app
        srv.should_exit = True
        thread.join(timeout=10)

    if request.param == "sqlite":
        yield from serve(f"sqlite:///{tmp_path_factory.mktemp('falc') / 'parcours.db'}")
        return
    with pg_schema("falc_browser") as url:
        yield from serve(url)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield b
        b.close()


def _kind(url: str) -> str:
    path = "/" + url.split("://", 1)[1].split("/", 1)[1].split("?", 1)[0]
    for end in ("check", "confirmation", "receipt"):
        if path.endswith("/" + end):
            return end
    return "start" if path == f"/{JOURNEY}/" else path


def _path(url: str) -> str:
    return url.split("://", 1)[1].split("/", 1)[1].split("?", 1)[0]


class SwitchingAxe(Axe):
    """At each new kind of page: turn FALC on by its link when it is off, run axe-core on
    the FALC page, then (but on an error page, which a GET cannot show again) follow the
    link to the usual version and back, checking that each keeps the page's address."""

    def __init__(self, browser: Any, base: str) -> None:
        super().__init__(browser, base)
        self.easy: dict[str, str] = {}
        self.usual: dict[str, str] = {}

    def _switch(self, page: Any, now: str) -> None:
        before = _path(page.url)
        link = page.locator("[data-falc-switch]")
        assert link.count() == 1, page.url
        link.click()
        page.wait_for_load_state()
        assert _path(page.url) == before
        assert page.inner_text("[data-falc-switch]") == now, page.url

    def check(self, page: Any, kind: str) -> None:
        if kind in self.seen:
            return
        where = _kind(page.url)
        if page.inner_text("[data-falc-switch]") == USUAL:
            self.usual.setdefault(where, page.inner_text("main"))
            self._switch(page, EASY)
        super().check(page, kind)
        self.easy.setdefault(where, page.inner_text("main"))
        if page.locator("[data-error-summary]").count():
            assert page.get_attribute("[data-falc-switch]", "href") == f"/{_path(page.url)}?falc=0"
            return
        if where not in self.usual:
            self._switch(page, USUAL)
            self.usual[where] = page.inner_text("main")
            self._switch(page, EASY)


@pytest.mark.parametrize("scripts", [False, True], ids=["scripts-off", "scripts-on"])
def test_the_falc_switch_on_every_page_type_with_axe(
        served: tuple[str, Any], chromium: Any, scripts: bool) -> None:
    base, app = served
    axe = SwitchingAxe(chromium, base)
    sent, other = _plans(app, JOURNEY)
    for overrides in (sent, other):
        context = chromium.new_context(java_script_enabled=scripts)
        context._parcours_scripts = scripts  # read by the Axe of tests/renderer/test_browser.py
        page = context.new_page()
        ended = browser_walk(page, base, JOURNEY, Strategy(overrides=overrides), axe, scripts)
        if overrides is sent:
            assert ended != "hors_commune", ended  # a reference number: the dossier was sent
            page.goto(f"{base}/{JOURNEY}/confirmation")  # which links the follow-up page
            page.goto(page.get_attribute("a[href*='/-/suivi/']", "href"))
            assert page.inner_text("[data-falc-switch]") == EASY
            axe.check(page, "follow-up")
            assert page.inner_text("[data-falc-switch]") == EASY
        context.close()
    axe.close()
    assert axe.violations == [], "\n".join(axe.violations)
    assert axe.overflows == [], "\n".join(axe.overflows)  # 320 px wide, 200 % zoom
    for where, (easy, usual) in READINGS.items():
        assert easy in axe.easy[where] and usual not in axe.easy[where], where
        assert usual in axe.usual[where] and easy not in axe.usual[where], where
    assert "/-/suivi" in "".join(axe.usual) and len(axe.usual) >= len(READINGS) + 1


def test_an_error_page_switches_and_keeps_the_answers(served: tuple[str, Any],
                                                      chromium: Any) -> None:
    base, _ = served
    context = chromium.new_context()
    page = context.new_page()
    page.goto(f"{base}/{JOURNEY}/?falc=1")
    page.click("button.pc-button--start")
    page.check("input[name='habite_commune'][value='yes']")
    page.click("button[data-continue]")
    page.wait_for_url("**/q/famille")
    page.click("button[data-continue]")
    page.wait_for_load_state()
    assert page.locator("[data-error-summary]").count() == 1
    assert "Elles servent à vous appeler." in page.inner_text("main")
    page.click("[data-falc-switch]")
    page.wait_for_url(f"{base}/{JOURNEY}/q/famille?falc=0")
    assert "servent à vous joindre" in page.inner_text("main")
    page.click("a.pc-back-link")
    page.wait_for_url("**/q/commune")
    assert page.is_checked("input[name='habite_commune'][value='yes']")
    assert "Habitez-vous à Saint-Fons ?" in page.inner_text("main")
    context.close()


def test_the_paper_form_downloads_from_the_start_page(served: tuple[str, Any],
                                                     chromium: Any, tmp_path: Path) -> None:
    from pypdf import PdfReader

    base, _ = served
    context = chromium.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto(f"{base}/{JOURNEY}/")
    with page.expect_download() as info:
        page.click("[data-paper-form]")
    download = info.value
    assert download.suggested_filename == f"{JOURNEY}-formulaire.pdf"
    target = tmp_path / "form.pdf"
    download.save_as(target)
    data = target.read_bytes()
    assert data.startswith(b"%PDF")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "Inscription à la cantine scolaire" in text and "Habitez-vous à Saint-Fons ?" in text
    assert "cantine@saint-fons.example" in text
    context.close()
