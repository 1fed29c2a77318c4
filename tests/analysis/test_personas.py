"""`parcours personas`: answer sets that visit every step, outcome and showable question."""

from __future__ import annotations

import argparse
import datetime
import json
from pathlib import Path

import pytest

from designer.commands.personas import add_arguments as add_personas_arguments
from designer.commands.personas import run as run_personas
from designer.loading import load_journey, load_text
from designer.organisation import journey_files
from designer.personas import as_json, find_personas, persona_reaching
from designer.run import Run
from designer.testing import play

ROOT = Path(__file__).resolve().parents[2]
TODAY = datetime.date(2026, 3, 1)
EXAMPLES = sorted(journey_files([(ROOT / "journeys")]))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_personas_cover_each_example_journey(path: Path) -> None:
    loaded = load_journey(path)
    assert loaded.journey is not None
    journey = loaded.journey
    result = find_personas(journey, TODAY)
    covered = result.covered()
    assert covered["outcomes"] == set(journey.outcomes) - set(result.impossible["outcomes"])
    assert covered["steps"] == set(journey.steps) - set(result.impossible["steps"])
    assert result.missing == {"steps": [], "outcomes": [], "questions": []}
    for persona in result.personas:
        # Replaying the answers with the engine walks exactly the path announced.
        run = Run(journey, persona.answers, today=TODAY)
        assert run.path() == persona.path
        assert run.outcome == persona.outcome


IMPOSSIBLE = """\
parcours: 1
id: essai
title: Essai
organisation: Mairie
start: a
steps:
  a:
    title: Âge
    questions:
      age: {type: integer, label: Votre âge, min: 0, max: 120}
      detail: {type: text, label: Détail, purpose: Tester., when: age > 200}
    next:
      - goto: jamais
        when: age < 0
      - goto: mineur
        when: age < 18
      - goto: fin
outcomes:
  fin: {kind: submit, title: Fin}
  mineur: {kind: exit, title: Mineur}
  jamais: {kind: exit, title: Jamais}
"""


def test_one_persona_per_reachable_outcome_and_impossible_ones_listed() -> None:
    journey = load_text(IMPOSSIBLE, "essai.yaml", analyses=[]).journey
    assert journey is not None
    result = find_personas(journey, TODAY)
    assert sorted(p.outcome or "" for p in result.personas) == ["fin", "mineur"]
    assert result.impossible["outcomes"] == ["jamais"]
    assert result.impossible["questions"] == ["detail"]
    ages = {p.outcome: p.answers["age"] for p in result.personas}
    assert ages["mineur"] < 18 <= ages["fin"]


def test_command_prints_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "essai.yaml"
    file.write_text(IMPOSSIBLE, encoding="utf-8")
    parser = argparse.ArgumentParser()
    add_personas_arguments(parser)
    code = run_personas(parser.parse_args([str(file), "--format", "json", "--today",
                                           "2026-03-01"]))
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["journey"] == "essai"
    assert {p["outcome"] for p in data["personas"]} == {"fin", "mineur"}
    page = data["personas"][0]["pages"][0]
    assert page["step"] == "a" and page["questions"][0]["id"] == "age"


def test_command_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser()
    add_personas_arguments(parser)
    assert run_personas(parser.parse_args([str(tmp_path / "absent.yaml")])) == 2
    broken = tmp_path / "broken.yaml"
    broken.write_text("parcours: 1\nid: x\n", encoding="utf-8")
    assert run_personas(parser.parse_args([str(broken)])) == 1
    assert "error" in capsys.readouterr().err


def test_json_dates_are_iso_strings() -> None:
    text = IMPOSSIBLE.replace(
        "      age: {type: integer, label: Votre âge, min: 0, max: 120}",
        "      naissance: {type: date, label: Naissance, max: today(), purpose: Tester.}\n"
        "      age: {type: integer, label: Votre âge, min: 0, max: 120}",
    )
    journey = load_text(text, "essai.yaml", analyses=[]).journey
    assert journey is not None
    data = as_json(find_personas(journey, TODAY))
    value = data["personas"][0]["answers"]["naissance"]
    assert datetime.date.fromisoformat(value) <= TODAY


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_form_values_coerce_back_to_the_answers(path: Path) -> None:
    from designer.values import coerce

    journey = load_journey(path).journey
    assert journey is not None
    data = as_json(find_personas(journey, TODAY))
    for persona in data["personas"]:
        for page in persona["pages"]:
            for q in page["questions"]:
                if q["type"] in ("repeat", "file") or q["form"] is None:
                    continue
                got = coerce(q["type"], q["form"])
                assert got.error is None, (q, got.error)
                assert json.loads(json.dumps(got.value, default=str)) == json.loads(
                    json.dumps(q["value"], default=str)
                ) or str(got.value) == str(q["value"]), q


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_a_citizen_reaching_each_step_is_found_and_reaches_it(path: Path) -> None:
    """The studio's preview of a step "as a computed citizen reaches it": the answers found
    by the solver, played page by page by the engine, do reach the step."""
    journey = load_journey(path, analyses=[]).journey
    assert journey is not None
    for step in journey.steps:
        answers = persona_reaching(journey, step, TODAY)
        assert answers is not None, step
        assert step in play(journey, answers, TODAY).path, step
    # An orphan step (no branch leads to it) has no such citizen.
    assert persona_reaching(journey, "no-such-step", TODAY) is None
