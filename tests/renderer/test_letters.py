# ruff: noqa: F811 - the fixtures app, world and smtp are imported from their modules
"""The documents of a dossier, as PDF read back with pypdf, on SQLite and PostgreSQL: the
acknowledgement of receipt (confirmation, follow-up, re-issued by an agent), the decision
letters, templates overridden per journey; the citizen who chose the post, whose
notifications become letters in the service's print queue (no e-mail reaches them: a real
SMTP server on the loopback proves it), marked printed with a POST that is audited; and
who may read what (another service's agent: 404; no follow-up token: nothing)."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from starlette.testclient import TestClient

from renderer.app import create_app
from renderer.backoffice import audit
from renderer.backoffice.accounts import Accounts, Agent
from renderer.backoffice.delivery import SmtpTransport, deliver_due
from renderer.backoffice.dossiers import Dossiers
from renderer.backoffice.letters import Letters
from renderer.backoffice.paperwork import Paperwork

from .citizen import parse
from .test_agents import (  # noqa: F401 - app and world: the fixtures, shared
    JOURNEYS,
    PASSWORD,
    agent_client,
    app,
    signal,
    store_of,
    world,
)
from .test_notifications import MAILER, Inbox, smtp  # noqa: F401 - the SMTP fixture

REASON = "Ce mur appartient à une propriété privée."


def text_of(data: bytes) -> str:
    """A PDF's text, its whitespace folded (lines wrap where the page ends)."""
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def follow_token(confirmation: str) -> str:
    found = re.search(
        r'href="http://testserver/-/suivi/([0-9a-f]+)"[^>]* data-follow', confirmation
    )
    assert found
    return found.group(1)


def test_the_citizen_downloads_the_acknowledgement_of_receipt(app: Any) -> None:
    citizen = TestClient(app)
    page = signal(citizen, "tag")
    reference = parse(page).reference
    assert 'href="/signalement-voirie/accuse-reception.pdf" data-receipt-pdf' in page
    r = citizen.get("/signalement-voirie/accuse-reception.pdf")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.headers["cache-control"] == "no-store"
    assert f'filename="accuse-reception-{reference}.pdf"' in r.headers["content-disposition"]
    text = text_of(r.content)
    for expected in (
        "Accusé de réception",
        reference,
        "Ville de Tours",
        "Propreté urbaine",
        "Reçue le",
        "Un tag ou un graffiti",
        "1 rue des Minimes, 37000 Tours",
        "zoe@example.fr",
        "Vos réponses",
        "/-/suivi/",
    ):
        assert expected in text, expected
    # The answers exactly as the summary showed them: the same questions, the same values.
    summary = TestClient(app)
    seen: list[str] = []
    signal(summary, "tag", seen=seen)
    values = re.findall(r'<dd class="pc-summary__value">([^<]+)<', seen[0])
    assert len(values) >= 4
    for value in values:
        assert " ".join(value.replace("&#39;", "'").split()) in text
    # From the follow-up page, by its token; the same document.
    token = follow_token(page)
    follow = citizen.get(f"/-/suivi/{token}").text
    assert f'href="/-/suivi/{token}/accuse-reception.pdf" data-receipt' in follow
    again = citizen.get(f"/-/suivi/{token}/accuse-reception.pdf")
    assert again.status_code == 200 and text_of(again.content) == text
    # Nothing without the session that sent it, or without the token.
    stranger = TestClient(app)
    r = stranger.get("/signalement-voirie/accuse-reception.pdf", follow_redirects=False)
    assert r.status_code == 303 and not r.content.startswith(b"%PDF")
    r = stranger.get(f"/-/suivi/{'0' * 40}/accuse-reception.pdf")
    assert r.status_code == 404 and "Lien de suivi inconnu" in r.text


def test_the_agent_reissues_the_receipt_and_another_service_gets_404(
    app: Any, world: dict[str, Any]
) -> None:
    ref = world["refs"]["proprete"]
    proprete = agent_client(app, "proprete@tours.example")
    page = proprete.get(f"/-/agents/dossiers/{ref}").text
    assert f'href="/-/agents/dossiers/{ref}/accuse-reception.pdf" data-receipt' in page
    r = proprete.get(f"/-/agents/dossiers/{ref}/accuse-reception.pdf")
    text = text_of(r.content)
    assert "Document réédité le" in text and ref in text and "Un tag ou un graffiti" in text
    voirie = agent_client(app, "voirie@tours.example")
    assert voirie.get(f"/-/agents/dossiers/{ref}/accuse-reception.pdf").status_code == 404
    nobody = TestClient(app).get(
        f"/-/agents/dossiers/{ref}/accuse-reception.pdf", follow_redirects=False
    )
    assert nobody.status_code == 303 and nobody.headers["location"].endswith("/login")


def decide(
    client: TestClient, ref: str, status: str, reason: str = "", examined: bool = False
) -> None:
    """An agent examines the dossier (unless ``examined`` already) and decides."""
    base = f"/-/agents/dossiers/{ref}"
    token = parse(client.get(base).text).csrf
    for step in (status,) if examined else ("en_instruction", status):
        r = client.post(
            f"{base}/status",
            data={"csrf_token": token, "status": step, "reason": reason if step == status else ""},
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text


def test_a_decision_writes_a_letter_the_citizen_reads_on_the_follow_up(
    app: Any, world: dict[str, Any]
) -> None:
    citizen = TestClient(app)
    page = signal(citizen, "tag")
    ref, token = parse(page).reference, follow_token(page)
    proprete = agent_client(app, "proprete@tours.example")
    decide(proprete, ref, "refuse", REASON)
    letters = Letters(store_of(app)).of_dossier(ref)
    assert [(x.kind, x.to_print) for x in letters] == [("decision", False)]
    letter = letters[0]
    follow = citizen.get(f"/-/suivi/{token}").text
    assert f'href="/-/suivi/{token}/courriers/{letter.id}"' in follow
    assert "Lettre de décision" in follow
    text = text_of(citizen.get(f"/-/suivi/{token}/courriers/{letter.id}").content)
    for expected in (
        "Objet : décision sur votre dossier " + ref,
        "est refusée",
        REASON,
        "Propreté urbaine",
        "Ville de Tours",
        "contester cette décision",
    ):
        assert expected in text, expected
    # The agent reads the same letter from the dossier page; another service cannot.
    assert (
        f'href="/-/agents/courriers/{letter.id}"' in proprete.get(f"/-/agents/dossiers/{ref}").text
    )
    assert text_of(proprete.get(f"/-/agents/courriers/{letter.id}").content) == text
    voirie = agent_client(app, "voirie@tours.example")
    assert voirie.get(f"/-/agents/courriers/{letter.id}").status_code == 404
    # Another dossier's token does not open this letter.
    other = follow_token(signal(TestClient(app), "trottoir"))
    assert citizen.get(f"/-/suivi/{other}/courriers/{letter.id}").status_code == 404
    assert citizen.get(f"/-/suivi/{token}/courriers/nope").status_code == 404
    # Accepted, in English: the same template, the other language.
    accepted = world["refs"]["proprete"]
    decide(proprete, accepted, "accepte")
    letter = Letters(store_of(app)).of_dossier(accepted)[0]
    letter.payload["lang"] = "en"
    d = Dossiers(store_of(app)).get(accepted)
    assert d is not None
    english = text_of(Paperwork(app.state.parcours, "https://x.example").letter(d, letter))
    assert "Subject: decision on your file " + accepted in english
    assert "is accepted" in english and "Street cleaning" in english
    assert "challenge" not in english


def test_the_citizen_who_chose_the_post_gets_letters_to_print_and_no_email(
    app: Any, world: dict[str, Any], smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    citizen = TestClient(app)
    seen: list[str] = []
    page = signal(
        citizen, "tag", email="paul@example.fr", sent={"contact_channel": "post"}, seen=seen
    )
    # The question at the end of the summary: e-mail by default, since one was given.
    assert "Comment voulez-vous être informé" in seen[0]
    assert re.search(r'name="contact_channel" value="email" checked', seen[0])
    ref = parse(page).reference
    store = store_of(app)
    d = Dossiers(store).get(ref)
    assert d is not None and d.contact_channel == "post"
    proprete = agent_client(app, "proprete@tours.example")
    assert 'data-contact-channel="post"' in proprete.get(f"/-/agents/dossiers/{ref}").text
    queue = proprete.get("/-/agents/courriers").text
    receipt = Letters(store).of_dossier(ref)[0]
    assert receipt.kind == "receipt" and f'data-letter="{receipt.id}"' in queue
    # A status change and a message: letters, not e-mails.
    base = f"/-/agents/dossiers/{ref}"
    csrf = parse(proprete.get(base).text).csrf
    proprete.post(f"{base}/status", data={"csrf_token": csrf, "status": "en_instruction"})
    proprete.post(f"{base}/messages", data={"csrf_token": csrf, "body": "Une photo ?"})
    kinds = [x.kind for x in Letters(store).queue(_agent(store, "proprete@tours.example"))]
    assert kinds.count("receipt") == 1 and "status" in kinds and "message" in kinds
    assert deliver_due(store, SmtpTransport("127.0.0.1", port), MAILER, limit=100) > 0
    recipients = [str(m["To"]) for m in inbox.messages]
    assert "zoe@example.fr" in recipients  # the e-mail citizens are e-mailed …
    assert "paul@example.fr" not in recipients  # … the one who chose the post is not
    status = next(x for x in Letters(store).of_dossier(ref) if x.kind == "status")
    text = text_of(proprete.get(f"/-/agents/courriers/{status.id}").content)
    assert f"Votre dossier {ref} : en instruction" in text and "/-/suivi/" in text
    # Another service neither lists nor prints it.
    voirie = agent_client(app, "voirie@tours.example")
    assert status.id not in voirie.get("/-/agents/courriers").text
    voirie_csrf = parse(voirie.get("/-/agents/").text).csrf
    assert (
        voirie.post(
            f"/-/agents/courriers/{status.id}/imprime", data={"csrf_token": voirie_csrf}
        ).status_code
        == 404
    )
    # Marked printed: a POST with the session's CSRF token only; audited once.
    printed = f"/-/agents/courriers/{status.id}/imprime"
    assert proprete.get(printed).status_code == 405
    assert proprete.post(printed, data={"csrf_token": "forged"}).status_code == 403
    assert f'data-letter="{status.id}"' in proprete.get("/-/agents/courriers").text
    r = proprete.post(
        printed, data={"csrf_token": csrf, "service": "proprete"}, follow_redirects=False
    )
    assert r.status_code == 303 and r.headers["location"].endswith("?service=proprete")
    queue = proprete.get("/-/agents/courriers?service=proprete").text
    assert f'data-letter="{status.id}"' not in queue and f'data-printed="{status.id}"' in queue
    proprete.post(printed, data={"csrf_token": csrf})
    actions = [e.action for e in audit.entries(store, ref)]
    assert actions.count("letter_printed") == 1
    # A decision by post: the decision letter is the letter printed (no second notice).
    decide(proprete, ref, "classe_sans_suite", REASON, examined=True)
    queued = [x.kind for x in Letters(store).of_dossier(ref) if x.to_print]
    assert queued == ["receipt", "status", "message", "decision"]
    # The counts show the share of each contact channel.
    listing = proprete.get("/-/agents/").text
    assert re.search(r"data-contacts>e-mail 50\s%\s·\scourrier 50\s%<", listing)


def _agent(store: Any, email: str) -> Agent:
    return next(a for a in Accounts(store).all() if a.email == email)


def test_documents_are_overridable_per_journey(tmp_path: Path) -> None:
    for name in ("signalement-voirie.yaml", "organisation.yaml"):
        shutil.copy(JOURNEYS / name, tmp_path / name)
    folder = tmp_path / "documents" / "signalement-voirie"
    folder.mkdir(parents=True)
    (folder / "receipt.fr.html").write_text(
        '{% extends "_document.html" %}{% block body %}<p>Récépissé de la Ville n° '
        "{{ reference }} : {{ journey_title }}</p>{% endblock %}",
        encoding="utf-8",
    )
    served = create_app(
        [tmp_path / "signalement-voirie.yaml"], db_url=f"sqlite:///{tmp_path / 'p.db'}"
    )
    citizen = TestClient(served)
    ref = parse(signal(citizen, "tag")).reference
    text = text_of(citizen.get("/signalement-voirie/accuse-reception.pdf").content)
    assert f"Récépissé de la Ville n° {ref} : Signaler un problème dans la rue" in text
    assert "Vos réponses" not in text


@pytest.mark.parametrize("attack", ["<img src='file:///etc/passwd'>", "<script>alert(1)</script>"])
def test_a_text_is_text_in_a_document_never_markup(app: Any, attack: str) -> None:
    ref = parse(signal(TestClient(app), "tag")).reference
    store = store_of(app)
    assert Letters(store).of_dossier(ref) == []  # an e-mail citizen: no letter yet
    agent = Accounts(store).add("p2@tours.example", PASSWORD, "instructeur", ["proprete"])
    Dossiers(store).change_status(agent, ref, "en_instruction")
    d = Dossiers(store).change_status(agent, ref, "refuse", attack)
    decision = Letters(store).of_dossier(ref)[0]
    text = text_of(Paperwork(app.state.parcours, "https://x.example").letter(d, decision))
    assert attack in text  # shown as written, neither run nor fetched
