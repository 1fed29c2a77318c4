"""Readability of the texts a citizen reads: scores, FALC checks and administrative jargon.

Everything here works offline and knows nothing of journeys: it takes a string and a
language code and returns figures and problems. Syllables come from Pyphen's hyphenation
dictionaries (hyphenation points + 1, the convention of textstat), because textstat's
English mode downloads the CMU dictionary at run time and fails offline; the French
score uses the Kandel-Moles constants (207 / 1.015 / 73.6), the same ones as
``textstat.set_lang("fr")``, so both give the same figure on the same words and sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from typing import Any, NamedTuple

from designer.check_messages import msg
from designer.falc_rules import (
    KNOWN_ACRONYMS,
    Issue,
    acronyms,
    holds_an_auxiliary,
    passive,
    sign_issues,
)
from designer.hyphenation import hyphenation
from designer.jargon import JargonEntry, JargonMatch, find_jargon, load_lexicon, parse_lexicon

# The lexicon and the FALC rules' issue, re-exported.
__all__ = ["KNOWN_ACRONYMS", "Issue", "JargonEntry", "load_lexicon", "parse_lexicon"]

#: Flesch constants per language: base, weight of words per sentence, of syllables per word.
FLESCH_CONSTANTS: dict[str, tuple[float, float, float]] = {
    # Kandel & Moles (1958), the French adaptation of Flesch (1948).
    "fr": (207.0, 1.015, 73.6),
    # Flesch (1948), the original reading-ease formula.
    "en": (206.835, 1.015, 84.6),
}

#: A LIX "long word" has more than this many letters (Björnsson 1968).
LIX_LONG_WORD = 6

# A word: letters, with inner apostrophes or hyphens ("l'adresse", "peut-être").
_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*", re.UNICODE)
# A sentence ends at . ! ? … followed by space or the end, at a blank line, or at a
# list item: form texts are often lists, and a list item reads as a sentence.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])\s+|\n\s*\n|\n\s*(?:[-*+]|\d+[.)])\s+")
_URL = re.compile(r"(?:https?://|www\.)\S+|\]\([^)]*\)|\S+@\S+\.\S+")


@dataclass
class Readability:
    """The measured readability of one text."""

    lang: str
    words: int
    sentences: int
    syllables: int
    long_words: int
    flesch: float | None
    lix: float | None
    words_per_sentence: float
    longest_sentence: int
    issues: list[Issue] = field(default_factory=list)

    @property
    def level(self) -> str:
        """A plain label for the Flesch score: easy, standard, difficult (or n/a)."""
        if self.flesch is None:
            return "n/a"
        if self.flesch >= 70:
            return "easy"
        if self.flesch >= 50:
            return "standard"
        return "difficult"

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of the figures and issues."""
        return {
            "lang": self.lang,
            "words": self.words,
            "sentences": self.sentences,
            "syllables": self.syllables,
            "long_words": self.long_words,
            "flesch": None if self.flesch is None else round(self.flesch, 1),
            "lix": None if self.lix is None else round(self.lix, 1),
            "words_per_sentence": round(self.words_per_sentence, 1),
            "longest_sentence": self.longest_sentence,
            "level": self.level,
            "issues": [i.as_dict(self.lang) for i in self.issues],
        }


# Cached: asked for every text, of the few language codes a journey has.
@lru_cache(maxsize=256)
def _root(lang: str) -> str:
    """The language root we have constants for ("fr-CA" -> "fr"); other languages -> "en"."""
    root = lang.split("-")[0].split("_")[0].lower()
    return root if root in FLESCH_CONSTANTS else "en"


def _without_urls(text: str) -> str:
    # Most texts hold no address: skip the substitution (it dominates on big journeys).
    if "://" in text or "www." in text or "](" in text or "@" in text:
        return _URL.sub(" ", text)
    return text


def words_of(text: str) -> list[str]:
    """The words of a text (URLs and e-mail addresses left out)."""
    return _WORD.findall(_without_urls(text))


def sentences_of(text: str) -> list[str]:
    """The sentences of a text: pieces holding at least one word."""
    cleaned = _without_urls(text)
    return [s.strip() for s in _SENTENCE_BREAK.split(cleaned) if _WORD.search(s)]


def syllables(word: str, lang: str = "fr") -> int:
    """Syllables of a word: Pyphen hyphenation points + 1 for each elided or hyphenated part.

    A part without a vowel ("l" of "l'adresse") counts zero, so an elision adds nothing.
    """
    return _syllables(word.lower(), _root(lang))


_PART_BREAK = re.compile(r"['’\-]")
_VOWEL = re.compile(r"[aeiouyàâäéèêëîïôöùûüÿœæ]")


@lru_cache(maxsize=1 << 16)
def _syllables(word: str, root: str) -> int:
    # Cached: a journey uses a few hundred distinct words thousands of times.
    hyph = hyphenation(root)  # Pyphen's dictionary, read lazily (designer/hyphenation.py)
    total = 0
    for part in _PART_BREAK.split(word):
        if _VOWEL.search(part):
            total += len(hyph.positions(part)) + 1
    return total


def flesch(words: int, sentences: int, syllable_count: int, lang: str = "fr") -> float:
    """Flesch reading ease from counts; Kandel-Moles constants for French.

    FRE = a - b * (words / sentences) - c * (syllables / words). Not capped at 100.
    """
    a, b, c = FLESCH_CONSTANTS[_root(lang)]
    return a - b * (words / sentences) - c * (syllable_count / words)


def lix(words: int, sentences: int, long_words: int) -> float:
    """LIX = words / sentences + 100 * long words / words (Björnsson 1968)."""
    return words / sentences + 100.0 * long_words / words


def analyse(
    text: str,
    lang: str = "fr",
    lexicon: list[JargonEntry] | None = None,
    explained: frozenset[str] = frozenset(),
) -> Readability:
    """Measure one text: Flesch (Kandel-Moles in French), LIX, sentence length, FALC, jargon.

    ``lexicon`` defaults to the project's lexicon (designer/data/lexicon.yaml);
    ``explained``: acronyms explained in another text of the same document.
    What depends on the text alone is cached by its content (:func:`measure`), so a
    journey checked again (the studio, on every keystroke) measures only what changed.
    """
    return read(text, _measures(text, _root(lang)), lexicon, explained)


def read(
    text: str,
    m: Measures,
    lexicon: list[JargonEntry] | None = None,
    explained: frozenset[str] = frozenset(),
) -> Readability:
    """:func:`analyse` of a text whose :func:`measure` is known (``m``)."""
    issues = list(m.before_acronyms)
    if m.acronyms:
        issues += _acronym_issues(m.acronyms, explained)
    if m.after_acronyms:
        issues += m.after_acronyms
    lexicon = lexicon if lexicon is not None else load_lexicon()
    found = find_jargon(text, m.lang, lexicon, m.tokens)
    if found:
        issues += map(_jargon_issue, found)
    return _measured(m.lang, m.words, m.sentences, m.syllables, m.long_words, m.longest, issues)


class Measures(NamedTuple):
    """What one text gives whatever the journey around it: its counts, its FALC issues,
    the acronyms it leaves unexplained (which another text of the journey may explain,
    so they become issues only against the journey's ``explained`` set), and those it
    explains (:func:`explained_acronyms`). A named tuple rather than a frozen dataclass:
    built for every distinct text, it costs a third."""

    lang: str  # the language root
    words: int
    sentences: int
    syllables: int
    long_words: int
    longest: int
    before_acronyms: tuple[Issue, ...]
    acronyms: tuple[str, ...]
    after_acronyms: tuple[Issue, ...]
    explains: frozenset[str]
    #: The words of the text when no address was left out (the jargon search reads the
    #: same words in the whole text then), else None.
    tokens: tuple[str, ...] | None


def measure(text: str, lang: str = "fr") -> Measures:
    """The :class:`Measures` of a text in a language, read once per distinct text."""
    return _measures(text, _root(lang))


#: Per language root, what each distinct word gives: its syllables, whether it is a long
#: word (LIX), whether it holds the auxiliary of a passive (:func:`_word_figures`).
_WORD_FIGURES: dict[str, dict[str, tuple[int, int, bool]]] = {}


def _word_figures(word: str, root: str) -> tuple[int, int, bool]:
    """A word's syllables, 1 if it is a LIX long word (else 0), and whether it holds an
    auxiliary: computed once per distinct word, since a journey's thousands of texts use a
    few hundred words (what a text gives is their sum, the same as word by word)."""
    return (
        _syllables(word.lower(), root),
        1 if len(_PART_BREAK.sub("", word)) > LIX_LONG_WORD else 0,
        holds_an_auxiliary(word, root),
    )


# Bounded: a studio session sees a few thousand distinct texts; 8,192 covers the
# 2,000-question journey (about 3,500 texts) with room for its edits.
@lru_cache(maxsize=8192)
def _measures(text: str, root: str) -> Measures:
    cleaned = _without_urls(text)
    # The words of the whole text are those of its sentences put end to end (a sentence
    # break is blanks, list marks and digits, never inside a word), so it is read once;
    # a text without a line break or a stop is one sentence, not split.
    if "\n" in cleaned or "." in cleaned or "?" in cleaned or "!" in cleaned or "…" in cleaned:
        sentence_words = [ws for ws in map(_WORD.findall, _SENTENCE_BREAK.split(cleaned)) if ws]
    else:
        ws = _WORD.findall(cleaned)
        sentence_words = [ws] if ws else []
    figures = _WORD_FIGURES.setdefault(root, {})
    if len(figures) > 1 << 16:
        figures.clear()  # a long studio session starts again rather than grow
    n_words = n_syll = n_long = longest = 0
    auxiliary = False
    for ws in sentence_words:
        n_words += len(ws)
        if len(ws) > longest:
            longest = len(ws)
        for w in ws:
            f = figures.get(w)
            if f is None:
                f = figures[w] = _word_figures(w, root)
            syllables, long_word, holds_auxiliary = f
            n_syll += syllables
            n_long += long_word
            auxiliary = auxiliary or holds_auxiliary
    unexplained, explains = acronyms(cleaned)
    # No auxiliary, no passive: the sentence-by-sentence search is left out.
    found = passive(sentence_words, root) if auxiliary else ()
    return Measures(
        root,
        n_words,
        max(1, len(sentence_words)) if n_words else 0,
        n_syll,
        n_long,
        longest,
        sign_issues(cleaned),
        unexplained,
        tuple([Issue("passive", e, msg("advice.passive")) for e in found]) if found else (),
        explains,
        # (The same words as the jargon search would read in the text.)
        tuple(chain.from_iterable(sentence_words)) if cleaned is text else None,
    )


def _acronym_issues(acronyms: tuple[str, ...], explained: frozenset[str]) -> list[Issue]:
    return [
        Issue("acronym", acr, msg("advice.acronym", acronym=acr))
        for acr in acronyms
        if acr not in explained
    ]


def _measured(
    root: str,
    n_words: int,
    n_sents: int,
    n_syll: int,
    n_long: int,
    longest: int,
    issues: list[Issue],
) -> Readability:
    """The measures of a text from its counts: the scores are derived here only."""
    return Readability(
        lang=root,
        words=n_words,
        sentences=n_sents,
        syllables=n_syll,
        long_words=n_long,
        flesch=flesch(n_words, n_sents, n_syll, root) if n_words else None,
        lix=lix(n_words, n_sents, n_long) if n_words else None,
        words_per_sentence=n_words / n_sents if n_sents else 0.0,
        longest_sentence=longest,
        issues=issues,
    )


def combine(parts: list[Readability], lang: str = "fr") -> Readability:
    """The figures of several texts read together, from each one's measures: the same as
    measuring them joined by blank lines, without reading them a second time."""
    return _measured(
        _root(lang),
        sum(p.words for p in parts),
        sum(p.sentences for p in parts),
        sum(p.syllables for p in parts),
        sum(p.long_words for p in parts),
        max((p.longest_sentence for p in parts), default=0),
        [issue for p in parts for issue in p.issues],
    )


# --- FALC checks (the rules themselves: designer/falc_rules.py) ----------------------------


def passive_voice(text: str, lang: str = "fr") -> list[str]:
    """Excerpts that look like the passive voice ("être" + past participle; "be" + -ed).

    A heuristic: it misses participles it does not know and may flag an adjective.
    """
    return passive([words_of(s) for s in sentences_of(text)], _root(lang))


def explained_acronyms(text: str) -> set[str]:
    """Acronyms a text explains in parentheses next to them (for use in other texts)."""
    return set(acronyms(_without_urls(text))[1])


def unexplained_acronyms(text: str, explained: frozenset[str] = frozenset()) -> list[str]:
    """All-caps words of 2+ letters not explained in parentheses next to them.

    "Caisse d'allocations familiales (CAF)" and "CAF (caisse d'allocations familiales)"
    both explain CAF for the whole text; ``explained`` holds acronyms explained elsewhere
    (another text of the same journey). Roman numerals, file formats and units
    (KNOWN_ACRONYMS) are not acronyms to explain.
    """
    return [acr for acr in acronyms(_without_urls(text))[0] if acr not in explained]


def falc_issues(
    text: str, lang: str = "fr", explained: frozenset[str] = frozenset()
) -> list[Issue]:
    """The FALC rules a machine can check: ( ) / % & §, unexplained acronyms, passive voice.

    ``explained``: acronyms explained in another text of the same journey."""
    m = measure(text, lang)
    return (
        list(m.before_acronyms)
        + _acronym_issues(m.acronyms, explained)
        + list(m.after_acronyms)
    )


# --- Administrative jargon (the lexicon and its search: designer/jargon.py) --------------


def jargon_issues(
    text: str, lang: str, lexicon: list[JargonEntry], words: tuple[str, ...] | None = None
) -> list[Issue]:
    """Lexicon terms found in the text, in the sense they are jargon in, each with its
    plain replacement as advice; ``words``: the text's words if read already."""
    return [_jargon_issue(m) for m in find_jargon(text, lang, lexicon, words)]


def _jargon_issue(found: JargonMatch) -> Issue:
    entry = found.entry
    return Issue(
        "jargon",
        found.excerpt,
        msg("advice.jargon.sense", plain=entry.plain, sense=entry.sense)
        if entry.sense
        else msg("advice.jargon", plain=entry.plain),
    )
