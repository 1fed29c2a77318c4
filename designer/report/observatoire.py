"""The indicators of the Observatoire de la qualité des démarches en ligne, for one journey,
from what Parcours knows: each is *measured* (from real use or the analysis of the journey),
*declared* (the journey file says so) or *unknown* (nothing to go on — never guessed).
"""

from __future__ import annotations

from designer.compiled import CompiledJourney
from designer.report.model import IndicatorOut, JourneyReport

LEVEL_WORDS = {"optimal": "optimal", "partial": "partiel", "weak": "faible"}


def indicators(journey: CompiledJourney, report: JourneyReport) -> list[IndicatorOut]:
    """Satisfaction, accessibility, FranceConnect, "Dites-le-nous une fois", help,
    availability, and the administration's response time, each with its status."""
    return [
        _satisfaction(report),
        _accessibility(report),
        _franceconnect(journey),
        _dlnuf(report),
        _help(journey),
        IndicatorOut(
            indicator="availability", name="Disponibilité et temps de réponse du site",
            value="–", status="unknown",
            note="Le serveur ne garde pas encore ces mesures par démarche "
            "(les métriques d'exploitation les suivent).",
        ),
        _response(report),
    ]


def _days(x: float) -> str:
    """Days in words: hours under a day (a signalement is answered in hours)."""
    if x < 1:
        return f"{round(x * 24)} h"
    return f"{x:.1f} j".replace(".", ",")


def _response(report: JourneyReport) -> IndicatorOut:
    """How long the administration takes to answer the dossiers (the back office's records):
    not the Observatoire's own indicator (the site's availability), but what a citizen
    waits for once the application is sent."""
    name = "Délai de réponse aux dossiers"
    r = report.usage.response_times if report.usage else None
    if r is None or r.first_action_days.median is None:
        note = ("Pas assez de dossiers traités par un agent pour le montrer."
                if r is not None else "Aucune donnée du back-office fournie (--usage).")
        return IndicatorOut(indicator="response", name=name, value="–", status="unknown",
                            note=note)
    value = f"premier geste d'un agent en {_days(r.first_action_days.median)} (médiane)"
    if r.decision_days.median is not None:
        value += f", décision en {_days(r.decision_days.median)}"
    waiting = f" ; {r.waiting} sans aucun geste encore" if r.waiting else ""
    return IndicatorOut(
        indicator="response", name=name, value=value, status="measured",
        note=f"Sur {r.answered} dossier(s) traité(s){waiting} ; selon le back-office "
        "(changement de statut ou de service, message au citoyen).",
    )


def _satisfaction(report: JourneyReport) -> IndicatorOut:
    name = "Satisfaction des usagers"
    s = report.usage.satisfaction if report.usage else None
    if s is None or s.good_share is None:
        note = ("Pas assez de réponses pour les montrer."
                if report.usage else "Aucune donnée d'usage fournie (--usage).")
        return IndicatorOut(indicator="satisfaction", name=name, value="–",
                            status="unknown", note=note)
    value = f"{round(100 * s.good_share)} % « bien »"
    return IndicatorOut(indicator="satisfaction", name=name, value=value, status="measured",
                        note=f"{s.responses} réponses au questionnaire de fin de démarche.")


def _accessibility(report: JourneyReport) -> IndicatorOut:
    name = "Accessibilité (contrôles automatiques)"
    a = report.accessibility
    if a is None:
        return IndicatorOut(indicator="accessibility", name=name, value="–", status="unknown")
    return IndicatorOut(
        indicator="accessibility", name=name, status="measured",
        value=f"{a.labelled}/{a.fields} champs étiquetés",
        note=f"{len(a.manual_review)} critères RGAA restent à vérifier par une personne ; "
        "la conformité RGAA elle-même se déclare après un audit.",
    )


def _franceconnect(journey: CompiledJourney) -> IndicatorOut:
    name = "FranceConnect"
    declared = "franceconnect" in {p.lower() for p in journey.model.prefill}
    return IndicatorOut(
        indicator="franceconnect", name=name, status="declared",
        value="proposé" if declared else "non proposé",
        note="Selon le champ prefill du parcours.",
    )


def _dlnuf(report: JourneyReport) -> IndicatorOut:
    name = "« Dites-le-nous une fois »"
    if report.dlnuf is None:
        return IndicatorOut(indicator="dlnuf", name=name, value="–", status="unknown")
    return IndicatorOut(
        indicator="dlnuf", name=name, status="measured",
        value=LEVEL_WORDS.get(report.dlnuf.level, report.dlnuf.level),
        note=f"{report.dlnuf.items} information(s) qu'une administration pourrait fournir.",
    )


def _help(journey: CompiledJourney) -> IndicatorOut:
    name = "Aide proposée"
    c = journey.model.contact
    channels = [] if c is None else [
        word for word, there in (("guichet", c.desk), ("téléphone", c.phone),
                                 ("courriel", c.email), ("page web", c.url)) if there
    ]
    if not channels:
        return IndicatorOut(indicator="help", name=name, value="aucune déclarée",
                            status="unknown", note="Le parcours ne déclare pas de contact.")
    return IndicatorOut(indicator="help", name=name, value=", ".join(channels),
                        status="declared", note="Selon le champ contact du parcours.")
