"""How long a journey takes: the estimate its start page announces, and the durations its
texts state (which must not contradict it).

The estimate is the report's time model (designer/report/timing.py: reading plus
Keystroke-Level Model answering time), the median over the runs that send an application,
for the slower profile when it is known. The renderer shows it ("Cela prend environ
6 minutes"); the `stated-duration` check compares it with a duration written in the summary.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from designer.compiled import CompiledJourney

_ESTIMATES: dict[tuple[str, str], int] = {}


def estimated_minutes(journey: CompiledJourney, lang: str) -> int:
    """Minutes to complete the journey up to sending it, as the start page announces it."""
    key = (journey.digest, lang)
    if key not in _ESTIMATES:
        if len(_ESTIMATES) > 256:
            _ESTIMATES.clear()
        _ESTIMATES[key] = _estimate(journey, lang)
    return _ESTIMATES[key]


def _estimate(journey: CompiledJourney, lang: str) -> int:
    try:
        from designer.report.metrics import path_metrics

        submits = [o for o, x in journey.outcomes.items() if x.kind == "submit"]
        metrics = path_metrics(journey, drop_edges=(), lang=lang, ends=submits or None)
        median = metrics.minutes_slow.median or metrics.minutes.median
        if median:
            return max(1, math.ceil(median))
    except Exception:  # noqa: BLE001 - the estimate is a courtesy, never a failure
        pass
    count = sum(1 for q in journey.questions.values() if q.answers)
    return max(1, math.ceil(count * 20 / 60))


@dataclass(frozen=True)
class Stated:
    """A duration written in a text: its words, and the minutes it means (a range)."""

    words: str
    low: float
    high: float


_NUMBER = r"(\d+(?:[.,]\d+)?)"
_RANGE = rf"{_NUMBER}(?:\s*(?:à|a|-|–|ou|to|or)\s*{_NUMBER})?"
_UNITS = {
    "minute": 1.0, "minutes": 1.0, "min": 1.0, "mins": 1.0, "mn": 1.0,
    "heure": 60.0, "heures": 60.0, "hour": 60.0, "hours": 60.0,
}  # fmt: skip
_DURATION = re.compile(rf"\b{_RANGE}\s*(minutes?|mins?|mn|heures?|hours?)\b", re.IGNORECASE)
#: "de 9 heures à 17 heures", "at 5 minutes past": a time of day, not a duration.
_TIME_OF_DAY = re.compile(r"(?:\b(?:de|à|vers|dès|avant|après|jusqu'à|jusqu’à|from|at|"
                          r"until|by|before|after)\s*)$", re.IGNORECASE)
#: Durations in words (the vague "quelques minutes" states none).
_WORDS = {
    "une minute": 1, "one minute": 1, "a minute": 1,
    "un quart d'heure": 15, "un quart d’heure": 15, "a quarter of an hour": 15,
    "une demi-heure": 30, "half an hour": 30, "a half hour": 30,
    "une heure": 60, "an hour": 60, "one hour": 60,
}  # fmt: skip


def stated_durations(text: str) -> list[Stated]:
    """Durations a text states, in minutes ("5 à 10 minutes", "un quart d'heure")."""
    found = []
    for m in _DURATION.finditer(text):
        if _TIME_OF_DAY.search(text[max(0, m.start() - 12) : m.start()]):
            continue
        unit = _UNITS[m.group(3).lower()]
        low = float(m.group(1).replace(",", ".")) * unit
        high = float((m.group(2) or m.group(1)).replace(",", ".")) * unit
        found.append(Stated(m.group(0), min(low, high), max(low, high)))
    lowered = text.lower()
    for words, minutes in _WORDS.items():
        at = lowered.find(words)
        if at >= 0 and not any(s.words.lower() in words for s in found):
            found.append(Stated(text[at : at + len(words)], minutes, minutes))
    return found


def contradicts(stated: Stated, estimate: int) -> bool:
    """Whether a reader would see two different durations: the estimate lies outside the
    stated range, give or take a quarter of it (at least 2 minutes)."""
    slack_low = max(2.0, stated.low / 4)
    slack_high = max(2.0, stated.high / 4)
    return not (stated.low - slack_low <= estimate <= stated.high + slack_high)
