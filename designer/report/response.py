"""How long the administration takes to answer a journey's dossiers, from the back office's
own records: when each dossier was sent (or keyed at the desk), when an agent first acted
on it (a status change, a change of service, a message to the citizen — what the citizen
can see; private notes are not an answer) and when it was decided (accepted, refused or
closed: the back office's processing time). Only times are read, never a reference, an
answer or a name; every count passes the same small-number suppression as the usage counts.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from designer.report.usage import Suppress
from designer.report.usage_model import DaysOut, ResponseTimesOut


@dataclass(frozen=True)
class DossierTimes:
    """The moments of one dossier (ISO 8601 text, as the store writes them), and the
    journey version it was sent on."""

    version: str
    sent: str
    first_action: str | None
    decided: str | None


def dossier_times(rows: Iterable[Sequence[str | None]]) -> list[DossierTimes]:
    """Rows of (version, sent, decided, first history change by an agent, first agent
    message), as :data:`designer.report.counts.SELECT_RESPONSES` reads them."""
    out = []
    for version, sent, decided, changed, wrote in rows:
        acts = [str(t) for t in (changed, wrote) if t]
        out.append(DossierTimes(str(version), str(sent), min(acts) if acts else None,
                                str(decided) if decided else None))
    return out


def days_between(start: str, end: str) -> float:
    """Days from one stored moment to another (the back office's processing time uses it)."""
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds() / 86400


def _days(values: list[float], keep: Suppress) -> DaysOut:
    if not values or keep(len(values)) is None:
        return DaysOut(median=None, p90=None)
    p90 = (statistics.quantiles(values, n=10, method="inclusive")[-1]
           if len(values) > 1 else values[0])
    return DaysOut(median=round(statistics.median(values), 2), p90=round(p90, 2))


def response_times(times: Sequence[DossierTimes], keep: Suppress) -> ResponseTimesOut:
    """The journey's response times: first agent action and decision, median and 90th
    percentile in days, each over the dossiers that have it (so ``waiting`` says how many
    are still without any answer: the median leaves them out)."""
    first = [days_between(t.sent, t.first_action) for t in times if t.first_action]
    decided = [days_between(t.sent, t.decided) for t in times if t.decided]
    return ResponseTimesOut(
        dossiers=keep(len(times)), answered=keep(len(first)),
        waiting=keep(len(times) - len(first)),
        first_action_days=_days(first, keep),
        decided=keep(len(decided)), decision_days=_days(decided, keep),
    )
