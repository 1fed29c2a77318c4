"""What the designer writes reaches the citizen as the designer meant it: the start page
says when a document is needed, the error summary names each field, the declaration is
the journey's, and an exit page links to another served journey by its id."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from designer.loading import load_text
from renderer.app import create_app
from renderer.pages import preparation

from .citizen import parse

FAMILLE = """\
parcours: 1
id: famille
title: Aide aux familles
organisation: Ville
summary: Une aide pour les familles.
declaration: En envoyant, vous déclarez sur l'honneur que vos réponses sont exactes.
start: vous
steps:
  vous:
    title: Vous
    questions:
      nom: {type: text, label: Votre nom de famille, purpose: Vous identifier.}
      prenoms: {type: text, label: Vos prénoms, purpose: Vous identifier.}
      naissance: {type: date, label: Votre date de naissance, purpose: Vous identifier.}
      locataire: {type: yesno, label: Êtes-vous locataire ?}
      bail:
        type: file
        label: Votre bail
        accept: [pdf]
        when: locataire
        required: false
        purpose: Vérifier le loyer.
      enfants:
        type: repeat
        label: Enfant
        required: false
        when: locataire
        questions:
          prenom: {type: text, label: Son prénom, purpose: Identifier l'enfant.}
          carnet: {type: file, label: Son carnet de santé, accept: [pdf], purpose: Vérifier.}
    next:
      - goto: ailleurs
        when: not locataire
      - goto: envoi
outcomes:
  envoi: {kind: submit, title: Demande reçue}
  ailleurs:
    kind: exit
    title: Cette aide est pour les locataires
    link:
      label: Faire une demande d'aide au logement
      journey: logement
"""

LOGEMENT = FAMILLE.replace("id: famille", "id: logement").replace(
    "journey: logement", "journey: absent").replace(
    "declaration: En envoyant, vous déclarez sur l'honneur que vos réponses sont exactes.\n", "")


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    (tmp_path / "famille.yaml").write_text(FAMILLE, encoding="utf-8")
    (tmp_path / "logement.yaml").write_text(LOGEMENT, encoding="utf-8")
    app = create_app([tmp_path / "famille.yaml", tmp_path / "logement.yaml"],
                     db_url=f"sqlite:///{tmp_path / 'p.db'}")
    return TestClient(app)


def start(client: TestClient, journey: str = "famille") -> None:
    token = parse(client.get(f"/{journey}/").text).csrf
    r = client.post(f"/{journey}/start", data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303


def post(client: TestClient, url: str, data: dict) -> object:
    token = parse(client.get(url).text).csrf
    return client.post(url, data={"csrf_token": token, **data}, follow_redirects=False)


def visible(html: str) -> str:
    text = unescape(re.sub(r"<[^>]+>", "", html))
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))


def test_the_start_page_says_when_each_document_is_needed(client: TestClient) -> None:
    page = visible(client.get("/famille/").text)
    assert "Votre bail, si oui à « Êtes-vous locataire ? » (PDF" in page
    assert ("Son carnet de santé, pour chaque enfant, si oui à « Êtes-vous locataire ? » "
            "(PDF") in page
    bilingual = load_text(FAMILLE.replace("organisation: Ville", "organisation: Ville\n"
                                          "languages: [fr, en]"), "famille.yaml")
    assert bilingual.journey is not None
    assert preparation(bilingual.journey, "en").documents[1].startswith(
        "Son carnet de santé, for each enfant, if yes to")


def test_no_switch_to_a_language_the_journey_is_not_offered_in(client: TestClient) -> None:
    # A French-only journey: an English interface around French questions would be one
    # page in two languages, its lang attribute wrong.
    page = client.get("/famille/?lang=en").text
    assert '<html lang="fr">' in page and 'hreflang="en"' not in page
    assert "Commencer" in page
    # The front door in English offers French (a GET keeps no state: the language is asked).
    front = client.get("/?lang=en").text
    assert '<html lang="en">' in front and 'hreflang="fr"' in front


def test_the_error_summary_names_each_field(client: TestClient) -> None:
    start(client)
    r = post(client, "/famille/q/vous", {"_js": "1", "nom": "", "prenoms": "",
                                         "naissance-day": "", "naissance-month": "",
                                         "naissance-year": "", "locataire": "",
                                         "enfants-count": "0"})
    assert r.status_code == 422
    summary = [visible(e) for e in parse(r.text).errors]
    assert summary[:4] == [
        "Saisissez votre nom de famille",
        "Saisissez vos prénoms",
        "Saisissez votre date de naissance",
        "Répondez oui ou non à « Êtes-vous locataire ? »",
    ]
    assert "Répondez à cette question" not in r.text


def test_the_declaration_is_the_journeys_or_the_default(client: TestClient) -> None:
    for journey, words in (
        ("famille", "vous déclarez sur l'honneur que vos réponses sont exactes"),
        ("logement", "vous confirmez que vos réponses sont exactes"),
    ):
        start(client, journey)
        r = post(client, f"/{journey}/q/vous", {
            "_js": "1", "nom": "Martin", "prenoms": "Léa", "naissance-day": "1",
            "naissance-month": "2", "naissance-year": "1990", "locataire": "yes",
            "bail": "", "enfants-count": "0"})
        check = client.get(f"/{journey}/check").text
        assert words in visible(check), (journey, r)


def test_an_exit_links_to_another_served_journey_by_its_id(client: TestClient) -> None:
    for journey, href in (("famille", 'href="/logement/"'), ("logement", None)):
        start(client, journey)
        r = post(client, f"/{journey}/q/vous", {
            "_js": "1", "nom": "Martin", "prenoms": "Léa", "naissance-day": "1",
            "naissance-month": "2", "naissance-year": "1990", "locataire": "no",
            "enfants-count": "0"})
        page = unescape(client.get(r.headers["location"]).text)
        assert "Cette aide est pour les locataires" in page
        if href:
            assert href in page and "Faire une demande d'aide au logement" in page
        else:  # a journey not served here: no link rather than a broken one
            assert "Faire une demande d'aide au logement" not in page


def test_an_optional_repeat_revealed_in_place_shows_its_first_item(client: TestClient) -> None:
    start(client)
    page = client.get("/famille/q/vous").text
    repeat = page[page.index('data-question="enfants"'):]
    assert "hidden" in repeat[:300], "revealed in place by scripts"
    assert 'name="enfants-0-prenom"' in repeat and 'name="enfants-count" value="1"' in repeat
    # Left blank, the item is no item: the optional repeat is simply not answered.
    r = post(client, "/famille/q/vous", {
        "_js": "1", "nom": "Martin", "prenoms": "Léa", "naissance-day": "1",
        "naissance-month": "2", "naissance-year": "1990", "locataire": "yes",
        "enfants-count": "1", "enfants-0-prenom": ""})
    assert r.status_code == 303, r.text
    # Half filled, it is an item: its empty fields are errors.
    start(client)
    r = post(client, "/famille/q/vous", {
        "_js": "1", "nom": "Martin", "prenoms": "Léa", "naissance-day": "1",
        "naissance-month": "2", "naissance-year": "1990", "locataire": "yes",
        "enfants-count": "1", "enfants-0-prenom": "Léo"})
    assert r.status_code == 422
    assert "Joignez son carnet de santé" in visible(r.text)
