"""Keying a paper form at the desk, through HTTP on SQLite and PostgreSQL: one post of every
question under the paper's numbers makes an ordinary dossier of channel ``papier`` with the
scan attached; answers to questions the paper's routing skips are not stored; errors are
told at their question's number and nothing is created; CSRF, roles and the scan's checks."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from starlette.testclient import TestClient

from renderer.app import create_app
from renderer.backoffice import audit
from renderer.backoffice.accounts import MEDIATEUR, Accounts
from renderer.backoffice.dossiers import PAPIER, Dossiers
from renderer.backoffice.keying import numbers
from renderer.catalog import Entry

from .citizen import PNG
from .conftest import JOURNEYS, served_journeys
from .test_agents import PASSWORD, agent_client, app, csrf, store_of  # noqa: F401

SCREEN = "/-/agents/saisie/signalement-voirie"


@pytest.fixture
def desk(app: Any) -> TestClient:  # noqa: F811
    accounts = Accounts(store_of(app))
    accounts.add("proprete@tours.example", PASSWORD, "instructeur", ["proprete"])
    accounts.add("voirie@tours.example", PASSWORD, "instructeur", ["voirie"])
    accounts.add("med@fs.example", PASSWORD, MEDIATEUR, [], "France Services Tours Nord")
    return agent_client(app, "proprete@tours.example")


def fields(**changes: str) -> dict[str, str]:
    """A graffiti reported on paper, with answers written where the routing skips."""
    data = {
        "danger": "no",
        "type_probleme": "tag",
        "description": "Un tag sur le mur",
        "numero_lampadaire": "L-42",  # part 3, skipped for a tag
        "adresse-street": "1 rue des Minimes",
        "adresse-postcode": "37000",
        "adresse-commune": "Tours",
        "repere": "",
        "photo": "joint",
        "etre_informe": "no",
        "email": "ecrit@quand.meme",
    }  # 9: only if Oui at 8
    data.update(changes)
    return data


def post(
    client: TestClient, data: dict[str, str], scan: bytes | None = PNG, token: str | None = None
) -> Any:
    files = {"scan": ("formulaire.png", scan, "image/png")} if scan is not None else None
    return client.post(
        SCREEN,
        data={"csrf_token": token or csrf(client, SCREEN), **data},
        files=files,
        follow_redirects=False,
    )


def test_a_paper_form_becomes_a_dossier(app: Any, desk: TestClient) -> None:  # noqa: F811
    screen = desk.get(SCREEN).text
    # The paper's own numbers, in its reading order.
    entry: Entry = app.state.parcours.catalog.get("signalement-voirie")
    from designer.paper.layout import lay_out

    numbered = numbers(lay_out(entry.journey))
    assert numbered["danger"] == "1" and numbered["email"] == "9"
    labels = re.findall(r">(\d+)\. ", html.unescape(screen))
    assert labels == [str(n) for n in range(1, 10)]
    r = post(desk, fields())
    assert r.status_code == 303, r.text
    reference = r.headers["location"].rsplit("/", 1)[-1]
    store = store_of(app)
    d = Dossiers(store).get(reference)
    assert d is not None and d.channel == PAPIER and d.service == "proprete"
    assert d.mediator_id is None and d.citizen_email is None
    from designer.answers import decode

    submission = store.submission(reference)
    assert submission is not None
    answers = decode(submission.answers)["answers"]
    assert "numero_lampadaire" not in answers and "email" not in answers
    assert answers["type_probleme"] == "tag" and answers["adresse"]["postcode"] == "37000"
    created = Dossiers(store).history(reference)[0]
    agent = Accounts(store).by_email("proprete@tours.example")
    assert agent is not None and created.agent_id == agent.id and created.file_id
    assert answers["photo"]["file"] == created.file_id  # the photo is in the scan
    assert ("paper_keyed", agent.id) in [(e.action, e.agent_id) for e in audit.entries(store)]
    page = desk.get(f"/-/agents/dossiers/{reference}").text
    assert 'data-channel="papier"' in page and "Scan du formulaire papier" in page
    scan = desk.get(f"/-/agents/dossiers/{reference}/files/{created.file_id}")
    assert scan.status_code == 200 and scan.content == PNG
    listing = desk.get("/-/agents/").text
    assert re.search(r'data-channel-count="papier">1 \(100 %\)', listing)


def test_errors_at_the_question_number_and_nothing_created(
    app: Any,  # noqa: F811
    desk: TestClient,
) -> None:
    store = store_of(app)
    r = post(desk, fields(type_probleme=""))
    assert r.status_code == 422
    text = html.unescape(r.text)
    assert "Question 2\u00a0: " in text and 'href="#type_probleme' in text
    assert 'value="1 rue des Minimes"' in text  # what was typed is shown again
    r = post(desk, fields(**{"adresse-postcode": "3700"}))
    assert r.status_code == 422 and "Question 5\u00a0: " in html.unescape(r.text)
    # A question the routing asks, left empty: required at its number.
    r = post(desk, fields(etre_informe="yes", email=""))
    assert r.status_code == 422 and "Question 9\u00a0: " in html.unescape(r.text)
    # Answers that end the journey elsewhere make no dossier.
    r = post(desk, fields(danger="yes"))
    assert r.status_code == 422 and "ne font pas de dossier" in html.unescape(r.text)
    # The scan: required, and a PDF, JPG or PNG.
    r = post(desk, fields(), scan=None)
    assert r.status_code == 422 and "Joignez le scan" in r.text
    r = post(desk, fields(), scan=b"just some text, not an image")
    assert r.status_code == 422 and "PDF, JPG ou PNG" in r.text
    assert store._one("SELECT COUNT(*) FROM dossiers")[0] == 0


def test_keying_rights_and_csrf(app: Any, desk: TestClient) -> None:  # noqa: F811
    store = store_of(app)
    assert post(desk, fields(), token="forged").status_code == 403
    mediator = agent_client(app, "med@fs.example")
    assert mediator.get(SCREEN).status_code == 404
    assert mediator.get("/-/agents/saisie/").status_code == 404
    assert post(mediator, fields(), token="x").status_code == 404
    anonymous = TestClient(app)
    r = anonymous.get(SCREEN, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/-/agents/login"
    assert desk.get("/-/agents/saisie/no-such-journey").status_code == 404
    assert store._one("SELECT COUNT(*) FROM dossiers")[0] == 0
    # An agent of another service keys it: routed to its service, the agent told so.
    voirie = agent_client(app, "voirie@tours.example")
    r = post(voirie, fields())
    assert r.status_code == 303 and "/-/agents/saisie/?sent=" in r.headers["location"]
    reference = r.headers["location"].rsplit("=", 1)[-1]
    assert reference in voirie.get(r.headers["location"]).text
    assert voirie.get(f"/-/agents/dossiers/{reference}").status_code == 404
    assert desk.get(f"/-/agents/dossiers/{reference}").status_code == 200


def test_the_scan_is_kept_while_the_form_is_corrected(
    app: Any,  # noqa: F811
    desk: TestClient,
) -> None:
    r = post(desk, fields(type_probleme=""))
    assert r.status_code == 422 and "data-kept-scan" in r.text
    found = re.search(r'name="kept_scan" value="([^"]+)"', r.text)
    assert found
    kept = html.unescape(found.group(1))
    # Another agent cannot use this agent's kept scan: theirs must be attached.
    voirie = agent_client(app, "voirie@tours.example")
    other = voirie.post(
        SCREEN,
        data={"csrf_token": csrf(voirie, SCREEN), "kept_scan": kept, **fields()},
        follow_redirects=False,
    )
    assert other.status_code == 422 and "Joignez le scan" in other.text
    forged = post(desk, {**fields(), "kept_scan": kept[:-2] + "xx"}, scan=None)
    assert forged.status_code == 422 and "Joignez le scan" in forged.text
    r = post(desk, {**fields(), "kept_scan": kept}, scan=None)
    assert r.status_code == 303
    reference = r.headers["location"].rsplit("/", 1)[-1]
    store = store_of(app)
    scan = Dossiers(store).history(reference)[0].file_id
    assert scan is not None and store.get_file(scan) is not None
    # Posted again (a double click): the same dossier, not a second one.
    again = post(desk, {**fields(), "kept_scan": kept}, scan=None)
    assert again.status_code == 303 and again.headers["location"] == r.headers["location"]
    assert store._one("SELECT COUNT(*) FROM dossiers")[0] == 1


@pytest.mark.parametrize("journey", served_journeys())
def test_every_example_journey_has_a_keying_screen(journey: str, sqlite_url: str) -> None:
    """The screen of each example journey (repeats as blank blocks, numbered 9.1, 9.2 …)
    shows the paper's numbers in order; a blank form is refused at question 1 or later,
    never with a traceback."""
    from designer.paper.layout import lay_out

    served = create_app(JOURNEYS, db_url=sqlite_url)
    Accounts(store_of(served)).add("admin@tours.example", PASSWORD, "administrateur", [])
    client = agent_client(served, "admin@tours.example")
    screen = client.get(f"/-/agents/saisie/{journey}")
    assert screen.status_code == 200
    entry = served.state.parcours.catalog.get(journey)
    expected = list(numbers(lay_out(entry.journey)).values())
    shown = re.findall(r">(\d+(?:\.\d+)?)\. ", html.unescape(screen.text))
    # A repeat's item questions appear once per blank block.
    assert list(dict.fromkeys(shown)) == expected
    r = client.post(
        f"/-/agents/saisie/{journey}",
        data={"csrf_token": csrf(client, f"/-/agents/saisie/{journey}")},
        files={"scan": ("f.png", PNG, "image/png")},
        follow_redirects=False,
    )
    assert r.status_code in (303, 422)
    if r.status_code == 422:
        assert "data-error-summary" in r.text
