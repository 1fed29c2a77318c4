"""What each page costs a citizen: the questions it asks and the seconds it takes to read
and answer, without and with its conditional questions (docs/metrics.md, time model in
designer/report/timing.py)."""

from __future__ import annotations

from dataclasses import dataclass

from designer.compiled import CompiledJourney, QuestionInfo
from designer.readability import words_of
from designer.report import timing

#: Questions that take an answer (an info block does not; a repeat is its items).
NOT_ANSWERED = {"info", "repeat"}


@dataclass
class StepCost:
    """The cost of one page, without (low) and with (high) its conditional questions."""

    questions_low: int = 0
    questions_high: int = 0
    seconds_low: float = 0.0
    seconds_high: float = 0.0
    slow_low: float = 0.0
    slow_high: float = 0.0


def question_words(journey: CompiledJourney, q: QuestionInfo, lang: str | None = None) -> int:
    """Words a citizen reads for a question: label, help, options, content."""
    parts = [
        journey.text(getattr(q.question, "label", None), lang),
        journey.text(getattr(q.question, "help", None), lang),
        journey.text(getattr(q.question, "content", None), lang),
    ]
    for label in (q.options or {}).values():
        parts.append(journey.text(label, lang))
    return sum(len(words_of(p)) for p in parts)


def is_conditional(journey: CompiledJourney, q: QuestionInfo) -> bool:
    """A question is conditional if it, or the repeat holding it, has a `when`."""
    if q.when is not None:
        return True
    parent = journey.questions.get(q.repeat) if q.repeat else None
    return parent is not None and is_conditional(journey, parent)


def question_seconds(
    journey: CompiledJourney,
    q: QuestionInfo,
    profile: timing.Profile,
    lang: str | None = None,
    words: int | None = None,
) -> float:
    """Reading plus answering time of one question (one item for a repeat's questions)."""
    if words is None:
        words = question_words(journey, q, lang)
    seconds = timing.reading_seconds(words, profile)
    seconds += timing.answer_seconds(q.type, profile)
    if q.type == "repeat":
        seconds += timing.CLICK  # "add an item"
    return seconds


def step_costs(journey: CompiledJourney, lang: str | None = None) -> dict[str, StepCost]:
    """The cost of every step and outcome page."""
    costs: dict[str, StepCost] = {}
    by_step: dict[str, list[QuestionInfo]] = {}
    for q in journey.questions.values():
        by_step.setdefault(q.step, []).append(q)
    for sid, step in journey.steps.items():
        c = StepCost()
        head_words = len(words_of(journey.text(step.title, lang)))
        head_words += len(words_of(journey.text(step.intro, lang)))
        for prof, low_attr, high_attr in (
            (timing.FLUENT, "seconds_low", "seconds_high"),
            (timing.SLOW, "slow_low", "slow_high"),
        ):
            base = timing.reading_seconds(head_words, prof) + timing.PAGE_SECONDS
            setattr(c, low_attr, base)
            setattr(c, high_attr, base)
        for q in by_step.get(sid, []):
            cond = is_conditional(journey, q)
            if q.type not in NOT_ANSWERED:
                c.questions_high += 1
                if not cond:
                    c.questions_low += 1
            words = question_words(journey, q, lang)
            fast = question_seconds(journey, q, timing.FLUENT, lang, words)
            slow = question_seconds(journey, q, timing.SLOW, lang, words)
            c.seconds_high += fast
            c.slow_high += slow
            if not cond:
                c.seconds_low += fast
                c.slow_low += slow
        costs[sid] = c
    for oid, outcome in journey.outcomes.items():
        words = len(words_of(journey.text(outcome.title, lang)))
        words += len(words_of(journey.text(outcome.body, lang)))
        if outcome.link is not None:
            words += len(words_of(journey.text(outcome.link.label, lang)))
        fast = timing.reading_seconds(words, timing.FLUENT)
        slow = timing.reading_seconds(words, timing.SLOW)
        costs[oid] = StepCost(0, 0, fast, fast, slow, slow)
    return costs
