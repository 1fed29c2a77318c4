"""Easy-to-read (FALC) versions of texts: the `fr-falc` variant in the format (model and
committed JSON Schema), the text lookup with its fallback, and the `falc-missing` and
`falc-not-simpler` findings at their lines (a `# here` comment marks each expected line)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import yaml

from designer.findings import Finding, Severity
from designer.loading import load_journey, load_text

ROOT = Path(__file__).resolve().parents[2]

JOURNEY = """\
parcours: 1
id: essai
title:
  fr: Inscription à la cantine scolaire
  fr-falc: Inscrire mes enfants à la cantine
  en: School canteen registration
organisation: Mairie
languages: [fr, en]
start: a
steps:
  a:
    title: {{fr: Votre foyer, en: Your household}}{title_mark}
    questions:
      enfants:
        type: integer
        label:
          fr: Indiquez le nombre d'enfants mineurs à charge de votre foyer fiscal.
          fr-falc: {falc}{label_mark}
          en: How many children live with you?
        purpose: {{fr: Calculer le tarif., en: To work out the price.}}
      ecole:
        type: choice
        label: {{fr: École, fr-falc: École, en: School}}
        options: [Jean-Jaurès, Marie-Curie]
        purpose: {{fr: Prévoir les repas., en: To plan meals.}}
    next: envoi
outcomes:
  envoi:
    kind: submit
    title: {{fr: Demande reçue, fr-falc: Nous avons votre demande, en: Request received}}
"""
SIMPLER = "Combien d'enfants vivent chez vous ?"
HARDER = (
    "Le nombre total d'enfants mineurs ou majeurs rattachés fiscalement à votre foyer, "
    "au sens de l'administration fiscale."
)


def findings(text: str) -> list[Finding]:
    loaded = load_text(text, "essai.yaml")
    assert loaded.journey is not None, loaded.findings
    return loaded.findings


def lines(found: list[Finding], rule: str) -> list[int]:
    return sorted(f.line for f in found if f.rule == rule)


def marked(text: str) -> list[int]:
    return [i + 1 for i, line in enumerate(text.splitlines()) if line.rstrip().endswith("# here")]


def test_a_text_without_its_falc_version_is_reported_at_its_french_line() -> None:
    text = JOURNEY.format(title_mark="  # here", falc=SIMPLER, label_mark="")
    found = findings(text)
    assert lines(found, "falc-missing") == marked(text)
    missing = next(f for f in found if f.rule == "falc-missing")
    assert missing.severity is Severity.WARNING and missing.step == "a"
    assert "steps/a/title" in missing.message and "fr-falc" in missing.message
    assert "version facile à lire" in missing.text("fr")
    # A simpler FALC label, an identical one, and the names of a plain option list: silent.
    assert lines(found, "falc-not-simpler") == []


def test_a_plain_string_without_falc_is_reported_at_the_string() -> None:
    text = JOURNEY.format(title_mark="", falc=SIMPLER, label_mark="").replace(
        "title: {fr: Votre foyer, en: Your household}", "title: Votre foyer  # here"
    )
    assert lines(findings(text), "falc-missing") == marked(text)


def test_a_falc_text_harder_than_the_original_is_reported_at_its_line() -> None:
    text = JOURNEY.format(title_mark="", falc=HARDER, label_mark="  # here").replace(
        "{fr: Votre foyer, en: Your household}",
        "{fr: Votre foyer, fr-falc: Votre foyer, en: Your household}",
    )
    found = findings(text)
    assert lines(found, "falc-not-simpler") == marked(text)
    assert lines(found, "falc-missing") == []
    harder = next(f for f in found if f.rule == "falc-not-simpler")
    assert harder.question == "enfants" and "score 56 against 89" in harder.message


def test_a_journey_without_any_falc_text_is_not_checked_for_it() -> None:
    text = JOURNEY.format(title_mark="", falc=HARDER, label_mark="")
    plain = (
        "\n".join(line for line in text.splitlines() if "fr-falc:" not in line)
        .replace(", fr-falc: École", "")
        .replace(", fr-falc: Nous avons votre demande", "")
    )
    assert "falc" not in plain
    rules = {f.rule for f in findings(plain)}
    assert not rules & {"falc-missing", "falc-not-simpler"}


def test_the_falc_variant_falls_back_on_the_language_then_the_default() -> None:
    text = JOURNEY.format(title_mark="", falc=SIMPLER, label_mark="")
    journey = load_text(text, "essai.yaml").journey
    assert journey is not None
    title = journey.model.title
    assert journey.falc_languages() == ["fr"]
    assert journey.text(title, "fr") == "Inscription à la cantine scolaire"
    assert journey.text(title, "fr", falc=True) == "Inscrire mes enfants à la cantine"
    easy = journey.easy_to_read()
    assert easy.falc and easy is journey.easy_to_read() and not journey.falc
    assert easy.text(title, "fr") == "Inscrire mes enfants à la cantine"
    # No FALC version: the ordinary text; English has none: English, never French FALC.
    assert easy.text(journey.steps["a"].title, "fr") == "Votre foyer"
    assert easy.text(title, "en") == "School canteen registration"
    assert easy.text({"fr-falc": "Seul", "de": "Allein"}, "en") == "Allein"


def test_schema_accepts_falc_variants_and_refuses_other_suffixes() -> None:
    committed = json.loads((ROOT / "schemas" / "journey.schema.json").read_text())
    text = JOURNEY.format(title_mark="", falc=SIMPLER, label_mark="")
    jsonschema.Draft202012Validator(committed).validate(yaml.safe_load(text))
    # Editors complete the keys of a text from the committed schema's key pattern.
    title = committed["properties"]["title"]["anyOf"][1]
    (pattern,) = title["patternProperties"]
    assert re.match(pattern, "fr-falc") and re.match(pattern, "en")
    assert not re.match(pattern, "fr-facile") and not re.match(pattern, "falc")
    wrong = text.replace(
        "  fr-falc: Inscrire mes enfants à la cantine",
        "  fr-facile: Inscrire mes enfants à la cantine  # here",
    )
    found = [f for f in load_text(wrong, "essai.yaml").findings if f.rule == "schema"]
    assert [f.line for f in found] == marked(wrong), found
    assert "easy-to-read variant (fr-falc)" in found[0].message


def test_the_example_journey_gives_every_text_its_falc_version() -> None:
    loaded = load_journey(ROOT / "journeys" / "inscription-cantine.yaml")
    assert loaded.journey is not None
    assert loaded.journey.falc_languages() == ["fr"]
    assert not [f for f in loaded.findings if f.rule.startswith("falc-")], loaded.findings


def test_the_report_gives_falc_coverage_and_both_scores(tmp_path: Path) -> None:
    from designer.report import build
    from designer.report.formats import render

    text = JOURNEY.format(title_mark="", falc=SIMPLER, label_mark="")
    path = tmp_path / "essai.yaml"
    path.write_text(text, encoding="utf-8")
    report = build.report_file(path)
    assert report.readability is not None
    coverage = report.readability.falc["fr"]
    # title, step title, 2 labels, outcome title; the step title lacks its FALC version.
    assert (coverage.texts, coverage.with_falc, coverage.missing) == (5, 4, ["steps/a/title"])
    assert coverage.share == 0.8
    assert coverage.flesch is not None and coverage.flesch_falc is not None
    assert coverage.flesch_falc > coverage.flesch
    assert "easy-to-read [fr-falc]: 4/5 texts (80%)" in render(report, "text")
    html = render(report, "html")
    assert "Version facile à lire et à comprendre (FALC)" in html
    assert "<code>steps/a/title</code>" in html
    assert build.report_file(ROOT / "journeys" / "aide-isolation.yaml").readability.falc == {}


def test_a_two_sentence_label_is_quoted_in_its_required_message() -> None:
    from designer.messages import required_message

    assert required_message("Votre quotient familial. C'est un nombre.", "integer") == (
        "Répondez à «\u00a0Votre quotient familial. C'est un nombre.\u00a0»")
    assert required_message("Votre quotient familial", "integer") == (
        "Saisissez votre quotient familial")
