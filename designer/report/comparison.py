"""The comparison report of two versions of a journey: questions and documents added or
removed, runs, minutes and findings fixed or introduced."""

from __future__ import annotations

from pathlib import Path

from designer.compiled import CompiledJourney
from designer.loading import Loaded, load_journey
from designer.report.build import journey_report
from designer.report.costs import NOT_ANSWERED
from designer.report.model import (
    ComparisonReport,
    FindingOut,
    JourneyReport,
    QuestionRefOut,
    SideOut,
)


def _side(r: JourneyReport) -> SideOut:
    return SideOut(
        journey=r.journey,
        file=r.file,
        questions=r.size.questions if r.size else None,
        documents=r.size.documents if r.size else None,
        paths=r.paths.total if r.paths else None,
        questions_median=r.questions.median if r.questions else None,
        questions_max=r.questions.max if r.questions else None,
        minutes_median=r.minutes.median if r.minutes else None,
        minutes_max=r.minutes.max if r.minutes else None,
        submitted_questions_median=r.submitted.questions.median if r.submitted else None,
        submitted_minutes_median=r.submitted.minutes.median if r.submitted else None,
        dlnuf_items=r.dlnuf.items if r.dlnuf else None,
        dlnuf_level=r.dlnuf.level if r.dlnuf else None,
        findings=len(r.findings),
        errors=sum(1 for f in r.findings if f.severity == "error"),
    )


def _refs(journey: CompiledJourney | None, lang: str | None) -> dict[str, QuestionRefOut]:
    if journey is None:
        return {}
    out = {}
    for q in journey.questions.values():
        if q.type in NOT_ANSWERED:
            continue
        label = journey.text(q.label, lang)
        concept = getattr(q.question, "concept", None)
        # Versions are matched by concept when there is one, else by id: a redesign often
        # renames questions, rarely what they ask.
        key = f"concept:{concept}" if concept else f"id:{q.id}"
        out[key] = QuestionRefOut(id=q.id, label=label, type=q.type)
    return out


def _finding_key(f: FindingOut) -> tuple[str, str | None, str | None, str]:
    # Lines move between versions: a finding is "the same" if rule and place match.
    return (f.rule, f.step, f.question, f.message)


def comparison_report(
    old_path: str | Path, new_path: str | Path, lang: str | None = None
) -> ComparisonReport:
    """What the new version changed: questions and documents, runs, minutes, findings."""
    return comparison_of(load_journey(old_path), load_journey(new_path), lang)


def comparison_of(old_l: Loaded, new_l: Loaded, lang: str | None = None) -> ComparisonReport:
    """The comparison of two versions already loaded (the studio's reviewer compares the
    published version with the draft)."""
    old_r, new_r = journey_report(old_l, lang), journey_report(new_l, lang)
    old_q, new_q = _refs(old_l.journey, lang), _refs(new_l.journey, lang)
    removed = [old_q[k] for k in old_q if k not in new_q]
    added = [new_q[k] for k in new_q if k not in old_q]
    old_keys = {_finding_key(f) for f in old_r.findings}
    new_keys = {_finding_key(f) for f in new_r.findings}

    def saved(a: float | None, b: float | None) -> float | None:
        return None if a is None or b is None else round(a - b, 1)

    old_s, new_s = _side(old_r), _side(new_r)
    return ComparisonReport(
        old=old_s,
        new=new_s,
        questions_removed=removed,
        questions_added=added,
        documents_removed=[q for q in removed if q.type == "file"],
        documents_added=[q for q in added if q.type == "file"],
        minutes_saved_median=saved(old_s.submitted_minutes_median, new_s.submitted_minutes_median),
        questions_saved_median=saved(
            old_s.submitted_questions_median, new_s.submitted_questions_median
        ),
        findings_fixed=[f for f in old_r.findings if _finding_key(f) not in new_keys],
        findings_introduced=[f for f in new_r.findings if _finding_key(f) not in old_keys],
    )
