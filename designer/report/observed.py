"""A journey's report with what real use observed: the figures of
:mod:`designer.report.usage`, split by journey version (:mod:`designer.report.versions`),
the administration's response times (:mod:`designer.report.response`) and the
Observatoire's indicators they measure.

Kept apart from those modules, which it puts together: the versions and the response times
read the usage's counts and small-number suppression, so the usage module cannot also
call them without an import loop (tests/engine/test_import_graph.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from designer.compiled import CompiledJourney
from designer.report.model import JourneyReport
from designer.report.observatoire import indicators
from designer.report.response import DossierTimes, response_times
from designer.report.usage import DEFAULT_THRESHOLD, Count, Suppress, dossier_channels, observe
from designer.report.versions import ReportOf, Version, by_version


def with_usage(
    journey: CompiledJourney,
    report: JourneyReport,
    counts: Iterable[Count],
    threshold: int = DEFAULT_THRESHOLD,
    channels: dict[str, int] | None = None,
    versions: Sequence[Version] | None = (),
    report_of: ReportOf | None = None,
    responses: Sequence[DossierTimes] | None = None,
) -> JourneyReport:
    """A copy of a journey's report with its observed figures (and the Observatoire's
    indicators that real use measures), and the dossiers' ``channels`` when given (counts by
    submission channel); the report itself is left as it was.

    The same figures are split by journey version (``usage_by_version``): ``versions`` are
    the versions whose text the database keeps (None: no split), ``report_of`` how one is
    reported (:mod:`designer.report.versions`). ``responses``: the moments of the journey's
    dossiers, for the administration's response times (:mod:`designer.report.response`)."""
    counts = list(counts)
    usage = observe(journey, report, counts, threshold, report.lang or "fr")
    usage.dossier_channels = dossier_channels(channels or {}, Suppress(threshold))
    if responses is not None:
        usage.response_times = response_times(responses, Suppress(threshold))
    split = (None if versions is None
             else by_version(journey, report, counts, versions, threshold, report_of, responses))
    out = report.model_copy(update={"usage": usage, "usage_by_version": split})
    out.observatoire = indicators(journey, out)
    return out
