"""Administrative jargon: the lexicon (data, extendable by an organisation) and its search.

The lexicon is data, like the concept catalogue: ``designer/data/lexicon.yaml`` is shipped;
an organisation adds its own files in the same format (:func:`load_lexicon`), to add terms
or to say in which contexts a shipped term is not jargon. Each entry names the **sense** it
targets ("règlement" meaning a payment) and the contexts where the word has another sense
or is part of an official name ("le règlement du jardin", its rules), so that the advice is
never wrong about the words the designer must keep. A file that contradicts another one
(another replacement for the same term) is refused with a message naming the file and term.

A term also never matches inside a hyphenated compound: "ressources" is jargon for "revenus",
"groupe iso-ressources" (GIR) is the official name of a degree of dependency.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

from designer import shipped_data

SHIPPED = Path(__file__).parent / "data" / "lexicon.yaml"
#: In a `not_jargon` context, this stands for any one word ("règlement du …").
ANY_WORD = "…"
_WORD = r"[^\W\d_]+(?:['’][^\W\d_]+)?"


class LexiconError(ValueError):
    """A lexicon file that cannot be loaded: the message names the file and the term."""


@dataclass(frozen=True)
class JargonEntry:
    """One lexicon entry: an administrative term, the sense it is jargon in, its plain
    replacement, and the contexts in which the same word is not jargon."""

    term: str
    plain: str
    lang: str
    sense: str = ""
    not_jargon: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class JargonMatch:
    """A term found in a text: where, the words as written, and its entry."""

    start: int
    end: int
    excerpt: str
    entry: JargonEntry


# Cached: asked for every text, of the few language codes a journey has.
@lru_cache(maxsize=256)
def _root(lang: str) -> str:
    root = lang.split("-")[0].split("_")[0].lower()
    return root if root in ("fr", "en") else "en"


def parse_lexicon(data: Any, origin: str = "lexicon") -> list[JargonEntry]:
    """Entries of a lexicon mapping ``{version?, fr: [...], en: [...]}``; each entry
    ``{term, plain, sense?, not_jargon?, note?}``. Raises LexiconError naming ``origin``."""
    if not isinstance(data, dict):
        raise LexiconError(f"{origin}: a lexicon file is a mapping of languages (fr, en) "
                           "to lists of entries")
    entries: list[JargonEntry] = []
    for lang, items in data.items():
        if lang == "version" or str(lang).startswith("x-"):
            continue
        if not isinstance(items, list):
            raise LexiconError(f"{origin}: `{lang}` must be a list of entries")
        for i, item in enumerate(items):
            where = f"{origin}: {lang}[{i}]"
            if not isinstance(item, dict) or not item.get("term"):
                raise LexiconError(f"{where}: an entry needs a `term`")
            unknown = set(item) - {"term", "plain", "sense", "not_jargon", "note"}
            if unknown:
                raise LexiconError(f"{where} ({item['term']}): unknown key(s) "
                                   f"{', '.join(sorted(map(str, unknown)))}")
            contexts = item.get("not_jargon") or []
            if not isinstance(contexts, list):
                raise LexiconError(f"{where} ({item['term']}): `not_jargon` is a list")
            term = str(item["term"])
            for context in contexts:
                if _term_regex(term).search(str(context)) is None:
                    raise LexiconError(f"{where} ({term}): the context {context!r} does not "
                                       "contain the term")
            entries.append(JargonEntry(
                term=term,
                plain=str(item.get("plain", "")),
                lang=_root(str(lang)),
                sense=str(item.get("sense", "")),
                not_jargon=tuple(str(c) for c in contexts),
                note=str(item.get("note", "")),
            ))
    return entries


def _read(path: Path) -> list[JargonEntry]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise LexiconError(f"{path}: cannot be read ({error})") from None
    try:
        # libyaml: the lexicon loads on every `parcours check`.
        data = yaml.load(text, Loader=yaml.CSafeLoader)  # noqa: S506
    except yaml.YAMLError as error:
        raise LexiconError(f"{path}: not valid YAML ({error})") from None
    return parse_lexicon(data, str(path))


def merge(base: list[JargonEntry], extra: list[JargonEntry], origin: str) -> list[JargonEntry]:
    """``base`` extended by ``extra``: new terms are added; a known term may add contexts
    where it is not jargon (and a sense or replacement it lacked), never change them."""
    out = list(base)
    index = {(e.lang, e.term.lower()): i for i, e in enumerate(out)}
    for entry in extra:
        key = (entry.lang, entry.term.lower())
        if key not in index:
            if not entry.plain:
                raise LexiconError(f"{origin}: {entry.lang} '{entry.term}': a new term "
                                   "needs `plain` (what to write instead)")
            index[key] = len(out)
            out.append(entry)
            continue
        old = out[index[key]]
        for name in ("plain", "sense"):
            mine, theirs = getattr(entry, name), getattr(old, name)
            if mine and theirs and mine != theirs:
                raise LexiconError(f"{origin}: {entry.lang} '{entry.term}': `{name}` is "
                                   f"{theirs!r} in another lexicon file, not {mine!r}")
        out[index[key]] = JargonEntry(
            term=old.term,
            plain=old.plain or entry.plain,
            lang=old.lang,
            sense=old.sense or entry.sense,
            not_jargon=old.not_jargon + tuple(c for c in entry.not_jargon
                                              if c not in old.not_jargon),
            note=old.note or entry.note,
        )
    return out


@cache
def _shipped() -> tuple[JargonEntry, ...]:
    # Read from its JSON translation (designer.shipped_data): the lexicon loads on every
    # `parcours check`; an organisation's own files are read as YAML.
    return tuple(parse_lexicon(shipped_data.read("lexicon"), str(SHIPPED)))


def load_lexicon(extra: Iterable[Path | str] = ()) -> list[JargonEntry]:
    """The shipped lexicon, then the organisation files ``extra`` merged in order."""
    entries = list(_shipped())
    for path in extra:
        entries = merge(entries, _read(Path(path)), str(path))
    return entries


# --- Search ------------------------------------------------------------------------------


@cache
def _term_pattern(term: str) -> str:
    # Each word of 4+ letters may take a feminine or plural ending ("afférente",
    # "justificatifs"); apostrophes match both the straight and the typographic one.
    parts = []
    for word in term.split():
        w = re.escape(word).replace("'", "['’]")
        parts.append(w + ("(?:e|s|x|es)?" if len(word) >= 4 and word[-1].isalpha() else ""))
    return r"\s+".join(parts)


@cache
def _term_regex(term: str) -> re.Pattern[str]:
    # Not inside a longer word, nor inside a hyphenated compound ("iso-ressources").
    return re.compile(rf"(?<![\w\-]){_term_pattern(term)}(?![\w\-])", re.IGNORECASE)


@cache
def _context_regex(term: str, context: str) -> re.Pattern[str]:
    """A `not_jargon` context as a pattern: the term with its endings, other words as
    written (any case, either apostrophe), ``…`` for any one word."""
    found = _term_regex(term).search(context)
    assert found is not None  # parse_lexicon refuses a context without its term
    def words(text: str) -> str:
        out = []
        for piece in re.split(rf"(\s+|{re.escape(ANY_WORD)})", text):
            if not piece:
                continue
            if piece == ANY_WORD:
                out.append(_WORD)
            elif piece.isspace():
                out.append(r"\s+")
            else:
                out.append(re.escape(piece).replace("'", "['’]"))
        return "".join(out)

    before, after = context[: found.start()], context[found.end():]
    pattern = words(before) + f"(?P<term>{_term_pattern(term)})" + words(after)
    return re.compile(rf"(?<![\w\-]){pattern}(?![\w\-])", re.IGNORECASE)


def _in_other_sense(entry: JargonEntry, text: str, start: int) -> bool:
    """Whether the occurrence at ``start`` lies in one of the entry's `not_jargon` contexts."""
    for context in entry.not_jargon:
        for m in _context_regex(entry.term, context).finditer(text):
            if m.start("term") == start:
                return True
    return False


@lru_cache(maxsize=1 << 16)
def _key(word: str) -> str:
    # Cached: a journey uses a few hundred distinct words thousands of times.
    # Four letters of the longest piece survive the endings _term_pattern allows
    # ("afférent" / "afférentes") and any split of "c'est-à-dire" into words.
    pieces = re.split(r"['’-]", word.lower())
    return max(pieces, key=len)[:4]


def _anchor(term: str) -> str:
    """The key of a term's longest word: a text without it cannot hold the term."""
    return _key(max(term.split(), key=len))


class _Prepared:
    """A lexicon ready for searching one language: its entries, longest terms first, and
    by the anchor of their longest word; the matches already found, by text (bounded)."""

    #: Texts whose matches are kept: more than a large journey holds.
    KEPT = 8192
    #: Distinct words whose candidate entries are kept: more than a large journey uses.
    WORDS = 1 << 16

    def __init__(self, lexicon: tuple[JargonEntry, ...], root: str) -> None:
        self.ranked = sorted((e for e in lexicon if e.lang == root), key=lambda e: -len(e.term))
        # Entries by anchor, as their ranks in ``ranked`` (the order in which they are tried).
        self.index: dict[str, list[int]] = {}
        for rank, e in enumerate(self.ranked):
            self.index.setdefault(_anchor(e.term), []).append(rank)
        self.by_word: dict[str, tuple[int, ...]] = {}
        self.found: dict[str, tuple[JargonMatch, ...]] = {}

    def search(self, text: str, words: tuple[str, ...] | None = None) -> tuple[JargonMatch, ...]:
        """The matches of ``text``, searched once per text; ``words``: its words if known
        (what ``_TOKEN.findall(text)`` gives)."""
        hit = self.found.get(text)
        if hit is None:
            if not self.ranked:
                hit = ()
            else:
                hit = _search(text, self, _TOKEN.findall(text) if words is None else words)
            if len(self.found) >= self.KEPT:
                self.found.clear()  # a studio session that outgrows it starts again
            self.found[text] = hit
        return hit

    def candidates(self, words: Sequence[str]) -> list[JargonEntry]:
        """The entries that a text of these words may hold (those anchored on the key of
        one of its words), in the order they are tried: longest terms first.

        A word's entries are looked up once per distinct word: most words of a journey
        anchor no entry, and a text's words are mostly ones already seen."""
        by_word = self.by_word
        if len(by_word) > self.WORDS:
            by_word.clear()  # a long studio session starts again rather than grow
        ranks: set[int] | None = None  # made only for a text with a candidate (few)
        for w in words:
            got = by_word.get(w)
            if got is None:
                got = by_word[w] = tuple(self.index.get(_key(w), ()))
            if got:
                if ranks is None:
                    ranks = set(got)
                else:
                    ranks.update(got)
        return [] if ranks is None else [self.ranked[r] for r in sorted(ranks)]


# Prepared lexicons by identity (hashing 170 entries for every text would cost more than
# the search itself; the list is kept in the value so that its id cannot be reused), and
# by content: load_lexicon() gives a new list at each check, which finds the matches that
# an earlier check of the same texts (the studio's, at each keystroke) already found.
_BY_ID: dict[tuple[int, str], tuple[list[JargonEntry], _Prepared]] = {}
_BY_CONTENT: dict[tuple[tuple[JargonEntry, ...], str], _Prepared] = {}


def _prepared(lexicon: list[JargonEntry], root: str) -> _Prepared:
    """The lexicon prepared for one language."""
    key = (id(lexicon), root)
    hit = _BY_ID.get(key)
    if hit is None or hit[0] is not lexicon:
        content = (tuple(lexicon), root)
        prepared = _BY_CONTENT.get(content)
        if prepared is None:
            if len(_BY_CONTENT) > 8:
                _BY_CONTENT.clear()
            prepared = _BY_CONTENT[content] = _Prepared(content[0], root)
        hit = (lexicon, prepared)
        if len(_BY_ID) > 64:
            _BY_ID.clear()
        _BY_ID[key] = hit
    return hit[1]


_TOKEN = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")


def find_jargon(
    text: str, lang: str, lexicon: list[JargonEntry], words: tuple[str, ...] | None = None
) -> list[JargonMatch]:
    """Lexicon terms in the text, in reading order: each entry once, at its first use in
    the sense it targets. ``words``: the text's words when the caller has read them
    already (designer/readability.py), the same as a word is read here.

    Only the entries whose longest word appears in the text are tried, longest terms
    first; a term inside a longer one already found ("justificatif" in "justificatif de
    domicile") is not reported again.
    """
    return list(_prepared(lexicon, _root(lang)).search(text, words))


def _search(text: str, prepared: _Prepared, words: Sequence[str]) -> tuple[JargonMatch, ...]:
    candidates = prepared.candidates(words)
    if not candidates:
        return ()
    found: list[JargonMatch] = []
    for entry in candidates:
        for m in _term_regex(entry.term).finditer(text):
            if any(f.start < m.end() and m.start() < f.end for f in found):
                continue
            if entry.not_jargon and _in_other_sense(entry, text, m.start()):
                continue
            found.append(JargonMatch(m.start(), m.end(), m.group(0), entry))
            break
    return tuple(sorted(found, key=lambda f: f.start))
