"""The portfolio report: every journey of a folder ranked by median time and by findings,
and the concepts asked in several journeys."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from designer.compiled import CompiledJourney
from designer.loading import load_journey
from designer.report.build import journey_report
from designer.report.model import (
    JourneyReport,
    PortfolioReport,
    PortfolioRowOut,
    SharedConceptOut,
)
from designer.report.once_only import shared_concepts


def _row(r: JourneyReport) -> PortfolioRowOut:
    return PortfolioRowOut(
        journey=r.journey,
        title=r.title,
        file=r.file,
        ok=r.ok,
        questions_median=r.submitted.questions.median if r.submitted else None,
        minutes_median=r.submitted.minutes.median if r.submitted else None,
        minutes_max=r.minutes.max if r.minutes else None,
        paths=r.paths.total if r.paths else None,
        errors=sum(1 for f in r.findings if f.severity == "error"),
        warnings=sum(1 for f in r.findings if f.severity == "warning"),
        dlnuf_level=r.dlnuf.level if r.dlnuf else None,
    )


def portfolio_report(
    folder: str | Path, files: list[Path], lang: str | None = None, observe: Any = None
) -> PortfolioReport:
    """Every journey of a folder, ranked by median time and by findings, and the concepts
    asked in several journeys; ``observe.add(journey, report)``, when given, adds each
    journey's observed use."""
    loaded = [load_journey(f) for f in files]
    reports = [journey_report(x, lang) for x in loaded]
    if observe is not None:
        reports = [
            observe.add(x.journey, r) if x.journey is not None else r
            for x, r in zip(loaded, reports, strict=True)
        ]
    return portfolio_of(folder, reports, [x.journey for x in loaded if x.journey is not None])


def portfolio_of(
    folder: str | Path, reports: list[JourneyReport], journeys: list[CompiledJourney]
) -> PortfolioReport:
    """The portfolio of journey reports already built (``parcours serve`` keeps each served
    journey's report, so its portfolio is only the ranking and the shared concepts)."""
    rows = [_row(r) for r in reports]
    by_minutes = sorted(rows, key=lambda r: (r.minutes_median is None, -(r.minutes_median or 0)))
    by_findings = sorted(rows, key=lambda r: (-r.errors, -r.warnings, r.journey))
    shared = shared_concepts(journeys)
    return PortfolioReport(
        folder=str(folder),
        by_minutes=by_minutes,
        by_findings=by_findings,
        shared_concepts=[SharedConceptOut(concept=c, journeys=js) for c, js in shared],
        journeys=reports,
    )
