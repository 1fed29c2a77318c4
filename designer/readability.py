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
from functools import cache, lru_cache
from typing import Any

import pyphen

from designer.check_messages import Message, msg
from designer.jargon import JargonEntry, find_jargon, load_lexicon, parse_lexicon

__all__ = ["JargonEntry", "load_lexicon", "parse_lexicon"]  # the lexicon, re-exported

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
# Not inside a code or an example value such as "AB-123-CD" or "FR76 3000…".
_ACRONYM = re.compile(r"(?<![\w-])[A-ZÀ-ÖØ-Þ]{2,}(?![\w-])")
_ROMAN = re.compile(r"^[IVXLCDM]+$")
#: Names of file formats and units that citizens meet as such: not acronyms to explain.
KNOWN_ACRONYMS = frozenset(
    {"PDF", "JPG", "JPEG", "PNG", "HEIC", "KB", "MB", "GB", "KO", "MO", "GO", "SMS", "OK"}
)


@dataclass(frozen=True)
class Issue:
    """One FALC or jargon problem in a text: a slug, the excerpt, and advice (a message of
    designer/data/check_messages.yaml, said in the reader's language)."""

    kind: str
    excerpt: str
    advice: Message

    def as_dict(self, lang: str) -> dict[str, str]:
        """The JSON shape, the advice in ``lang``."""
        return {"kind": self.kind, "excerpt": self.excerpt, "advice": self.advice.say(lang)}


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


def _root(lang: str) -> str:
    """The language root we have constants for ("fr-CA" -> "fr"); other languages -> "en"."""
    root = lang.split("-")[0].split("_")[0].lower()
    return root if root in FLESCH_CONSTANTS else "en"


@cache
def _hyphenator(lang: str) -> pyphen.Pyphen:
    # en_US ships with pyphen; "fr" too. Cached: loading a dictionary costs milliseconds.
    return pyphen.Pyphen(lang="fr" if lang == "fr" else "en_US")


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
    hyph = _hyphenator(root)
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
    What depends on the text alone is cached by its content (:func:`_measures`), so a
    journey checked again (the studio, on every keystroke) measures only what changed.
    """
    root = _root(lang)
    m = _measures(text, root)
    issues = (
        list(m.before_acronyms)
        + _acronym_issues(m.acronyms, explained)
        + list(m.after_acronyms)
        + jargon_issues(text, root, lexicon if lexicon is not None else load_lexicon())
    )
    return _measured(root, m.words, m.sentences, m.syllables, m.long_words, m.longest, issues)


@dataclass(frozen=True)
class _Measures:
    """What one text gives whatever the journey around it: its counts, its FALC issues,
    and the acronyms it leaves unexplained (which another text of the journey may
    explain, so they become issues only against the journey's ``explained`` set)."""

    words: int
    sentences: int
    syllables: int
    long_words: int
    longest: int
    before_acronyms: tuple[Issue, ...]
    acronyms: tuple[str, ...]
    after_acronyms: tuple[Issue, ...]


# Bounded: a studio session sees a few thousand distinct texts; 8,192 covers the
# 2,000-question journey (about 3,500 texts) with room for its edits.
@lru_cache(maxsize=8192)
def _measures(text: str, root: str) -> _Measures:
    cleaned = _without_urls(text)
    sentence_words = [
        ws for ws in (_WORD.findall(s) for s in _SENTENCE_BREAK.split(cleaned)) if ws
    ]
    ws = _WORD.findall(cleaned)
    n_words = len(ws)
    return _Measures(
        words=n_words,
        sentences=max(1, len(sentence_words)) if n_words else 0,
        syllables=sum(_syllables(w.lower(), root) for w in ws),
        long_words=sum(1 for w in ws if len(_PART_BREAK.sub("", w)) > LIX_LONG_WORD),
        longest=max((len(s) for s in sentence_words), default=0),
        before_acronyms=tuple(_sign_issues(cleaned)),
        acronyms=tuple(_unexplained(cleaned, frozenset())),
        after_acronyms=tuple(
            Issue("passive", excerpt, msg("advice.passive"))
            for excerpt in _passive(sentence_words, root)
        ),
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


# --- FALC checks -----------------------------------------------------------------------

_FR_ETRE = {
    "être", "est", "sont", "suis", "es", "sommes", "êtes", "été", "était", "étaient",
    "étais", "sera", "seront", "serez", "serons", "serait", "seraient", "soit", "soient",
    "fut", "furent", "étant",
}  # fmt: skip
_EN_BE = {"be", "is", "are", "was", "were", "been", "being", "am"}
# Adverbs that often sit between the auxiliary and the participle.
_FR_ADVERBS = {"pas", "bien", "déjà", "obligatoirement", "toujours", "jamais", "ensuite", "ne"}
_EN_ADVERBS = {"not", "also", "then", "always", "never", "already", "usually"}
# Irregular French participles that administrative texts use in the passive.
_FR_IRREGULAR = {
    "requis", "requise", "requises", "joint", "jointe", "joints", "jointes", "fait", "faite",
    "faits", "faites", "mis", "mise", "remis", "remise", "transmis", "transmise", "pris",
    "prise", "reçu", "reçue", "reçus", "reçues", "tenu", "tenue", "prévu", "prévue", "prévus",
    "prévues", "dû", "due", "dus", "dues", "inscrit", "inscrite", "écrit", "écrite",
    "produit", "produite", "soumis", "soumise", "admis", "admise", "fourni", "fournie",
    "fournis", "fournies", "établi", "établie", "rempli", "remplie", "choisi", "choisie",
}  # fmt: skip
# Participles of verbs conjugated with "être" in the active voice (il est né, elle est
# partie) and civil-status adjectives ("êtes-vous marié ?"): not passive.
_FR_NOT_PASSIVE = {
    "né", "née", "nés", "nées", "allé", "allée", "allés", "allées", "venu", "venue",
    "arrivé", "arrivée", "parti", "partie", "entré", "entrée", "sorti", "sortie", "resté",
    "restée", "tombé", "tombée", "devenu", "devenue", "revenu", "revenue", "retourné",
    "retournée", "décédé", "décédée", "mort", "morte", "marié", "mariée", "mariés",
    "pacsé", "pacsée", "pacsés", "divorcé", "divorcée", "séparé", "séparée", "veuf",
    "veuve", "salarié", "salariée", "âgé", "âgée", "situé", "située", "intéressé",
    "intéressée", "concerné", "concernée", "handicapé", "handicapée", "propriétaire",
    "locataire", "domicilié", "domiciliée", "passé", "passée",
}  # fmt: skip
_EN_IRREGULAR = {
    "given", "taken", "sent", "paid", "made", "done", "known", "shown", "written", "held",
    "kept", "sought", "brought", "told", "seen", "found", "met", "chosen", "sold",
}  # fmt: skip
_EN_NOT_PASSIVE = {"married", "retired", "interested", "based", "aged", "tired", "used"}


def _is_fr_participle(word: str) -> bool:
    w = word.lower()
    if w in _FR_NOT_PASSIVE:
        return False
    return w in _FR_IRREGULAR or bool(re.fullmatch(r"[^\W\d_]{2,}é(?:e|s|es)?", w))


def _is_en_participle(word: str) -> bool:
    w = word.lower()
    if w in _EN_NOT_PASSIVE:
        return False
    return w in _EN_IRREGULAR or (len(w) > 4 and w.endswith("ed"))


def passive_voice(text: str, lang: str = "fr") -> list[str]:
    """Excerpts that look like the passive voice ("être" + past participle; "be" + -ed).

    A heuristic: it misses participles it does not know and may flag an adjective.
    """
    return _passive([words_of(s) for s in sentences_of(text)], _root(lang))


def _passive(sentence_words: list[list[str]], root: str) -> list[str]:
    """passive_voice() on the words of each sentence."""
    found: list[str] = []
    aux, adverbs = (_FR_ETRE, _FR_ADVERBS) if root == "fr" else (_EN_BE, _EN_ADVERBS)
    is_participle = _is_fr_participle if root == "fr" else _is_en_participle
    for words in sentence_words:
        # "Êtes-vous ..." is split into "Êtes" and "vous": the question form counts too.
        tokens = [t for w in words for t in w.split("-") if t]
        for i, tok in enumerate(tokens):
            if tok.lower() not in aux:
                continue
            j = i + 1
            while (
                j < len(tokens)
                and j <= i + 3
                and (tokens[j].lower() in adverbs or tokens[j].lower() in {"vous", "il", "elle"})
            ):
                j += 1
            if j < len(tokens) and is_participle(tokens[j]):
                found.append(" ".join(tokens[i : j + 1]))
    return found


#: What may stand between an acronym and the parenthesis that spells it out: a grade or
#: a number that belongs with it ("GIR 1 ou 2 (groupe iso-ressources)"), not a sentence.
_BESIDE = r"[^().;:!?\n]{0,20}"


def _is_explained(acr: str, cleaned: str) -> bool:
    after = re.search(rf"\b{acr}\b{_BESIDE}\([^)]*[a-zà-ÿ]{{3,}}[^)]*\)", cleaned)
    before = re.search(rf"[a-zà-ÿ]{{3,}}[^()]{{0,80}}\(\s*{acr}\s*\)", cleaned)
    # In words, without parentheses (which FALC avoids): an apposition, "la CAF, caisse
    # d'allocations familiales", or a naming, "on l'appelle le PAI", "known as the PAI".
    apposition = re.search(
        rf"\b{acr}\s*[,:–—-]\s+(?:(?:la|le|les|l'|l’|un|une|the|a|an)\s*)?[a-zà-ÿ]{{4,}}",
        cleaned,
    )
    naming = re.search(
        rf"(?:appel\w*|nomm\w*|dit|called|known as)\s+(?:(?:la|le|les|l'|l’|the)\s*)?"
        rf"«?\s*{acr}\b",
        cleaned,
        re.I,
    )
    return bool(after or before or apposition or naming)


def _explains_an_acronym(parenthesis: str, start: int, cleaned: str) -> bool:
    """Whether a parenthesis (found at ``start``) introduces or spells out an acronym: what
    the acronym rule asks for, so not a FALC problem."""
    inner = parenthesis.strip("() ")
    if _ACRONYM.fullmatch(inner):
        return True
    if not re.search(r"[a-zà-ÿ]{3,}", inner):
        return False
    beside = re.search(rf"({_ACRONYM.pattern}){_BESIDE}$", cleaned[max(0, start - 40) : start])
    return beside is not None


def explained_acronyms(text: str) -> set[str]:
    """Acronyms a text explains in parentheses next to them (for use in other texts)."""
    cleaned = _without_urls(text)
    return {m.group(0) for m in _ACRONYM.finditer(cleaned) if _is_explained(m.group(0), cleaned)}


def unexplained_acronyms(text: str, explained: frozenset[str] = frozenset()) -> list[str]:
    """All-caps words of 2+ letters not explained in parentheses next to them.

    "Caisse d'allocations familiales (CAF)" and "CAF (caisse d'allocations familiales)"
    both explain CAF for the whole text; ``explained`` holds acronyms explained elsewhere
    (another text of the same journey). Roman numerals, file formats and units
    (KNOWN_ACRONYMS) are not acronyms to explain.
    """
    return _unexplained(_without_urls(text), explained)


def _unexplained(cleaned: str, explained: frozenset[str]) -> list[str]:
    """unexplained_acronyms() on a text whose addresses are already left out."""
    seen: list[str] = []
    for m in _ACRONYM.finditer(cleaned):
        acr = m.group(0)
        if acr in seen or acr in explained or acr in KNOWN_ACRONYMS or _ROMAN.match(acr):
            continue
        if not _is_explained(acr, cleaned):
            seen.append(acr)
    return seen


def falc_issues(
    text: str, lang: str = "fr", explained: frozenset[str] = frozenset()
) -> list[Issue]:
    """The FALC rules a machine can check: ( ) / % & §, unexplained acronyms, passive voice.

    ``explained``: acronyms explained in another text of the same journey."""
    m = _measures(text, _root(lang))
    return (
        list(m.before_acronyms)
        + _acronym_issues(m.acronyms, explained)
        + list(m.after_acronyms)
    )


_PARENTHESIS = re.compile(r"\([^)]*\)?")
_SLASH = re.compile(r"\S*/\S*")
_PERCENTAGE = re.compile(r"\d+(?:[.,]\d+)?\s*%|\b(?:pour ?cent|percent|per cent)\b", re.I)


def _sign_issues(cleaned: str) -> list[Issue]:
    """The FALC issues of signs in a text without addresses: ( ) / % & §."""
    issues: list[Issue] = []
    if "(" in cleaned or ")" in cleaned:
        loose = [
            m.group(0)
            for m in _PARENTHESIS.finditer(cleaned)
            if not _explains_an_acronym(m.group(0), m.start(), cleaned)
        ]
        if loose or "(" not in cleaned:
            issues.append(
                Issue("parentheses", loose[0] if loose else "(", msg("advice.parentheses"))
            )
    if "/" in cleaned:
        m = _SLASH.search(cleaned)
        if m:
            issues.append(Issue("slash", m.group(0), msg("advice.slash")))
    m = _PERCENTAGE.search(cleaned)
    if m:
        issues.append(Issue("percentage", m.group(0), msg("advice.percentage")))
    for ch in ("&", "§"):
        if ch in cleaned:
            issues.append(Issue("special-character", ch, msg("advice.special-character")))
    return issues


# --- Administrative jargon (the lexicon and its search: designer/jargon.py) --------------


def jargon_issues(text: str, lang: str, lexicon: list[JargonEntry]) -> list[Issue]:
    """Lexicon terms found in the text, in the sense they are jargon in, each with its
    plain replacement as advice."""
    return [
        Issue(
            "jargon",
            m.excerpt,
            msg("advice.jargon.sense", plain=m.entry.plain, sense=m.entry.sense)
            if m.entry.sense
            else msg("advice.jargon", plain=m.entry.plain),
        )
        for m in find_jargon(text, lang, lexicon)
    ]
