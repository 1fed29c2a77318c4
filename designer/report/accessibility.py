"""What the engine knows statically of a journey's forms' accessibility: labels, groups
rendered with a legend, autocomplete tokens, and the RGAA criteria left to a person."""

from __future__ import annotations

from dataclasses import dataclass

from designer.compiled import CompiledJourney
from designer.report.costs import NOT_ANSWERED

#: Concepts whose field must carry an HTML autocomplete token (RGAA 11.13, WCAG 1.3.5).
AUTOCOMPLETE = {
    "identite.nom": "family-name",
    "identite.prenoms": "given-name",
    "identite.date_naissance": "bday",
    "identite.sexe": "sex",
    "contact.email": "email",
    "contact.telephone": "tel",
    "adresse.domicile": "street-address",
}
#: Types that carry a token even without a concept.
AUTOCOMPLETE_TYPES = {"email": "email", "phone": "tel", "postcode": "postal-code"}

#: RGAA 4.1 criteria of the forms theme and around it that a machine cannot decide.
MANUAL_REVIEW = [
    ("3.2", "Contraste du texte suffisant (4,5:1)"),
    ("7.4", "Changement de contexte signalé quand des questions apparaissent"),
    ("7.5", "Messages de statut restitués par les technologies d'assistance"),
    ("8.6", "Titre de page pertinent à chaque étape"),
    ("11.2", "Étiquettes pertinentes"),
    ("11.3", "Étiquettes cohérentes d'une page à l'autre"),
    ("11.4", "Étiquette et champ accolés"),
    ("11.10", "Contrôle de saisie pertinent (erreurs identifiées)"),
    ("11.11", "Suggestions de correction des erreurs"),
    ("11.12", "Relecture possible avant un envoi à portée juridique ou financière"),
    ("13.1", "Pas de limite de temps, ou contrôlable"),
]


@dataclass
class Accessibility:
    """What the engine knows statically of the forms' accessibility."""

    fields: int
    labelled: int
    grouped: int  # rendered as fieldset + legend (choices, yes/no, dates, addresses, repeats)
    autocomplete: dict[str, str]  # question -> token
    missing_autocomplete: list[str]
    manual_review: list[tuple[str, str]]


def accessibility(journey: CompiledJourney) -> Accessibility:
    """Static accessibility facts: labels, groups with a legend, autocomplete tokens."""
    fields = [q for q in journey.questions.values() if q.type not in NOT_ANSWERED]
    labelled = sum(1 for q in fields if journey.text(q.label).strip())
    grouped = sum(
        1 for q in fields if q.type in {"yesno", "choice", "multichoice", "date", "address"}
    )
    tokens: dict[str, str] = {}
    missing: list[str] = []
    for q in fields:
        concept = getattr(q.question, "concept", None)
        token = AUTOCOMPLETE.get(concept or "") or AUTOCOMPLETE_TYPES.get(q.type)
        if token:
            tokens[q.id] = token
        elif concept and concept.startswith(("identite.", "contact.", "adresse.")):
            missing.append(q.id)
    return Accessibility(len(fields), labelled, grouped, tokens, missing, MANUAL_REVIEW)
