"""The easy-to-read (FALC) rules a machine can check on one text: signs, acronyms, passive.

Split from designer/readability.py, which measures a text and calls these checks once per
distinct text; they take a text whose web and e-mail addresses are already left out
(``cleaned``) and know nothing of journeys. Each check is written to cost next to nothing
on the common text that breaks no rule (most labels of a journey): a cheap test that
cannot miss a problem comes before each regular expression.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from designer.check_messages import Message, msg

# Not inside a code or an example value such as "AB-123-CD" or "FR76 3000…".
ACRONYM = re.compile(r"(?<![\w-])[A-ZÀ-ÖØ-Þ]{2,}(?![\w-])")
# Two capitals in a row: what every acronym holds. Searched first because it costs about
# a third of ACRONYM (whose look-behind is tried at every position of the text), and
# most texts hold no acronym.
_TWO_CAPITALS = re.compile(r"[A-ZÀ-ÖØ-Þ]{2}")
_ROMAN = re.compile(r"^[IVXLCDM]+$")
#: Names of file formats and units that citizens meet as such: not acronyms to explain.
KNOWN_ACRONYMS = frozenset(
    {"PDF", "JPG", "JPEG", "PNG", "HEIC", "KB", "MB", "GB", "KO", "MO", "GO", "SMS", "OK"}
)


class Issue(NamedTuple):
    """One FALC or jargon problem in a text: a slug, the excerpt, and advice (a message of
    designer/data/check_messages.yaml, said in the reader's language). A named tuple (as
    immutable as a frozen dataclass, and made in half the time: a large journey has
    thousands)."""

    kind: str
    excerpt: str
    advice: Message

    def as_dict(self, lang: str) -> dict[str, str]:
        """The JSON shape, the advice in ``lang``."""
        return {"kind": self.kind, "excerpt": self.excerpt, "advice": self.advice.say(lang)}


# --- Acronyms ------------------------------------------------------------------------------

#: What may stand between an acronym and the parenthesis that spells it out: a grade or
#: a number that belongs with it ("GIR 1 ou 2 (groupe iso-ressources)"), not a sentence.
_BESIDE = r"[^().;:!?\n]{0,20}"
_A_WORD = re.compile(r"[a-zà-ÿ]{3,}")
_ACRONYM_BEFORE = re.compile(rf"({ACRONYM.pattern}){_BESIDE}$")


def is_explained(acr: str, cleaned: str) -> bool:
    """Whether the text spells out ``acr`` next to it: in parentheses after or before it,
    or in words (an apposition, a naming)."""
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


def acronyms(cleaned: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """The acronyms of a text in one reading: those it leaves unexplained (in order of
    first use; roman numerals and KNOWN_ACRONYMS are not acronyms to explain), and those
    it explains (for use in other texts, known ones included)."""
    if _TWO_CAPITALS.search(cleaned) is None:
        return (), frozenset()
    unexplained: list[str] = []
    explained: set[str] = set()
    tried: set[str] = set()
    for m in ACRONYM.finditer(cleaned):
        acr = m.group(0)
        if acr in tried:
            continue  # the same answer for the same text: asked once
        tried.add(acr)
        if is_explained(acr, cleaned):
            explained.add(acr)
        elif acr not in KNOWN_ACRONYMS and not _ROMAN.match(acr):
            unexplained.append(acr)
    return tuple(unexplained), frozenset(explained)


def _explains_an_acronym(parenthesis: str, start: int, cleaned: str) -> bool:
    """Whether a parenthesis (found at ``start``) introduces or spells out an acronym: what
    the acronym rule asks for, so not a FALC problem."""
    inner = parenthesis.strip("() ")
    if ACRONYM.fullmatch(inner):
        return True
    if not _A_WORD.search(inner):
        return False
    beside = _ACRONYM_BEFORE.search(cleaned[max(0, start - 40) : start])
    return beside is not None


# --- Signs ---------------------------------------------------------------------------------

_PARENTHESIS = re.compile(r"\([^)]*\)?")
_SLASH = re.compile(r"\S*/\S*")
_PERCENTAGE = re.compile(r"\d+(?:[.,]\d+)?\s*%|\b(?:pour ?cent|percent|per cent)\b", re.I)


def might_hold_a_percentage(cleaned: str) -> bool:
    """False only for a text that _PERCENTAGE cannot match: it needs a "%" or a word that
    holds "cent" in any case (every letter that re.IGNORECASE takes for c, e, n or t
    lowers to it: tests/readability/test_speed_equivalence.py checks the whole of Unicode)."""
    return "%" in cleaned or "cent" in cleaned.lower()


def sign_issues(cleaned: str) -> tuple[Issue, ...]:
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
    m = _PERCENTAGE.search(cleaned) if might_hold_a_percentage(cleaned) else None
    if m:
        issues.append(Issue("percentage", m.group(0), msg("advice.percentage")))
    if "&" in cleaned:
        issues.append(Issue("special-character", "&", msg("advice.special-character")))
    if "§" in cleaned:
        issues.append(Issue("special-character", "§", msg("advice.special-character")))
    return tuple(issues)


# --- Passive voice -------------------------------------------------------------------------

FR_ETRE = {
    "être", "est", "sont", "suis", "es", "sommes", "êtes", "été", "était", "étaient",
    "étais", "sera", "seront", "serez", "serons", "serait", "seraient", "soit", "soient",
    "fut", "furent", "étant",
}  # fmt: skip
EN_BE = {"be", "is", "are", "was", "were", "been", "being", "am"}
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
_FR_PARTICIPLE = re.compile(r"[^\W\d_]{2,}é(?:e|s|es)?")


def _is_fr_participle(word: str) -> bool:
    w = word.lower()
    if w in _FR_NOT_PASSIVE:
        return False
    return w in _FR_IRREGULAR or bool(_FR_PARTICIPLE.fullmatch(w))


def _is_en_participle(word: str) -> bool:
    w = word.lower()
    if w in _EN_NOT_PASSIVE:
        return False
    return w in _EN_IRREGULAR or (len(w) > 4 and w.endswith("ed"))


def holds_an_auxiliary(word: str, root: str) -> bool:
    """Whether a word holds the auxiliary that :func:`passive` starts from ("Êtes-vous"
    holds "Êtes"): a text without one has no passive to find."""
    aux = FR_ETRE if root == "fr" else EN_BE
    return any(t.lower() in aux for t in word.split("-") if t)


def passive(sentence_words: list[list[str]], root: str) -> list[str]:
    """Excerpts that look like the passive voice in the words of each sentence ("être" +
    past participle; "be" + -ed): a heuristic that misses participles it does not know
    and may flag an adjective."""
    found: list[str] = []
    aux, adverbs = (FR_ETRE, _FR_ADVERBS) if root == "fr" else (EN_BE, _EN_ADVERBS)
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
