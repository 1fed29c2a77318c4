"""The speed tricks of the readability pass give what the plain computation gives.

Each trick of designer/readability.py, designer/falc_rules.py, designer/hyphenation.py and
designer/jargon.py (per-word figures, one reading per text, cheap tests before a regular
expression, Pyphen's patterns parsed lazily, per-word jargon candidates) is held here to
the slow, obvious computation it replaced, on every text of the journeys and the docs
and on texts written to reach the rare branches.
"""

from __future__ import annotations

import re
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pyphen
import pytest
import yaml

from designer import falc_rules as fr
from designer import jargon as jg
from designer import readability as rd
from designer.check import journey_files
from designer.check_messages import catalogue, msg
from designer.compiled import _text_values
from designer.hyphenation import Hyphenation, dictionary_path, hyphenation
from designer.loading import load_journey

ROOT = Path(__file__).resolve().parents[2]
#: Every YAML file of the examples (journeys and organisation: texts to read).
EXAMPLES = sorted(
    p for p in (ROOT / "journeys").rglob("*.yaml") if not p.name.endswith(".cases.yaml")
)
#: The journeys among them.
JOURNEYS = sorted(journey_files([ROOT / "journeys"]))  # sub-folders too

#: Texts that reach the branches the journeys rarely reach.
CRAFTED = [
    "",
    "Votre demande sera examinée par la mairie. Les pièces sont obligatoirement jointes.",
    "Vous êtes né en France. Êtes-vous marié ? Is it signed? The form was sent.",
    "Caisse d'allocations familiales (CAF). Numéro CAF, puis la CAF, caisse d'allocations.",
    "Le RSA (revenu de solidarité active) et le PAI : on l'appelle le PAI. GIR 1 ou 2 "
    "(groupe iso-ressources). Chapitre IV, PDF de 2 MO, code AB-123-CD, FR76 3000.",
    "Environ 20 % des demandes, 3,5% ou vingt pour cent, pourcent, PER CENT, Percent.",
    "Cochez oui/non & signez § 3. Voir https://www.service-public.fr/a ou [ici](x.html), "
    "écrivez à mairie@ville.fr. (sans fermer",
    "Listes :\n- premier point\n- second point\n\n1. un\n2) deux\n* trois\n+ quatre",
    "Joignez un justificatif de domicile dûment signé ; le règlement du jardin, le "
    "règlement de la facture, c'est-à-dire vos ressources, groupe iso-ressources.",
    "Un mot très-très long, l'adresse d’un aujourd'hui peut-être anticonstitutionnellement.",
    "ÉTAT CIVIL, ÉCOLE, ÀB, reſſources, Kelvin K, İstanbul, ΑΣ. ΣΑΣ ΟΔΟΣ",
]


def _strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)] + [
            k for k in node if isinstance(k, str)
        ]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return []


@cache
def corpus() -> tuple[str, ...]:
    """Every string of the journeys and the lexicon, every paragraph of the docs."""
    texts = list(CRAFTED)
    for path in [*EXAMPLES, jg.SHIPPED]:
        texts += _strings(yaml.safe_load(path.read_text(encoding="utf-8")))
    for page in sorted((ROOT / "docs").rglob("*.md")):
        texts += page.read_text(encoding="utf-8").split("\n\n")
    return tuple(dict.fromkeys(texts))


@cache
def words() -> tuple[str, ...]:
    """Every distinct word of the corpus, and its parts as syllables() splits them."""
    found = {w for t in corpus() for w in rd.words_of(t)}
    found |= {p for w in found for p in re.split(r"['’\-]", w.lower()) if p}
    return tuple(sorted(found))


# --- The reference: how a text was measured before the speed work -------------------------


def _reference(text: str, root: str) -> dict[str, Any]:
    cleaned = rd._without_urls(text)
    sentence_words = [
        ws for ws in (rd._WORD.findall(s) for s in rd._SENTENCE_BREAK.split(cleaned)) if ws
    ]
    ws = rd._WORD.findall(cleaned)
    acronyms = [m.group(0) for m in fr.ACRONYM.finditer(cleaned)]
    unexplained: list[str] = []
    for acr in acronyms:
        if (
            acr not in unexplained
            and acr not in fr.KNOWN_ACRONYMS
            and not re.match(r"^[IVXLCDM]+$", acr)
            and not fr.is_explained(acr, cleaned)
        ):
            unexplained.append(acr)
    return {
        "lang": root,
        "words": len(ws),
        "sentences": max(1, len(sentence_words)) if ws else 0,
        "syllables": sum(rd.syllables(w, root) for w in ws),
        "long_words": sum(1 for w in ws if len(re.sub(r"['’\-]", "", w)) > rd.LIX_LONG_WORD),
        "longest": max((len(s) for s in sentence_words), default=0),
        "acronyms": tuple(unexplained),
        "explains": frozenset(a for a in acronyms if fr.is_explained(a, cleaned)),
        "passive": fr.passive(sentence_words, root),
        "signs": _reference_signs(cleaned),
        "percentage": fr._PERCENTAGE.search(cleaned) is not None,
    }


def _reference_signs(cleaned: str) -> list[tuple[str, str]]:
    """(kind, excerpt) of the sign issues, each parenthesis judged in its text anew."""

    def explains(parenthesis: str, start: int) -> bool:
        inner = parenthesis.strip("() ")
        if fr.ACRONYM.fullmatch(inner):
            return True
        if not re.search(r"[a-zà-ÿ]{3,}", inner):
            return False
        before = cleaned[max(0, start - 40) : start]
        return re.search(rf"({fr.ACRONYM.pattern}){fr._BESIDE}$", before) is not None

    found = []
    if "(" in cleaned or ")" in cleaned:
        loose = [
            m.group(0)
            for m in fr._PARENTHESIS.finditer(cleaned)
            if not explains(m.group(0), m.start())
        ]
        if loose or "(" not in cleaned:
            found.append(("parentheses", loose[0] if loose else "("))
    if (m := fr._SLASH.search(cleaned)) is not None:
        found.append(("slash", m.group(0)))
    if (m := fr._PERCENTAGE.search(cleaned)) is not None:
        found.append(("percentage", m.group(0)))
    found += [("special-character", ch) for ch in ("&", "§") if ch in cleaned]
    return found


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_each_text_measures_as_word_by_word(lang: str) -> None:
    for text in corpus():
        m = rd.measure(text, lang)
        want = _reference(text, lang)
        got = {
            **{k: getattr(m, k) for k in want if k not in ("passive", "percentage", "signs")},
            "longest": m.longest,
            "passive": [i.excerpt for i in m.after_acronyms],
            "percentage": any(i.kind == "percentage" for i in m.before_acronyms),
            "signs": [(i.kind, i.excerpt) for i in m.before_acronyms],
        }
        assert got == want, text
        # The words kept for the jargon search are the ones it would read itself.
        if m.tokens is not None:
            assert list(m.tokens) == jg._TOKEN.findall(text), text


def test_the_cached_word_figures_are_the_counts_of_each_word() -> None:
    for root in ("fr", "en"):
        for w in words():
            syllables, long_word, auxiliary = rd._word_figures(w, root)
            assert syllables == rd._syllables(w.lower(), root)
            assert long_word == (len(re.sub(r"['’\-]", "", w)) > rd.LIX_LONG_WORD)
            aux = fr.FR_ETRE if root == "fr" else fr.EN_BE
            assert auxiliary == any(t.lower() in aux for t in w.split("-") if t)


@pytest.mark.parametrize(("root", "name"), [("fr", "fr"), ("en", "en_US")])
def test_lazy_hyphenation_gives_pyphens_points(root: str, name: str) -> None:
    reference = pyphen.Pyphen(lang=name)
    ours = hyphenation(root)
    # Every pattern's letters are indexed, as Pyphen indexes them.
    assert set(ours.patterns) == set(reference.hd.patterns)
    samples = {*words(), *(k.strip(".") for k in reference.hd.patterns)}
    for w in sorted(s for s in samples if s):
        assert ours.positions(w) == reference.positions(w), w


@pytest.mark.parametrize("root", ["fr", "en"])
def test_the_fast_index_of_a_dictionary_is_the_line_by_line_one(root: str) -> None:
    # Files with escapes, nonstandard hyphenations or other digits are read line by line,
    # as Pyphen reads them; the shipped ones by the fast reading, which must agree.
    path = dictionary_path(root)
    line_by_line = Hyphenation.__new__(Hyphenation)
    line_by_line.patterns = {}
    line_by_line._read_each([line.strip() for line in path.read_text("utf-8").split("\n")[1:]])
    assert list(line_by_line.patterns.items()) == list(Hyphenation(path).patterns.items())


def test_the_percentage_shortcut_cannot_miss_one() -> None:
    # _PERCENTAGE needs "%" or "cent" in some case: every character that re.IGNORECASE
    # takes for c, e, n or t lowers to that letter, so `"cent" in text.lower()` finds it.
    everything = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000)
    for letter in "cent":
        for ch in set(re.findall(letter, everything, re.IGNORECASE)):
            assert ch.lower() == letter, (letter, ch)
    for text in corpus():
        if fr._PERCENTAGE.search(text):
            assert fr.might_hold_a_percentage(text), text


def _text_by_text_jargon(text: str, lang: str) -> list[tuple[int, str, str]]:
    """The entries anchored on the key of a word of the text, found anew for each text,
    tried longest first (a text without the anchor cannot hold the term, but for letters
    that only re.IGNORECASE equates, such as the long s of "reſſources": never reported)."""
    keys = {jg._key(w) for w in jg._TOKEN.findall(text)}
    ranked = sorted(
        (e for e in jg.load_lexicon() if e.lang == lang and jg._anchor(e.term) in keys),
        key=lambda e: -len(e.term),
    )
    found: list[tuple[int, int, str, str]] = []
    for entry in ranked:
        for m in jg._term_regex(entry.term).finditer(text):
            if any(s < m.end() and m.start() < e for s, e, _, _ in found):
                continue
            if entry.not_jargon and jg._in_other_sense(entry, text, m.start()):
                continue
            found.append((m.start(), m.end(), m.group(0), entry.term))
            break
    return sorted((s, x, t) for s, _, x, t in found)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_jargon_candidates_miss_no_term(lang: str) -> None:
    lexicon = jg.load_lexicon()
    for text in corpus():
        got = [(m.start, m.excerpt, m.entry.term) for m in jg.find_jargon(text, lang, lexicon)]
        assert got == _text_by_text_jargon(text, lang), text


def test_a_message_without_parameters_is_said_as_its_template() -> None:
    for key, entry in catalogue().items():
        if "{" not in entry["en"] and "{" not in entry.get("fr", ""):
            assert msg(key) is msg(key)
            assert msg(key).say("fr") == (entry.get("fr") or entry["en"]).format()
            assert msg(key).say("en") == entry["en"].format()


@pytest.mark.parametrize("path", JOURNEYS, ids=lambda p: p.name)
def test_falc_languages_shortcut_agrees_with_the_walk(path: Path) -> None:
    journey = load_journey(path).journey
    assert journey is not None
    keys = {k for value in _text_values(journey.document.data) for k in value}
    walked = [lang for lang in journey.languages if f"{lang}-falc" in keys]
    assert journey.falc_languages() == walked
