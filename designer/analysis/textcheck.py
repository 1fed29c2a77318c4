"""Readability and jargon findings for `parcours check`: the `readability` and `jargon` rules.

An analysis in the sense of designer/loading.py (journey → findings), ready to be
registered beside the path-sensitive analysis. Each text a citizen reads is measured on
its own (a label, a help, an intro…), in each language, and each finding points at the
line of that text (of its language's entry for a bilingual text).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

from pydantic import BaseModel

from designer.analysis.falc import falc_findings
from designer.check_messages import SOURCE_LANGUAGE, Message, msg
from designer.compiled import CompiledJourney
from designer.findings import Finding
from designer.jargon import JargonEntry, load_lexicon
from designer.readability import Measures, Readability, measure, read

#: A text is hard to read below this score (Kandel-Moles in French, Flesch in English)…
HARD_SCORE = 50.0
#: …when it has at least this many words (scores of short texts mean little)…
MIN_WORDS = 12
#: …or when one of its sentences is longer than this (FALC: short sentences).
LONG_SENTENCE = 25

Path = tuple[str | int, ...]


def citizen_texts(journey: CompiledJourney) -> Iterator[tuple[Path, Any, str | None, str | None]]:
    """(source path, text value, step, question) of every text a citizen reads (a field
    left empty is no text: most helps and intros of a large journey)."""
    model = journey.model
    for key in ("title", "summary", "declaration"):
        if (text := getattr(model, key)) is not None:
            yield (key,), text, None, None
    for sid, step in journey.steps.items():
        if step.title is not None:
            yield ("steps", sid, "title"), step.title, sid, None
        if step.intro is not None:
            yield ("steps", sid, "intro"), step.intro, sid, None
    for q in journey.questions.values():
        keys, has_options = _text_fields(q.question.__class__)
        for key in keys:
            if (text := getattr(q.question, key)) is not None:
                yield q.path + (key,), text, q.step, q.id
        raw = getattr(q.question, "options", None) if has_options else None
        # Options are read too ("GIR 1 ou 2 (groupe iso-ressources)" explains GIR there).
        if isinstance(raw, dict):
            for value, label in raw.items():
                yield q.path + ("options", value), label, q.step, q.id
        elif isinstance(raw, list):
            for i, label in enumerate(raw):
                yield q.path + ("options", i), label, q.step, q.id
    for oid, outcome in journey.outcomes.items():
        if outcome.title is not None:
            yield ("outcomes", oid, "title"), outcome.title, None, None
        if outcome.body is not None:
            yield ("outcomes", oid, "body"), outcome.body, None, None


@cache
def _text_fields(kind: type[BaseModel]) -> tuple[tuple[str, ...], bool]:
    """The text fields a question type has, and whether it has options: only those are
    read (asking a pydantic model for a missing attribute raises inside pydantic), and
    they are looked up once per type rather than for each of thousands of questions."""
    fields = kind.model_fields
    keys = tuple(k for k in ("label", "help", "content", "error_message") if k in fields)
    return keys, "options" in fields


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
    # (where, language, text, its measures, step, question) of each language's version of
    # each text: each text is read once (designer.readability.measure), then judged below.
    variants: list[tuple[Path, str, str, Measures, str | None, str | None]] = []
    for path, value, step, question in texts:
        if value is None:
            continue
        if isinstance(value, str):
            lang = languages[0]
            variants.append((path, lang, value, measure(value, lang), step, question))
        else:
            variants += [(path + (lang,), lang, text, measure(text, lang), step, question)
                         for lang, text in value.items()]
    # An acronym explained in one text of the journey is explained for all of them.
    explained = frozenset(acr for v in variants for acr in v[3].explains)
    # Kept on the journey: the report reads the same texts with the same measures.
    journey.derived["explained_acronyms"] = explained
    measured = journey.derived.setdefault("readability", {})
    acronyms_reported: set[tuple[str, str]] = set()
    # The same text in the same language reads the same (an option offered by many
    # questions): judged once; and the same issue is said by one message (the excerpt
    # "(12)" of a dozen labels). Both only within this call, for this lexicon. An issue's
    # advice is known by its identity (hashing a Message costs more than saying it), which
    # stays its own while ``judged`` holds every issue.
    judged: dict[tuple[str, str], Readability] = {}
    said_of: dict[tuple[str, str, int], tuple[str, Message, str]] = {}
    for where, lang, text, measures, step, question in variants:
        r = judged.get((text, lang))
        if r is None:
            r = judged[(text, lang)] = read(text, measures, lexicon, explained)
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
            seen = (issue.kind, issue.excerpt, id(issue.advice))
            known = said_of.get(seen)
            if known is None:
                if issue.kind == "jargon":
                    rule = "jargon"
                    said = msg("jargon", excerpt=issue.excerpt, advice=issue.advice)
                else:
                    rule = "readability"
                    said = msg("readability.issue", kind=msg(f"issue.{issue.kind}"),
                               excerpt=issue.excerpt, advice=issue.advice)
                known = said_of[seen] = rule, said, said.say(SOURCE_LANGUAGE)
            findings.append(Finding.of(known[0], known[1], journey.file, pos, step=step,
                                       question=question, said=known[2]))
    return findings + falc_findings(journey, texts, measured)
