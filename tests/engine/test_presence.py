"""One meaning for every answer (designer/presence.py), as a citizen lives it.

A list question (multichoice, repeat) that is shown answers with a list, possibly empty;
"none" is an answer when the question allows it. The run, the analysis and the
expressions read it the same way.
"""

from __future__ import annotations

import datetime

import pytest

from designer.analysis import AnalysisConfig, analyse
from designer.expressions import evaluate, parse
from designer.run import Run

from .helpers import HEADER, load

TODAY = datetime.date(2026, 1, 15)


def journey(question: str, branch: str = "len(x) == 0"):  # type: ignore[no-untyped-def]
    loaded = load(HEADER + f"""\
steps:
  a:
    title: A
    questions:
      x: {question}
    next:
      - goto: vide
        when: {branch}
      - goto: plein
  vide: {{title: Vide, next: seul}}
  plein: {{title: Plein, next: fin}}
outcomes:
  fin: {{kind: submit, title: Fin}}
  seul: {{kind: exit, title: Seul}}
""", analyses=[lambda j: analyse(j, AnalysisConfig(strict=True))])
    assert loaded.journey is not None
    return loaded


REPEAT_MIN_0 = "{type: repeat, label: P, min: 0, max: 10, purpose: P., questions: " \
    "{prenom: {type: text, label: Prénom, purpose: P.}}}"
REPEAT = "{type: repeat, label: P, purpose: P., questions: {prenom: {type: text, label: N}}}"
MULTI = "{type: multichoice, label: M, options: [a, b], purpose: P.}"


def send(loaded, raw) -> tuple[list[str], object]:  # type: ignore[no-untyped-def]
    run = Run(loaded.journey, seen=[], today=TODAY)
    result = run.answer_page("a", {"x": raw})
    return [e.error.code if e.error else "" for e in result.errors], run


def test_repeat_with_min_0_accepts_nobody_and_len_is_0() -> None:
    loaded = journey(REPEAT_MIN_0)
    assert loaded.findings == []  # no impossible condition, no unreachable page
    errors, run = send(loaded, [])
    assert errors == []
    assert run.answers["x"] == [] and run.current == "vide"
    errors, run = send(loaded, [{"prenom": "Camille"}])
    assert errors == [] and run.current == "plein"


def test_required_repeat_without_min_needs_one_item() -> None:
    loaded = journey(REPEAT, "answered(x)")
    errors, run = send(loaded, [])
    assert errors == ["items-at-least-one"]
    assert run.current == "a"
    # And the analysis knows: a shown repeat always has an answer here.
    assert "always-true-condition" in {f.rule for f in loaded.findings}


def test_optional_repeat_may_be_empty_but_then_has_its_min() -> None:
    loaded = journey("{type: repeat, label: P, min: 2, required: false, purpose: P., "
                     "questions: {n: {type: text, label: N, purpose: P.}}}")
    assert send(loaded, [])[0] == []
    assert send(loaded, [{"n": "Camille"}])[0] == ["items-too-few"]
    assert send(loaded, [{"n": "Camille"}, {"n": "Dominique"}])[0] == []


def test_multichoice_left_empty() -> None:
    required = journey(MULTI, "'\"a\" in x'")
    assert send(required, [])[0] == ["required-select"]
    optional = journey(MULTI.replace("purpose", "required: false, purpose"), "'\"a\" in x'")
    errors, run = send(optional, [])
    assert errors == [] and run.answers["x"] == []
    assert run.current == "plein"  # "a" in [] is false, not unknown


@pytest.mark.parametrize(("value", "expression", "expected"), [
    ([], "answered(x)", True),
    ([], "len(x)", 0),
    ([], '"a" in x', False),
    ([], "x == null", False),
    (None, "answered(x)", False),
    (None, "len(x)", None),
    (None, '"a" in x', None),
    ("", "answered(x)", False),
])
def test_functions_on_empty_answers(value: object, expression: str, expected: object) -> None:
    # The table of docs/format.md, "Answers: given, empty, and what the functions give".
    assert evaluate(parse(expression), {"x": value}, today=TODAY) == expected


def test_replayed_answers_read_a_shown_list_left_out_as_none() -> None:
    loaded = journey(REPEAT_MIN_0)
    run = Run(loaded.journey, {}, today=TODAY)
    assert run.path() == ["a", "vide", "seul"]
    assert run.kept_answers() == {"x": []}
