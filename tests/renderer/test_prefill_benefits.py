"""The data providers beyond the quotient familial, over HTTP through the stand-in and its
staging cases: social benefits (CNAF/MSA), solidarity health cover, student status and
grant. The identity typed by the citizen calls them by civility; what they answer fills
the questions with its provenance; "not found" and a provider down fall back to the
questions with a sentence."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from renderer.prefill import provenance_of

from .prefillworld import Citizen, World, world

J = "aides-ccas"
JOURNEY = """
parcours: 1
id: aides-ccas
title: Aides du CCAS
organisation: Ville de Tours
summary: Une demande d'aide.
prefill: [franceconnect, api-particulier-prestations, api-particulier-css,
          api-particulier-etudiant, api-particulier-etudiant-boursier]
start: vous
steps:
  vous:
    title: Vous
    questions:
      nom: {type: text, label: Votre nom de naissance, concept: identite.nom}
      prenoms: {type: text, label: Vos prénoms, concept: identite.prenoms}
      naissance: {type: date, label: Votre date de naissance, concept: identite.date_naissance}
      sexe:
        type: choice
        label: Votre sexe
        concept: identite.sexe
        options: {F: Féminin, M: Masculin}
      lieu: {type: text, label: Code de votre commune de naissance,
             concept: identite.lieu_naissance}
      pays: {type: text, label: Code de votre pays de naissance, concept: identite.pays_naissance,
             required: false}
    next: droits
  droits:
    title: Vos droits
    questions:
      rsa: {type: yesno, label: Percevez-vous le RSA, concept: social.rsa}
      prime: {type: yesno, label: Percevez-vous la prime d'activité, concept: social.prime_activite}
      aah: {type: yesno, label: Percevez-vous l'AAH, concept: social.aah}
      asf: {type: yesno, label: Percevez-vous l'ASF, concept: social.asf}
      css: {type: yesno, label: Bénéficiez-vous de la complémentaire santé solidaire,
            concept: social.css}
      etudiant: {type: yesno, label: Êtes-vous étudiant, concept: etudiant.statut}
      boursier: {type: yesno, label: Êtes-vous boursier, concept: etudiant.boursier}
    next: fin
outcomes:
  fin: {kind: submit, title: Envoyé, body: Merci.}
"""

PRESTATIONS = "api-particulier-prestations"
# Identities of the staging cases (payloads/api_particulier_v3_*_with_civility).
SAMUEL = {"nom": "MARTIN", "prenoms": "SAMUEL", "naissance": "1980-09-20", "sexe": "M",
          "lieu": "08480", "pays": "99100"}  # RSA and prime d'activité, with majoration
JEANNE = {"nom": "DUPONT", "prenoms": "JEANNE LAURE", "naissance": "1993-08-12", "sexe": "F",
          "lieu": "08480", "pays": "99100"}  # C2S with participation
PATRICK = {"nom": "MELINARD", "prenoms": "PATRICK", "naissance": "1990-01-01", "sexe": "M",
           "lieu": "78000", "pays": ""}  # admitted, not enrolled
MARCEL = {"nom": "Pagnol", "prenoms": "Marcel", "naissance": "1998-07-12", "sexe": "M",
          "lieu": "75000", "pays": ""}  # a CNOUS grant, echelon 5
NOBODY = {"nom": "NOEL", "prenoms": "Personne", "naissance": "1970-01-01", "sexe": "M",
          "lieu": "75056", "pays": "99100"}


@pytest.fixture
def w(tmp_path: Path) -> Iterator[World]:
    file = tmp_path / f"{J}.yaml"
    file.write_text(JOURNEY, encoding="utf-8")
    with world(tmp_path, [file]) as found:
        yield found


def has_input(page: str, name: str) -> bool:
    """Whether the page has a field the citizen can type in, of that name."""
    return re.search(rf'<input[^>]* name="{name}"', page) is not None


def droits(c: Citizen, who: dict[str, str]) -> str:
    """Through the identity page, on the page of benefits."""
    c.post(f"/{J}/start", {}, page=c.get(f"/{J}/").text)
    year, month, day = who["naissance"].split("-")
    fields = {k: v for k, v in who.items() if k != "naissance"}
    fields |= {"naissance-day": day, "naissance-month": month, "naissance-year": year}
    page = c.post(f"/{J}/q/vous", fields)
    assert page.url.path == f"/{J}/q/droits", page.text
    return page.text


@pytest.mark.parametrize(("who", "provider", "filled", "source", "consent"), [
    (SAMUEL, PRESTATIONS, {"rsa": True, "prime": True}, "fourni par la CAF ou la MSA",
     "vos droits au RSA, à la prime d'activité, à l'AAH et à l'allocation de soutien "
     "familial auprès de la CAF ou la MSA"),
    (JEANNE, "api-particulier-css", {"css": True}, "fourni par l'Assurance Maladie",
     "votre droit à la complémentaire santé solidaire auprès de l'Assurance Maladie"),
    (PATRICK, "api-particulier-etudiant", {"etudiant": False},
     "fourni par le ministère de l'Enseignement supérieur",
     "votre inscription dans l'enseignement supérieur auprès du ministère de "
     "l'Enseignement supérieur"),
    (MARCEL, "api-particulier-etudiant-boursier", {"boursier": True}, "fourni par le CNOUS",
     "votre statut d'étudiant boursier auprès du CNOUS"),
])
def test_a_provider_fills_its_questions_with_their_provenance(
        w: World, who: dict[str, str], provider: str, filled: dict[str, bool], source: str,
        consent: str) -> None:
    c = Citizen(w)
    page = droits(c, who)
    assert f"Ville de Tours va récupérer {consent}" in page
    page = c.post(f"/{J}/q/droits", [("_action", f"fetch:{provider}")], page=page).text
    assert source in page
    for qid, value in filled.items():
        assert not has_input(page, qid)  # shown as text, not an input
        shown = re.search(rf'<p class="pc-prefilled__value" id="{qid}">(\w+)</p>', page)
        assert shown and shown.group(1) == ("Oui" if value else "Non")
    rest = {q: "no" for q in ("rsa", "prime", "aah", "asf", "css", "etudiant", "boursier")
            if q not in filled}
    check = c.post(f"/{J}/q/droits", rest, page=page)
    assert check.url.path == f"/{J}/check", check.text
    sent = c.post(f"/{J}/check", {}, page=check.text)
    assert sent.url.path == f"/{J}/confirmation", sent.text
    sub = w.store().submissions(J)[0]
    for qid, value in filled.items():
        assert sub.answers["answers"][qid] is value
    prov = provenance_of(sub)
    assert {q: (p["provider"], p["status"]) for q, p in prov.items()} == {
        q: (provider, "certified") for q in filled}


def test_benefits_the_cnaf_does_not_know_stay_asked(w: World) -> None:
    """Samuel Martin has the RSA and the prime d'activité, no AAH nor ASF record: those two
    are asked as usual."""
    c = Citizen(w)
    page = c.post(f"/{J}/q/droits", [("_action", f"fetch:{PRESTATIONS}")],
                  page=droits(c, SAMUEL)).text
    assert has_input(page, "aah") and has_input(page, "asf")
    assert not has_input(page, "rsa") and not has_input(page, "prime")


def test_nobody_found_falls_back_to_the_questions_with_a_sentence(w: World) -> None:
    c = Citizen(w)
    page = droits(c, NOBODY)
    for provider, name in [(PRESTATIONS, "la CAF ou la MSA"),
                           ("api-particulier-etudiant-boursier", "le CNOUS")]:
        page = c.post(f"/{J}/q/droits", [("_action", f"fetch:{provider}")], page=page).text
        assert f"{name} n'a pas trouvé votre dossier : saisissez l'information vous-même" in page
    assert has_input(page, "rsa") and has_input(page, "boursier")


def test_a_provider_down_leaves_the_citizen_typing(w: World) -> None:
    c = Citizen(w)
    page = droits(c, JEANNE)
    w.dev.apis.failure = "down"
    page = c.post(f"/{J}/q/droits", [("_action", "fetch:api-particulier-css"), ("rsa", "yes")],
                  page=page).text
    assert "l'Assurance Maladie ne répond pas pour le moment" in page
    assert has_input(page, "css") and "fourni par" not in page
    w.dev.apis.failure = None
    # Asked once: the sentence stays, no consent box again.
    page = c.get(f"/{J}/q/droits").text
    assert "va récupérer votre droit à la complémentaire" not in page


def test_signed_in_with_franceconnect_the_benefits_come_by_its_token(w: World) -> None:
    """Angela Dubois (test / 123): her identity from FranceConnect, then her benefits from
    the `…/france_connect` endpoints with her FranceConnect token."""
    c = Citizen(w)
    c.sign_in(J)
    page = c.get(f"/{J}/q/vous").text
    assert "DUBOIS" in page and "transmis par FranceConnect" in page
    page = c.post(f"/{J}/q/vous", {}, page=page)
    assert page.url.path == f"/{J}/q/droits", page.text
    page = c.post(f"/{J}/q/droits", [("_action", f"fetch:{PRESTATIONS}")], page=page.text)
    filled = [q for q in ("rsa", "prime", "aah", "asf") if not has_input(page.text, q)]
    # The staging cases of the RSA and the AAH for her have parameters FranceConnect's
    # identity does not give (misspelt ``codePaysLieuDaissance``,
    # ``codeInseeLieuDaissance``): no case, those two stay asked, as a 404 leaves them.
    assert filled == ["prime", "asf"]
    assert "fourni par la CAF ou la MSA" in page.text
