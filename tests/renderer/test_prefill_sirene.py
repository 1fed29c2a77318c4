"""A company's name and main activity filled from INSEE's Sirene register (API Entreprise,
through the stand-in and its staging cases) by the SIRET the citizen typed; an unknown
SIRET and the register down fall back to the questions with a sentence."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from renderer.prefill import provenance_of

from .prefillworld import Citizen, World, world

J = "terrasse"
SIRENE = "api-entreprise-sirene"
JOURNEY = """
parcours: 1
id: terrasse
title: Autorisation de terrasse
organisation: Ville de Tours
summary: Une demande d'autorisation de terrasse.
prefill: [api-entreprise-sirene]
start: etablissement
steps:
  etablissement:
    title: Votre établissement
    questions:
      siret: {type: siret, label: Numéro SIRET de l'établissement, concept: entreprise.siret}
    next: entreprise
  entreprise:
    title: Votre entreprise
    questions:
      nom: {type: text, label: Raison sociale, concept: entreprise.raison_sociale}
      naf: {type: text, label: Code NAF, concept: entreprise.code_naf}
      effectif: {type: text, label: Effectif, concept: entreprise.effectif}
    next: fin
outcomes:
  fin: {kind: submit, title: Envoyé, body: Merci.}
"""


@pytest.fixture
def w(tmp_path: Path) -> Iterator[World]:
    file = tmp_path / f"{J}.yaml"
    file.write_text(JOURNEY, encoding="utf-8")
    with world(tmp_path, [file]) as found:
        yield found


def has_input(page: str, name: str) -> bool:
    return re.search(rf'<input[^>]* name="{name}"', page) is not None


def entreprise(c: Citizen, siret: str) -> str:
    c.post(f"/{J}/start", {}, page=c.get(f"/{J}/").text)
    page = c.post(f"/{J}/q/etablissement", {"siret": siret})
    assert page.url.path == f"/{J}/q/entreprise", page.text
    return page.text


def test_the_company_of_the_siret_typed_is_filled_with_its_provenance(w: World) -> None:
    c = Citizen(w)
    page = entreprise(c, "552 049 447 76279")
    assert ("Ville de Tours va récupérer le nom et l'activité de l'entreprise du numéro "
            "SIRET saisi auprès de l'Insee") in page
    page = c.post(f"/{J}/q/entreprise", [("_action", f"fetch:{SIRENE}")], page=page).text
    assert "SOCIETE NATIONALE SNCF" in page and "49.10Z" in page
    assert "fourni par l'Insee (répertoire Sirene)" in page
    assert not has_input(page, "nom") and not has_input(page, "naf")
    assert has_input(page, "effectif")  # an INSEE code band: still asked
    check = c.post(f"/{J}/q/entreprise", {"effectif": "12"}, page=page)
    assert check.url.path == f"/{J}/check", check.text
    sent = c.post(f"/{J}/check", {}, page=check.text)
    assert sent.url.path == f"/{J}/confirmation", sent.text
    sub = w.store().submissions(J)[0]
    assert sub.answers["answers"]["nom"] == "SOCIETE NATIONALE SNCF"
    assert sub.answers["answers"]["naf"] == "49.10Z"
    assert {q: (p["provider"], p["status"]) for q, p in provenance_of(sub).items()} == {
        "nom": (SIRENE, "certified"), "naf": (SIRENE, "certified")}


def test_an_unknown_siret_falls_back_to_the_questions(w: World) -> None:
    c = Citizen(w)
    page = entreprise(c, "00000000000000")
    page = c.post(f"/{J}/q/entreprise", [("_action", f"fetch:{SIRENE}"), ("nom", "Chez Léa")],
                  page=page).text
    assert "l'Insee n'a pas trouvé votre dossier : saisissez l'information vous-même" in page
    assert has_input(page, "nom") and 'value="Chez Léa"' in page


def test_the_register_down_leaves_the_citizen_typing(w: World) -> None:
    c = Citizen(w)
    page = entreprise(c, "55204944776279")
    w.dev.apis.failure = "down"
    page = c.post(f"/{J}/q/entreprise", [("_action", f"fetch:{SIRENE}")], page=page).text
    w.dev.apis.failure = None
    assert "l'Insee ne répond pas pour le moment" in page
    assert has_input(page, "nom") and "SOCIETE NATIONALE" not in page
