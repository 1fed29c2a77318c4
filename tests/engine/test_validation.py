"""Schema findings: each at the offending key or value, phrased for a service designer."""

from __future__ import annotations

from .helpers import HEADER, load, only, rules

STEPS = """
steps:
  a:
    title: A
    questions:
      age:
        type: integer
        label: Âge
    next: fin
outcomes:
  fin: {kind: submit, title: Fin}
"""


def test_valid_journey_has_no_finding() -> None:
    assert load(HEADER + STEPS).findings == []


def test_unknown_key_suggests_the_closest() -> None:
    loaded = load(HEADER + STEPS.replace("label: Âge", "lable: Âge"))
    [f] = loaded.findings
    assert (f.rule, f.line, f.column) == ("schema", 13, 9)
    assert "did you mean 'label'" in f.message
    assert (f.step, f.question) == ("a", "age")


def test_near_miss_extension_keys_are_allowed() -> None:
    text = HEADER + "x-owner: service état civil\n" + STEPS.replace(
        "type: integer", "type: integer\n        x-note: ok"
    )
    assert load(text).findings == []


def test_missing_required_key() -> None:
    loaded = load(HEADER.replace("organisation: Ville\n", "") + STEPS)
    [f] = loaded.findings
    assert f.rule == "schema"
    assert "missing required key 'organisation'" in f.message
    assert f.line == 1


def test_wrong_type_points_at_the_value() -> None:
    loaded = load(HEADER + STEPS.replace("label: Âge", "label: Âge\n        min: beaucoup"))
    [f] = loaded.findings
    assert (f.rule, f.line, f.column) == ("schema", 14, 14)
    assert "whole number" in f.message


def test_unknown_question_type() -> None:
    loaded = load(HEADER + STEPS.replace("type: integer", "type: integr"))
    [f] = loaded.findings
    assert f.rule == "schema"
    assert "did you mean 'integer'" in f.message


def test_bad_question_id() -> None:
    loaded = load(HEADER + STEPS.replace("      age:", "      Age:"))
    [f] = loaded.findings
    assert (f.rule, f.line) == ("schema", 11)


def test_bad_journey_id() -> None:
    loaded = load(HEADER.replace("id: essai", "id: Essai Cantine") + STEPS)
    [f] = loaded.findings
    assert (f.rule, f.line, f.column) == ("schema", 2, 5)
    assert "slug" in f.message


def test_branch_typo_in_next_list() -> None:
    text = HEADER + STEPS.replace("next: fin", "next:\n      - goto: fin\n        whn: age > 3")
    loaded = load(text)
    assert rules(loaded) == [("schema", 16, 9)]
    assert "did you mean 'when'" in loaded.findings[0].message


def test_wrong_format_version() -> None:
    loaded = load(HEADER.replace("parcours: 1", "parcours: 2") + STEPS)
    [f] = loaded.findings
    assert (f.rule, f.line, f.column) == ("schema", 1, 11)


def test_text_may_be_a_language_mapping() -> None:
    text = HEADER + STEPS.replace("label: Âge", "label: {fr: Âge, en: Age}")
    assert load(text).findings == []


def test_several_problems_are_all_reported() -> None:
    text = HEADER + STEPS.replace("label: Âge", "lable: Âge").replace(
        "kind: submit", "kind: envoyer"
    )
    assert [f.rule for f in only(load(text), "schema")] == ["schema", "schema"]


def test_invalid_pattern_is_a_schema_error() -> None:
    text = HEADER + STEPS.replace(
        "type: integer\n        label: Âge",
        "type: text\n        label: Âge\n        pattern: '[A-Z'",
    )
    [f] = load(text).findings
    assert (f.rule, f.line, f.column) == ("schema", 14, 18)
    assert "not a valid regular expression" in f.message
