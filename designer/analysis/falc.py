"""Easy-to-read (FALC) findings for `parcours check`: the `falc-missing` and `falc-not-simpler`
rules, on the texts `readability` has just measured.

A journey that gives some text a `fr-falc` version (docs/format.md, "Easy-to-read texts")
promises its FALC readers a plain page: every other French text without one is read in
its ordinary version, and a FALC text that scores no better than the ordinary one keeps
nothing of the promise. Both versions are measured by the same readability measure
(designer/readability.py), so the check and the report agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from designer.check_messages import msg
from designer.compiled import CompiledJourney
from designer.findings import Finding
from designer.format_types import falc_variant
from designer.readability import Readability, analyse

Path = tuple[str | int, ...]
#: (source path, text value, step, question) of a text a citizen reads (textcheck's texts).
Text = tuple[Path, Any, str | None, str | None]


def can_have_falc(path: Path, value: Any) -> bool:
    """Whether a text can carry a FALC version: not an option list's plain strings, which
    hold names (values and labels at once)."""
    listed_option = len(path) >= 2 and path[-2] == "options" and isinstance(path[-1], int)
    return value is not None and not listed_option


def versions(journey: CompiledJourney, value: Any, lang: str) -> tuple[str | None, str | None]:
    """A text's ordinary version in ``lang`` and its FALC version (each None when absent);
    a plain string is the default language's ordinary version."""
    variants = {journey.languages[0]: value} if isinstance(value, str) else value
    return variants.get(lang), variants.get(falc_variant(lang))


def falc_findings(
    journey: CompiledJourney,
    texts: Iterable[Text],
    measured: dict[tuple[str, str], Readability],
) -> list[Finding]:
    """`falc-missing` for each text of a language the journey gives FALC versions in but
    that lacks its own, at the text's line; `falc-not-simpler` for a FALC text whose score
    (Kandel-Moles in French, Flesch in English) is not higher than the ordinary text's."""
    languages = journey.falc_languages()
    if not languages:
        return []
    findings: list[Finding] = []
    for path, value, step, question in texts:
        if not can_have_falc(path, value):
            continue
        for lang in languages:
            original, plain = versions(journey, value, lang)
            if original is None:
                continue  # missing-translation's business
            where = path if isinstance(value, str) else path + (lang,)
            if plain is None:
                findings.append(
                    Finding.of(
                        "falc-missing",
                        msg(
                            "falc-missing",
                            text="/".join(map(str, path)),
                            lang=lang,
                            variant=falc_variant(lang),
                        ),
                        journey.file,
                        journey.position(where),
                        step=step,
                        question=question,
                    )
                )
                continue
            if plain.strip() == original.strip():
                # The same words: the designer says the ordinary text is already plain.
                continue
            before, after = _score(original, lang, measured), _score(plain, lang, measured)
            if before is not None and after is not None and after <= before:
                findings.append(
                    Finding.of(
                        "falc-not-simpler",
                        msg(
                            "falc-not-simpler",
                            variant=falc_variant(lang),
                            falc=f"{after:.0f}",
                            original=f"{before:.0f}",
                            lang=lang,
                        ),
                        journey.file,
                        journey.position(path + (falc_variant(lang),)),
                        step=step,
                        question=question,
                    )
                )
    return findings


def _score(text: str, lang: str, measured: dict[tuple[str, str], Readability]) -> float | None:
    # Measured by text_findings under the key it was written with: `fr`, `fr-falc`, or the
    # default language for a plain string.
    for key in (lang, falc_variant(lang)):
        found = measured.get((text, key))
        if found is not None:
            return found.flesch
    return analyse(text, lang).flesch
