"""The report's headline figures for the editor, live: for the unsaved text and for the
file as saved, side by side (the report of `parcours report`, built in process)."""

from __future__ import annotations

from typing import Any

from designer.loading import Loaded


def headline(loaded: Loaded, lang: str = "fr") -> dict[str, Any] | None:
    """Paths, median questions and minutes, readability, "Dites-le-nous une fois"; None
    when the journey has errors (the report's figures need a journey that works)."""
    from designer.report.build import journey_report

    if not loaded.ok:
        return None
    try:
        report = journey_report(loaded, lang)
    except Exception:  # figures are a help: a report bug must not break the editor
        return None
    readability = report.readability.languages.get(lang) if report.readability else None
    return {
        "paths": f"{report.paths.total:,}".replace(",", "\u202f") if report.paths else None,
        "questions": report.questions.median if report.questions else None,
        "minutes": report.minutes.median if report.minutes else None,
        "flesch": round(readability.flesch) if readability and readability.flesch else None,
        "dlnuf": report.dlnuf.items if report.dlnuf else None,
    }
