"""Hyphenation points of a word, from Pyphen's dictionaries read lazily: what
designer/readability.py counts syllables with.

``pyphen.Pyphen`` parses every pattern of a dictionary when it opens it: 11 ms for French
and about 40 ms for English, on every `parcours check`, when a journey's words meet a few
hundred of its thousands of patterns. Here a dictionary is only indexed by the letters of
its patterns (a C-speed ``str.translate`` per line), and a pattern's digits are parsed the
first time a word meets it; the search is Pyphen's own (Liang's algorithm, as
``pyphen.HyphDict.positions`` runs it, with ``Pyphen``'s default margins of 2 letters), so
the points are the same: tests/readability/test_speed_equivalence.py holds them equal to
Pyphen's on every word of the journeys, the documentation and the lexicon.

Pyphen itself is not imported (its import lists its dictionaries): only its files are read.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.util import find_spec
from pathlib import Path

#: The dictionaries we read, by language root: both ship with Pyphen.
DICTIONARIES = {"fr": "hyph_fr.dic", "en": "hyph_en_US.dic"}
#: Pyphen's margins: no point closer than this to either end of the word.
LEFT = RIGHT = 2

# As Pyphen reads a dictionary (pyphen/__init__.py): the lines it ignores, the ^^hh escapes
# of a character, and a pattern as pairs of an optional digit and an optional letter.
_IGNORED = ("%", "#", "LEFTHYPHENMIN", "RIGHTHYPHENMIN", "COMPOUNDLEFTHYPHENMIN",
            "COMPOUNDRIGHTHYPHENMIN")  # fmt: skip
_HEX = re.compile(r"\^{2}([0-9a-f]{2})")
_PAIRS = re.compile(r"(\d?)(\D?)")
# What the fast reading of a dictionary needs: any digit other than 0 to 9 (Pyphen reads
# every Unicode digit as a value) sends it to the line-by-line reading.
_OTHER_DIGIT = re.compile(r"[^\D0-9]")

#: A parsed pattern: the offset of its first non-zero value, and its values from there.
Pattern = tuple[int, tuple[int, ...]]


def dictionary_path(root: str) -> Path:
    """The file of Pyphen's dictionary for a language root ("fr", else English)."""
    spec = find_spec("pyphen")
    assert spec is not None and spec.origin is not None, "pyphen is a dependency"
    return Path(spec.origin).parent / "dictionaries" / DICTIONARIES.get(root, "hyph_en_US.dic")


def _parse(pattern: str) -> Pattern:
    """Pyphen's reading of one pattern line ("1ba2" → offset 0, values (1, 0, 2))."""
    values = [int(digit or "0") for digit, _ in _PAIRS.findall(pattern)]
    start, end = 0, len(values)
    while not values[start]:
        start += 1
    while not values[end - 1]:
        end -= 1
    return start, tuple(values[start:end])


class Hyphenation:
    """One dictionary's patterns, indexed by their letters, each parsed when first met."""

    def __init__(self, path: Path) -> None:
        with path.open("rb") as fd:
            encoding = fd.readline().decode().strip()
        if encoding.lower() == "microsoft-cp1251":
            encoding = "cp1251"
        # A pattern's letters, to the line it comes from (still a string) or, once a word
        # has met it, to its parsed values: a later line for the same letters wins, as in
        # Pyphen; a line whose digits are all zeros is skipped, as Pyphen skips it.
        text = path.read_text(encoding)
        lines = list(map(str.strip, text.split("\n")[1:]))
        self.patterns: dict[str, str | Pattern] = {}
        if "^^" not in text and "/" not in text and not _OTHER_DIGIT.search(text):
            # The dictionaries we ship (no escape, no nonstandard hyphenation, digits 0 to
            # 9): the letters of all the lines at once, by deleting the digits' bytes from
            # their UTF-8 (a tenth of str.translate, which looks each character up).
            joined = "\n".join(lines).encode().translate(None, b"0123456789").decode()
            self.patterns.update(
                (key, line)
                for key, line in zip(joined.split("\n"), lines, strict=True)
                if key != line  # no digit: no point (Pyphen skips it)
                and not line.startswith(_IGNORED)
                and len(line) - len(key) != line.count("0")  # only zeros: skipped too
            )
        else:
            self._read_each(lines)
        self.maxlen = max(map(len, self.patterns))
        self.cache: dict[str, list[int]] = {}

    def _read_each(self, lines: list[str]) -> None:
        """Index the lines one by one, as Pyphen reads them."""
        for line in lines:
            if not line or line.startswith(_IGNORED):
                continue
            if "^^" in line:
                line = _HEX.sub(lambda m: chr(int(m.group(1), 16)), line)
            if "/" in line and "=" in line:
                # A nonstandard hyphenation ("ff1f/f=f,1,2"): its change does not move the
                # points, only how the word is cut there.
                line = line.split("/", 1)[0]
            pairs = _PAIRS.findall(line)
            if not any(int(digit or "0") for digit, _ in pairs):
                continue
            self.patterns["".join(letter for _, letter in pairs)] = line

    def points(self, word: str) -> list[int]:
        """Where a word can be hyphenated, margins included (``HyphDict.positions``)."""
        word = word.lower()
        found = self.cache.get(word)
        if found is None:
            patterns = self.patterns
            pointed = f".{word}."
            references = [0] * (len(pointed) + 1)
            for i in range(len(pointed) - 1):
                stop = min(i + self.maxlen, len(pointed)) + 1
                for j in range(i + 1, stop):
                    pattern = patterns.get(pointed[i:j])
                    if not pattern:
                        continue
                    if isinstance(pattern, str):
                        pattern = patterns[pointed[i:j]] = _parse(pattern)
                    offset, values = pattern
                    where = slice(i + offset, i + offset + len(values))
                    references[where] = map(max, values, references[where])
            found = self.cache[word] = [i - 1 for i, r in enumerate(references) if r % 2]
        return found

    def positions(self, word: str) -> list[int]:
        """Where a word can be hyphenated, at least 2 letters from either end
        (``pyphen.Pyphen(...).positions``)."""
        right = len(word) - RIGHT
        return [i for i in self.points(word) if LEFT <= i <= right]


@cache
def hyphenation(root: str) -> Hyphenation:
    """The dictionary of a language root ("fr", else English), read once per process."""
    return Hyphenation(dictionary_path(root))
