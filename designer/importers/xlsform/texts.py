"""An XLSForm's languages as the journey format wants them: ISO codes, a default first.

XLSForm columns name languages freely (``label::English (en)``, ``label:french``); the
format wants codes, and each text as a plain string or a mapping by code.
"""

from __future__ import annotations

import re

from .sheets import Form, Row

# Language names seen in XLSForms, to ISO 639-1 codes (the format's languages are codes).
_LANGUAGE_CODES = {
    "english": "en",
    "french": "fr",
    "francais": "fr",
    "français": "fr",
    "spanish": "es",
    "espanol": "es",
    "español": "es",
    "portuguese": "pt",
    "swahili": "sw",
    "chinese": "zh",
    "arabic": "ar",
    "german": "de",
    "italian": "it",
    "hindi": "hi",
    "russian": "ru",
    "default": "en",
}


def language_code(name: str) -> str:
    """`English (en)` → en, `english` → en, `EN` → en: the format wants a code."""
    match = re.search(r"\(([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)?\)\s*$", name)
    if match:
        return match.group(1).lower()
    plain = name.strip().lower()
    if re.fullmatch(r"[a-z]{2,3}", plain):
        return plain
    if plain in _LANGUAGE_CODES:
        return _LANGUAGE_CODES[plain]
    letters = re.sub(r"[^a-z]", "", plain)
    return (letters[:3] or "xx").ljust(2, "x")


class Languages:
    """The languages of one form, its default first, and its texts in those languages."""

    def __init__(self, form: Form) -> None:
        default = str(form.settings.get("default_language") or "").strip()
        codes = [language_code(language) for language in form.languages]
        #: Whether the form says which language it is in (else English is assumed).
        self.declared = bool(default or codes)
        if default:
            self.default = language_code(default)
        elif codes:
            self.default = codes[0]
        else:
            self.default = "en"
        self.codes = list(dict.fromkeys([self.default] + [c for c in codes if c != self.default]))

    def text(self, row: Row, kind: str) -> str | dict[str, str] | None:
        """A translatable cell of `row` as a journey text (string or language mapping)."""
        texts = row.texts.get(kind, {})
        if not texts:
            return None
        by_code: dict[str, str] = {}
        for language, value in texts.items():
            code = language_code(language) if language else self.default
            if value and code not in by_code:
                by_code[code] = value
            elif value and language == "":
                continue
        if not by_code:
            return None
        if len(self.codes) == 1 or set(by_code) == {self.default}:
            return by_code.get(self.default) or next(iter(by_code.values()))
        return {code: by_code[code] for code in self.codes if code in by_code}
