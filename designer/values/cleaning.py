"""What every raw form value goes through before it is typed: the limits on input, the
single string of a field, blank detection, and the cleaning of strings (control and invisible
characters refused or dropped, spaces normalised)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from designer.values.results import InvalidAnswer

MAX_INPUT_LENGTH = 10_000
"""Longest answer accepted, in characters, for every type.

It bounds the work done on a value (regular expressions above all: Python's ``re`` has no
timeout, so a backtracking pattern on a long input could hold a worker for minutes)."""

MAX_DIGITS = 30
"""Longest run of digits accepted in a number (no procedure counts beyond this, and Python
refuses to convert integers of more than 4300 digits)."""


# Spaces a browser or a copy-paste may put inside a number or an identifier.
_SPACES = "\u00a0\u202f\u2007\u2009\t"
_SPACE_TABLE = str.maketrans({c: " " for c in _SPACES})
# Control characters never belong in an answer; textarea keeps newlines and tabs.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_LINE = re.compile(r"[\x00-\x1f\x7f]")
# Invisible characters that copy-paste brings along (zero-width spaces, byte order marks) and
# bidirectional overrides, which can make a stored answer read differently from what it is
# (the "Trojan Source" trick) in a back office: dropped, never stored.
_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u202a-\u202e\u2066-\u2069]")


def one_string(raw: Any) -> str | None:
    """The single string of a form field, or None when the shape is wrong (two values sent
    for one field, an object...)."""
    if isinstance(raw, list | tuple):
        if len(raw) != 1:
            return None
        raw = raw[0]
    return raw if isinstance(raw, str) else None


def is_blank(raw: Any) -> bool:
    """True when a raw value holds nothing but blanks (in any of its parts)."""
    if raw is None:
        return True
    if isinstance(raw, str):
        return raw.strip() == ""
    if isinstance(raw, list | tuple):
        return all(is_blank(r) for r in raw)
    if isinstance(raw, Mapping):
        return all(is_blank(r) for r in raw.values())
    return False


def clean_text(text: str, *, multiline: bool = False) -> str | InvalidAnswer:
    """Strip, normalise to NFC and refuse control characters (NUL bytes above all: they
    break databases and downstream files)."""
    if len(text) > MAX_INPUT_LENGTH:
        return InvalidAnswer("too-long-input", {"max_length": MAX_INPUT_LENGTH})
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if (_CONTROL if multiline else _CONTROL_LINE).search(text.replace("\t", " ")):
        return InvalidAnswer("invalid-characters")
    return unicodedata.normalize("NFC", _INVISIBLE.sub("", text)).strip()


def squash_spaces(text: str) -> str:
    """Invisible characters dropped, every kind of space made one plain space, stripped."""
    return re.sub(" +", " ", _INVISIBLE.sub("", text).translate(_SPACE_TABLE)).strip()
