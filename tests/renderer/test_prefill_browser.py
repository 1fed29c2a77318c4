"""In real Chromium, scripts on: a citizen signs in through the FranceConnect stand-in as
test / 123, sees their identity filled and marked as coming from FranceConnect, consents to
the CAF's quotient familial, sees it filled from the staging case (2 550 € for Angela
Dubois), completes and sends; the dossier keeps each answer's provenance. The same journey
without FranceConnect; a provider down leaves the citizen typing. axe-core checks the start
page with the FranceConnect button and the page of prefilled answers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from renderer.prefill import provenance_of

from .prefillworld import World, world
from .test_browser import CHROMIUM, LAUNCH_ARGS, axe_violations

pytestmark = pytest.mark.browser

J = "inscription-cantine"

@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield b
        b.close()


@pytest.fixture
def w(tmp_path: Path) -> Iterator[World]:
    with world(tmp_path) as found:
        yield found


def children_and_send(page: Any) -> str:
    """The children's page, check your answers, send; returns the check page's text."""
    if page.locator("#enfants-0-prenom_enfant").count() == 0:
        page.click("#enfants-add")
    page.fill("#enfants-0-prenom_enfant", "Léa")
    page.get_by_label("École Parmentier").check()
    page.get_by_label("Lundi").check()
    page.locator("[data-question=allergie]").get_by_label("Non").check()
    page.click("button[data-continue]")
    page.wait_for_url(f"**/{J}/check")
    text = str(page.inner_text("main"))
    page.click("button[data-prevent-double-click]")
    page.wait_for_url(f"**/{J}/confirmation")
    return text


def test_sign_in_prefill_consent_and_send(browser: Any, w: World) -> None:
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(f"{w.base}/{J}/")
    assert page.get_by_role("button", name="S'identifier avec FranceConnect").is_visible()
    assert page.get_by_role("link", name="Qu'est-ce que FranceConnect ?").count() == 1
    assert page.get_by_role("button", name="Continuer sans FranceConnect").is_visible()
    assert axe_violations(page) == []
    before = next(c["value"] for c in context.cookies() if c["name"] == "parcours_session")
    page.get_by_role("button", name="S'identifier avec FranceConnect").click()
    page.fill("#login", "test")
    page.fill("#password", "123")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"**/{J}/q/commune")
    cookies = context.cookies()
    after = next(c["value"] for c in cookies if c["name"] == "parcours_session")
    assert after != before  # the session was renewed at sign-in
    page.check("#habite_commune-0")
    page.click("button[data-continue]")
    page.wait_for_url(f"**/{J}/q/famille")
    main = page.locator("main")
    assert "DUBOIS" in main.inner_text() and "Angela Claire Louise" in main.inner_text()
    assert page.locator("[data-question=nom] .pc-source").inner_text() == (
        "transmis par FranceConnect")
    assert page.locator("input[name=nom]").count() == 0
    consent = page.locator("[data-consent]")
    assert "Ville de Saint-Fons va récupérer votre quotient familial auprès de la CAF" in (
        consent.inner_text())
    page.get_by_role("button", name="Oui, récupérer mes informations").click()
    page.wait_for_url(f"**/{J}/q/famille")
    qf = page.locator("[data-question=quotient_familial]")
    assert qf.is_visible()  # revealed in place: its condition reads the certified answer
    assert "2550" in "".join(ch for ch in qf.inner_text() if ch.isdigit())
    assert "fourni par la CAF" in qf.inner_text()
    assert axe_violations(page) == []
    page.click("button[data-continue]")
    page.wait_for_url(f"**/{J}/q/vos_enfants")
    check = children_and_send(page)
    assert "transmis par FranceConnect" in check and "fourni par la CAF" in check
    dossier = w.store().submissions(J)[0]
    assert dossier.answers["answers"]["quotient_familial"] == 2550
    assert {q: p["status"] for q, p in provenance_of(dossier).items()} == {
        "nom": "certified", "prenoms": "certified", "email": "certified",
        "allocataire_caf": "certified", "quotient_familial": "certified"}
    assert provenance_of(dossier)["quotient_familial"]["provider"] == (
        "api-particulier-quotient-familial")
    for cookie in cookies:  # no token in the browser
        assert len(cookie["value"]) < 200
    context.close()


def test_without_franceconnect_and_with_the_caf_down(browser: Any, w: World) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{w.base}/{J}/")
    page.get_by_role("button", name="Continuer sans FranceConnect").click()
    page.check("#habite_commune-0")
    page.click("button[data-continue]")
    page.wait_for_url(f"**/{J}/q/famille")
    page.fill("#nom", "MARTIN")
    page.fill("#prenoms", "Paul")
    page.fill("#email", "paul@example.org")
    page.check("#allocataire_caf-0")
    page.fill("#quotient_familial", "640")
    w.dev.apis.failure = "down"
    page.get_by_role("button", name="Oui, récupérer mes informations").click()
    page.wait_for_url(f"**/{J}/q/famille")
    assert "la CAF ne répond pas pour le moment" in page.inner_text("main")
    # Nothing lost: what was typed is still there.
    assert page.input_value("#nom") == "MARTIN"
    assert page.input_value("#quotient_familial") == "640"
    page.click("button[data-continue]")
    page.wait_for_url(f"**/{J}/q/vos_enfants")
    children_and_send(page)
    dossier = w.store().submissions(J)[0]
    assert dossier.answers["answers"]["quotient_familial"] == 640
    assert provenance_of(dossier) == {}
    context.close()
