"""The answer codec (designer/answers.py): posted fields, JSON and text, on examples.

The properties over every type are in tests/values/test_answer_properties.py.
"""

from __future__ import annotations

import datetime

from designer.answers import (
    MAX_ITEMS,
    answer_text,
    date_text,
    decode,
    encode,
    field_text,
    item_count,
    parse_page,
    to_fields,
    to_json,
)
from designer.graph import pages_left
from designer.messages import translate
from designer.run import Run
from designer.values.bounds import check_bounds

from .helpers import HEADER, load

JOURNEY = HEADER + """\
steps:
  a:
    title: A
    questions:
      naissance: {type: date, label: Naissance, purpose: p}
      regimes: {type: multichoice, label: Régimes, options: [bio, halal], purpose: p}
      adresse: {type: address, label: Adresse, purpose: p}
      enfants:
        type: repeat
        label: Enfant
        purpose: p
        questions:
          prenom: {type: text, label: Prénom, purpose: p}
          ne_le: {type: date, label: Né le, purpose: p}
      bornes:
        type: repeat
        label: Borne
        required: false
        max: 80
        purpose: p
        questions:
          numero: {type: integer, label: Numéro, purpose: p}
    next:
      - goto: b
        when: '"bio" in regimes'
      - goto: fin
  b:
    title: B
    questions:
      poids: {type: decimal, label: Poids, unit: kg, purpose: p}
    next: fin
outcomes:
  fin: {kind: submit, title: Fin}
"""


def test_posted_fields_to_answers_and_back() -> None:
    journey = load(JOURNEY).journey
    fields = {
        "naissance-day": ["4"], "naissance-month": ["5"], "naissance-year": ["1990"],
        "regimes": ["bio", "halal"],
        "adresse-street": ["1 rue X"], "adresse-postcode": ["86000"],
        "adresse-commune": ["Poitiers"],
        "enfants-count": ["2"],
        "enfants-0-prenom": ["Léa"], "enfants-0-ne_le": ["2015-01-02"],
        "enfants-1-prenom": ["Tom"], "enfants-1-ne_le-day": ["1"],
        "enfants-1-ne_le-month": ["2"], "enfants-1-ne_le-year": ["2018"],
        "enfants-9999999-prenom": ["ignored: index too long"],
        "intrus": ["ignored"],
        "csrf": ["ignored"],
    }
    raw, uploads = parse_page(journey, "a", fields)
    assert uploads == []
    assert raw == {
        "naissance": {"day": "4", "month": "5", "year": "1990"},
        "regimes": ["bio", "halal"],
        "adresse": {"street": "1 rue X", "postcode": "86000", "commune": "Poitiers"},
        "enfants": [
            {"prenom": "Léa", "ne_le": "2015-01-02"},  # a date may post one field
            {"prenom": "Tom", "ne_le": {"day": "1", "month": "2", "year": "2018"}},
        ],
        "bornes": [],
    }
    run = Run(journey, seen=set(), today=datetime.date(2026, 1, 1))
    result = run.answer_page("a", raw)
    assert result.ok, result.errors
    q = journey.questions
    back = to_fields(journey, q["naissance"], run.answers["naissance"])
    assert back == {"naissance-day": ["4"], "naissance-month": ["5"], "naissance-year": ["1990"]}
    assert to_fields(journey, q["regimes"], run.answers["regimes"]) == {
        "regimes": ["bio", "halal"]}
    items = to_fields(journey, q["enfants"], run.answers["enfants"])
    assert items["enfants-count"] == ["2"]
    assert items["enfants-1-prenom"] == ["Tom"] and items["enfants-1-ne_le-month"] == ["2"]
    assert parse_page(journey, "a", {**fields, **items})[0]["enfants"][1]["ne_le"] == {
        "day": "1", "month": "2", "year": "2018"}
    assert to_fields(journey, q["poids"], 72.5) == {"poids": ["72,5"]}
    assert to_fields(journey, q["poids"], 72.5, "en") == {"poids": ["72.5"]}


def test_items_are_counted_by_the_count_field_or_by_the_indexes_posted() -> None:
    q = load(JOURNEY).journey.questions
    # The page's own count keeps an item whose inputs post nothing (unticked boxes).
    assert item_count({"enfants-count": ["3"]}, q["enfants"]) == 3
    # A tool that follows the spec's contract (no count field) still gets its items.
    assert item_count({"enfants-0-prenom": ["A"], "enfants-2-prenom": ["B"]},
                      q["enfants"]) == 3
    # Hostile counts: bounded by the journey's max, or by MAX_ITEMS when it has none.
    assert item_count({"enfants-count": ["9999"]}, q["enfants"]) == MAX_ITEMS == 50
    assert item_count({"bornes-count": ["9999"]}, q["bornes"]) == 80
    assert item_count({"bornes-count": ["9" * 5000]}, q["bornes"]) == 80
    assert item_count({"enfants-count": ["-3"], "enfants-x-prenom": ["A"]}, q["enfants"]) == 0
    # Non-ASCII digits are not an index (str.isdigit() would say they are).
    assert item_count({"enfants-²-prenom": ["A"], "enfants-count": ["٣"]}, q["enfants"]) == 0


def test_a_field_posted_twice_is_refused_not_guessed() -> None:
    journey = load(JOURNEY).journey
    raw, _ = parse_page(journey, "b", {"poids": ["1", "2"]})
    assert raw == {"poids": ["1", "2"]}
    run = Run(journey, seen=set(), today=datetime.date(2026, 1, 1))
    assert run.answer_page("b", raw).errors[0].error.code == "not-understood"


def test_questions_not_displayed_keep_their_base_value() -> None:
    journey = load(JOURNEY).journey
    base = {"naissance": datetime.date(1990, 5, 4), "enfants": [{"prenom": "Léa"}]}
    raw, _ = parse_page(journey, "a", {"naissance-day": ["9"], "enfants-count": ["0"]},
                        displayed={"regimes"}, base=base)
    assert raw["naissance"] == datetime.date(1990, 5, 4)
    assert raw["enfants"] == [{"prenom": "Léa"}]


def test_stored_json_and_plain_json() -> None:
    answers = {"d": datetime.date(2007, 3, 27), "items": [{"d": datetime.date(2000, 1, 1)}],
               "n": 2.5, "b": True}
    assert encode(answers)["d"] == {"$date": "2007-03-27"}
    assert decode(encode(answers)) == answers
    assert to_json(answers) == {"d": "2007-03-27", "items": [{"d": "2000-01-01"}], "n": 2.5,
                                "b": True}


def test_field_text_is_exact_and_never_an_exponent() -> None:
    assert field_text("decimal", 123456789012.5, "fr") == "123456789012,5"
    assert field_text("decimal", 0.1234567890123, "en") == "0.1234567890123"
    assert field_text("decimal", 1e16, "en") == "10000000000000000"
    assert field_text("decimal", 3.0, "fr") == "3"
    assert field_text("yesno", False, "fr") == "no"
    assert field_text("date", "27/03/2007", "fr") is None  # a tool's spelling: not redrawn


def test_numbers_dates_and_answers_as_text() -> None:
    journey = load(JOURNEY).journey
    q = journey.questions
    assert answer_text(journey, q["poids"], 1200.5, "fr") == "1\u00a0200,5 kg"
    assert answer_text(journey, q["poids"], 1200.5, "en") == "1,200.5 kg"
    assert answer_text(journey, q["poids"], 0.1 + 0.2, "fr") == "0,3 kg"
    assert answer_text(journey, q["regimes"], ["bio", "halal"], "fr") == "bio, halal"
    assert answer_text(journey, q["naissance"], None, "fr") == ""
    assert date_text(datetime.date(2007, 3, 27), "fr") == "27 mars 2007"
    assert date_text(datetime.date(2007, 3, 1), "en") == "1 March 2007"


def test_a_date_reads_the_same_in_an_error_message_and_in_an_answer() -> None:
    journey = load(JOURNEY).journey
    first = datetime.date(2000, 3, 1)
    shown = answer_text(journey, journey.questions["naissance"], first, "fr")
    error = check_bounds("date", datetime.date(1999, 1, 1), min=first)
    assert shown == "1er mars 2000"
    assert error is not None and shown in error.message("fr")
    assert translate("date-too-late", "en", max=first).endswith("1 March 2000")


def test_pages_left_is_a_range() -> None:
    journey = load(JOURNEY).journey
    assert pages_left(journey) == {"fin": (0, 0), "b": (1, 1), "a": (1, 2)}
