"""Source expressions (XPath, XGov strings) → Parcours expressions, typed by the questions."""

from __future__ import annotations

import pytest

from designer.expressions import parse
from designer.importers.common import (
    Ids,
    SourceSyntaxError,
    Symbol,
    Untranslatable,
    compare,
    finish,
    slug_identifier,
    slug_journey_id,
)
from designer.importers.sourceexpr import Translator, parse_source

SYMBOLS = {
    "age": Symbol("age", "integer", order=0),
    "pets": Symbol("pets", "multichoice", ["dog", "cat"], order=1),
    "colour": Symbol("colour", "choice", ["red", "blue"], order=2),
    "size": Symbol("size", "choice", ["1", "2", "3", "4"], order=3),
    "ok": Symbol("ok", "yesno", order=4),
    "name": Symbol("name", "text", order=5),
    "born": Symbol("born", "date", order=6),
    "section.ok": Symbol("ok", "yesno", order=4),
}


def xpath(text: str, self_symbol: Symbol | None = None) -> str:
    tree = parse_source(text, "xpath")
    return finish(Translator(SYMBOLS.__getitem__, self_symbol).condition(tree))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("${colour} = 'red'", 'colour == "red"'),
        # Unanswered is a value in XPath ('' != 'red' holds), unknown in a journey.
        ("${colour} != 'red'", 'not answered(colour) or colour != "red"'),
        ("selected(${pets}, 'dog')", '"dog" in pets'),
        ("not(selected(${pets}, 'dog'))", 'not (answered(pets) and "dog" in pets)'),
        ("selected(${colour}, 'blue')", 'colour == "blue"'),
        ("${age} >= 18 and ${age} < 65", "age >= 18 and age < 65"),
        ("${age} > '17' or ${colour} = 'red'", 'age > 17 or colour == "red"'),
        ("count-selected(${pets}) > 1", "len(pets) > 1"),
        ("${name} != ''", "answered(name)"),
        ("${name} = ''", "not answered(name)"),
        ("string-length(${name}) > 0", "answered(name)"),
        ("${born} < today()", "born < today()"),
        ("${ok} = 'yes'", "ok"),
        ("${ok} = 'false'", "not ok"),
        ("${size} > 2", 'size in ["3", "4"]'),
        ("${any} = \u2018yes\u2019".replace("${any}", "${colour}").replace("yes", "red"),
         'colour == "red"'),
        ("(${age} + 2) div 2 > 10", "(age + 2) / 2 > 10"),
        ("today() - ${born} > 30", "days_between(born, today()) > 30"),
        ("(today() - ${born}) div 365.25 >= 18", "days_between(born, today()) / 365.25 >= 18"),
    ],
)
def test_xpath_translations_parse_and_mean_the_same(source: str, expected: str) -> None:
    text = xpath(source)
    assert text == expected
    parse(text)  # the engine reads it back


def test_dot_is_the_question_itself_in_a_constraint() -> None:
    assert xpath(". <= ${age}", SYMBOLS["age"]) == "age <= age"
    assert xpath("not(selected(., 'dog') and selected(., 'cat'))", SYMBOLS["pets"]) == (
        'not (answered(pets) and "dog" in pets and "cat" in pets)'
    )


@pytest.mark.parametrize(
    "source",
    [
        "regex(${name}, '^a')",
        "${age} mod 2 = 0",
        "if(${age} > 1, 1, 2) = 1",
        "${colour} = 'green'",  # not an option: would be an unknown-option error
        "${ok} > 1",
        "position(..) = 1",
        "state=${colour}",
    ],
)
def test_what_cannot_map_is_untranslatable_not_wrong(source: str) -> None:
    with pytest.raises(Untranslatable):
        xpath(source)


@pytest.mark.parametrize("source", ["${a} = 'unclosed", "${age} = = 1", "(${age} > 1", "1 $ 2"])
def test_invalid_xpath_is_a_syntax_error(source: str) -> None:
    with pytest.raises(SourceSyntaxError):
        parse_source(source, "xpath")


def test_xgov_string_conditions() -> None:
    tree = parse_source("section.ok==true && size > 1", "js")
    text = finish(Translator(SYMBOLS.__getitem__).condition(tree))
    assert text == 'ok and size in ["2", "3", "4"]'


def test_compare_coerces_values_to_the_question_type() -> None:
    assert finish(compare(SYMBOLS["size"], "==", 2)) == 'size == "2"'
    assert finish(compare(SYMBOLS["age"], "==", "18")) == "age == 18"
    assert finish(compare(SYMBOLS["born"], ">", "2020-01-31")) == 'born > date("2020-01-31")'
    assert finish(compare(SYMBOLS["pets"], "!=", "cat")) == '"cat" not in pets'
    with pytest.raises(Untranslatable):
        compare(SYMBOLS["size"], ">", 9)


def test_ids_are_identifiers_unique_and_deterministic() -> None:
    ids = Ids()
    assert ids.allocate("ukPassport") == "uk_passport"
    assert ids.allocate("uk-passport", "step") == "uk_passport_step"
    assert ids.allocate("uk passport", "step") == "uk_passport_2"
    assert ids.allocate("2nd") == "q_2nd"
    assert ids.allocate("not") == "not_"
    assert ids.allocate("Élève") == "eleve"
    assert slug_identifier("") == "q"
    assert slug_journey_id("Great Crested_Newt survey") == "great-crested-newt-survey"
