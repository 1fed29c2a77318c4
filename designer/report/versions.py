"""Observed use split by journey version: before and after a change of the journey.

A server keeps the text of every version it served (table ``journey_versions``, under its
content hash) and keys every usage count by that hash (``usage_counts.journey_hash``). So
each version that real use met gets its own figures: its text is loaded again and reported
as ``parcours report`` would report it (the predictions of that version), and the counts of
that version alone are turned into observed figures by the same :func:`observe` as the
whole report's, matched to that version's own pages. A version whose text the database
does not keep (or which no longer loads) is matched by id to the version being reported,
as the all-versions figures are, and says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from designer.compiled import CompiledJourney
from designer.report.model import JourneyReport
from designer.report.response import DossierTimes, response_times
from designer.report.usage import DEFAULT_THRESHOLD, Count, Suppress, observe
from designer.report.usage_model import (
    FunnelStepOut,
    UsageVersionsOut,
    VersionPredictedOut,
    VersionUsageOut,
)

#: Versions detailed at most, the latest first (the version reported always among them);
#: older ones are only counted (``left_out``): their use is still in the all-versions figures.
MAX_VERSIONS = 10


@dataclass(frozen=True)
class Version:
    """A version of a journey a server served: its content hash, when it was first served
    (ISO 8601 UTC), and how to read its (source, file) when it is needed (only the versions
    detailed are read, and a server reads each once)."""

    hash: str
    first_served: str
    text: Callable[[], tuple[str, str] | None] = field(compare=False, repr=False)


#: A version's compiled journey and its report (its predicted figures).
Framed = tuple[CompiledJourney, JourneyReport]
ReportOf = Callable[[Version], "Framed | None"]


def version_report(version: Version, lang: str | None) -> Framed | None:
    """A kept version loaded and reported as `parcours report` would report its text; None
    when its text is gone or no longer loads as a journey."""
    from designer.loading import load_text
    from designer.report.build import journey_report

    text = version.text()
    if text is None:
        return None
    loaded = load_text(*text)
    if loaded.journey is None:
        return None
    return loaded.journey, journey_report(loaded, lang)


def _predicted(report: JourneyReport) -> VersionPredictedOut:
    s = report.submitted
    applied = s is not None and bool(s.runs)
    return VersionPredictedOut(
        steps=report.size.steps if report.size else len(report.steps),
        questions=report.size.questions if report.size else 0,
        documents=report.size.documents if report.size else 0,
        questions_median=s.questions.median if s and applied else None,
        minutes_median=s.minutes.median if s and applied else None,
    )


def _latest_first(hashes: set[str], current: str, kept: dict[str, Version]) -> list[str]:
    """Newest first by first serving; the version reported, when the database does not
    know it (a file not served yet), before all; versions of unknown date last."""
    def when(h: str) -> str:
        if h in kept:
            return kept[h].first_served
        return "\uffff" if h == current else ""

    return sorted(hashes, key=lambda h: (when(h), h), reverse=True)


def by_version(
    journey: CompiledJourney,
    report: JourneyReport,
    counts: Iterable[Count],
    versions: Sequence[Version] = (),
    threshold: int = DEFAULT_THRESHOLD,
    report_of: ReportOf | None = None,
    responses: Sequence[DossierTimes] | None = None,
) -> UsageVersionsOut:
    """The observed use of each version (the reported one and every one the counts name),
    beside that version's predicted figures, latest first.

    ``versions``: the versions the database keeps (their texts read only for the versions
    detailed); ``report_of``: how a kept version is reported (default
    :func:`version_report`; the server keeps the reports it built);
    ``responses``: the moments of the journey's dossiers, whose response times are then
    given for each version too (the dossiers sent on it)."""
    lang = report.lang or "fr"
    of = report_of or (lambda v: version_report(v, report.lang))
    per: dict[str, list[Count]] = {}
    for c in counts:
        per.setdefault(c.version, []).append(c)
    kept = {v.hash: v for v in versions}
    current = journey.digest
    order = _latest_first(set(per) | {current}, current, kept)
    shown = order[:MAX_VERSIONS]
    if current not in shown:
        shown = sorted({*order[:MAX_VERSIONS - 1], current}, key=order.index)
    out: list[VersionUsageOut] = []
    steps: list[list[str] | None] = []
    for h in shown:
        framed: Framed | None = (journey, report) if h == current else None
        if framed is None and h in kept:
            framed = of(kept[h])
        own = framed is not None
        j, r = framed if framed is not None else (journey, report)
        out.append(VersionUsageOut(
            version=h, first_served=kept[h].first_served if h in kept else None,
            current=h == current, own_text=own,
            predicted=_predicted(r) if own and r.paths is not None else None,
            pages_added=[], pages_removed=[],
            usage=observe(j, r, per.get(h, []), threshold, lang),
        ))
        if responses is not None:
            out[-1].usage.response_times = response_times(
                [t for t in responses if t.version == h], Suppress(threshold))
        steps.append(list(j.steps) if own else None)
    # What changed from the version before (the next one in the list, older).
    for i, v in enumerate(out[:-1]):
        new, old = steps[i], steps[i + 1]
        if new is not None and old is not None:
            v.pages_added = [s for s in new if s not in old]
            v.pages_removed = [s for s in old if s not in new]
    return UsageVersionsOut(versions=out, left_out=len(order) - len(shown))


@dataclass(frozen=True)
class PageSides:
    """One page in the before/after table: its figures in each version compared (None where
    the version has no such page)."""

    step: str
    title: str
    sides: list[FunnelStepOut | None]


def side_by_side(versions: Sequence[VersionUsageOut]) -> list[PageSides]:
    """The pages of the versions compared (the latest first), each with its observed and
    predicted figures in every version: the pages of the latest in its order, then the
    pages that only older ones had."""
    funnels = [{f.step: f for f in v.usage.funnel} for v in versions]
    order: dict[str, str] = {}
    for funnel in funnels:
        for step, f in funnel.items():
            order.setdefault(step, f.title)
    return [PageSides(step, title, [funnel.get(step) for funnel in funnels])
            for step, title in order.items()]
