"""Journey test cases (`parcours test`): played as a citizen plays the form, failures at
the case's line; personas saved as cases; every example journey's cases pass."""

from __future__ import annotations

import argparse
import textwrap
from pathlib import Path

import pytest

from designer.cases import append_cases, case_entry, cases_path, read_cases
from designer.check import check_paths
from designer.cli import main
from designer.files import is_cases_file, is_organisation_file
from designer.testing import play, run_cases, test_file

from .helpers import HEADER, load

ROOT = Path(__file__).resolve().parents[2]

JOURNEY = HEADER + """\
steps:
  a:
    title: Age
    questions:
      age: {type: integer, label: Votre âge, min: 0, max: 130}
      motif: {type: text, label: Pourquoi ?, when: age < 18}
    next:
      - goto: mineur
        when: age < 18
      - goto: b
  b:
    title: Courriel
    questions:
      email: {type: email, label: Votre courriel}
outcomes:
  mineur: {title: Refusé, kind: exit}
  fin: {title: Envoyé, kind: submit}
"""
# b has no next: its default branch goes to the next outcome? Give it one explicitly.
JOURNEY = JOURNEY.replace("      email: {type: email, label: Votre courriel}\n",
                          "      email: {type: email, label: Votre courriel}\n"
                          "    next:\n      - goto: fin\n")


def _journey():
    loaded = load(JOURNEY)
    assert loaded.ok, loaded.findings
    return loaded.journey


def _cases(text: str):
    return read_cases(textwrap.dedent(text).lstrip("\n"), "j.cases.yaml")


def test_a_passing_case_has_no_problem() -> None:
    cases = _cases("""
        cases:
          - name: adulte
            answers: {age: 40, email: a@example.fr}
            outcome: fin
            path: [a, b, fin]
            shown: [age, email]
            hidden: [motif]
        """)
    result = run_cases(_journey(), cases)
    assert (result.cases, result.failed, result.problems) == (1, 0, [])


def test_a_wrong_outcome_is_reported_at_the_outcome_line() -> None:
    cases = _cases("""
        cases:
          - name: adulte
            answers: {age: 40, email: a@example.fr}
            outcome: mineur
        """)
    result = run_cases(_journey(), cases)
    assert result.failed == 1
    [p] = result.problems
    assert (p.line, p.column) == (4, 5)
    assert "expected outcome 'mineur', but the run ends at outcome 'fin'" in p.message


def test_shown_hidden_and_path_expectations_fail_at_their_own_line() -> None:
    cases = _cases("""
        cases:
          - name: mineur
            answers: {age: 12, motif: école}
            path: [a, fin]
            shown: [email]
            hidden: [motif]
        """)
    problems = run_cases(_journey(), cases).problems
    assert [(p.line, p.message.split(": ", 1)[1]) for p in problems] == [
        (4, "expected path a → fin, but the run goes a → mineur"),
        (5, "'email' should be shown, and is not"),
        (6, "'motif' should not be shown, and is"),
    ]


def test_answers_are_validated_as_the_form_does() -> None:
    refused = _cases("""
        cases:
          - name: courriel faux
            answers: {age: 40, email: pas-un-courriel}
            outcome: fin
        """)
    [p] = run_cases(_journey(), refused).problems
    assert p.line == 3 and "the answer to 'email' is refused on page 'b'" in p.message
    expected = _cases("""
        cases:
          - name: courriel faux
            answers: {age: 40, email: pas-un-courriel}
            refused: [email]
        """)
    assert run_cases(_journey(), expected).problems == []
    wrong = _cases("""
        cases:
          - name: courriel juste
            answers: {age: 40, email: a@example.fr}
            refused: [email]
        """)
    [p] = run_cases(_journey(), wrong).problems
    assert p.line == 4 and "expected to be refused, and is accepted" in p.message


def test_a_missing_required_answer_stops_the_run_and_says_where() -> None:
    cases = _cases("""
        cases:
          - name: sans courriel
            answers: {age: 40}
            outcome: fin
        """)
    [p] = run_cases(_journey(), cases).problems
    assert p.line == 2  # the case itself: no answer line to point at
    assert "'email' is refused on page 'b'" in p.message


def test_unknown_ids_and_answers_never_asked_are_failures() -> None:
    cases = _cases("""
        cases:
          - name: fautes
            answers: {agee: 40}
            outcome: nulle_part
        """)
    problems = run_cases(_journey(), cases).problems
    assert [(p.line, p.column) for p in problems] == [(3, 15), (4, 5)]
    assert "'agee' is no question" in problems[0].message
    assert "'nulle_part' is no outcome" in problems[1].message
    never = _cases("""
        cases:
          - name: motif en trop
            answers: {age: 40, motif: rien, email: a@example.fr}
        """)
    [p] = run_cases(_journey(), never).problems
    assert "'motif' is answered but never asked on this path" in p.message


def test_a_malformed_cases_file_gives_problems_not_tracebacks() -> None:
    bad = _cases("""
        today: hier
        cases:
          - name: x
            answer: {age: 3}
            shown: 4
          - just a string
        """)
    assert [(p.line, p.message.split(" (")[0]) for p in bad.problems] == [
        (1, "today is a date: YYYY-MM-DD"),
        (4, "'answer' is not a key of a case"),
        (5, "shown is a list of ids"),
        (6, "a case is a mapping"),
    ]
    assert read_cases("- a\n- b\n", "x.cases.yaml").problems[0].message.startswith(
        "a cases file is a mapping")
    assert read_cases("cases: [\n", "x.cases.yaml").problems[0].line >= 1


def test_play_walks_pages_like_a_citizen() -> None:
    played = play(_journey(), {"age": "12", "motif": "école"})
    assert played.path == ["a", "mineur"] and played.outcome == "mineur"
    assert played.shown == ["age", "motif"]


def test_cases_files_are_not_journeys(tmp_path: Path) -> None:
    (tmp_path / "j.yaml").write_text(JOURNEY, encoding="utf-8")
    (tmp_path / "j.cases.yaml").write_text("cases: []\n", encoding="utf-8")
    assert is_cases_file(tmp_path / "j.cases.yaml") and not is_cases_file(tmp_path / "j.yaml")
    assert cases_path(tmp_path / "j.yaml") == tmp_path / "j.cases.yaml"
    assert [Path(x.file).name for x in check_paths([tmp_path]).loaded] == ["j.yaml"]


def test_command_exit_status_and_compiler_style_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journey = tmp_path / "j.yaml"
    journey.write_text(JOURNEY, encoding="utf-8")
    cases = tmp_path / "j.cases.yaml"
    cases.write_text("cases:\n  - name: ok\n    answers: {age: 3, motif: x}\n    outcome: mineur\n",
                     encoding="utf-8")
    assert main(["test", str(journey)]) == 0
    assert "1/1 case(s) pass [ok]" in capsys.readouterr().out
    cases.write_text("cases:\n  - name: ko\n    answers: {age: 3, motif: x}\n    outcome: fin\n",
                     encoding="utf-8")
    assert main(["test", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"{cases}:4:5: case 'ko': expected outcome 'fin'" in out
    assert main(["test", str(cases)]) == 1  # the cases file names its journey
    capsys.readouterr()
    assert main(["test", str(tmp_path / "nothing.yaml")]) == 2
    (tmp_path / "k.yaml").write_text(JOURNEY, encoding="utf-8")
    result = test_file(tmp_path / "k.yaml")
    assert result.blocked == "no cases file (k.cases.yaml)"


def test_personas_saved_as_cases_keep_the_file_and_pass(tmp_path: Path) -> None:
    journey = tmp_path / "j.yaml"
    journey.write_text(JOURNEY, encoding="utf-8")
    target = cases_path(journey)
    target.write_text("# Mes cas, écrits à la main.\ncases:\n  - name: mineur  # le plus court\n"
                      "    answers: {age: 3, motif: x}\n    outcome: mineur\n", encoding="utf-8")
    from designer.commands.personas import add_arguments as add_personas_arguments
    from designer.commands.personas import run as run_personas

    parser = argparse.ArgumentParser()
    add_personas_arguments(parser)
    assert run_personas(parser.parse_args([str(journey), "--today", "2026-03-01",
                                           "--save-cases"])) == 0
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Mes cas, écrits à la main.\ncases:\n  - name: mineur  # le plus")
    assert "    outcome: fin\n" in text and "path: [a, b, fin]" in text
    result = test_file(journey)
    assert result.cases >= 2 and result.problems == []
    # Saving again adds nothing: the cases are named.
    again = [case_entry(c.name, c.answers, c.outcome, c.path or [], c.shown)
             for c in read_cases(text, str(target)).cases]
    assert append_cases(target, again) == 0


EXAMPLES = [p for p in sorted((ROOT / "journeys").rglob("*.yaml"))
            if not is_cases_file(p) and not is_organisation_file(p)]


@pytest.mark.parametrize("journey", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_journey_ships_cases_that_pass(journey: Path) -> None:
    result = test_file(journey)
    assert result.blocked is None
    assert result.cases >= 1 and result.problems == []
