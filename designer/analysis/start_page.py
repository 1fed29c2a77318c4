"""Rules about what the start page says: a duration in the summary must not contradict the
estimate the page shows beside it."""

from __future__ import annotations

from designer.check_messages import msg
from designer.duration import contradicts, estimated_minutes, stated_durations
from designer.findings import Finding

from .context import Context


def stated_duration(ctx: Context) -> list[Finding]:
    """`stated-duration`: the summary states a duration the estimate contradicts."""
    journey = ctx.journey
    summary = journey.model.summary
    if summary is None:
        return []
    variants = (
        [(("summary",), journey.languages[0], summary)] if isinstance(summary, str)
        else [(("summary", lang), lang, text) for lang, text in summary.items()]
    )
    out: list[Finding] = []
    for path, lang, text in variants:
        stated = stated_durations(text)
        if not stated:
            continue  # most summaries state none: the estimate is computed only when needed
        estimate = estimated_minutes(journey, lang)
        wrong = next((s for s in stated if contradicts(s, estimate)), None)
        if wrong is not None:
            out.append(ctx.finding(
                "stated-duration", msg("stated-duration", words=wrong.words, minutes=estimate),
                path,
            ))
    return out
