"""The readability section of a report: every citizen-facing text scored in each language,
its issues, and the coverage of the easy-to-read (FALC) versions."""

from __future__ import annotations

from collections import Counter
from typing import Any

from designer.compiled import CompiledJourney
from designer.readability import analyse, combine, explained_acronyms, load_lexicon
from designer.report.falc import falc_coverage
from designer.report.readability_model import (
    IssueOut,
    LanguageReadabilityOut,
    ReadabilityOut,
    TextOut,
)


def _texts(journey: CompiledJourney, lang: str) -> list[tuple[str, str | None, str | None, str]]:
    """(where, step, question, text) for every text a citizen reads, grouped in units
    (a question's label, help and options are read together)."""
    t = journey.text
    model = journey.model
    units: list[tuple[str, str | None, str | None, str]] = []

    def add(where: str, step: str | None, question: str | None, *values: Any) -> None:
        parts = [_sentence(t(v, lang)) for v in values if v is not None]
        text = " ".join(p for p in parts if p)
        if text.strip():
            units.append((where, step, question, text))

    add("journey", None, None, model.title, model.summary)
    for sid, step in journey.steps.items():
        add(f"step {sid}", sid, None, step.title, step.intro)
    for q in journey.questions.values():
        options = list((q.options or {}).values())
        checks = [message for _, message in q.checks]
        add(
            f"question {q.id}",
            q.step,
            q.id,
            getattr(q.question, "label", None),
            getattr(q.question, "help", None),
            getattr(q.question, "content", None),
            *options,
            *checks,
        )
    for oid, outcome in journey.outcomes.items():
        add(
            f"outcome {oid}",
            None,
            None,
            outcome.title,
            outcome.body,
            outcome.link.label if outcome.link else None,
        )
    return units


def _sentence(text: str) -> str:
    # Titles, labels and options are read as sentences of their own.
    text = text.strip()
    if text and text[-1] not in ".!?…:":
        text += "."
    return text


def readability(journey: CompiledJourney) -> ReadabilityOut:
    """Scores per language (all texts together) and per text, the worst first."""
    lexicon = load_lexicon()
    languages: dict[str, LanguageReadabilityOut] = {}
    texts: list[TextOut] = []
    kinds: Counter[str] = Counter()
    for lang in journey.languages:
        units = _texts(journey, lang)
        everything = "\n\n".join(u[3] for u in units)
        # The check's reading when it ran (acronyms explained anywhere in the journey), so
        # that the report and `parcours check` agree on every text.
        explained = journey.derived.get("explained_acronyms") or frozenset(
            explained_acronyms(everything)
        )
        measured = journey.derived.get("readability", {})
        per_text = [
            measured.get((text, lang)) or analyse(text, lang, lexicon, explained)
            for _, _, _, text in units
        ]
        whole = combine(per_text, lang)
        languages[lang] = LanguageReadabilityOut(
            words=whole.words,
            sentences=whole.sentences,
            flesch=None if whole.flesch is None else round(whole.flesch, 1),
            lix=None if whole.lix is None else round(whole.lix, 1),
            words_per_sentence=round(whole.words_per_sentence, 1),
            longest_sentence=whole.longest_sentence,
            formula="Kandel-Moles (1958)" if whole.lang == "fr" else "Flesch (1948)",
        )
        for (where, step, question, text), r in zip(units, per_text, strict=True):
            for issue in r.issues:
                kinds[issue.kind] += 1
            texts.append(
                # One per text, thousands on a large journey: our own figures, so built
                # without a second validation (the JSON schema tests cover the shape).
                TextOut.model_construct(
                    where=where,
                    step=step,
                    question=question,
                    lang=r.lang,
                    text=text if len(text) <= 400 else text[:399] + "…",
                    words=r.words,
                    sentences=r.sentences,
                    flesch=None if r.flesch is None else round(r.flesch, 1),
                    lix=None if r.lix is None else round(r.lix, 1),
                    words_per_sentence=round(r.words_per_sentence, 1),
                    level=r.level,
                    issues=[IssueOut.model_construct(**i.as_dict(r.lang)) for i in r.issues],
                )
            )

    def badness(x: TextOut) -> tuple[float, int]:
        # Scores of very short texts mean little: rank them by their issues only.
        score = x.flesch if (x.flesch is not None and x.words >= 8) else 100.0
        return (score - 10 * len(x.issues), -x.words)

    texts.sort(key=badness)

    def read(reading: CompiledJourney, lang: str) -> list[str]:
        return [text for _, _, _, text in _texts(reading, lang)]

    falc = {lang: falc_coverage(journey, lang, lexicon, read) for lang in journey.falc_languages()}
    return ReadabilityOut(languages=languages, texts=texts, issues_by_kind=dict(kinds), falc=falc)
