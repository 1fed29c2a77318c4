"""Run semantics as a citizen lives them: answers in, shown questions and next page out."""

from __future__ import annotations

import datetime

import pytest

from designer.run import Run

from .helpers import HEADER, load

TODAY = datetime.date(2026, 11, 27)

JOURNEY = HEADER + """\
computed:
  majeur: age >= 18
steps:
  a:
    title: Vous
    questions:
      age: {type: integer, label: Âge, min: 0, max: 130}
      etudiant: {type: yesno, label: Étudiant ?, when: age < 26}
      ecole: {type: text, label: École, when: etudiant, pattern: "[A-Z].*"}
      remarque: {type: text, label: Remarque, required: false, purpose: Savoir.}
    next:
      - goto: mineur
        when: not majeur
      - goto: b
  b:
    title: Foyer
    questions:
      enfants:
        type: repeat
        label: Enfant
        max: 3
        required: false
        purpose: Savoir.
        questions:
          prenom: {type: text, label: Prénom, purpose: Savoir.}
          allergie: {type: yesno, label: Allergie ?}
          pai: {type: text, label: PAI, when: allergie, purpose: Savoir.}
      arrivee:
        type: date
        label: Arrivée
        max: today()
        purpose: Savoir.
        checks:
          - rule: days_between(arrivee, today()) < 365
            message: {fr: Moins d'un an, en: Less than a year ago}
    next: fin
outcomes:
  fin: {kind: submit, title: Fin}
  mineur: {kind: exit, title: Trop jeune}
"""


@pytest.fixture
def journey():  # type: ignore[no-untyped-def]
    loaded = load(JOURNEY)
    assert loaded.findings == []
    return loaded.journey


def ids(questions) -> list[str]:  # type: ignore[no-untyped-def]
    return [q.id for q in questions]


def test_a_new_run_is_on_the_first_page(journey) -> None:  # type: ignore[no-untyped-def]
    run = Run(journey, seen=set(), today=TODAY)
    assert run.path() == ["a"]
    assert run.current == "a"
    assert ids(run.visible_questions("a")) == ["age", "remarque"]
    assert not run.finished


def test_questions_revealed_by_earlier_answers_of_the_page(journey) -> None:  # type: ignore[no-untyped-def]
    run = Run(journey, seen=set(), today=TODAY)
    assert ids(run.visible_questions("a", {"age": 20})) == ["age", "etudiant", "remarque"]
    assert ids(run.visible_questions("a", {"age": 20, "etudiant": True})) == [
        "age", "etudiant", "ecole", "remarque"]
    assert ids(run.visible_questions("a", {"age": 40, "etudiant": True})) == ["age", "remarque"]
    assert journey.questions["ecole"].depends_on_page == frozenset({"etudiant"})


def test_required_type_bounds_pattern(journey) -> None:  # type: ignore[no-untyped-def]
    run = Run(journey, seen=set(), today=TODAY)
    result = run.answer_page("a", {"age": ""})
    assert [(e.field, e.error.code) for e in result.errors] == [("age", "required")]
    result = run.answer_page("a", {"age": "vingt"})
    assert result.errors[0].field == "age" and result.errors[0].error.code != "required"
    result = run.answer_page("a", {"age": "140"})
    assert result.errors[0].error.code == "number-between"
    assert "130" in result.errors[0].message("fr")
    result = run.answer_page("a", {"age": "20", "etudiant": "oui", "ecole": "sorbonne"})
    assert [(e.field, e.error.code) for e in result.errors] == [("ecole", "pattern-mismatch")]
    assert run.path() == ["a"], "a refused page changes nothing"
    assert run.answers == {}


def test_exit_outcome(journey) -> None:  # type: ignore[no-untyped-def]
    run = Run(journey, seen=set(), today=TODAY)
    assert run.answer_page("a", {"age": "15", "etudiant": "non"}).ok
    assert run.path() == ["a", "mineur"]
    assert run.outcome == "mineur"


def test_answers_to_hidden_questions_are_ignored(journey) -> None:  # type: ignore[no-untyped-def]
    run = Run(journey, seen=set(), today=TODAY)
    # a hostile post: an answer to `ecole` while `etudiant` is not even shown
    result = run.answer_page("a", {"age": "40", "etudiant": "oui", "ecole": "<script>"})
    assert result.ok
    assert run.answers == {"age": 40}


def test_a_change_drops_what_it_makes_irrelevant(journey) -> None:  # type: ignore[no-untyped-def]
    run = Run(journey, seen=set(), today=TODAY)
    assert run.answer_page("a", {"age": "20", "etudiant": "oui", "ecole": "Sorbonne"}).ok
    assert run.answer_page("b", {"arrivee": "2026-10-01"}).ok
    assert run.finished and run.outcome == "fin"
    assert run.kept_answers()["ecole"] == "Sorbonne"
    # the citizen changes their age: the student questions disappear
    assert run.answer_page("a", {"age": "30"}).ok
    kept = run.kept_answers()
    assert "etudiant" not in kept and "ecole" not in kept
    assert kept["age"] == 30 and kept["arrivee"] == datetime.date(2026, 10, 1)


def test_pages_not_reached_cannot_be_visited(journey) -> None:  # type: ignore[no-untyped-def]
    run = Run(journey, seen=set(), today=TODAY)
    assert not run.can_visit("b")
    assert run.can_visit("a")


def test_repeat_items_show_their_own_questions(journey) -> None:  # type: ignore[no-untyped-def]
    run = Run(journey, seen=set(), today=TODAY)
    run.answer_page("a", {"age": "40"})
    form = {
        "enfants": [
            {"prenom": "Léa", "allergie": "oui", "pai": "arachide"},
            {"prenom": "Tom", "allergie": "non", "pai": "ignoré"},
        ],
        "arrivee": {"day": "1", "month": "10", "year": "2026"},
    }
    result = run.answer_page("b", form)
    assert result.ok, result.errors
    assert run.kept_answers()["enfants"] == [
        {"prenom": "Léa", "allergie": True, "pai": "arachide"},
        {"prenom": "Tom", "allergie": False},
    ]


def test_repeat_item_errors_name_the_item_field(journey) -> None:  # type: ignore[no-untyped-def]
    run = Run(journey, seen=set(), today=TODAY)
    run.answer_page("a", {"age": "40"})
    result = run.answer_page("b", {"enfants": [{"prenom": "", "allergie": "oui"}],
                                   "arrivee": "2026-10-01"})
    assert sorted(e.field for e in result.errors) == ["enfants-0-pai", "enfants-0-prenom"]
    too_many = [{"prenom": "x", "allergie": "non"}] * 4
    result = run.answer_page("b", {"enfants": too_many, "arrivee": "2026-10-01"})
    assert [e.error.code for e in result.errors] == ["items-too-many"]


def test_date_bound_from_today_and_check_message(journey) -> None:  # type: ignore[no-untyped-def]
    run = Run(journey, seen=set(), today=TODAY)
    run.answer_page("a", {"age": "40"})
    result = run.answer_page("b", {"arrivee": "2027-01-01"})
    assert result.errors[0].error.code == "date-too-late"
    assert result.errors[0].field == "arrivee"
    result = run.answer_page("b", {"arrivee": "2020-01-01"})
    assert result.errors[0].message("en") == "Less than a year ago"
    assert result.errors[0].message("fr") == "Moins d'un an"


def test_replaying_answers_without_pages(journey) -> None:  # type: ignore[no-untyped-def]
    run = Run(journey, {"age": 19, "etudiant": False, "arrivee": TODAY}, today=TODAY)
    assert run.path() == ["a", "b", "fin"]
    assert run.next("a") == "b"


def test_seen_pages_with_only_optional_questions_must_still_be_sent() -> None:
    loaded = load(HEADER + """\
steps:
  a:
    title: A
    questions:
      note: {type: text, label: Note, required: false, purpose: Savoir.}
    next: fin
outcomes:
  fin: {kind: submit, title: Fin}
""")
    run = Run(loaded.journey, seen=set(), today=TODAY)
    assert run.path() == ["a"]
    assert run.answer_page("a", {}).ok
    assert run.path() == ["a", "fin"]


def test_a_page_whose_questions_are_all_hidden_is_passed_over() -> None:
    loaded = load(HEADER + """\
steps:
  a:
    title: A
    questions:
      salarie: {type: yesno, label: Salarié ?}
    next: b
  b:
    title: Employeur
    questions:
      employeur: {type: text, label: Employeur, when: salarie, purpose: Savoir.}
    next: c
  c:
    title: Information
    next: fin
outcomes:
  fin: {kind: submit, title: Fin}
""")
    run = Run(loaded.journey, seen=set(), today=TODAY)
    assert run.answer_page("a", {"salarie": "non"}).ok
    # b shows nothing for this citizen; c, an information page, is shown
    assert run.path() == ["a", "b", "c"]
    assert run.current == "c"
    run = Run(loaded.journey, seen=set(), today=TODAY)
    assert run.answer_page("a", {"salarie": "oui"}).ok
    assert run.current == "b"


def test_a_failing_analysis_never_reaches_the_designer() -> None:
    def broken(journey):  # type: ignore[no-untyped-def]
        raise RuntimeError("bug")

    loaded = load(JOURNEY, analyses=[broken])
    assert loaded.journey is not None and loaded.findings == []
