"""Templates for new journeys: each is clean under `parcours check` (no finding at all),
and a new journey made from one keeps its comments and gets its own id and title."""

from __future__ import annotations

import pytest

from designer.loading import load_text
from designer.templates import TEMPLATES, new_journey, template_text


@pytest.mark.parametrize("name", [t.name for t in TEMPLATES])
def test_every_template_is_clean_under_check(name: str) -> None:
    loaded = load_text(template_text(name), f"{name}.yaml")
    assert loaded.journey is not None
    assert [f"{f.line}: {f.rule}: {f.message}" for f in loaded.findings] == []


@pytest.mark.parametrize("name", [t.name for t in TEMPLATES])
def test_a_new_journey_from_a_template_is_clean_too(name: str) -> None:
    text = new_journey(name, "ma-demarche", {"fr": "Ma démarche", "en": ""})
    loaded = load_text(text, "ma-demarche.yaml")
    assert loaded.journey is not None and loaded.findings == []
    assert loaded.journey.id == "ma-demarche"
    assert loaded.journey.text(loaded.journey.model.title, "fr") == "Ma démarche"
    template = next(t for t in TEMPLATES if t.name == name)
    assert loaded.journey.text(loaded.journey.model.title, "en") == template.en
    assert text.startswith("# Modèle :")  # the template's comments stay


def test_bad_names_and_ids_are_refused() -> None:
    with pytest.raises(KeyError):
        new_journey("inconnu", "x")
    with pytest.raises(ValueError, match="not a journey id"):
        new_journey("signalement", "Mauvais Id")
