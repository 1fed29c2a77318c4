"""The indicators of the Observatoire de la qualité des démarches en ligne, for one journey,
from what Parcours knows: each is *measured* (from real use or the analysis of the journey),
*declared* (the journey file says so) or *unknown* (nothing to go on — never guessed).
"""

from __future__ import annotations

from designer.compiled import CompiledJourney
from designer.report.model import IndicatorOut, JourneyReport

LEVEL_WORDS = {"optimal": "optimal", "partial": "partiel", "weak": "faible"}


def indicators(journey: CompiledJourney, report: JourneyReport) -> list[IndicatorOut]:
    """Satisfaction, accessibility, FranceConnect, "Dites-le-nous une fois", help, and
    availability, each with its status."""
    return [
        _satisfaction(report),
        _accessibility(report),
        _franceconnect(journey),
        _dlnuf(report),
        _help(journey),
        IndicatorOut(
            indicator="availability", name="Disponibilité et temps de réponse",
            value="–", status="unknown",
            note="Le serveur ne garde pas encore ces mesures par démarche "
            "(les métriques d'exploitation les suivent).",
        ),
    ]


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
