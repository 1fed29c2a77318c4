"""The back office end to end in real Chromium, on SQLite and PostgreSQL, with a real SMTP
server on the loopback (aiosmtpd) receiving the e-mails of the delivery worker:

a citizen submits a signalement; it lands in the right service by its routing; an agent
logs in and asks for a photo; the citizen gets the e-mail, follows its link and answers
with the photo; the agent accepts; the citizen sees "accepté" and gets the e-mail; the
decision letter, put in the print queue, is ticked, printed as a batch and confirmed.
axe-core checks every back-office page and the follow-up page (WCAG 2.1 A and AA).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from renderer.app import create_app
from renderer.backoffice.accounts import Accounts

from .citizen import PNG
from .conftest import JOURNEYS
from .test_browser import CHROMIUM, LAUNCH_ARGS, _free_port, axe_violations
from .test_notifications import Inbox

pytestmark = pytest.mark.browser
PASSWORD = "un mot de passe assez long"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture
def server(db_url: str, smtp: tuple[Inbox, int], tmp_path: Path) -> Iterator[tuple[str, Any]]:
    import uvicorn

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    app = create_app([JOURNEYS / "signalement-voirie.yaml"], db_url=db_url,
                     smtp_url=f"smtp://127.0.0.1:{smtp[1]}", base_url=base,
                     mail_dir=tmp_path / "mail")
    Accounts(app.state.parcours.store).add("proprete@tours.example", PASSWORD, "instructeur",
                                           ["proprete"])
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


def axe(page: Any, kind: str, violations: list[str]) -> None:
    violations += axe_violations(page, kind)


def wait_for(inbox: Inbox, count: int) -> None:
    deadline = time.monotonic() + 30
    while len(inbox.messages) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(inbox.messages) >= count, [m["Subject"] for m in inbox.messages]


def test_signalement_to_decision(server: tuple[str, Any], smtp: tuple[Inbox, int],
                                 tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    base, _app = server
    inbox, _port = smtp
    violations: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        # axe-core is injected with eval: CSP is bypassed in these contexts only.
        citizen = browser.new_context(bypass_csp=True).new_page()
        agent = browser.new_context(bypass_csp=True).new_page()
        # -- the citizen reports graffiti, asks to be kept informed
        citizen.goto(f"{base}/signalement-voirie/")
        citizen.click("button[type=submit].pc-button--start, form button[type=submit]")
        citizen.check("input[name=danger][value=no]")
        citizen.click("[data-continue]")
        citizen.select_option("select[name=type_probleme]", "tag")
        citizen.click("[data-continue]")
        citizen.fill("[name=adresse-street]", "1 rue des Minimes")
        citizen.fill("[name=adresse-postcode]", "37000")
        citizen.fill("[name=adresse-commune]", "Tours")
        citizen.click("[data-continue]")
        citizen.check("input[name=etre_informe][value=yes]")
        citizen.fill("[name=email]", "zoe@example.fr")
        citizen.click("[data-continue]")
        axe(citizen, "check, with the contact question", violations)
        assert citizen.is_checked("input[name=contact_channel][value=email]")
        citizen.click("form[action$='/check'] button[type=submit]")
        reference = citizen.locator("[data-reference]").get_attribute("data-reference")
        assert reference
        wait_for(inbox, 2)  # the receipt to the citizen, the notice to the right service
        assert {m["To"] for m in inbox.messages} == {"zoe@example.fr", "proprete@tours.example"}
        # -- the agent of the cleaning service logs in, asks for a photo
        agent.goto(f"{base}/-/agents/login")
        axe(agent, "login", violations)
        agent.fill("#email", "proprete@tours.example")
        agent.fill("#password", PASSWORD)
        agent.click("form button[type=submit]")
        axe(agent, "list", violations)
        agent.click(f"a[data-reference='{reference}']")
        axe(agent, "dossier", violations)
        agent.fill("#message", "Pouvez-vous nous envoyer une photo du tag ?")
        agent.click("form[action$='/messages'] button[type=submit]")
        agent.click("form[action$='/status'] button[type=submit]")  # empty reason, but…
        assert agent.locator("[data-status]").get_attribute("data-status") == "en_instruction"
        agent.select_option("#new-status", "refuse")
        agent.click("form[action$='/status'] button[type=submit]")  # no reason: refused
        axe(agent, "dossier with an error", violations)
        assert agent.locator("[data-error-summary]").count() == 1
        # -- the citizen gets the e-mail, follows its link, answers with the photo
        wait_for(inbox, 4)
        asked = next(m for m in inbox.messages if "message" in m["Subject"])
        link = re.search(r"(http://\S+/-/suivi/[0-9a-f]+)", asked.get_content())
        assert link and link.group(1).startswith(base)
        citizen.goto(link.group(1))
        axe(citizen, "follow-up", violations)
        assert "Pouvez-vous nous envoyer une photo du tag ?" in citizen.content()
        photo = tmp_path / "tag.png"
        photo.write_bytes(PNG)
        citizen.fill("#answer", "Voici la photo")
        citizen.set_input_files("#document", str(photo))
        citizen.click("form button[type=submit].pc-button")
        assert "Voici la photo" in citizen.content()
        # -- the agent reads the answer and accepts
        agent.reload()
        assert "Voici la photo" in agent.content()
        agent.select_option("#new-status", "accepte")
        agent.click("form[action$='/status'] button[type=submit]")
        assert agent.locator("[data-status]").get_attribute("data-status") == "accepte"
        # -- the citizen sees "accepté" and gets the e-mail
        citizen.reload()
        assert citizen.locator("[data-status]").get_attribute("data-status") == "accepte"
        assert "accepté" in citizen.content()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not any(
                "accepté" in str(m["Subject"]) for m in inbox.messages):
            time.sleep(0.1)
        assert any(f"Votre dossier {reference} : accepté" == m["Subject"]
                   for m in inbox.messages)
        axe(citizen, "follow-up with its decision letter", violations)
        assert citizen.locator("[data-letter=decision]").count() == 1
        # -- the decision letter put in the print queue (as for a citizen who chose the
        # post): ticked, printed as a batch, confirmed
        store = _app.state.parcours.store
        store._write("UPDATE dossier_letters SET to_print = 1 WHERE reference = ?", (reference,))
        agent.goto(f"{base}/-/agents/courriers")
        axe(agent, "print queue", violations)
        # Filtered, one date set aside: the error summary, each field labelled.
        agent.goto(f"{base}/-/agents/courriers?kind=decision&since=2026-02-30")
        assert agent.locator("[data-error-summary]").count() == 1
        axe(agent, "print queue, filtered, a date set aside", violations)
        agent.fill("#q-since", "")
        agent.click("[data-queue-filters] button[type=submit]")
        assert "kind=decision" in agent.url and agent.locator("[data-error-summary]").count() == 0
        agent.check("input[name=courrier]")
        agent.click("[data-print-selection]")
        axe(agent, "print batch", violations)
        assert agent.locator("[data-batch-letter]").count() == 1
        agent.click("[data-batch-confirm]")
        assert agent.locator("[data-waiting]").get_attribute("data-waiting") == "0"
        assert agent.locator("[data-printed]").count() == 1
        citizen.goto(f"{base}/-/suivi/{'0' * 40}")
        axe(citizen, "follow-up, unknown link", violations)
        browser.close()
    assert violations == []
