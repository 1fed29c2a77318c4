"""Prefilled answers in a citizen's draft, and where every answer came from.

A provider connected to the journey (:func:`designer.prefill.connected`) and configured on
the server fills the questions of its concepts (:func:`designer.prefill.fillable`); each
filled answer is **certified** and carries its provenance (provider, time). The citizen
confirms it by going on, or says it is wrong: the answer becomes **declared** (typed by the
citizen, still noting which provider had given what they corrected). A certified answer
cannot be changed by a posted field (:func:`protect`): only the "it is wrong" action makes
it editable.

Provenance lives in ``draft.state["provenance"]`` (question id -> ``{"provider", "at",
"status"}``) and is sent with the dossier (:func:`submission_provenance`). An answer with
no provenance was typed by the citizen. What the data providers were asked lives in
``draft.state["prefill_asked"]`` (provider -> ``{"status", "at"}``), so that a provider
that failed is not asked again on every page and the form says why it asks.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from designer.answers import encode
from designer.compiled import CompiledJourney, QuestionInfo
from designer.prefill import ENDPOINTS, FILLS, KEYED_BY, concept_of, fillable, value_at
from designer.values import coerce
from renderer.i18n import t
from renderer.store import Draft, Submission, now

CERTIFIED = "certified"
DECLARED = "declared"

#: How an answer's source is shown beside it, by provider.
SOURCES: dict[str, dict[str, str]] = {
    "franceconnect": {"fr": "transmis par FranceConnect", "en": "from FranceConnect"},
    "api-particulier-quotient-familial": {"fr": "fourni par la CAF", "en": "from the CAF"},
    "api-particulier-prestations": {"fr": "fourni par la CAF ou la MSA",
                                    "en": "from the CAF or the MSA"},
    "api-particulier-css": {"fr": "fourni par l'Assurance Maladie",
                            "en": "from the Assurance Maladie"},
    "api-particulier-etudiant": {"fr": "fourni par le ministère de l'Enseignement supérieur",
                                 "en": "from the Higher Education ministry"},
    "api-particulier-etudiant-boursier": {"fr": "fourni par le CNOUS", "en": "from the CNOUS"},
    "api-entreprise-sirene": {"fr": "fourni par l'Insee (répertoire Sirene)",
                              "en": "from INSEE (Sirene register)"},
}
#: The provider as a sentence names it (consent, failures).
NAMES: dict[str, dict[str, str]] = {
    "franceconnect": {"fr": "FranceConnect", "en": "FranceConnect"},
    "api-particulier-quotient-familial": {"fr": "la CAF", "en": "the CAF"},
    "api-particulier-prestations": {"fr": "la CAF ou la MSA", "en": "the CAF or the MSA"},
    "api-particulier-css": {"fr": "l'Assurance Maladie", "en": "the Assurance Maladie"},
    "api-particulier-etudiant": {"fr": "le ministère de l'Enseignement supérieur",
                                 "en": "the Higher Education ministry"},
    "api-particulier-etudiant-boursier": {"fr": "le CNOUS", "en": "the CNOUS"},
    "api-entreprise-sirene": {"fr": "l'Insee", "en": "INSEE"},
}
#: What a data provider is asked for, for the consent sentence.
ASKED_FOR: dict[str, dict[str, str]] = {
    "api-particulier-quotient-familial": {
        "fr": "votre quotient familial", "en": "your family quotient"},
    "api-particulier-prestations": {
        "fr": "vos droits au RSA, à la prime d'activité, à l'AAH et à l'allocation de "
              "soutien familial",
        "en": "your entitlement to the RSA, the activity bonus, the AAH and the family "
              "support allowance"},
    "api-particulier-css": {
        "fr": "votre droit à la complémentaire santé solidaire",
        "en": "your entitlement to the solidarity health cover"},
    "api-particulier-etudiant": {
        "fr": "votre inscription dans l'enseignement supérieur",
        "en": "your enrolment in higher education"},
    "api-particulier-etudiant-boursier": {
        "fr": "votre statut d'étudiant boursier", "en": "your student grant status"},
    "api-entreprise-sirene": {
        "fr": "le nom et l'activité de l'entreprise du numéro SIRET saisi",
        "en": "the name and activity of the business of the SIRET number entered"},
}
#: The choice option keys that stand for FranceConnect's ``gender`` values.
_GENDERS = {"female": {"f", "femme", "female", "feminin", "féminin"},
            "male": {"m", "homme", "male", "masculin"}}


def _text(table: Mapping[str, Mapping[str, str]], provider: str, lang: str) -> str:
    texts = table.get(provider)
    if texts is None:
        return provider
    return texts.get(lang, texts["fr"])


def source_text(provider: str, lang: str) -> str:
    """"transmis par FranceConnect", "fourni par la CAF"."""
    return _text(SOURCES, provider, lang)


def answer_source(info: Mapping[str, Any] | None, lang: str) -> str:
    """Where an answer came from, as the citizen reads it beside the answer ("transmis par
    FranceConnect", "corrigé par vous"); empty for an answer the citizen typed."""
    if not info:
        return ""
    if info.get("status") == DECLARED:
        return t("prefill_declared", lang)
    return source_text(str(info.get("provider")), lang)


def provider_name(provider: str, lang: str) -> str:
    """"FranceConnect", "la CAF"."""
    return _text(NAMES, provider, lang)


def consent_text(provider: str, organisation: str, lang: str) -> str:
    """"la Ville de Tours va récupérer votre quotient familial auprès de la CAF"."""
    what = _text(ASKED_FOR, provider, lang)
    if lang == "en":
        return f"{organisation} will fetch {what} from {provider_name(provider, lang)}."
    sentence = f"{organisation} va récupérer {what} auprès de {provider_name(provider, lang)}."
    return sentence.replace(" de le ", " du ")


def provenance(draft: Draft) -> dict[str, dict[str, Any]]:
    """Question id -> where its answer came from (absent: typed by the citizen)."""
    found = draft.state.setdefault("provenance", {})
    assert isinstance(found, dict)
    return found


def certified(draft: Draft) -> dict[str, dict[str, Any]]:
    """The certified answers' provenance."""
    return {q: p for q, p in provenance(draft).items() if p.get("status") == CERTIFIED}


def to_answer(q: QuestionInfo, raw: Any) -> Any:
    """A provider's value as the typed answer of ``q``; None when it does not fit."""
    if raw is None or raw == "":
        return None
    if q.type == "yesno" and isinstance(raw, list):
        raw = any(raw)  # a list of records, or of flags: one found is yes
    if q.type == "choice" and isinstance(raw, str) and q.options is not None:
        keys = [str(k) for k in q.options]
        if raw not in keys:
            wanted = _GENDERS.get(raw, {raw.casefold()})
            raw = next((k for k in keys if k.casefold() in wanted), None)
            if raw is None:
                return None
    coerced = coerce(q.type, raw)
    return coerced.value if coerced.ok else None


def fill(journey: CompiledJourney, draft: Draft, provider: str,
         data: Mapping[str, Any]) -> list[str]:
    """Fill the draft's questions that ``provider`` supplies from its answer ``data``
    (FranceConnect's claims, an API's ``data``); return the question ids filled. An answer
    the citizen corrected stays theirs."""
    prov = provenance(draft)
    stamp = now()
    filled = []
    for qid, by in fillable(journey, [provider]).items():
        q = journey.questions[qid]
        if by != provider or prov.get(qid, {}).get("status") == DECLARED:
            continue
        concept = concept_of(q)
        assert concept is not None
        value = to_answer(q, value_at(data, FILLS[provider][concept]))
        if value is None:
            continue
        draft.answers[qid] = encode(value)
        prov[qid] = {"provider": provider, "at": stamp, "status": CERTIFIED}
        filled.append(qid)
    return filled


def protect(draft: Draft, answers: Mapping[str, Any], raw: dict[str, Any]) -> list[str]:
    """Put back the certified answers over whatever was posted for them (a crafted POST
    cannot change a certified answer); return the question ids whose posted value was
    ignored."""
    ignored = []
    for qid in certified(draft):
        if qid in raw and qid in answers:
            if raw[qid] not in (None, "", answers[qid]):
                ignored.append(qid)
            raw[qid] = answers[qid]
    return ignored


def declare(draft: Draft, qid: str) -> bool:
    """The citizen says a certified answer is wrong: from now on it is theirs to type
    (declared), still noting which provider had given it. False when it was not certified."""
    entry = provenance(draft).get(qid)
    if entry is None or entry.get("status") != CERTIFIED:
        return False
    entry.update(status=DECLARED, corrected_at=now())
    return True


def data_providers(journey: CompiledJourney, step_id: str, connected: list[str]) -> list[str]:
    """The data providers (not FranceConnect) that fill a question of this step."""
    here = {q.id for q in journey.step_questions(step_id)}
    wanted = [p for p in connected if p in ENDPOINTS or p in KEYED_BY]
    return [p for p in wanted if any(by == p and qid in here
                                     for qid, by in fillable(journey, [p]).items())]


def asked(draft: Draft) -> dict[str, dict[str, Any]]:
    """Provider -> what it answered when asked (``status``, ``at``)."""
    found = draft.state.setdefault("prefill_asked", {})
    assert isinstance(found, dict)
    return found


def submission_provenance(draft: Draft, kept: Mapping[str, Any]) -> dict[str, Any]:
    """The provenance of the answers a dossier keeps (what is sent with it)."""
    prov = provenance(draft)
    return {qid: dict(prov[qid]) for qid in kept if qid in prov}


def provenance_of(submission: Submission) -> dict[str, Any]:
    """Where each answer of a dossier came from (question id -> ``provider``, ``at``,
    ``status`` certified or declared); an answer absent here was typed by the citizen. For
    exports and the agents' pages."""
    found = submission.answers.get("provenance")
    return found if isinstance(found, dict) else {}
