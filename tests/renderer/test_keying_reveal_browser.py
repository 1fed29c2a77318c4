"""The keying screen reveals questions in place, in real Chromium, on SQLite and PostgreSQL
(tests/renderer/data/keying/pieces-foyer.yaml: questions 2 and 4 are asked only for a Yes
at 1, and each person's identity document, 3.3, only for an adult).

With scripts, under the page's own Content-Security-Policy, the citizens' script
(renderer/static/parcours.js) hides a question while its condition is false (neither seen
nor reached with Tab) and shows it as the agent keys the answer that makes it true; without
scripts every question shows and the run drops what the form does not ask. Either way the
dossier keeps the same answers. axe-core checks the screen in both (WCAG 2.1 A, AA)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from designer.answers import decode
from renderer.app import create_app
from renderer.backoffice.accounts import Accounts
from renderer.backoffice.dossiers import Dossiers

from .citizen import PNG
from .test_backoffice_browser import axe
from .test_browser import CHROMIUM, LAUNCH_ARGS, Axe, _free_port
from .test_mediation_browser import PASSWORD, log_in

pytestmark = pytest.mark.browser

JOURNEY = Path(__file__).parent / "data" / "keying" / "pieces-foyer.yaml"
AGENT = "accueil@test.example"


@pytest.fixture
def served(db_url: str) -> Iterator[tuple[str, Any]]:
    import uvicorn

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    app = create_app([JOURNEY], db_url=db_url, base_url=base)
    Accounts(app.state.parcours.store).add(AGENT, PASSWORD, "instructeur", ["population"])
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.05)
    yield base, app
    srv.should_exit = True
    thread.join(timeout=10)


def shown(page: Any, name: str) -> bool:
    return bool(page.locator(f"[data-name='{name}']").is_visible())


def focused(page: Any) -> str:
    return str(page.evaluate("document.activeElement.name || document.activeElement.id"))


def kept_answers(app: Any, page: Any) -> dict[str, Any]:
    """The answers of the dossier whose page the agent is on."""
    reference = page.url.rstrip("/").rsplit("/", 1)[-1]
    store = app.state.parcours.store
    submission = store.submission(reference)
    assert submission is not None, page.url
    scan = Dossiers(store).history(reference)[0].file_id
    answers: dict[str, Any] = decode(submission.answers)["answers"]
    # Each document keyed is the scan of the paper form.
    for holder, name in [(answers, "attestation")] + [
        (item, "piece_identite") for item in answers["membres"]
    ]:
        if name in holder:
            assert holder[name]["file"] == scan
            holder[name] = "scan"
    return answers


def test_questions_revealed_as_the_agent_keys(served: tuple[str, Any], tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    base, app = served
    scan = tmp_path / "formulaire.png"
    scan.write_bytes(PNG)
    screen = f"{base}/-/agents/saisie/pieces-foyer"
    violations: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        # -- with scripts, the page's own Content-Security-Policy applying
        agent = browser.new_context().new_page()
        blocked: list[str] = []
        agent.on(
            "console",
            lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None,
        )
        log_in(agent, base, AGENT)
        agent.goto(screen)
        assert not shown(agent, "numero_allocataire") and not shown(agent, "attestation")
        assert not any(shown(agent, f"membres-{i}-piece_identite") for i in range(3))
        # Keyboard: No at 1, and Tab goes on to 3.1, past the hidden question 2.
        agent.focus("#aide_logement-0")
        agent.keyboard.press("ArrowDown")
        agent.keyboard.press("Tab")
        assert focused(agent) == "membres-0-prenom"
        assert not shown(agent, "numero_allocataire")
        # Yes at 1 reveals 2, which Tab now reaches.
        agent.focus("#aide_logement-1")
        agent.keyboard.press("ArrowUp")
        assert shown(agent, "numero_allocataire")
        agent.keyboard.press("Tab")
        assert focused(agent) == "numero_allocataire"
        agent.keyboard.type("A-123")
        assert shown(agent, "attestation")
        agent.check("#attestation-0")
        # A box per adult, revealed by the Yes of that block only.
        for index, (name, adult) in enumerate([("Zoé", True), ("Léo", False), ("Ana", True)]):
            agent.fill(f"#membres-{index}-prenom", name)
            agent.check(f"#membres-{index}-majeur-{0 if adult else 1}")
            assert shown(agent, f"membres-{index}-piece_identite") is adult
        agent.check("#membres-0-piece_identite-0")  # Ana's forgotten
        # Léo's box ticked while keyed an adult, then No: hidden, still ticked.
        agent.check("#membres-1-majeur-0")
        agent.check("#membres-1-piece_identite-0")
        agent.check("#membres-1-majeur-1")
        assert not shown(agent, "membres-1-piece_identite")
        agent.set_input_files("#scan", str(scan))
        agent.click("[data-key-submit]")
        summary = agent.locator("[data-error-summary]")
        assert "Personne 3, question 3.3" in summary.inner_text()
        # Shown again: what is revealed still is, the box in error too, the scan kept.
        assert shown(agent, "numero_allocataire") and shown(agent, "membres-2-piece_identite")
        assert not shown(agent, "membres-1-piece_identite")
        assert agent.locator("[data-kept-scan]").is_visible()
        agent.locator("[data-error-summary] a").first.click()
        assert focused(agent) == "membres-2-piece_identite"
        agent.keyboard.press("Space")
        agent.click("[data-key-submit]")
        # Léo's box, hidden but ticked: no dossier yet, the box unticked, the block named.
        said = agent.locator("[data-error-summary]").inner_text()
        assert "Personne 2, question 3.3" in said and "ne se pose pas" in said
        assert not agent.is_checked("#membres-1-piece_identite-0")
        agent.click("[data-key-submit]")
        assert agent.locator("[data-channel]").get_attribute("data-channel") == "papier"
        assert kept_answers(app, agent) == {
            "aide_logement": True,
            "numero_allocataire": "A-123",
            "attestation": "scan",
            "membres": [
                {"prenom": "Zoé", "majeur": True, "piece_identite": "scan"},
                {"prenom": "Léo", "majeur": False},
                {"prenom": "Ana", "majeur": True, "piece_identite": "scan"},
            ],
        }
        assert blocked == []
        # -- axe-core (injected: the policy is bypassed in this context only)
        checked = browser.new_context(bypass_csp=True).new_page()
        log_in(checked, base, AGENT)
        checked.goto(screen)
        axe(checked, "keying screen, questions hidden", violations)
        checked.check("#aide_logement-0")
        checked.check("#membres-0-majeur-0")
        checked.click("[data-key-submit]")
        assert shown(checked, "numero_allocataire")
        axe(checked, "keying screen, questions revealed, errors", violations)
        # -- without scripts: every question shows, the run drops what is not asked
        plain = browser.new_context(java_script_enabled=False)
        plain._parcours_scripts = False  # type: ignore[attr-defined]
        typed = plain.new_page()
        log_in(typed, base, AGENT)
        typed.goto(screen)
        assert shown(typed, "numero_allocataire") and shown(typed, "attestation")
        assert all(shown(typed, f"membres-{i}-piece_identite") for i in range(3))
        copy = Axe(browser, base)
        copy.check(typed, "keying screen without scripts")
        typed.check("#aide_logement-1")  # No, and a number written all the same
        typed.fill("#numero_allocataire", "A-999")
        for index, (name, adult) in enumerate([("Zoé", True), ("Léo", False)]):
            typed.fill(f"#membres-{index}-prenom", name)
            typed.check(f"#membres-{index}-majeur-{0 if adult else 1}")
            typed.check(f"#membres-{index}-piece_identite-0")  # Léo's too, as on his paper
        typed.set_input_files("#scan", str(scan))
        typed.click("[data-key-submit]")
        # Léo's box: not asked for a child, unticked and said; saved again, the dossier.
        assert "Personne 2, question 3.3" in typed.locator("[data-error-summary]").inner_text()
        assert not typed.is_checked("#membres-1-piece_identite-0")
        copy.check(typed, "keying screen without scripts, a box not asked")
        typed.click("[data-key-submit]")
        assert typed.locator("[data-channel]").get_attribute("data-channel") == "papier"
        assert kept_answers(app, typed) == {
            "aide_logement": False,
            "membres": [
                {"prenom": "Zoé", "majeur": True, "piece_identite": "scan"},
                {"prenom": "Léo", "majeur": False},
            ],
        }
        violations += copy.violations
        copy.close()
        browser.close()
    assert violations == []
