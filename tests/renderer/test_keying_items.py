"""Keying a paper form whose repeat asks a required document per block (a household's
identity documents, tests/renderer/data/keying/pieces-foyer.yaml), through HTTP on SQLite
and PostgreSQL: each block's box says the document is in the scan, which then answers it;
nothing is stored for a question its condition hides; errors name the block
("Personne 2, question 3.3 : …"); a post that ticks a box for a block the screen does not
hold, or for a question the answers do not ask, makes no dossier and says so."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from designer.answers import decode
from renderer.app import create_app
from renderer.backoffice.accounts import Accounts
from renderer.backoffice.dossiers import PAPIER, Dossiers

from .citizen import PNG
from .test_agents import PASSWORD, agent_client, csrf, store_of

JOURNEY = Path(__file__).parent / "data" / "keying" / "pieces-foyer.yaml"
SCREEN = "/-/agents/saisie/pieces-foyer"


@pytest.fixture
def app(db_url: str) -> Any:
    served = create_app([JOURNEY], db_url=db_url)
    Accounts(store_of(served)).add("accueil@test.example", PASSWORD, "instructeur", ["population"])
    return served


@pytest.fixture
def desk(app: Any) -> TestClient:
    return agent_client(app, "accueil@test.example")


def household(**changes: str | None) -> dict[str, str]:
    """Two adults and a child, as written on the paper: each adult's box of question 3.3
    ticked (asked only for an adult), a claimant number though question 1 says no (asked
    only for a Yes). ``None`` leaves a field out."""
    data: dict[str, str | None] = {
        "aide_logement": "no",
        "numero_allocataire": "A-123",
        "membres-count": "3",
        "membres-0-prenom": "Zoé",
        "membres-0-majeur": "yes",
        "membres-0-piece_identite": "joint",
        "membres-1-prenom": "Léo",
        "membres-1-majeur": "no",
        "membres-2-prenom": "Ana",
        "membres-2-majeur": "yes",
        "membres-2-piece_identite": "joint",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def post(client: TestClient, data: dict[str, str], scan: bytes | None = PNG) -> Any:
    files = {"scan": ("formulaire.png", scan, "image/png")} if scan is not None else None
    return client.post(
        SCREEN,
        data={"csrf_token": csrf(client, SCREEN), **data},
        files=files,
        follow_redirects=False,
    )


def counts(app: Any) -> tuple[int, int, int]:
    """Dossiers, drafts and stored files: what a refused post must not change."""
    store = store_of(app)
    return tuple(  # type: ignore[return-value]
        store._one(f"SELECT COUNT(*) FROM {table}")[0] for table in ("dossiers", "drafts", "files")
    )


def test_each_persons_document_is_in_the_scan(app: Any, desk: TestClient) -> None:
    screen = html.unescape(desk.get(SCREEN).text)
    # A box per block, as outside repeats; the condition each question is asked under.
    for index in range(3):
        assert f'name="membres-{index}-piece_identite" value="joint"' in screen
    assert screen.count("Répondez seulement si vous avez répondu Oui à la question 3.2") == 3
    r = post(desk, household())
    assert r.status_code == 303, r.text
    reference = r.headers["location"].rsplit("/", 1)[-1]
    store = store_of(app)
    dossier = Dossiers(store).get(reference)
    assert dossier is not None and dossier.channel == PAPIER and dossier.service == "population"
    submission = store.submission(reference)
    assert submission is not None
    answers = decode(submission.answers)["answers"]
    scan = Dossiers(store).history(reference)[0].file_id
    assert scan is not None
    zoe, leo, ana = answers["membres"]
    # Each adult's document: the scan of the paper form (its stored file, by reference).
    assert zoe["piece_identite"]["file"] == scan and ana["piece_identite"]["file"] == scan
    assert zoe["piece_identite"]["name"] == "formulaire.png"
    # Nothing for what the form does not ask: a child's document, the claimant number.
    assert leo == {"prenom": "Léo", "majeur": False}
    assert "numero_allocataire" not in answers
    # The dossier's page links each adult's document to the scan.
    page = html.unescape(desk.get(f"/-/agents/dossiers/{reference}").text)
    assert page.count(f'href="/-/agents/dossiers/{reference}/files/{scan}"') == 3  # + history


def test_errors_name_the_person(app: Any, desk: TestClient) -> None:
    r = post(desk, household(**{"membres-2-piece_identite": None}))
    assert r.status_code == 422
    text = html.unescape(r.text)
    assert "Personne 3, question 3.3\u00a0: " in text
    assert 'href="#membres-2-piece_identite-0"' in text  # the box itself
    assert text.count('value="joint" checked') == 1  # the other one, shown again
    # A blank block between two: dropped as online, the block after it is Personne 2.
    r = post(
        desk,
        household(
            **{
                "membres-1-prenom": "",
                "membres-1-majeur": None,
                "membres-2-prenom": "",
            }
        ),
    )
    assert r.status_code == 422
    text = html.unescape(r.text)
    assert "Personne 2, question 3.1\u00a0: " in text
    assert re.search(r'name="membres-1-majeur" value="yes"[^>]* checked', text)
    # The repeat's own error (no block keyed at all) is at its number.
    blank = {k: "" for k in household() if k.startswith("membres-") and "count" not in k}
    r = post(desk, {**household(), **blank, "membres-0-piece_identite": ""})
    assert r.status_code == 422 and "Question 3\u00a0: " in html.unescape(r.text)
    assert counts(app)[0] == 0


def test_a_box_ticked_for_a_question_not_asked(app: Any, desk: TestClient) -> None:
    """The child's box, and the statement's though question 1 says No: no dossier, the
    boxes shown unticked with where they are; saved again as shown, the dossier."""
    ticked = {"membres-1-piece_identite": "joint", "attestation": "joint"}
    r = post(desk, household(**ticked))
    assert r.status_code == 422
    text = html.unescape(r.text)
    not_asked = "d'après les réponses saisies, cette question ne se pose pas"
    assert f"Personne 2, question 3.3\u00a0: {not_asked}" in text
    assert f"Question 4\u00a0: {not_asked}" in text
    assert 'href="#membres-1"' in text and 'href="#part-1"' in text
    assert 'name="membres-1-piece_identite" value="joint" checked' not in text
    assert 'name="attestation" value="joint" checked' not in text
    assert text.count('value="joint" checked') == 2  # the adults' boxes, kept
    assert counts(app)[0] == 0
    found = re.search(r'name="kept_scan" value="([^"]+)"', r.text)
    assert found  # the scan is kept, as for any correction
    r = post(desk, {**household(), "kept_scan": html.unescape(found.group(1))}, scan=None)
    assert r.status_code == 303
    # Asked (Yes at 1), the statement is the scan too.
    r = post(desk, household(aide_logement="yes", attestation="joint"))
    assert r.status_code == 303
    submission = store_of(app).submission(r.headers["location"].rsplit("/", 1)[-1])
    assert submission is not None
    answers = decode(submission.answers)["answers"]
    assert answers["attestation"]["name"] == "formulaire.png"
    assert answers["numero_allocataire"] == "A-123"


@pytest.mark.parametrize(
    "stray",
    [
        "membres-7-piece_identite",  # a block the screen (3 blocks) does not have
        "membres-3-piece_identite",  # just past the last one
        "membres-49-piece_identite",  # within the repeat's codec limit
        "membres-" + "9" * 40 + "-piece_identite",  # huge
        "membres-01-piece_identite",  # another spelling of block 2
        "membres--1-piece_identite",
    ],
)
def test_a_tick_for_no_block_changes_nothing(app: Any, desk: TestClient, stray: str) -> None:
    before = counts(app)
    r = post(desk, {**household(), stray: "joint"})
    assert r.status_code == 422
    text = html.unescape(r.text)
    said = ("Question 3.3\u00a0: la case «\u202fDocument joint au formulaire\u202f» est cochée "
            "pour un bloc")
    assert said in text
    assert 'href="#membres"' in text and 'id="membres"' in text
    assert "Rien n'a été enregistré" in text
    assert counts(app) == before  # not even the scan
    # The screen shows what was keyed, without the stray box.
    assert text.count('value="joint" checked') == 2
    assert stray not in text


def test_a_kept_scan_survives_a_stray_tick(app: Any, desk: TestClient) -> None:
    r = post(desk, household(aide_logement=""))
    assert r.status_code == 422
    found = re.search(r'name="kept_scan" value="([^"]+)"', r.text)
    assert found
    kept = html.unescape(found.group(1))
    r = post(desk, {**household(), "kept_scan": kept, "membres-5-piece_identite": "joint"}, None)
    assert r.status_code == 422 and "data-kept-scan" in r.text
    assert counts(app)[0] == 0
    r = post(desk, {**household(), "kept_scan": kept}, scan=None)
    assert r.status_code == 303
    assert counts(app)[0] == 1


def test_in_english(app: Any, desk: TestClient) -> None:
    """The agent's language words the block's error and the stray box."""
    assert desk.get(f"{SCREEN}?lang=en").status_code == 200  # the session keeps it
    data = household(**{"membres-0-piece_identite": None})
    r = post(desk, data)
    assert r.status_code == 422 and "Person 1, question 3.3: " in html.unescape(r.text)
    r = post(desk, {**household(), "membres-9-piece_identite": "joint"})
    assert r.status_code == 422
    assert "Question 3.3: the “Document attached to the form” box is ticked for a block" in (
        html.unescape(r.text)
    )
