"""Assisted mode end to end in real Chromium, on SQLite and PostgreSQL: a mediator of a France
Services desk logs in, records the citizen's consent, keys a signalement with them on the
citizens' pages (a banner on each), sends it and prints the handover sheet; the citizen
follows the dossier from the sheet's link on their own device; the agent of the service sees
who keyed it; another mediator gets nothing. axe-core checks each new page (WCAG 2.1 A, AA).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from renderer.app import create_app
from renderer.backoffice.accounts import MEDIATEUR, Accounts

from .conftest import JOURNEYS
from .test_backoffice_browser import axe
from .test_browser import CHROMIUM, LAUNCH_ARGS, _free_port

pytestmark = pytest.mark.browser
PASSWORD = "un mot de passe assez long"
NORD = "France Services Tours Nord"


@pytest.fixture
def server(db_url: str, tmp_path: Path) -> Iterator[str]:
    import uvicorn

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    app = create_app(
        [JOURNEYS / "signalement-voirie.yaml"],
        db_url=db_url,
        base_url=base,
        mail_dir=tmp_path / "mail",
    )
    accounts = Accounts(app.state.parcours.store)
    accounts.add("mediatrice@fs-nord.example", PASSWORD, MEDIATEUR, [], NORD)
    accounts.add("mediateur@emmaus.example", PASSWORD, MEDIATEUR, [], "Emmaüs Connect")
    accounts.add("proprete@tours.example", PASSWORD, "instructeur", ["proprete"])
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.05)
    yield base
    srv.should_exit = True
    thread.join(timeout=10)


def log_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/-/agents/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("form button[type=submit]")


def test_mediator_keys_a_journey_with_a_citizen(server: str) -> None:
    from playwright.sync_api import sync_playwright

    base = server
    violations: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        # axe-core is injected with eval: CSP is bypassed in these contexts only.
        mediator = browser.new_context(bypass_csp=True).new_page()
        log_in(mediator, base, "mediatrice@fs-nord.example")
        assert mediator.url.endswith("/-/agents/mediation/")
        axe(mediator, "mediator's home (empty)", violations)
        # -- the consent first: the form refuses until everything is said
        mediator.click("[data-new-mandate]")
        axe(mediator, "mandate", violations)
        mediator.click("form[action$='/mandat'] button[type=submit]")
        assert mediator.locator("[data-error-summary]").is_visible()
        axe(mediator, "mandate with errors", violations)
        mediator.select_option("#journey", "signalement-voirie")
        mediator.fill("#citizen_name", "Zoé Martin")
        mediator.check("#duration-30")
        mediator.check("#consent-papier")
        mediator.check("#attest")
        mediator.click("form[action$='/mandat'] button[type=submit]")
        # -- the mandate's receipt, to print, then on to the journey
        assert mediator.locator("[data-withdraw-code]").is_visible()
        axe(mediator, "the mandate's receipt", violations)
        mediator.click("[data-start-journey]")
        # -- the citizens' own pages, with the banner on each
        assert mediator.url.endswith("/signalement-voirie/q/urgence")
        banner = mediator.locator("[data-mediation]")
        assert "Zoé Martin" in banner.inner_text() and NORD in banner.inner_text()
        axe(mediator, "a question page with the banner", violations)
        mediator.check("input[name=danger][value=no]")
        mediator.click("[data-continue]")
        mediator.select_option("select[name=type_probleme]", "tag")
        mediator.click("[data-continue]")
        mediator.fill("[name=adresse-street]", "1 rue des Minimes")
        mediator.fill("[name=adresse-postcode]", "37000")
        mediator.fill("[name=adresse-commune]", "Tours")
        mediator.click("[data-continue]")
        mediator.check("input[name=etre_informe][value=no]")  # no e-mail: the sheet
        mediator.click("[data-continue]")
        assert mediator.locator("[data-mediation]").count() == 1
        mediator.click("form[action$='/check'] button[type=submit]")
        reference = mediator.locator("[data-reference]").get_attribute("data-reference")
        assert reference
        # -- the handover sheet, printed for the citizen
        mediator.click("[data-handover]")
        axe(mediator, "handover sheet", violations)
        follow_url = mediator.locator("[data-follow-url]").get_attribute("href")
        code = mediator.locator("[data-code]").inner_text()
        assert follow_url and len(code) == 14
        assert mediator.pdf()[:4] == b"%PDF"  # it prints (headless Chromium)
        # -- the session ends: the next person at the desk reaches nothing of it
        mediator.click("[data-finish]")
        assert mediator.url.endswith("/-/agents/mediation/")
        mediator.goto(f"{base}/signalement-voirie/confirmation")
        assert mediator.url.endswith("/signalement-voirie/")
        mediator.goto(f"{base}/-/agents/mediation/")
        assert mediator.locator(f"a[data-reference='{reference}']").count() == 1
        axe(mediator, "mediator's home", violations)
        # -- a mandate recorded, then withdrawn from the home page
        mediator.goto(f"{base}/-/agents/mediation/mandat")
        mediator.select_option("#journey", "signalement-voirie")
        mediator.fill("#citizen_name", "Léo Roux")
        mediator.check("#duration-1")
        mediator.check("#consent-ecran")
        mediator.check("#attest")
        mediator.click("form[action$='/mandat'] button[type=submit]")
        mediator.goto(f"{base}/-/agents/mediation/")
        assert mediator.locator("[data-withdraw]").count() == 1
        axe(mediator, "mediator's home with a mandate in force", violations)
        mediator.click("[data-withdraw] button")
        assert mediator.locator("[data-withdrawn]").is_visible()
        assert mediator.locator("[data-withdraw]").count() == 0
        # -- the citizen, at home, types the sheet's address
        citizen = browser.new_context().new_page()
        citizen.goto(follow_url)
        assert reference in citizen.content()
        # -- or, without the link, types the number and the code (in any case)
        typing = browser.new_context(bypass_csp=True).new_page()
        typing.goto(f"{base}/-/suivi")
        axe(typing, "follow-up by number and code", violations)
        typing.fill("#reference", reference)
        typing.fill("#code", "WRONG-CODE-1234")
        typing.click("[data-follow-code] button[type=submit]")
        assert typing.locator("[data-error-summary]").is_visible()
        axe(typing, "follow-up by number and code, refused", violations)
        typing.goto(f"{base}/-/suivi?lang=en")
        axe(typing, "follow-up by number and code (English)", violations)
        typing.fill("#reference", reference.lower())
        typing.fill("#code", code.lower().replace("-", " "))
        typing.click("[data-follow-code] button[type=submit]")
        assert typing.url == follow_url and reference in typing.content()
        # -- the agent of the service sees who keyed it with the citizen
        agent = browser.new_context(bypass_csp=True).new_page()
        log_in(agent, base, "proprete@tours.example")
        agent.click(f"a[data-reference='{reference}']")
        assert agent.locator("[data-channel]").get_attribute("data-channel") == "accompagne"
        helped = agent.locator("[data-helped]").inner_text()
        assert "mediatrice@fs-nord.example" in helped and NORD in helped
        axe(agent, "dossier keyed with a mediator", violations)
        agent.goto(f"{base}/-/agents/")
        assert agent.locator("[data-channel-count=accompagne]").inner_text().startswith("1")
        axe(agent, "list with the channels", violations)
        # -- another mediator gets nothing
        other = browser.new_context().new_page()
        log_in(other, base, "mediateur@emmaus.example")
        assert other.locator(f"[data-reference='{reference}']").count() == 0
        response = other.goto(f"{base}/-/agents/mediation/dossiers/{reference}")
        assert response is not None and response.status == 404
        response = other.goto(f"{base}/-/agents/dossiers/{reference}")
        assert response is not None and response.status == 404
        browser.close()
    assert violations == []
