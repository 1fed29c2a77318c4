"""Every example journey is clean, and walked through by at least two citizens' situations."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from designer.check import check_paths
from designer.findings import Severity
from designer.loading import load_journey
from designer.organisation import journey_files
from designer.run import Run

ROOT = Path(__file__).resolve().parents[2]
JOURNEYS = sorted(journey_files([(ROOT / "journeys")]))
TODAY = datetime.date(2026, 11, 27)
FILE = {"name": "piece.pdf", "size": 1000, "kind": "pdf"}
ADDRESS = {"street": "3 rue de la Paix", "postcode": "86000", "commune": "Poitiers"}
IDENTITY = {"nom": "Martin", "prenoms": "Camille", "email": "camille@example.fr"}

Page = tuple[str, dict[str, Any]]

SITUATIONS: dict[str, list[tuple[str, list[Page], str]]] = {
    "acte-etat-civil": [
        ("born abroad: oriented to the central service", [
            ("acte", {"type_acte": "naissance", "lieu_evenement": "etranger"}),
        ], "service_central"),
        ("own birth certificate sent by post", [
            ("acte", {"type_acte": "naissance", "lieu_evenement": "poitiers"}),
            ("demandeur", {"qui": "moi", "type_document": "copie_integrale", "exemplaires": "1"}),
            ("personne", {"nom_personne": "Martin", "prenoms_personne": "Camille",
                          "date_naissance_personne": {"day": "4", "month": "5", "year": "1990"}}),
            ("envoi_courrier", {"adresse": ADDRESS, "email": ""}),
        ], "envoi"),
    ],
    "aide-autonomie": [
        ("a daughter applies for her mother", [
            ("pour_qui", {"demande_pour": "proche"}),
            ("vous", {"nom": "Martin", "prenoms": "Camille", "telephone": "06 12 34 56 78"}),
            ("personne", {"nom_personne": "Martin", "prenoms_personne": "Jeanne",
                          "naissance_personne": "1940-06-02", "lien": "enfant"}),
            ("domicile", {"adresse": ADDRESS, "vit_seule": "oui",
                          "aide_actuelle": ["famille"]}),
        ], "envoi"),
        ("a 45-year-old for himself: oriented elsewhere", [
            ("pour_qui", {"demande_pour": "moi"}),
            ("vous", {"nom": "Martin", "prenoms": "Paul", "naissance": "1981-03-01",
                      "telephone": "06 12 34 56 78"}),
        ], "trop_jeune"),
        ("a guardian for a protected adult", [
            ("pour_qui", {"demande_pour": "protege"}),
            ("vous", {"nom": "Durand", "prenoms": "Alix", "telephone": "06 12 34 56 78",
                      "jugement": FILE}),
            ("personne", {"nom_personne": "Petit", "prenoms_personne": "René",
                          "naissance_personne": "1950-01-01"}),
            ("domicile", {"adresse": ADDRESS, "vit_seule": "non",
                          "aide_actuelle": ["aucune"]}),
        ], "envoi"),
    ],
    "aide-isolation": [
        ("tenant: oriented to the owner", [("logement", {"statut": "locataire"})], "locataire"),
        ("owner-occupier with modest income", [
            ("logement", {"statut": "proprietaire_occupant", "dans_commune": "oui",
                          "plus_de_15_ans": "oui", "travaux_commences": "non"}),
            ("revenus", {"revenu_fiscal": "30 000", "nombre_parts": "2,5"}),
            ("travaux", {"types_travaux": ["combles"], "surface_combles": "52,5"}),
            ("entreprise", {"rge": "oui", "devis": FILE, "date_devis": "2026-11-01"}),
            ("vous", {**IDENTITY, "adresse_logement": ADDRESS,
                      "iban": "FR76 3000 6000 0112 3456 7890 189"}),
        ], "envoi"),
    ],
    "budget-participatif": [
        ("not from Besançon", [("vous_et_besancon", {"lien_besancon": "non"})], "hors_besancon"),
        ("a 14-year-old with a parent's agreement", [
            ("vous_et_besancon", {"lien_besancon": "oui", "date_naissance": "2012-03-01"}),
            ("accord_parental", {"nom_parent": "Martin", "email_parent": "p@example.fr",
                                 "accord_parent": "oui"}),
            ("projet", {"titre_projet": "Un jardin partagé", "themes": ["nature"],
                        "description": "Planter des légumes et des fleurs avec les voisins "
                                       "du quartier.",
                        "cout_estime": ""}),
            ("porteur", {**IDENTITY, "collectif": "non"}),
        ], "envoi"),
    ],
    "inscription-cantine": [
        ("lives elsewhere", [("commune", {"habite_commune": "non"})], "hors_commune"),
        ("a family with the CAF and one child with an allergy", [
            ("commune", {"habite_commune": "oui"}),
            ("famille", {**IDENTITY, "allocataire_caf": "oui", "quotient_familial": "500"}),
            ("vos_enfants", {"enfants": [
                {"prenom_enfant": "Léa", "ecole": "École Jean-Jaurès", "jours": ["lundi"],
                 "allergie": "oui", "pai": FILE},
            ]}),
        ], "envoi"),
    ],
    "logement-social": [
        ("renewal", [("premiere_demande", {"deja_numero": "oui"})], "renouvellement"),
        ("first application of a couple", [
            ("premiere_demande", {"deja_numero": "non"}),
            ("vous", {"nom": "Martin", "prenoms": "Camille", "date_naissance": "1985-02-10",
                      "nir": "2 85 02 86 194 001 40", "telephone": "06 12 34 56 78",
                      "email": "camille@example.fr"}),
            ("foyer", {"pas_seul": "oui", "autres_personnes": [
                {"prenom_personne": "Sam", "naissance_personne": "1984-01-01",
                 "lien": "couple", "revenus_personne": "1500"}]}),
            ("revenus", {"revenus_mensuels": "1800", "revenu_fiscal": "30000"}),
            ("logement_actuel", {"situation": "locataire_prive", "adresse_actuelle": ADDRESS,
                                 "motif": "trop_cher"}),
            ("souhaits", {"code_postal": "86000", "pieces": "3", "ascenseur": "non"}),
        ], "envoi"),
    ],
    "signalement-voirie": [
        ("danger: call the emergency services", [("urgence", {"danger": "oui"})],
         "appeler_secours"),
        ("a street light, reported anonymously", [
            ("urgence", {"danger": "non"}),
            ("probleme", {"type_probleme": "eclairage"}),
            ("lampadaire", {"numero_lampadaire": "L-04512"}),
            ("lieu", {"adresse": ADDRESS}),
            ("suivi", {"etre_informe": "non"}),
        ], "envoi"),
    ],
    "stationnement-residentiel": [
        ("a visitor", [("situation", {"profil": "visiteur"})], "visiteur"),
        ("a home nurse", [
            ("situation", {"profil": "professionnel"}),
            ("entreprise", {"siret": "732 829 320 00074", "metier": "sante"}),
            ("vehicule", {"immatriculation": "AB-123-CD", "carte_grise": FILE,
                          "email": "camille@example.fr"}),
        ], "envoi"),
    ],
}


def test_every_journey_has_situations() -> None:
    assert {p.stem for p in JOURNEYS} == set(SITUATIONS)
    assert len(JOURNEYS) >= 6


def test_journeys_folder_has_no_error() -> None:
    portfolio = check_paths([ROOT / "journeys"])
    errors = [f for f in portfolio.all_findings if f.severity is Severity.ERROR]
    assert errors == []


def test_journeys_together_use_every_question_type() -> None:
    from designer.format_types import QUESTION_TYPES

    used = set()
    for path in JOURNEYS:
        used |= {q.type for q in load_journey(path).journey.questions.values()}
    assert used == set(QUESTION_TYPES)


CASES = [
    pytest.param(name, pages, outcome, id=f"{name}: {label}")
    for name, situations in SITUATIONS.items()
    for label, pages, outcome in situations
]


@pytest.mark.parametrize(("name", "pages", "outcome"), CASES)
def test_situation(name: str, pages: list[Page], outcome: str) -> None:
    journey = load_journey(ROOT / "journeys" / f"{name}.yaml").journey
    assert journey is not None
    run = Run(journey, seen=set(), today=TODAY)
    for step, form in pages:
        assert run.current == step, f"expected to be on {step}, the run is on {run.current}"
        result = run.answer_page(step, form)
        assert result.ok, [(e.field, e.message("en")) for e in result.errors]
    assert run.outcome == outcome
    assert run.path() == [step for step, _ in pages] + [outcome]
    kept = run.kept_answers()
    shown = {q.id for page in run.pages() for q in page.questions}
    assert set(kept) <= shown
