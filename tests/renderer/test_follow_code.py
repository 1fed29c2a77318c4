"""The handover sheet's follow-up code and its PDF, on SQLite and PostgreSQL: the sheet
prints a typeable code that leads to the follow-up page; a wrong number and a wrong code get
the same answer; both are throttled per address and per number; CSRF on the form; nothing
changes on GET; the sheet's PDF holds the number, the code and the follow-up address, for
the mediator who keyed the dossier only."""

from __future__ import annotations

import io
import re
from typing import Any

from starlette.testclient import TestClient

from renderer.citizens.follow_code import by_code, follow_code
from renderer.store import ALPHABET, random_code

from .citizen import parse
from .test_agents import agent_client, app, store_of  # noqa: F401
from .test_mediation import assisted, people  # noqa: F401


def _try(client: TestClient, reference: str, code: str, lang: str = "fr") -> Any:
    form = client.get(f"/-/suivi?lang={lang}")
    assert form.status_code == 200
    token = parse(form.text).csrf
    return client.post(f"/-/suivi?lang={lang}", data={"csrf_token": token, "reference": reference,
                                          "code": code}, follow_redirects=False)


def test_the_sheets_code_leads_to_the_follow_up(app: Any, people: dict[str, str]) -> None:  # noqa: F811
    nord = agent_client(app, people["nord"])
    reference = assisted(nord)
    sheet = nord.get(f"/-/agents/mediation/dossiers/{reference}").text
    found = re.search(r"data-code>([^<]+)<", sheet)
    assert found
    code = found.group(1)
    # Typeable: three groups of four characters of the unambiguous alphabet.
    assert re.fullmatch(f"[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}", code)
    assert code == follow_code(store_of(app), reference)
    assert "http://testserver/-/suivi " in sheet  # where to type them
    link = re.search(r'href="([^"]+)" data-follow-url', sheet)
    assert link
    citizen = TestClient(app)
    # Typed as a person types: lower case, spaces instead of dashes, O for 0 is irrelevant.
    typed = code.lower().replace("-", " ")
    r = _try(citizen, reference.lower(), typed)
    assert r.status_code == 303
    assert r.headers["location"] == link.group(1).split("testserver", 1)[-1]
    page = citizen.get(r.headers["location"])
    assert page.status_code == 200 and reference in page.text
    # English too, the refusal included.
    assert "Follow a file" in citizen.get("/-/suivi?lang=en").text
    assert "do not match" in _try(TestClient(app), reference, "x", lang="en").text


def test_wrong_number_or_code_says_the_same(app: Any, people: dict[str, str]) -> None:  # noqa: F811
    nord = agent_client(app, people["nord"])
    reference = assisted(nord)
    store = store_of(app)
    code = follow_code(store, reference)
    other = random_code(8)
    assert by_code(store, reference, code) is not None
    assert by_code(store, other, follow_code(store, other)) is None  # no such dossier
    citizen = TestClient(app)
    wrong_code = _try(citizen, reference, random_code())
    wrong_number = _try(citizen, other, code)
    unknown_pair = _try(citizen, other, follow_code(store, other))
    bodies = []
    for r in (wrong_code, wrong_number, unknown_pair):
        assert r.status_code == 422
        bodies.append(re.sub(r'value="[^"]*"', "", r.text.replace(reference, "").replace(
            other, "")))
        assert "ne vont pas ensemble" in r.text
    assert bodies[0] == bodies[1] == bodies[2]  # nothing tells a number that exists
    assert code not in wrong_number.text  # the code typed is never shown again


def test_guessing_is_throttled(app: Any, people: dict[str, str]) -> None:  # noqa: F811
    nord = agent_client(app, people["nord"])
    reference = assisted(nord)
    code = follow_code(store_of(app), reference)
    throttle = app.state.parcours.throttle
    # Per address: 10 wrong tries, then even the right pair is refused from that address.
    guesser = TestClient(app)
    for _ in range(10):
        assert _try(guesser, reference, random_code()).status_code == 422
    assert _try(guesser, reference, code).status_code == 429
    # Per number, from many addresses: the number is locked for everyone.
    for _ in range(20):
        throttle.fail("follow-reference", reference)
    other_place = TestClient(app, client=("203.0.113.9", 50000))
    locked = _try(other_place, reference, code)
    assert locked.status_code == 429
    # Another number from that place still works.
    other = assisted(nord)
    r = _try(other_place, other, follow_code(store_of(app), other))
    assert r.status_code == 303


def test_csrf_and_no_change_on_get(app: Any) -> None:  # noqa: F811
    citizen = TestClient(app)
    store = store_of(app)
    sessions = store._one("SELECT COUNT(*) FROM sessions")[0]
    assert citizen.get("/-/suivi").status_code == 200
    # Nothing stored by GET: no session, no count.
    assert store._one("SELECT COUNT(*) FROM sessions")[0] == sessions
    assert store._one("SELECT COUNT(*) FROM throttle")[0] == 0
    r = citizen.post("/-/suivi", data={"reference": "AAAA-BBBB", "code": "x"})
    assert r.status_code == 403
    r = citizen.post("/-/suivi", data={"csrf_token": "forged", "reference": "AAAA-BBBB",
                                       "code": "x"})
    assert r.status_code == 403
    assert store._one("SELECT COUNT(*) FROM throttle")[0] == 0  # refused before counting


def _text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_handover_sheet_as_a_pdf(app: Any, people: dict[str, str]) -> None:  # noqa: F811
    nord = agent_client(app, people["nord"])
    reference = assisted(nord)
    sheet = nord.get(f"/-/agents/mediation/dossiers/{reference}").text
    found = re.search(r'href="([^"]+)" data-handover-pdf', sheet)
    assert found and found.group(1) == f"/-/agents/mediation/dossiers/{reference}/fiche.pdf"
    r = nord.get(found.group(1))
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.headers["cache-control"] == "no-store"
    assert f"fiche-de-remise-{reference}.pdf" in r.headers["content-disposition"]
    text = " ".join(_text(r.content).split())
    code = follow_code(store_of(app), reference)
    token = re.search(r'href="[^"]*/-/suivi/([0-9a-f]+)" data-follow-url', sheet)
    assert token
    assert reference in text and code in text
    # The follow-up address (long: it may break across lines) and where to type the code.
    assert token.group(1) in text.replace(" ", "")
    assert "http://testserver/-/suivi/" in text.replace(" ", "")
    assert "tapez le numéro de dossier et le code de suivi" in text
    assert "France Services Tours Nord" in text
    # Nobody else: another mediator, an agent, a citizen, a dossier that does not exist.
    assert agent_client(app, people["sud"]).get(found.group(1)).status_code == 404
    assert agent_client(app, people["agent"]).get(found.group(1)).status_code == 404
    assert agent_client(app, people["admin"]).get(found.group(1)).status_code == 404
    assert nord.get("/-/agents/mediation/dossiers/NOPE-NOPE/fiche.pdf").status_code == 404
    anonymous = TestClient(app).get(found.group(1), follow_redirects=False)
    assert anonymous.status_code == 303 and "/-/agents/login" in anonymous.headers["location"]
