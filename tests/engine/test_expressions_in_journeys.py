"""Expression rules, at the line and column of the expression inside the YAML file."""

from __future__ import annotations

from .helpers import HEADER, load, rules

BASE = HEADER + """\
computed:
  adulte: age >= 18
steps:
  a:
    title: A
    questions:
      age: {type: integer, label: Âge}
      statut:
        type: choice
        label: Statut
        options: {salarie: Salarié, etudiant: Étudiant}
      regimes:
        type: multichoice
        label: Régimes
        options: [bio, vegetarien]
        purpose: Les repas.
      detail:
        type: text
        label: Détail
        when: WHEN
    next:
      - goto: b
        when: NEXT
      - goto: fin
  b:
    title: B
    questions:
      naissance: {type: date, label: Naissance, purpose: Vérifier.}
    next: fin
outcomes:
  fin: {kind: submit, title: Fin}
"""


def with_(when: str = "true", next_: str = "adulte") -> str:
    return BASE.replace("WHEN", when).replace("NEXT", next_)


def test_clean_expressions() -> None:
    loaded = load(with_('statut == "etudiant" and "bio" in regimes', "adulte"))
    assert loaded.findings == []


def test_expression_syntax_points_inside_the_expression() -> None:
    loaded = load(with_("age >= and statut"))
    # `when: age >= and statut` : the value starts at column 15, the problem at offset 7
    assert rules(loaded) == [("expression-syntax", 25, 22)]


def test_unknown_name_with_suggestion() -> None:
    loaded = load(with_("statu == 'etudiant'"))
    [f] = loaded.findings
    assert (f.rule, f.line, f.column) == ("unknown-name", 25, 15)
    assert "statut" in f.message
    assert (f.step, f.question) == ("a", "detail")


def test_forward_reference_to_a_later_step() -> None:
    loaded = load(with_("naissance != null"))
    assert rules(loaded) == [("forward-reference", 25, 15)]


def test_forward_reference_to_a_later_question_of_the_same_page() -> None:
    text = with_("true").replace(
        "      age: {type: integer, label: Âge}",
        "      age: {type: integer, label: Âge, when: statut == 'salarie'}",
    )
    loaded = load(text)
    assert [f.rule for f in loaded.findings] == ["forward-reference"]
    assert loaded.findings[0].line == 12


def test_next_may_use_its_own_page() -> None:
    assert load(with_("true", "detail == 'x'")).findings == []


def test_type_mismatch() -> None:
    loaded = load(with_('age > "18"'))
    assert [f.rule for f in loaded.findings] == ["type-mismatch"]
    assert loaded.findings[0].line == 25


def test_when_must_be_a_condition() -> None:
    loaded = load(with_("age + 1"))
    assert [f.rule for f in loaded.findings] == ["type-mismatch"]


def test_unknown_option_of_a_choice() -> None:
    loaded = load(with_('statut == "chomeur"'))
    [f] = loaded.findings
    assert f.rule == "unknown-option"
    assert "salarie" in f.message


def test_unknown_option_of_a_multichoice() -> None:
    # A YAML value starting with a quote must be quoted whole: `'"vegan" in regimes'`
    loaded = load(with_("""'"vegan" in regimes'"""))
    assert [f.rule for f in loaded.findings] == ["unknown-option"]
    assert (loaded.findings[0].line, loaded.findings[0].column) == (25, 16)


def test_computed_value_used_before_its_answers() -> None:
    text = with_("true").replace(
        "      age: {type: integer, label: Âge}",
        "      info_adulte: {type: info, content: Bonjour, when: adulte}\n"
        "      age: {type: integer, label: Âge}",
    )
    loaded = load(text)
    assert [f.rule for f in loaded.findings] == ["forward-reference"]
    assert "age" in loaded.findings[0].message


def test_item_question_used_outside_its_repeat() -> None:
    text = BASE.replace("WHEN", "true").replace("NEXT", "prenom == 'a'").replace(
        "    next:\n      - goto: b",
        "      enfants:\n"
        "        type: repeat\n"
        "        label: Enfant\n"
        "        questions:\n"
        "          prenom: {type: text, label: Prénom}\n"
        "          pai: {type: yesno, label: PAI, when: prenom != null}\n"
        "    next:\n      - goto: b",
        1,
    )
    loaded = load(text)
    assert [f.rule for f in loaded.findings] == ["unknown-name"]
    assert "for each item" in loaded.findings[0].message


def test_date_bounds_are_checked_as_dates() -> None:
    text = with_().replace(
        "naissance: {type: date, label: Naissance, purpose: Vérifier.}",
        "naissance: {type: date, label: Naissance, purpose: Vérifier., max: today()}",
    )
    assert load(text).findings == []
    bad = with_().replace(
        "naissance: {type: date, label: Naissance, purpose: Vérifier.}",
        "naissance: {type: date, label: Naissance, purpose: Vérifier., max: age}",
    )
    assert [f.rule for f in load(bad).findings] == ["type-mismatch"]
