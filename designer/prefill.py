"""What a connected provider really fills ("Dites-le-nous une fois"), and where in its answer.

The concept catalogue says which providers *could* supply a concept; this module says which
of those Parcours's renderer knows how to read, and from which field of the provider's
answer: a FranceConnect identity claim, a path in an API Particulier answer. The renderer
fills questions from it, and the report counts as prefilled only what it lists, so that the
"Dites-le-nous une fois" figures describe the service that runs, not a promise.

A question about the person concerned (a child, a represented person: the format's
``about``) is never filled from the identity of the person signed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from designer.compiled import CompiledJourney, QuestionInfo

#: provider id -> concept -> where the value is in the provider's answer (a dotted path).
FILLS: dict[str, dict[str, str]] = {
    "franceconnect": {
        "identite.nom": "family_name",
        "identite.nom_usage": "preferred_username",
        "identite.prenoms": "given_name",
        "identite.date_naissance": "birthdate",
        "identite.lieu_naissance": "birthplace",
        "identite.pays_naissance": "birthcountry",
        "identite.sexe": "gender",
        "contact.email": "email",
    },
    "api-particulier-quotient-familial": {
        "caf.quotient_familial": "quotient_familial.valeur",
        # Found at the CAF (or the MSA): a recipient. "Not found" says nothing (the form asks).
        "caf.allocataire": "allocataires",
    },
    # The CNAF and the MSA (API Particulier's "dss" endpoints): one answer per benefit,
    # under the endpoint's last segment (see ENDPOINTS). A 200 with ``est_beneficiaire:
    # false`` is a certified "no"; a 404 (no record) says nothing.
    "api-particulier-prestations": {
        "social.rsa": "revenu_solidarite_active.est_beneficiaire",
        "social.prime_activite": "prime_activite.est_beneficiaire",
        "social.aah": "allocation_adulte_handicape.est_beneficiaire",
        "social.asf": "allocation_soutien_familial.est_beneficiaire",
    },
    "api-particulier-css": {
        "social.css": "est_beneficiaire",
    },
    # MESRI: enrolled when one of the admissions says so (admitted is not enrolled).
    "api-particulier-etudiant": {
        "etudiant.statut": "admissions.*.est_inscrit",
    },
    "api-particulier-etudiant-boursier": {
        "etudiant.boursier": "est_boursier",
    },
    # INSEE's Sirene register through API Entreprise, by the SIRET the citizen typed (the
    # establishment's answer: its company's name and main activity). Not the address (the
    # establishment's, which may not be the head office's), the legal form or the headcount
    # (INSEE codes a journey's options would have to use), nor the creation date (a Unix
    # time): those stay asked.
    "api-entreprise-sirene": {
        "entreprise.raison_sociale": "unite_legale.personne_morale_attributs.raison_sociale",
        "entreprise.code_naf": "unite_legale.activite_principale.code",
    },
    # Not here, on purpose (docs/providers.md): France Travail's status is asked by the
    # jobseeker's identifiant only (no identity nor FranceConnect endpoint); API
    # Particulier v3 has no DGFiP tax notice; the MEN's schooling is a child's.
}

#: The API Particulier endpoints each data provider is called on. A provider with one
#: endpoint fills from its ``data``; one with several, from ``{last segment: data}`` (the
#: endpoints that answered), so that its FILLS paths start with the endpoint's name.
ENDPOINTS: dict[str, tuple[str, ...]] = {
    "api-particulier-quotient-familial": ("dss/quotient_familial",),
    "api-particulier-prestations": (
        "dss/revenu_solidarite_active", "dss/prime_activite",
        "dss/allocation_adulte_handicape", "dss/allocation_soutien_familial"),
    "api-particulier-css": ("dss/complementaire_sante_solidaire",),
    "api-particulier-etudiant": ("mesri/statut_etudiant",),
    "api-particulier-etudiant-boursier": ("cnous/etudiant_boursier",),
}

#: The API Entreprise providers, and the concept whose answer (typed by the citizen) is
#: the key they are called with.
KEYED_BY: dict[str, str] = {
    "api-entreprise-sirene": "entreprise.siret",
}

#: Whose data a question holds when the format does not say (the format's ``about``).
APPLICANT = "applicant"


def about(journey: CompiledJourney, q: QuestionInfo) -> str:
    """Whose data ``q`` holds (the format's ``about``): the question's, else its step's,
    else the journey's; ``applicant`` (the person filling in) when none says."""
    step = journey.model.steps.get(q.step)
    for holder in (q.question, step, journey.model):
        value = getattr(holder, "about", None)
        if value:
            return str(getattr(value, "value", value))
    return APPLICANT


def concept_of(q: QuestionInfo) -> str | None:
    """The catalogue concept a question names, or None."""
    concept = getattr(q.question, "concept", None)
    return str(concept) if concept else None


def fillable(journey: CompiledJourney, connected: Iterable[str]) -> dict[str, str]:
    """Question id -> the connected provider that fills it (repeat items are never filled:
    an identity or a household record does not say which item it would be)."""
    providers = [p for p in connected if p in FILLS]
    found: dict[str, str] = {}
    for q in journey.questions.values():
        concept = concept_of(q)
        if concept is None or q.repeat is not None or about(journey, q) != APPLICANT:
            continue
        provider = next((p for p in providers if concept in FILLS[p]), None)
        if provider is not None:
            found[q.id] = provider
    return found


def connected(journey: CompiledJourney, available: Iterable[str] | None = None) -> list[str]:
    """The providers of the journey's ``prefill`` that Parcours can fill from (and, when
    ``available`` is given, that the server is configured for), in the journey's order."""
    wanted = getattr(journey.model, "prefill", None) or []
    allowed = set(FILLS) if available is None else set(FILLS) & set(available)
    return [p for p in wanted if p in allowed]


def value_at(data: Any, path: str) -> Any:
    """The value at a dotted ``path`` of a provider's answer, or None; a ``*`` part goes
    through a list and gives the list of what each item holds there."""
    if not path:
        return data
    part, _, rest = path.partition(".")
    if part == "*":
        if not isinstance(data, list):
            return None
        found = [value_at(item, rest) for item in data]
        return [v for v in found if v is not None]
    if not isinstance(data, Mapping):
        return None
    return value_at(data.get(part), rest) if part in data else None
