"""Readability and jargon findings for `parcours check`: the `readability` and `jargon` rules.

An analysis in the sense of designer/loading.py (journey → findings), ready to be
registered beside the path-sensitive analysis. Each text a citizen reads is measured on
its own (a label, a help, an intro…), in each language, and each finding points at the
line of that text (of its language's entry for a bilingual text).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from designer.analysis.falc import falc_findings
from designer.check_messages import Message, msg
from designer.compiled import CompiledJourney
from designer.findings import Finding
from designer.jargon import JargonEntry, load_lexicon
from designer.readability import analyse, measure

#: A text is hard to read below this score (Kandel-Moles in French, Flesch in English)…
HARD_SCORE = 50.0
#: …when it has at least this many words (scores of short texts mean little)…
MIN_WORDS = 12
#: …or when one of its sentences is longer than this (FALC: short sentences).
LONG_SENTENCE = 25

Path = tuple[str | int, ...]


def citizen_texts(journey: CompiledJourney) -> Iterator[tuple[Path, Any, str | None, str | None]]:
    """(source path, text value, step, question) of every text a citizen reads."""
    model = journey.model
    yield ("title",), model.title, None, None
    yield ("summary",), model.summary, None, None
    yield ("declaration",), model.declaration, None, None
    for sid, step in journey.steps.items():
        yield ("steps", sid, "title"), step.title, sid, None
        yield ("steps", sid, "intro"), step.intro, sid, None
    for q in journey.questions.values():
        # Only the fields its type has: asking a pydantic model for a missing attribute
        # raises inside pydantic, thousands of times on a large journey.
        fields = type(q.question).model_fields
        for key in ("label", "help", "content", "error_message"):
            if key in fields:
                yield q.path + (key,), getattr(q.question, key), q.step, q.id
        raw = getattr(q.question, "options", None) if "options" in fields else None
        # Options are read too ("GIR 1 ou 2 (groupe iso-ressources)" explains GIR there).
        if isinstance(raw, dict):
            for value, label in raw.items():
                yield q.path + ("options", value), label, q.step, q.id
        elif isinstance(raw, list):
            for i, label in enumerate(raw):
                yield q.path + ("options", i), label, q.step, q.id
    for oid, outcome in journey.outcomes.items():
        yield ("outcomes", oid, "title"), outcome.title, None, None
        yield ("outcomes", oid, "body"), outcome.body, None, None


def text_findings(
    journey: CompiledJourney, lexicon: list[JargonEntry] | None = None
) -> list[Finding]:
    """`readability` (hard texts, long sentences, FALC checks) and `jargon` findings, then
    the easy-to-read versions' `falc-missing` and `falc-not-simpler` (designer.analysis.falc);
    ``lexicon``: an organisation's (designer.jargon.load_lexicon), else the shipped one."""
    lexicon = lexicon if lexicon is not None else load_lexicon()
    findings: list[Finding] = []
    languages = journey.languages or ["fr"]
    texts = list(citizen_texts(journey))
    # (where, language, text, step, question) of each language's version of each text.
    variants: list[tuple[Path, str, str, str | None, str | None]] = []
    for path, value, step, question in texts:
        if value is None:
            continue
        if isinstance(value, str):
            variants.append((path, languages[0], value, step, question))
        else:
            variants += [(path + (lang,), lang, text, step, question)
                         for lang, text in value.items()]
    # An acronym explained in one text of the journey is explained for all of them. Read
    # from each text's measures, which analyse() below finds ready (one reading per text).
    explained = frozenset(
        acr for _, lang, text, _, _ in variants for acr in measure(text, lang).explains
    )
    # Kept on the journey: the report reads the same texts with the same measures.
    journey.derived["explained_acronyms"] = explained
    measured = journey.derived.setdefault("readability", {})
    acronyms_reported: set[tuple[str, str]] = set()
    for where, lang, text, step, question in variants:
        r = analyse(text, lang, lexicon, explained)
        measured[(text, lang)] = r
        problems: list[Message] = []
        if r.flesch is not None and r.words >= MIN_WORDS and r.flesch < HARD_SCORE:
            formula = "Kandel-Moles" if r.lang == "fr" else "Flesch"
            problems.append(msg("readability.score", formula=formula,
                                score=f"{r.flesch:.0f}", limit=f"{HARD_SCORE:.0f}"))
        if r.longest_sentence > LONG_SENTENCE:
            problems.append(msg("readability.long-sentence", words=r.longest_sentence))
        if not problems and not r.issues:
            continue  # most texts: no finding, so no position to look up
        pos = journey.position(where)
        if problems:
            findings.append(
                Finding.of(
                    "readability",
                    msg("readability.hard", problems=tuple(problems)),
                    journey.file,
                    pos,
                    step=step,
                    question=question,
                )
            )
        for issue in r.issues:
            if issue.kind == "acronym":
                # Advice to explain it "the first time": said once, where it first appears.
                if (lang, issue.excerpt) in acronyms_reported:
                    continue
                acronyms_reported.add((lang, issue.excerpt))
            if issue.kind == "jargon":
                rule = "jargon"
                said = msg("jargon", excerpt=issue.excerpt, advice=issue.advice)
            else:
                rule = "readability"
                said = msg("readability.issue", kind=msg(f"issue.{issue.kind}"),
                           excerpt=issue.excerpt, advice=issue.advice)
            findings.append(
                Finding.of(rule, said, journey.file, pos, step=step, question=question)
            )
    return findings + falc_findings(journey, texts, measured)
