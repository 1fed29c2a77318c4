"""The report's "Dites-le-nous une fois" figures count as prefilled only what a connected
provider really fills (designer/prefill.py), and say which providers the service is
connected to."""

from __future__ import annotations

from designer.loading import load_text
from designer.report import once_only

JOURNEY = """
parcours: 1
id: identite
title: Identité
organisation: Ville
summary: Un essai.
{prefill}
start: vous
steps:
  vous:
    title: Vous
    questions:
      nom: {{type: text, label: Votre nom, concept: identite.nom}}
      naissance: {{type: date, label: Votre date de naissance, concept: identite.date_naissance}}
      rfr: {{type: integer, label: Votre revenu fiscal de référence,
             concept: fiscal.revenu_fiscal_reference}}
    next: fin
outcomes:
  fin: {{kind: submit, title: Envoyé, body: Merci.}}
"""


def dlnuf(prefill: str) -> once_only.Dlnuf:
    loaded = load_text(JOURNEY.format(prefill=prefill), "identite.yaml")
    assert loaded.journey is not None, loaded.findings
    return once_only.dlnuf(loaded.journey)


def test_connected_to_franceconnect_the_identity_is_prefilled() -> None:
    d = dlnuf("prefill: [franceconnect]")
    assert sorted(d.already_prefilled) == ["naissance", "nom"]
    assert [q["question"] for q in d.questions] == ["rfr"]
    assert d.connected == ["franceconnect"] and d.filling == ["franceconnect"]


def test_not_connected_the_identity_is_asked() -> None:
    d = dlnuf("")
    assert d.already_prefilled == [] and d.connected == []
    assert sorted(q["question"] for q in d.questions) == ["naissance", "nom", "rfr"]


def test_a_connection_parcours_does_not_fill_from_leaves_the_question_counted() -> None:
    """The tax notice is in `prefill`, but Parcours does not read it yet: still asked."""
    d = dlnuf("prefill: [franceconnect, api-particulier-impot]")
    assert "rfr" not in d.already_prefilled
    assert [q["question"] for q in d.questions] == ["rfr"]
    assert d.connected == ["franceconnect", "api-particulier-impot"]
    assert d.filling == ["franceconnect"]


def test_the_person_concerned_is_never_filled_from_the_applicant() -> None:
    """aide-autonomie: a relative fills in for an older person (`about: person_concerned`):
    FranceConnect fills the applicant's name, never the person concerned's."""
    from pathlib import Path

    from designer.loading import load_journey
    from designer.prefill import fillable

    loaded = load_journey(Path(__file__).resolve().parents[2] / "journeys" / "aide-autonomie.yaml")
    assert loaded.journey is not None
    filled = fillable(loaded.journey, ["franceconnect"])
    assert {"nom", "prenoms", "naissance"} <= set(filled)
    assert not {"nom_personne", "prenoms_personne", "naissance_personne"} & set(filled)
    d = once_only.dlnuf(loaded.journey)
    assert "naissance_personne" not in d.already_prefilled


BENEFITS = """
parcours: 1
id: aides
title: Aides
organisation: Ville
summary: Un essai.
prefill: [api-particulier-prestations, api-particulier-css, api-particulier-france-travail,
          api-particulier-impot, api-entreprise-sirene]
start: vous
steps:
  vous:
    title: Vous
    questions:
      rsa: {type: yesno, label: Percevez-vous le RSA, concept: social.rsa}
      css: {type: yesno, label: Avez-vous la complémentaire santé solidaire, concept: social.css}
      chomage: {type: yesno, label: Êtes-vous demandeur d'emploi, concept: emploi.demandeur_emploi}
      rfr: {type: integer, label: Votre revenu fiscal de référence,
            concept: fiscal.revenu_fiscal_reference}
      societe: {type: text, label: Raison sociale, concept: entreprise.raison_sociale}
      creation: {type: date, label: Date de création, concept: entreprise.date_creation}
    next: fin
outcomes:
  fin: {kind: submit, title: Envoyé, body: Merci.}
"""


def test_only_the_providers_parcours_reads_count_as_filling() -> None:
    """Benefits, C2S and the company name are filled; the jobseeker status (France Travail
    asks for an identifiant), the tax notice (no DGFiP endpoint in API Particulier v3) and
    the creation date (a Unix time) stay asked, and counted."""
    loaded = load_text(BENEFITS, "aides.yaml")
    assert loaded.journey is not None, loaded.findings
    d = once_only.dlnuf(loaded.journey)
    assert sorted(d.already_prefilled) == ["css", "rsa", "societe"]
    assert sorted(q["question"] for q in d.questions) == ["chomage", "creation", "rfr"]
    assert d.filling == ["api-particulier-prestations", "api-particulier-css",
                         "api-entreprise-sirene"]
