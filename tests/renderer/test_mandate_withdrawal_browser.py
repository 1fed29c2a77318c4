"""The citizen withdraws the mandate they gave a mediator, in real Chromium, on SQLite and
PostgreSQL: the mediator records it and prints its receipt; the citizen, at home and without
scripts, types the receipt's code, then withdraws; the mediator's home shows it withdrawn.
axe-core checks each new page (WCAG 2.1 A, AA) in French and in English."""

from __future__ import annotations

import pytest

from .test_backoffice_browser import axe
from .test_browser import CHROMIUM, LAUNCH_ARGS
from .test_mediation_browser import NORD, log_in, server  # noqa: F401

pytestmark = pytest.mark.browser


def test_the_citizen_withdraws_their_mandate(server: str) -> None:  # noqa: F811
    from playwright.sync_api import sync_playwright

    base = server
    violations: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        # axe-core is injected with eval: CSP is bypassed in these contexts only.
        mediator = browser.new_context(bypass_csp=True).new_page()
        log_in(mediator, base, "mediatrice@fs-nord.example")
        mediator.goto(f"{base}/-/agents/mediation/mandat")
        mediator.select_option("#journey", "signalement-voirie")
        mediator.fill("#citizen_name", "Léo Roux")
        mediator.check("#duration-365")
        mediator.check("#consent-ecran")
        mediator.check("#attest")
        mediator.click("form[action$='/mandat'] button[type=submit]")
        # -- the receipt, printed for the citizen
        code = mediator.locator("[data-withdraw-code]").inner_text().strip()
        link = mediator.locator("[data-withdraw-url]").get_attribute("href")
        assert link == f"{base}/-/mandat/{code}"
        mediator.goto(f"{base}/-/agents/mediation/")
        axe(mediator, "mediator's home with a mandate in force", violations)
        # -- at home, without scripts: the code typed, then the button
        citizen = browser.new_context(java_script_enabled=False).new_page()
        citizen.goto(f"{base}/-/mandat")
        citizen.fill("#code", "ABCD-EFGH-JKLM")
        citizen.click("[data-mandate-code] button[type=submit]")
        assert citizen.locator("[data-error-summary]").is_visible()
        citizen.fill("#code", code.lower())
        citizen.click("[data-mandate-code] button[type=submit]")
        assert citizen.url == link
        assert NORD in citizen.locator("[data-mandate]").inner_text()
        assert "Léo Roux" not in citizen.content()
        citizen.click("[data-mandate-withdraw] button[type=submit]")
        assert "Votre accord est retiré" in citizen.locator("[data-mandate-state]").inner_text()
        assert citizen.locator("[data-mandate-withdraw]").count() == 0
        # -- every new page, in French and in English, under axe-core
        checking = browser.new_context(bypass_csp=True).new_page()
        for lang in ("fr", "en"):
            checking.goto(f"{base}/-/mandat?lang={lang}")
            axe(checking, f"withdrawal code form ({lang})", violations)
            checking.fill("#code", "ABCD-EFGH-JKLM")
            checking.click("[data-mandate-code] button[type=submit]")
            assert checking.locator("[data-error-summary]").is_visible()
            axe(checking, f"withdrawal code form, refused ({lang})", violations)
            checking.goto(f"{link}?lang={lang}")
            axe(checking, f"a withdrawn mandate ({lang})", violations)
            checking.goto(f"{link}?lang={lang}&retire=1")
            axe(checking, f"the withdrawal done ({lang})", violations)
        # -- a mandate still in force, its page with the button
        mediator.goto(f"{base}/-/agents/mediation/mandat")
        mediator.select_option("#journey", "signalement-voirie")
        mediator.fill("#citizen_name", "Ana Lima")
        mediator.check("#duration-1")
        mediator.check("#consent-papier")
        mediator.check("#attest")
        mediator.click("form[action$='/mandat'] button[type=submit]")
        other = mediator.locator("[data-withdraw-url]").get_attribute("href")
        assert other is not None
        for lang in ("fr", "en"):
            checking.goto(f"{other}?lang={lang}")
            assert checking.locator("[data-mandate-withdraw]").is_visible()
            axe(checking, f"a mandate in force ({lang})", violations)
        # -- the mediator sees the first one withdrawn by the person
        mediator.goto(f"{base}/-/agents/mediation/")
        assert mediator.locator("[data-withdrawn-by-citizen]").count() == 1
        assert (
            "Retiré par la personne" in mediator.locator("[data-withdrawn-by-citizen]").inner_text()
        )
        assert mediator.locator("[data-withdraw]").count() == 1  # Ana Lima's, in force
        axe(mediator, "mediator's home with a withdrawn mandate", violations)
        browser.close()
    assert violations == []
