"""What `parcours check` says to a designer, in French and English: one message catalogue.

A finding's message is a :class:`Message`, a key of the catalogue
(``designer/data/check_messages.yaml``) and its parameters; it is said in the designer's
language when it is printed (``parcours check --lang fr|en``, by default the one of the
locale). The English text stays the finding's ``message`` for tools that filter on it.
A parameter may itself be a message (a part of a sentence), or a list of them.

Every key has both languages with the same placeholders: tests/engine/test_check_messages.py
holds the catalogue to it, and makes every rule speak both.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from designer import shipped_data

LANGUAGES = ("fr", "en")
#: The language of a finding's ``message`` (what JSON, SARIF and filters have always seen).
SOURCE_LANGUAGE = "en"


@dataclass(frozen=True)
class Message:
    """A catalogue key with its parameters, said in a language only when it is shown."""

    key: str
    params: tuple[tuple[str, Any], ...] = ()

    def say(self, lang: str = SOURCE_LANGUAGE) -> str:
        """The message in ``lang`` (English for a language the catalogue lacks)."""
        if not self.params:
            return _said_bare(self.key, lang)
        entry = catalogue()[self.key]
        template = entry.get(lang) or entry[SOURCE_LANGUAGE]
        return template.format(**{name: _said(v, lang) for name, v in self.params})

    def __str__(self) -> str:
        return self.say(SOURCE_LANGUAGE)


def msg(key: str, /, **params: Any) -> Message:
    """The message ``key`` of the catalogue with its parameters.

    Raises ``KeyError`` for a key the catalogue lacks: a programming error, caught by the
    tests, never a designer's."""
    if not params:
        return _bare(key)
    if key not in catalogue():
        raise KeyError(f"no check message {key!r} in designer/data/check_messages.yaml")
    return Message(key, tuple(sorted(params.items())))


# A message without parameters (a piece of advice, a kind of issue) is built and said once
# per key and language: a large journey gives the same advice to thousands of texts, and a
# Message is immutable, so the same one can be shared.
@cache
def _bare(key: str) -> Message:
    if key not in catalogue():
        raise KeyError(f"no check message {key!r} in designer/data/check_messages.yaml")
    return Message(key)


@cache
def _said_bare(key: str, lang: str) -> str:
    entry = catalogue()[key]
    return (entry.get(lang) or entry[SOURCE_LANGUAGE]).format()


@dataclass(frozen=True)
class Bilingual:
    """A parameter that has its own words in each language (a concept's label)."""

    fr: str
    en: str


class OneOf(tuple[Any, ...]):
    """Alternatives said as "a, b or c" ("a, b ou c")."""


def _said(value: Any, lang: str) -> Any:
    if type(value) is str:
        return value  # the most common parameter: said as it is, first
    if isinstance(value, Message):
        return value.say(lang)
    if isinstance(value, Bilingual):
        return value.fr if lang == "fr" else value.en
    if isinstance(value, OneOf):
        items = [str(_said(v, lang)) for v in value]
        if len(items) < 2:
            return "".join(items)
        word = msg("word.or").say(lang)
        return f"{', '.join(items[:-1])} {word} {items[-1]}"
    if isinstance(value, list | tuple):
        return ", ".join(str(_said(v, lang)) for v in value)
    return value


def say(message: str | Message, lang: str) -> str:
    """A message in ``lang``; a plain string is said as it is."""
    return message.say(lang) if isinstance(message, Message) else message


@cache
def catalogue() -> Mapping[str, Mapping[str, str]]:
    """Every message, by key, then by language."""
    # Read from its JSON translation (designer.shipped_data): the catalogue loads on every
    # `parcours check`.
    data = shipped_data.read("check_messages")
    return {str(k): {str(lang): str(t) for lang, t in v.items()} for k, v in data.items()}


def default_language(environ: Mapping[str, str] | None = None) -> str:
    """The designer's language from the locale (LC_ALL, LC_MESSAGES, LANG): French for
    ``fr_*``, English otherwise, as gettext reads them."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"
