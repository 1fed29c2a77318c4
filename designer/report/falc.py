"""The report's easy-to-read (FALC) figures: how much of a language its FALC version covers,
and the score of the whole journey read each way (the texts and measure of the checks)."""

from __future__ import annotations

from collections.abc import Callable

from designer.analysis.falc import can_have_falc, versions
from designer.analysis.textcheck import citizen_texts
from designer.compiled import CompiledJourney
from designer.jargon import JargonEntry
from designer.readability import analyse, combine
from designer.report.readability_model import FalcCoverageOut


def falc_coverage(
    journey: CompiledJourney,
    lang: str,
    lexicon: list[JargonEntry],
    read: Callable[[CompiledJourney, str], list[str]],
) -> FalcCoverageOut:
    """How many of the texts in ``lang`` have their easy-to-read (FALC) version (the texts
    `falc-missing` checks), and the score of everything a citizen reads (``read``: the
    report's units of text) by an ordinary reader and by a FALC reader."""
    total, missing = 0, []
    for path, value, _, _ in citizen_texts(journey):
        if not can_have_falc(path, value):
            continue
        original, plain = versions(journey, value, lang)
        if original is None:
            continue
        total += 1
        if plain is None:
            missing.append("/".join(map(str, path)))

    def score(reading: CompiledJourney) -> float | None:
        whole = combine([analyse(text, lang, lexicon) for text in read(reading, lang)], lang)
        return None if whole.flesch is None else round(whole.flesch, 1)

    return FalcCoverageOut(
        texts=total,
        with_falc=total - len(missing),
        share=round((total - len(missing)) / total, 3) if total else 0.0,
        flesch=score(journey),
        flesch_falc=score(journey.easy_to_read()),
        missing=missing,
    )
