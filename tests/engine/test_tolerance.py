"""One `parcours check` run reports every independent problem, and nothing they cause."""

from __future__ import annotations

from pathlib import Path

from designer.analysis import AnalysisConfig, analyse
from designer.findings import Severity
from designer.loading import load_journey

from .helpers import HEADER, load, rules

DATA = Path(__file__).parent / "data"


def errors(loaded) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    return [(f.rule, f.line) for f in loaded.findings if f.severity is Severity.ERROR]


def strict(journey):  # type: ignore[no-untyped-def]
    return analyse(journey, AnalysisConfig(strict=True))


def test_one_error_per_stage_all_reported_in_one_run() -> None:
    loaded = load_journey(DATA / "one-error-per-stage.yaml", analyses=[strict])
    assert [(f.rule, f.line) for f in loaded.findings] == [
        ("impossible-condition", 24),  # analysis: `age > 200` with age at most 120
        ("dead-end", 26),  # analysis: statut "b" and age 50 match no entry
        ("schema", 36),  # schema: `lable`
        ("type-mismatch", 56),  # expressions: age == "vieux"
        ("duplicate-id", 58),  # ids: the question 'suite' is also a step
        ("unknown-target", 63),  # graph: 'fni'
    ]
    # The question set aside is not "unknown" where it is used (line 40), the step that
    # follows the misspelt target is not a dead end, and the journey is not served.
    assert not loaded.ok


def test_question_failing_the_schema_is_not_reported_again_where_it_is_used() -> None:
    loaded = load(HEADER + """\
steps:
  a:
    title: A
    questions:
      revenu: {type: integer, label: Revenu, minimum: 0}
      note: {type: text, label: Note, when: revenu > 10}
    next:
      - {goto: b, when: revenu > 1000}
      - goto: fin
  b: {title: B, next: fin}
outcomes:
  fin: {kind: submit, title: Fin}
""")
    assert rules(loaded) == [("schema", 10, 46)]
    assert loaded.journey is not None
    assert "revenu" not in loaded.journey.questions
    assert "note" in loaded.journey.questions


def test_misspelt_target_does_not_make_its_step_unreachable() -> None:
    loaded = load(HEADER + """\
steps:
  a:
    title: A
    questions:
      x: {type: yesno, label: X, purpose: Orienter.}
    next:
      - {goto: bb, when: x}
      - goto: fin
  b: {title: B, next: fin}
outcomes:
  fin: {kind: submit, title: Fin}
""", analyses=[strict])
    assert [f.rule for f in loaded.findings] == ["unknown-target"]


def test_entry_of_next_failing_the_schema_keeps_its_target() -> None:
    loaded = load(HEADER + """\
steps:
  a:
    title: A
    questions:
      x: {type: yesno, label: X, purpose: Orienter.}
    next:
      - {goto: b, whn: x}
      - {goto: c, when: x}
      - goto: fin
  b: {title: B, next: fin}
  c: {title: C, next: fin}
outcomes:
  fin: {kind: submit, title: Fin}
""", analyses=[strict])
    # Neither 'b' unreachable, nor the entry to 'c' shadowed: the first entry's
    # condition is unknown, not "always".
    assert errors(loaded) == [("schema", 12)]


def test_broken_computed_value_is_not_reported_again_where_it_is_used() -> None:
    loaded = load(HEADER + """\
computed:
  adulte: age >= "18"
steps:
  a:
    title: A
    questions:
      age: {type: integer, label: Age}
      tuteur: {type: text, label: Tuteur, when: not adulte}
    next: fin
outcomes:
  fin: {kind: submit, title: Fin}
""", analyses=[strict])
    assert errors(loaded) == [("type-mismatch", 7)]
    # `age` is read by the broken computed value: not reported as unused.
    assert "unused-answer" not in {f.rule for f in loaded.findings if f.line == 12}


def test_duplicate_question_is_not_a_forward_reference_where_it_is_used() -> None:
    loaded = load(HEADER + """\
steps:
  a:
    title: A
    questions:
      x: {type: yesno, label: X, purpose: Orienter.}
    next: b
  b:
    title: B
    questions:
      y: {type: integer, label: Y, purpose: Orienter.}
      x: {type: integer, label: X encore, purpose: Orienter.}
      z: {type: text, label: Z, when: x > 3}
    next: fin
outcomes:
  fin: {kind: submit, title: Fin}
""", analyses=[strict])
    assert errors(loaded) == [("duplicate-id", 16)]


def test_missing_start_and_bad_outcome_still_check_the_rest() -> None:
    loaded = load("""\
parcours: 1
id: essai
title: Essai
organisation: Ville
steps:
  a:
    title: A
    questions:
      x: {type: yesno, label: X, when: y}
    next: fin
outcomes:
  fin: {kind: sumbit, title: Fin}
""")
    assert sorted(f.rule for f in loaded.findings) == ["schema", "schema", "unknown-name"]


def test_misspelt_next_and_misspelt_id_are_said_once() -> None:
    loaded = load(HEADER + """\
steps:
  a:
    title: A
    questions:
      Foyer: {type: integer, label: Foyer, purpose: Orienter.}
    nxt:
      - {goto: b, when: foyer > 2}
      - goto: fin
  b: {title: B, next: fin}
outcomes:
  fin: {kind: submit, title: Fin}
""", analyses=[strict])
    # Neither `next` missing (said by "did you mean"), nor 'foyer' unknown, nor 'b'
    # unreachable: consequences of the two errors.
    assert errors(loaded) == [("schema", 10), ("schema", 11)]
