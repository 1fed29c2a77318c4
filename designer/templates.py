"""Templates for new journeys: a report, a request for financial help, a registration, an
appointment. Each is a small journey clean under `parcours check` (no finding at all),
in French and English, with a purpose for every answer; a new journey is a copy with its
own id and title (written through ruamel.yaml, so the template's comments stay)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from designer.editing import set_keys

FOLDER = Path(__file__).parent / "data" / "templates"


@dataclass(frozen=True)
class Template:
    """One template: its name (file stem) and what it is for, in both languages."""

    name: str
    fr: str
    en: str


TEMPLATES = (
    Template("signalement", "Signaler un problème", "Report a problem"),
    Template("aide-financiere", "Demander une aide financière", "Apply for financial help"),
    Template("inscription", "S'inscrire à une activité", "Register for an activity"),
    Template("rendez-vous", "Demander un rendez-vous", "Ask for an appointment"),
)

_NAMES = {t.name for t in TEMPLATES}
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def template_text(name: str) -> str:
    """The text of a template (KeyError for a name that is not one)."""
    if name not in _NAMES:
        raise KeyError(name)
    return (FOLDER / f"{name}.yaml").read_text(encoding="utf-8")


def new_journey(name: str, journey_id: str, title: dict[str, str] | None = None) -> str:
    """A new journey from a template, with its own id; the titles given (by language)
    replace the template's, the others stay."""
    if not _SLUG.match(journey_id):
        raise ValueError(f"'{journey_id}' is not a journey id: lower-case letters, digits and -")
    template = next(t for t in TEMPLATES if t.name == name) if name in _NAMES else None
    if template is None:
        raise KeyError(name)
    changes: dict[str, object] = {"id": journey_id}
    given = {lang: text.strip() for lang, text in (title or {}).items() if text and text.strip()}
    if given:
        changes["title"] = {"fr": template.fr, "en": template.en} | given
    return set_keys(template_text(name), changes)
