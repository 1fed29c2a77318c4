"""Checker: every rule triggers where it must, with its offsets, and near misses stay silent."""

from __future__ import annotations

import pytest

from designer.expressions import CheckResult, Symbol, ValueType, check, parse

T = ValueType
SYMBOLS = {
    s.name: s
    for s in [
        Symbol("age", T.NUMBER),
        Symbol("revenu", T.NUMBER),
        Symbol("quotient_familial", T.NUMBER),
        Symbol("commune", T.BOOLEAN),
        Symbol("allocataire_caf", T.BOOLEAN),
        Symbol("nom", T.STRING),
        Symbol("ecole", T.STRING, frozenset({"jaures", "curie"})),
        Symbol("regimes", T.LIST, frozenset({"bio", "vegan", "sans_porc"})),
        Symbol("naissance", T.DATE),
        Symbol("arrivee", T.DATE),
        Symbol("adresse", T.OPAQUE),
        Symbol("pai", T.OPAQUE),
        Symbol("enfants", T.ITEMS),
        Symbol("plus_tard", T.NUMBER, available=False),
        Symbol("choix_tard", T.STRING, frozenset({"a", "b"}), available=False),
    ]
}


def run(text: str, expect: ValueType | None = ValueType.BOOLEAN) -> CheckResult:
    return check(parse(text), SYMBOLS.get, expect=expect)


def rules(text: str, expect: ValueType | None = ValueType.BOOLEAN) -> list[str]:
    return [p.rule for p in run(text, expect).problems]


# -- expressions that are fine: near misses of every rule -------------------


@pytest.mark.parametrize(
    "text",
    [
        "commune",
        "not commune",
        "allocataire_caf and quotient_familial < 700",
        "18 <= age < 65",
        "age >= 18 or commune",
        "age == null",
        "null != age",
        "adresse == null",
        "adresse != null or answered(pai)",
        "naissance == null",
        "regimes == null",
        "enfants != null",
        "answered(adresse)",
        "answered(enfants) and len(enfants) > 1",
        'ecole == "jaures"',
        '"curie" != ecole',
        'ecole in ["jaures", "curie"]',
        'ecole not in ["curie"]',
        '"bio" in regimes',
        '"vegan" not in regimes',
        "len(regimes) >= 2",
        'nom == "Dupont"',
        'nom in ["a", "b"]',
        "age in [1, 2, 3]",
        "age(naissance) >= 18",
        'naissance < date("2025-01-01")',
        "naissance <= today()",
        "days_between(naissance, arrivee) > 30",
        "years_between(naissance, today()) < 3",
        "revenu / (age + 1) * 2 - 3 > -1.5",
        "-age < 0",
        "commune == true",
        "commune != allocataire_caf",
        "regimes == [\"bio\"]",
        "naissance == arrivee",
        "[] == regimes",
        "age == 18.5",
        "null == null",
    ],
)
def test_fine(text: str) -> None:
    result = run(text)
    assert result.problems == [], result.problems
    assert result.type == ValueType.BOOLEAN


@pytest.mark.parametrize(
    "text, expect, type_",
    [
        ("age + 1", T.NUMBER, T.NUMBER),
        ("today()", T.DATE, T.DATE),
        ('date("2025-01-01")', T.DATE, T.DATE),
        ("age(naissance)", T.NUMBER, T.NUMBER),
        ("len(enfants)", T.NUMBER, T.NUMBER),
        ("nom", None, T.STRING),
        ("regimes", None, T.LIST),
        ('["a"]', None, T.LIST),
        ("null", T.BOOLEAN, T.NULL),
        ("agee", None, T.ANY),
    ],
)
def test_types(text: str, expect: ValueType | None, type_: ValueType) -> None:
    assert run(text, expect).type == type_


# -- unknown-name -----------------------------------------------------------


def test_unknown_name_with_suggestion_and_offsets() -> None:
    [problem] = run("commune and agee > 3").problems
    assert problem.rule == "unknown-name"
    assert problem.message == "unknown name 'agee': did you mean 'age'?"
    assert (problem.offset, problem.end) == (12, 16)


def test_unknown_name_without_close_match() -> None:
    [problem] = run("zzz").problems
    assert problem.rule == "unknown-name"
    assert "no question or computed value" in problem.message


def test_unknown_name_candidates_argument_and_lookup_attribute() -> None:
    def lookup(name: str) -> Symbol | None:
        return None

    [p] = check(parse("quotient < 3"), lookup, candidates=["quotient_f"]).problems
    assert "did you mean 'quotient_f'" in p.message

    class Table:
        def __call__(self, name: str) -> Symbol | None:
            return None

        def candidates(self) -> list[str]:
            return ["revenu"]

    [p] = check(parse("revenue > 1"), Table()).problems
    assert "did you mean 'revenu'" in p.message
    [p] = check(parse("revenue > 1"), lambda name: None).problems
    assert "did you mean" not in p.message


def test_unknown_name_inside_answered_and_functions() -> None:
    assert rules("answered(emial)") == ["unknown-name"]
    assert rules("age(naisance) > 3") == ["unknown-name"]


def test_unknown_name_does_not_cascade() -> None:
    assert rules("agee + 1 > 3 and not commun") == ["unknown-name", "unknown-name"]


# -- forward-reference ------------------------------------------------------


def test_forward_reference() -> None:
    [p] = run("age > 3 and plus_tard > 2").problems
    assert p.rule == "forward-reference"
    assert p.message == "uses 'plus_tard', which is only answered later"
    assert (p.offset, p.end) == (12, 21)
    assert rules("answered(plus_tard)") == ["forward-reference"]


def test_forward_reference_still_typed() -> None:
    assert rules('choix_tard == "z"') == ["forward-reference", "unknown-option"]


# -- type-mismatch ----------------------------------------------------------


@pytest.mark.parametrize(
    "text, fragment, span",
    [
        ('age > "18"', "write 18 without quotes", (6, 10)),
        ("commune == 1", "write true or false", (11, 12)),
        ("commune and age", "'and' needs yes/no conditions on both sides, but 'age' is a number",
         (12, 15)),
        ("age or commune", "'or' needs yes/no", (0, 3)),
        ("not nom", "'not' needs a yes/no condition", (4, 7)),
        ('nom + "x" == "y"', "'+' needs numbers, but 'nom' is text", (0, 3)),
        ("-nom == 1", "'-' needs a number", (1, 4)),
        ("age", "this condition must be yes/no, but it is a number", (0, 3)),
        ("nom", "this condition must be yes/no, but it is text", (0, 3)),
        ("naissance < 2000", "cannot compare 'naissance' (a date) with 2000", (12, 16)),
        ('naissance == "2020-01-01"', 'date("YYYY-MM-DD")', (13, 25)),
        ("arrivee - naissance > 30", "use days_between(a, b)", (0, 19)),
        ("naissance + 1 > 30", "dates cannot be used with '+'", (0, 13)),
        ('nom < "m"', "'<' compares numbers or dates", (0, 3)),
        ("commune > allocataire_caf", "are yes/no values", (0, 7)),
        ('adresse == "1 rue"', "can only be tested with answered(adresse)", (0, 7)),
        ("pai != adresse", "can only be tested", (0, 3)),
        ("enfants == 2", "count them with len(enfants)", (0, 7)),
        ("len(nom) > 1", "len() counts the items", (4, 7)),
        ("age(age) > 1", "age() needs a date, but 'age' is a number", (4, 7)),
        ("days_between(naissance, 3) > 1", "days_between() needs a date", (24, 25)),
        ("\"bio\" in nom", "'in' needs a list on its right", (9, 12)),
        ("age in regimes", "looks for a choice in 'regimes', but 'age' is a number", (0, 3)),
        ('age in ["a", "b"]', "cannot look for 'age' (a number) in a list of text", (0, 3)),
        ('"x" in enfants', "is a list of repeated items", (7, 14)),
        ('nom in [1, "a"]', "a list must hold values of one type", (7, 15)),
        ("regimes == 3", "cannot compare 'regimes' (a list of choices) with 3", (11, 12)),
        ('regimes == "bio"', 'to test a choice, write "bio" in regimes', (11, 16)),
        ('commune == "oui"', "a yes/no answer is true or false", (11, 16)),
    ],
)
def test_type_mismatch(text: str, fragment: str, span: tuple[int, int]) -> None:
    problems = run(text).problems
    assert [p.rule for p in problems] == ["type-mismatch"], problems
    assert fragment in problems[0].message
    assert (problems[0].offset, problems[0].end) == span


def test_expect_other_types() -> None:
    [p] = run("commune", expect=T.NUMBER).problems
    assert p.message == "this expression must be a number, but it is a yes/no value"
    assert rules("age + 1", expect=T.NUMBER) == []
    assert rules("today()", expect=T.DATE) == []
    assert rules("age", expect=None) == []


def test_chain_checks_every_pair() -> None:
    assert rules('18 <= age < "65"') == ["type-mismatch"]
    assert rules("18 <= age < naissance") == ["type-mismatch"]


# -- unknown-option ---------------------------------------------------------


@pytest.mark.parametrize(
    "text, value, span",
    [
        ('ecole == "jaure"', "jaure", (9, 16)),
        ('"moliere" != ecole', "moliere", (0, 9)),
        ('"bi" in regimes', "bi", (0, 4)),
        ('"halal" not in regimes', "halal", (0, 7)),
        ('ecole in ["jaures", "pasteur"]', "pasteur", (20, 29)),
        ('ecole not in ["x"]', "x", (14, 17)),
        ('commune and (ecole == "Curie")', "Curie", (22, 29)),
    ],
)
def test_unknown_option(text: str, value: str, span: tuple[int, int]) -> None:
    problems = run(text).problems
    assert [p.rule for p in problems] == ["unknown-option"], problems
    p = problems[0]
    assert p.message.startswith(f"'{value}' is not an option of")
    assert (p.offset, p.end) == span


def test_unknown_option_lists_valid_options_and_suggests() -> None:
    [p] = run('ecole == "jaure"').problems
    assert p.message == (
        "'jaure' is not an option of 'ecole' (did you mean 'jaures'?): "
        "the options are 'curie', 'jaures'"
    )
    [p] = run('"bi" in regimes').problems
    assert "the options are 'bio', 'sans_porc', 'vegan'" in p.message


def test_options_not_checked_without_options_or_literal() -> None:
    assert rules('nom == "anything"') == []
    assert rules("ecole == nom") == []
    assert rules('nom in ["x", "y"]') == []
    assert rules("ecole == null") == []


def test_function_name_without_call() -> None:
    [p] = run("naissance < today").problems
    assert p.rule == "unknown-name"
    assert p.message == "unknown name 'today': to use the function, write today()"
