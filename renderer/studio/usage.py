"""Real use beside the journey in the studio (``parcours studio --usage DB_URL``): the page
where most citizens give up and the error they make most often, each with the suggestion
the checks already have for that place — the hotspots of ``parcours report --usage``
(:func:`designer.report.usage.hotspots`), read from the server's aggregate counters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from designer.loading import Loaded


@dataclass(frozen=True)
class UsageOption:
    """The server database given to the studio, and its small-number threshold."""

    db_url: str
    threshold: int | None = None


def hotspots(loaded: Loaded, option: UsageOption | None, lang: str) -> dict[str, Any] | None:
    """What use shows for the saved journey: ``{"problem": str}`` when the counters cannot
    be read, ``{"starts", "give_up", "error"}`` otherwise (each None when there is nothing
    to show above the threshold); None without ``--usage`` or a journey that does not load.
    """
    from designer.commands.report import UsageSource
    from designer.report.build import journey_report
    from designer.report.model import JourneyReport

    if option is None or loaded.journey is None:
        return None
    source = UsageSource(option.db_url, option.threshold)
    problem = source.problem()
    if problem is not None:
        return {"problem": problem}
    report = source.add(loaded.journey, journey_report(loaded, lang), by_version=False)
    assert isinstance(report, JourneyReport)
    usage = report.usage
    if usage is None:
        return None
    found = {h.kind: h for h in usage.hotspots}
    journey = loaded.journey
    lines = {
        h.step: journey.document.key_position(("steps", h.step))[0]
        for h in usage.hotspots
        if h.step in journey.steps
    }
    return {
        "starts": usage.starts,
        "threshold": source.threshold,
        "give_up": found.get("give-up"),
        "error": found.get("error"),
        "lines": lines,
    }
