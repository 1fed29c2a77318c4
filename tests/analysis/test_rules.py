"""Each analysis rule: a journey that triggers it at an exact line, and a near miss that must not.

Lines are found by a `# here` comment in the YAML text, so the tests stay readable.
"""

from __future__ import annotations

import textwrap
from dataclasses import replace

import pytest

from designer.analysis import AnalysisConfig, analyse
from designer.findings import Finding, Severity
from designer.loading import load_text

HEAD = """\
parcours: 1
id: essai
title: Essai
organisation: Mairie
start: a
"""


def journey(body: str, head: str = HEAD) -> str:
    return head + textwrap.dedent(body)


def check(text: str, config: AnalysisConfig | None = None) -> list[Finding]:
    loaded = load_text(text, "essai.yaml", analyses=[])
    assert loaded.journey is not None, loaded.findings
    assert not [f for f in loaded.findings if f.severity is Severity.ERROR], loaded.findings
    return analyse(loaded.journey, replace(config or AnalysisConfig(), strict=True))


def lines(findings: list[Finding], rule: str) -> list[int]:
    return sorted(f.line for f in findings if f.rule == rule)


def marked(text: str, mark: str = "# here") -> list[int]:
    return [i + 1 for i, line in enumerate(text.splitlines()) if line.rstrip().endswith(mark)]


# --------------------------------------------------------------------------- dead-end

DEAD_END = """\
steps:
  a:
    title: Points
    questions:
      points:
        type: integer
        label: Combien de points ?
        min: 0
        max: 10
    next: # here
      - goto: haut
        when: points > 6
      - goto: bas
        when: {second}
outcomes:
  haut: {{kind: submit, title: Haut}}
  bas: {{kind: exit, title: Bas}}
"""


def test_dead_end_when_conditions_leave_a_gap() -> None:
    text = journey(DEAD_END.format(second="points < 3"))
    found = check(text)
    assert lines(found, "dead-end") == marked(text)
    message = next(f.message for f in found if f.rule == "dead-end")
    assert "points = " in message  # a replayed example of answers that get stuck
    value = int(message.split("points = ")[1].split(")")[0])
    assert 3 <= value <= 6


def test_no_dead_end_when_conditions_cover_every_case() -> None:
    text = journey(DEAD_END.format(second="points <= 6"))
    assert lines(check(text), "dead-end") == []


def test_no_dead_end_for_unanswered_optional_when_relation_unknown() -> None:
    # x > y then x <= y: intervals cannot prove coverage, z3 proves no witness exists.
    text = journey("""\
    steps:
      a:
        title: Deux nombres
        questions:
          x: {type: integer, label: X}
          y: {type: integer, label: Y}
        next:
          - goto: haut
            when: x > y
          - goto: bas
            when: x <= y
    outcomes:
      haut: {kind: submit, title: Haut}
      bas: {kind: exit, title: Bas}
    """)
    assert lines(check(text), "dead-end") == []


# --------------------------------------------------------------------------- impossible / always

AGE = """\
steps:
  a:
    title: Âge
    questions:
      age:
        type: integer
        label: Votre âge
        min: 0
        max: 120
      motif:
        type: text
        label: Pourquoi ?
        purpose: Comprendre.
        when: {when} # here
    next: fin
outcomes:
  fin: {{kind: submit, title: Fin}}
"""


def test_impossible_when_against_a_bound() -> None:
    text = journey(AGE.format(when="age < 0"))
    found = check(text)
    assert lines(found, "impossible-condition") == marked(text)
    assert "never shown" in next(f.message for f in found if f.rule == "impossible-condition")


def test_possible_when_is_not_reported() -> None:
    text = journey(AGE.format(when="age < 1"))
    found = check(text)
    assert lines(found, "impossible-condition") == []
    assert lines(found, "always-true-condition") == []


def test_always_true_when() -> None:
    text = journey(AGE.format(when="age >= 0"))
    assert lines(check(text), "always-true-condition") == marked(text)


def test_contradiction_is_impossible() -> None:
    text = journey(AGE.format(when="age < 11 and age >= 18"))
    assert lines(check(text), "impossible-condition") == marked(text)


BRANCHES = """\
steps:
  a:
    title: Âge
    questions:
      naissance:
        type: date
        label: Votre date de naissance
        max: today()
    next:
      - goto: mineur
        when: age(naissance) < {first}
      - goto: enfant
        when: age(naissance) < {second} # here
      - goto: fin
outcomes:
  fin: {{kind: submit, title: Fin}}
  mineur: {{kind: exit, title: Mineur}}
  enfant: {{kind: exit, title: Enfant}} # unreachable
"""


def test_branch_shadowed_by_an_earlier_entry_and_unreachable_outcome() -> None:
    text = journey(BRANCHES.format(first=18, second=11))
    found = check(text)
    assert lines(found, "impossible-condition") == marked(text)
    assert lines(found, "unreachable") == marked(text, "# unreachable")


def test_branches_in_the_right_order_are_fine() -> None:
    text = journey(BRANCHES.format(first=11, second=18))
    found = check(text)
    assert lines(found, "impossible-condition") == []
    assert lines(found, "unreachable") == []


REQUIRED = """\
steps:
  a:
    title: Revenus
    questions:
      revenu:
        type: integer
        label: Votre revenu
        min: 0
      justificatif:
        type: file
        label: Justificatif
        purpose: Vérifier.
        required: {required} # here
    next: fin
outcomes:
  fin: {{kind: submit, title: Fin}}
"""


def test_required_that_can_never_hold() -> None:
    text = journey(REQUIRED.format(required="revenu < 0"))
    found = check(text)
    assert lines(found, "impossible-condition") == marked(text)
    assert "never required" in next(f.message for f in found if f.rule == "impossible-condition")


def test_required_that_can_hold() -> None:
    text = journey(REQUIRED.format(required="revenu > 1000"))
    assert lines(check(text), "impossible-condition") == []


PATHS = """\
steps:
  a:
    title: Enfants
    questions:
      enfants:
        type: yesno
        label: Avez-vous des enfants ?
    next:
      - goto: sans
        when: not enfants
      - goto: avec
  sans:
    title: Sans enfant
    questions:
      allergie_info:
        type: yesno
        label: Une allergie ?
        when: {when} # here
        purpose: Adapter.
    next: fin
  avec:
    title: Avec enfants
    next: sans
outcomes:
  fin: {{kind: submit, title: Fin}}
"""


def test_condition_impossible_given_the_branch_taken_on_every_path() -> None:
    # `sans` is reached with enfants false (directly) or true (through `avec`): never null.
    text = journey(PATHS.format(when="enfants == null"))
    assert lines(check(text), "impossible-condition") == marked(text)


def test_condition_possible_on_one_of_the_joined_paths() -> None:
    text = journey(PATHS.format(when="enfants"))
    found = check(text)
    assert lines(found, "impossible-condition") == []
    assert lines(found, "always-true-condition") == []


# --------------------------------------------------------------------------- duplicate-question

DUPLICATE = """\
steps:
  a:
    title: Statut
    questions:
      statut:
        type: choice
        label: Votre statut
        options: [locataire, proprietaire]
    next:
      - goto: b
        when: statut == "locataire"
      - goto: c
  b:
    title: Location
    questions:
      loyer:
        type: integer
        label: Montant du loyer
        purpose: Calculer l'aide.
    next: {after_b}
  c:
    title: Propriété
    questions:
      loyer_bis: # here
        type: integer
        label: "Montant du loyer ?"
        purpose: Calculer l'aide.
    next: fin
outcomes:
  fin: {{kind: submit, title: Fin}}
"""


def test_duplicate_question_on_one_path() -> None:
    text = journey(DUPLICATE.format(after_b="c"))
    found = check(text)
    assert lines(found, "duplicate-question") == marked(text)
    assert "'loyer'" in next(f.message for f in found if f.rule == "duplicate-question")


def test_same_label_on_exclusive_branches_is_not_a_duplicate() -> None:
    text = journey(DUPLICATE.format(after_b="fin"))
    assert lines(check(text), "duplicate-question") == []


def test_same_page_exclusive_whens_are_not_duplicates() -> None:
    text = journey("""\
    steps:
      a:
        title: Un
        questions:
          salarie: {type: yesno, label: Êtes-vous salarié ?}
          revenu_a:
            type: integer
            label: Votre revenu
            purpose: Calculer.
            when: salarie
          revenu_b:
            type: integer
            label: Votre revenu
            purpose: Calculer.
            when: not salarie
        next: fin
    outcomes:
      fin: {kind: submit, title: Fin}
    """)
    assert lines(check(text), "duplicate-question") == []


def test_same_concept_is_a_duplicate() -> None:
    text = journey("""\
    steps:
      a:
        title: Un
        questions:
          courriel: {type: email, label: Courriel, concept: contact.email, purpose: Écrire.}
        next: b
      b:
        title: Deux
        questions:
          mail: {type: email, label: Adresse, concept: contact.email, purpose: Écrire.} # here
        next: fin
    outcomes:
      fin: {kind: submit, title: Fin}
    """)
    assert lines(check(text), "duplicate-question") == marked(text)


IDENTITIES = """\
prefill: [{prefill}]
steps:
  a:
    title: Vous
    questions:
      nom:
        type: text
        label: Votre nom
        concept: identite.nom
        purpose: Savoir qui demande.
    next: b
  b:
{about}    title: La personne concernée
    questions:
      nom_enfant: # here
        type: text
        label: Le nom de l'enfant
        concept: identite.nom
        purpose: Savoir pour qui.
    next: fin
outcomes:
  fin: {{kind: submit, title: Fin}}
"""


def test_the_applicant_and_the_person_concerned_are_not_a_duplicate() -> None:
    # A parent's surname and the child's share a concept, not a value.
    same = journey(IDENTITIES.format(prefill="", about=""))
    assert lines(check(same), "duplicate-question") == marked(same)
    other = journey(IDENTITIES.format(prefill="", about="    about: person_concerned\n"))
    assert lines(check(other), "duplicate-question") == []


def test_franceconnect_is_not_offered_for_the_person_concerned() -> None:
    # FranceConnect knows the person who logs in, never the child they apply for.
    text = journey(IDENTITIES.format(prefill="api-entreprise-sirene",
                                     about="    about: person_concerned\n"))
    found = check(text)
    assert lines(found, "obtainable-data") == sorted(  # the applicant's name only
        f.line for f in found if f.rule == "obtainable-data" and "'nom'" in f.message
    )
    assert lines(found, "obtainable-data") == [text.splitlines().index("      nom:") + 1]


# --------------------------------------------------------------------------- unused-answer

UNUSED = """\
steps:
  a:
    title: Un
    questions:
      remarque: # here
        type: textarea
        label: Une remarque ?
{extra}    next: fin
outcomes:
  fin: {{kind: submit, title: Fin}}
"""


def test_unused_answer() -> None:
    text = journey(UNUSED.format(extra=""))
    assert lines(check(text), "unused-answer") == marked(text)


def test_answer_with_a_purpose_is_used() -> None:
    text = journey(UNUSED.format(extra="        purpose: Traiter la demande.\n"))
    assert lines(check(text), "unused-answer") == []


def test_answer_read_by_a_condition_is_used() -> None:
    text = journey("""\
    steps:
      a:
        title: Un
        questions:
          majeur: {type: yesno, label: Êtes-vous majeur ?}
        next:
          - goto: fin
            when: majeur
          - goto: non
    outcomes:
      fin: {kind: submit, title: Fin}
      non: {kind: exit, title: Non}
    """)
    assert lines(check(text), "unused-answer") == []


def test_answer_read_only_by_its_own_checks_is_unused() -> None:
    # Its own checks validate the answer; they do not say why it is collected.
    text = journey("""\
    steps:
      a:
        title: Un
        questions:
          telephone: # here
            type: text
            label: Votre téléphone
            checks:
              - rule: telephone != "0"
                message: Saisissez un vrai numéro
        next: fin
    outcomes:
      fin: {kind: submit, title: Fin}
    """)
    found = check(text)
    assert lines(found, "unused-answer") == marked(text)
    message = next(f.message for f in found if f.rule == "unused-answer")
    assert "its own checks only validate it" in message


def test_answer_read_by_the_check_of_another_question_is_used() -> None:
    # As docs/rules/unused-answer.md says: a check of another question is a use.
    text = journey("""\
    steps:
      a:
        title: Un
        questions:
          arrivee: {type: date, label: Date d'arrivée, purpose: Calculer le séjour.}
          depart:
            type: date
            label: Date de départ
            purpose: Calculer le séjour.
            checks:
              - rule: depart >= arrivee
                message: Saisissez une date de départ après l'arrivée
        next: fin
    outcomes:
      fin: {kind: submit, title: Fin}
    """)
    assert lines(check(text), "unused-answer") == []


# --------------------------------------------------------------------------- obtainable-data

OBTAINABLE = """\
prefill: [{prefill}]
steps:
  a:
    title: Un
    questions:
      qf: # here
        type: integer
        label: Votre quotient familial
        concept: caf.quotient_familial
        purpose: Calculer le tarif.
    next: fin
outcomes:
  fin: {{kind: submit, title: Fin}}
"""


def test_obtainable_data_when_not_connected() -> None:
    text = journey(OBTAINABLE.format(prefill="franceconnect"))
    found = check(text)
    assert lines(found, "obtainable-data") == marked(text)
    assert "api-particulier-quotient-familial" in next(
        f.message for f in found if f.rule == "obtainable-data"
    )


def test_no_obtainable_data_when_the_provider_prefills_it() -> None:
    text = journey(OBTAINABLE.format(prefill="api-particulier-quotient-familial"))
    assert lines(check(text), "obtainable-data") == []


def test_obtainable_data_by_label_is_stronger_when_connected() -> None:
    text = journey("""\
    prefill: [franceconnect]
    steps:
      a:
        title: Un
        questions:
          naissance: # here
            type: date
            label: Votre date de naissance
            purpose: Vérifier l'âge.
        next: fin
    outcomes:
      fin: {kind: submit, title: Fin}
    """)
    found = check(text)
    assert lines(found, "obtainable-data") == marked(text)
    message = next(f.message for f in found if f.rule == "obtainable-data")
    assert "identite.date_naissance" in message


# --------------------------------------------------------------------------- branches

EQUIVALENT = """\
steps:
  a:
    title: Un
    questions:
      choix: {{type: yesno, label: Oui ou non ?}}
    next:
      - goto: b
        when: choix
      - goto: c # here
  b:
    title: Deux
    questions:
      detail: {{type: text, label: Précisez, purpose: Traiter.}}
    next: fin
  c:
    title: Deux
    questions:
      detail_bis: {{type: text, label: {label}, purpose: Traiter.}}
    next: fin
outcomes:
  fin: {{kind: submit, title: Fin}}
"""


def test_equivalent_branches() -> None:
    text = journey(EQUIVALENT.format(label="Précisez"))
    assert lines(check(text), "equivalent-branches") == marked(text)


def test_branches_that_differ_are_not_equivalent() -> None:
    text = journey(EQUIVALENT.format(label="Autre chose"))
    assert lines(check(text), "equivalent-branches") == []


SINGLE = """\
steps:
  a:
    title: Un
    questions:
      mode:
        type: choice
        label: Mode
        purpose: Traiter.
        options: {options} # here
    next: fin
outcomes:
  fin: {{kind: submit, title: Fin}}
"""


def test_single_option_choice() -> None:
    text = journey(SINGLE.format(options="[courrier]"))
    assert lines(check(text), "single-option") == marked(text)


def test_two_options_are_a_choice() -> None:
    text = journey(SINGLE.format(options="[courrier, guichet]"))
    assert lines(check(text), "single-option") == []


def test_next_whose_entries_all_go_one_way() -> None:
    text = journey("""\
    steps:
      a:
        title: Un
        questions:
          ok: {type: yesno, label: D'accord ?}
        next: # here
          - goto: fin
            when: ok
          - goto: fin
    outcomes:
      fin: {kind: submit, title: Fin}
    """)
    assert lines(check(text), "single-option") == marked(text)


# --------------------------------------------------------------------------- pages

def long_page(n: int) -> str:
    questions = "".join(
        f"      q{i}: {{type: text, label: Question {i}, purpose: Traiter.}}\n" for i in range(n)
    )
    return journey(
        "steps:\n  a: # here\n    title: Un\n    questions:\n" + questions
        + "    next: fin\noutcomes:\n  fin: {kind: submit, title: Fin}\n"
    )


def test_long_step() -> None:
    text = long_page(8)
    assert lines(check(text), "long-step") == marked(text)


def test_seven_questions_are_fine_and_the_limit_is_configurable() -> None:
    assert lines(check(long_page(7)), "long-step") == []
    assert lines(check(long_page(8), AnalysisConfig(long_step_limit=8)), "long-step") == []
    assert lines(check(long_page(3), AnalysisConfig(long_step_limit=2)), "long-step") == [7]


MERGE = """\
steps:
  a:
    title: Un
    questions:
      nom: {{type: text, label: Nom, purpose: Identifier.}}
    next: b
  b: # here
    title: Deux
    questions:
      ville: {{type: text, label: Ville, purpose: Identifier.}}
    next: fin
{other}outcomes:
  fin: {{kind: submit, title: Fin}}
"""


def test_mergeable_steps() -> None:
    text = journey(MERGE.format(other=""))
    found = check(text)
    assert lines(found, "mergeable-steps") == marked(text)
    assert all(f.severity is Severity.INFO for f in found if f.rule == "mergeable-steps")


def test_steps_with_more_questions_are_not_mergeable() -> None:
    other = (
        "      commune: {type: text, label: Commune, purpose: Identifier.}\n"
        "      voie: {type: text, label: Voie, purpose: Identifier.}\n"
    )
    text = journey(MERGE.format(other="").replace("    next: fin\n", other + "    next: fin\n"))
    assert lines(check(text), "mergeable-steps") == []


BILINGUAL_HEAD = HEAD.replace("title: Essai", "title: {fr: Essai, en: Trial}")
TRANSLATION = """\
languages: [fr, en]
steps:
  a:
    title: {{fr: Un, en: One}}
    questions:
      nom:
        type: text
        label: {label} # here
        purpose: {{fr: Identifier., en: To identify.}}
    next: fin
outcomes:
  fin: {{kind: submit, title: {{fr: Fin, en: End}}}}
"""


def test_missing_translation() -> None:
    text = journey(TRANSLATION.format(label="{fr: Nom}"), BILINGUAL_HEAD)
    found = check(text)
    assert lines(found, "missing-translation") == marked(text)
    assert "en" in next(f.message for f in found if f.rule == "missing-translation")


def test_complete_translation() -> None:
    text = journey(TRANSLATION.format(label="{fr: Nom, en: Surname}"), BILINGUAL_HEAD)
    assert lines(check(text), "missing-translation") == []


@pytest.mark.parametrize("path", [
    "journeys/inscription-cantine.yaml",
    "journeys/aide-isolation.yaml",
    "journeys/logement-social.yaml",
])
def test_example_journeys_have_no_path_errors(path: str) -> None:
    from pathlib import Path

    from designer.loading import load_journey

    root = Path(__file__).resolve().parents[2]
    loaded = load_journey(root / path)
    assert loaded.journey is not None
    errors = [f for f in loaded.findings if f.severity is Severity.ERROR]
    assert errors == []


MIXED = """\
computed:
  majeur: age(naissance) >= 18
  gros: nb > 3
  tres_gros: gros and nb > 5
steps:
  a:
    title: Un
    questions:
      naissance: {type: date, label: Naissance, max: today(), purpose: Âge.}
      nb: {type: integer, label: Nombre, min: 0, max: 10}
      m:
        type: multichoice
        label: Régimes
        options: [bio, vegan, halal]
        required: false
        purpose: Repas.
      opt: {type: text, label: Optionnel, required: false, purpose: Test.}
      futur: {type: text, label: Futur, purpose: Test., when: naissance > today()} # here
      deux: {type: text, label: Deux, purpose: Test., when: '"bio" in m and "vegan" in m'}
      rempli: {type: text, label: Rempli, purpose: Test., when: opt != null}
      enfants:
        type: repeat
        label: Enfant
        required: false
        questions:
          allergie: {type: yesno, label: Allergie, purpose: Test.}
          pai: {type: file, label: PAI, when: allergie and not allergie, purpose: Test.} # here
    next:
      - goto: b
        when: tres_gros
      - goto: c
        when: majeur
      - goto: d
  b:
    title: Deux
    questions:
      x: {type: yesno, label: X, when: not gros, purpose: Test.} # here
      x2: {type: yesno, label: X2, when: nb > 5, purpose: Test.}
    next: fin
  c:
    title: Trois
    next: fin
  d:
    title: Quatre
    questions:
      y: {type: yesno, label: Y, when: majeur, purpose: Test.} # here
      z: {type: yesno, label: Z, when: len(m) > 3, purpose: Test.} # here
      z2: {type: yesno, label: Z2, when: len(m) > 2, purpose: Test.}
    next: fin
outcomes:
  fin: {kind: submit, title: Fin}
"""


def test_computed_values_terms_dates_multichoice_and_repeats() -> None:
    # Through computed values (`tres_gros` implies `gros`), terms (`age(naissance)`), a date
    # bounded by today(), list lengths and repeat items; the near misses on the same pages
    # (`x2`, `z2`, `deux`, `rempli`) are possible and must stay silent.
    text = journey(MIXED)
    found = check(text)
    assert lines(found, "impossible-condition") == marked(text)
    assert lines(found, "always-true-condition") == [marked(text)[2] + 1]  # x2: nb > 5 holds


def test_a_page_with_a_repeat_is_not_a_short_page() -> None:
    repeat = (
        "      enfants:\n        type: repeat\n        label: Enfant\n        questions:\n"
        "          prenom: {type: text, label: Prénom, purpose: Identifier.}\n"
        "          age: {type: integer, label: Âge, purpose: Identifier.}\n"
    )
    text = journey(MERGE.format(other="").replace(
        "      ville: {type: text, label: Ville, purpose: Identifier.}\n", repeat
    ))
    assert "enfants" in text
    assert lines(check(text), "mergeable-steps") == []


def test_a_failing_rule_is_silent_for_users_and_loud_in_tests(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import designer.analysis as analysis

    def broken(ctx: object) -> list[Finding]:
        raise RuntimeError("bug")

    monkeypatch.setattr(analysis, "RULES", [broken, *analysis.RULES])
    text = journey(UNUSED.format(extra=""))
    loaded = load_text(text, "essai.yaml", analyses=[])
    assert loaded.journey is not None
    found = analyse(loaded.journey)
    assert lines(found, "unused-answer") == marked(text)  # the other rules still run
    with pytest.raises(RuntimeError):
        analyse(loaded.journey, AnalysisConfig(strict=True))


# --------------------------------------------------------------------------- stated-duration

DURATION = """\
summary: {summary}
steps:
  a:
    title: Vous
    questions:
      nom: {{type: text, label: Votre nom, purpose: Vous répondre.}}
      naissance: {{type: date, label: Votre date de naissance, purpose: Vérifier l'âge.}}
      adresse: {{type: address, label: Votre adresse, purpose: Vous écrire.}}
      piece: {{type: file, label: Votre pièce d'identité, purpose: Vérifier.}}
    next: fin
outcomes:
  fin: {{kind: submit, title: Fin}}
"""


def test_a_summary_that_contradicts_the_estimate() -> None:
    from designer.duration import estimated_minutes

    text = journey(DURATION.format(summary="Cela prend une heure."))
    found = check(text)
    assert lines(found, "stated-duration") == [text.splitlines().index(
        "summary: Cela prend une heure.") + 1]
    loaded = load_text(text, "essai.yaml", analyses=[])
    assert loaded.journey is not None
    estimate = estimated_minutes(loaded.journey, "fr")
    message = next(f for f in found if f.rule == "stated-duration")
    assert f"'about {estimate} minutes'" in message.message
    assert f"« environ {estimate} minutes »" in message.text("fr")


@pytest.mark.parametrize("summary", [
    "Une démarche en ligne.",  # no duration
    "Comptez quelques minutes.",  # a vague one
    "Le guichet est ouvert de 9 heures à 17 heures.",  # a time of day
])
def test_a_summary_without_a_contradicting_duration(summary: str) -> None:
    assert lines(check(journey(DURATION.format(summary=summary))), "stated-duration") == []


def test_a_summary_that_matches_the_estimate() -> None:
    from designer.duration import estimated_minutes

    loaded = load_text(journey(DURATION.format(summary="x")), "essai.yaml", analyses=[])
    assert loaded.journey is not None
    estimate = estimated_minutes(loaded.journey, "fr")
    text = journey(DURATION.format(summary=f"Cela prend environ {estimate} minutes."))
    assert lines(check(text), "stated-duration") == []
    both = {"fr": f"Comptez {estimate} à {estimate + 5} minutes.", "en": "It takes 2 hours."}
    bilingual = journey(DURATION.format(summary=str(both)).replace("'", '"'),
                        HEAD + "languages: [fr, en]\n")
    assert len(lines(check(bilingual), "stated-duration")) == 1  # the English one only

