"""How a dossier's answers are shown, page by page: the one implementation used by the
citizen's "check your answers" and receipt, and by the agents' dossier page (so that an
agent reads exactly what the citizen confirmed); and how they are given to programs
(:func:`exported`: ``parcours export`` and the services' API alike)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from designer.answers import answer_text, decode, to_json
from designer.compiled import CompiledJourney
from designer.run import Run
from renderer.controls import SELECT_THRESHOLD
from renderer.i18n import t
from renderer.prefill import answer_source, provenance_of
from renderer.records import Submission


def exported(s: Submission) -> dict[str, Any]:
    """A sent dossier for programs: reference, date, journey version, language, outcome,
    the answers as plain JSON (a date is ``YYYY-MM-DD``) and their provenance."""
    payload = decode(s.answers)
    return {
        "reference": s.reference,
        "submitted_at": s.created_at,
        "journey": s.journey_id,
        "journey_version": s.journey_hash,
        "language": s.lang,
        "outcome": payload.get("outcome"),
        "answers": to_json(payload.get("answers", {})),
        # Where each answer came from (absent: typed by the citizen): renderer/prefill.py.
        "provenance": provenance_of(s),
    }


def anchor(q: Any) -> str:
    """The id of a question's first input on its page (where a Change link lands)."""
    if q.type == "choice" and len(q.options or {}) > SELECT_THRESHOLD:
        return str(q.id)
    if q.type in ("yesno", "choice", "multichoice"):
        return f"{q.id}-0"
    return {"date": f"{q.id}-day", "address": f"{q.id}-street"}.get(q.type, q.id)


def review_sections(
    journey: CompiledJourney, run: Run, lang: str,
    change_url: Callable[[str], str] | None = None,
) -> list[dict[str, Any]]:
    """Every shown answer grouped by page: ``{step, title, rows, change_url}``, each row
    ``{label, question, value, qid, anchor, type, raw}`` (``raw``: the typed value, for a
    file's link)."""
    j = journey
    sections = []
    for step_id, rows in run.review():
        lines = []
        for q, value in rows:
            if q.type == "repeat":
                for index, item in enumerate(value or []):
                    for iq in j.item_questions(q.id):
                        if iq.answers and iq.id in item:
                            lines.append({
                                "label": f"{j.text(q.label, lang)} {index + 1}"
                                + t("colon", lang) + " ",
                                "question": j.text(iq.label, lang),
                                "value": answer_text(j, iq, item[iq.id], lang),
                                "qid": q.id,
                                "anchor": f"{q.id}-{index}",
                                "type": iq.type,
                                "raw": item[iq.id],
                            })
                continue
            lines.append({
                "label": "", "question": j.text(q.label, lang),
                "value": answer_text(j, q, value, lang), "qid": q.id,
                "anchor": anchor(q), "type": q.type, "raw": value,
            })
        if lines:
            sections.append({
                "step": step_id, "title": j.text(j.steps[step_id].title, lang), "rows": lines,
                "change_url": change_url(step_id) if change_url is not None else None,
            })
    return sections


def add_sources(sections: list[dict[str, Any]], provenance: Mapping[str, Any],
                lang: str) -> list[dict[str, Any]]:
    """Each answer with where it came from as the citizen's summary says it ("transmis par
    FranceConnect", "corrigé par vous"; empty for an answer the citizen typed): the check
    page, the receipt and the acknowledgement of receipt alike."""
    for section in sections:
        for row in section["rows"]:
            row["source"] = "" if row.get("label") else answer_source(
                provenance.get(row["qid"]), lang)
    return sections


def sent_sections(journey: CompiledJourney, submission: Submission, lang: str,
                  today: date) -> list[dict[str, Any]]:
    """A sent dossier's answers exactly as the citizen's summary showed them, with their
    sources (the agents' dossier page, the acknowledgement of receipt)."""
    answers = decode(submission.answers).get("answers", {})
    return add_sources(review_sections(journey, Run(journey, answers, today=today), lang),
                       provenance_of(submission), lang)
