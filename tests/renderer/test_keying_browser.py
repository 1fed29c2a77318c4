"""Keying a paper form at the desk in real Chromium, keyboard only, on SQLite and PostgreSQL:
the agent tabs through the screen in the paper's numbering (past question 9, hidden once No
is keyed at 8: tests/renderer/test_keying_reveal_browser.py), a wrong postcode is told at its
question number, the corrected form (the scan kept) makes a dossier of channel ``papier``
with its scan. axe-core checks the new pages (WCAG 2.1 A, AA)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .citizen import PNG
from .test_backoffice_browser import axe
from .test_browser import CHROMIUM, LAUNCH_ARGS
from .test_mediation_browser import log_in, server  # noqa: F401

pytestmark = pytest.mark.browser

#: The screen's fields in tab order: the scan, then the paper's questions 1 to 8 (9, the
#: e-mail, is asked only for Yes at 8: hidden once No is keyed, Tab goes past it).
ORDER = [
    "scan",
    "danger",
    "type_probleme",
    "description",
    "numero_lampadaire",
    "adresse-street",
    "adresse-postcode",
    "adresse-commune",
    "repere",
    "photo",
    "etre_informe",
]


def focused(page: Any) -> str:
    return str(page.evaluate("document.activeElement.name || document.activeElement.id"))


def test_desk_agent_keys_a_paper_form(server: str, tmp_path: Path) -> None:  # noqa: F811
    from playwright.sync_api import sync_playwright

    scan = tmp_path / "formulaire.png"
    scan.write_bytes(PNG)
    violations: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        agent = browser.new_context(bypass_csp=True).new_page()
        log_in(agent, server, "proprete@tours.example")
        agent.goto(f"{server}/-/agents/saisie/")
        axe(agent, "keying: the journeys", violations)
        agent.goto(f"{server}/-/agents/saisie/signalement-voirie")
        axe(agent, "keying screen", violations)
        agent.set_input_files("#scan", str(scan))
        agent.focus("#scan")
        tag = agent.eval_on_selector(
            "#type_probleme", "s => [...s.options].findIndex(o => o.value === 'tag')"
        )
        typed = {
            "description": "Un tag sur le mur",
            "numero_lampadaire": "L-42",
            "adresse-street": "1 rue des Minimes",
            "adresse-postcode": "3700",
            "adresse-commune": "Tours",
        }
        seen = [focused(agent)]
        for name in ORDER[1:]:
            agent.keyboard.press("Tab")
            seen.append(focused(agent))
            if name in ("danger", "etre_informe"):
                agent.keyboard.press("ArrowDown")  # Non
            elif name == "type_probleme":
                for _ in range(tag):
                    agent.keyboard.press("ArrowDown")
            elif name == "photo":
                agent.keyboard.press("Space")
            elif name in typed:
                agent.keyboard.type(typed[name])
        assert seen == ORDER
        assert not agent.locator("#email").is_visible()
        agent.keyboard.press("Tab")
        assert agent.evaluate("document.activeElement.hasAttribute('data-key-submit')")
        agent.keyboard.press("Enter")
        summary = agent.locator("[data-error-summary]")
        assert "Question 5" in summary.inner_text()
        axe(agent, "keying screen with an error", violations)
        assert agent.locator("[data-kept-scan]").is_visible()
        agent.locator("[data-error-summary] a").first.focus()
        agent.keyboard.press("Enter")  # the link to the field in error
        agent.focus("#adresse-postcode")
        agent.keyboard.press("End")
        agent.keyboard.type("0")
        agent.keyboard.press("Enter")
        assert agent.locator("[data-channel]").get_attribute("data-channel") == "papier"
        assert agent.locator("[data-file='Scan du formulaire papier']").count() == 1
        axe(agent, "dossier keyed from paper", violations)
        browser.close()
    assert violations == []
