"""The HTML field names of the renderer contract, both ways."""

from __future__ import annotations

import datetime

from designer.forms import from_fields, repeat_to_fields, to_fields
from designer.graph import pages_left
from designer.run import Run

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
    next:
      - goto: b
        when: '"bio" in regimes'
      - goto: fin
  b:
    title: B
    questions:
      poids: {type: decimal, label: Poids, purpose: p}
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
        "enfants-0-prenom": ["Léa"], "enfants-0-ne_le": ["2015-01-02"],
        "enfants-3-prenom": ["Tom"], "enfants-3-ne_le-day": ["1"],
        "enfants-3-ne_le-month": ["2"], "enfants-3-ne_le-year": ["2018"],
        "enfants-9999999-prenom": ["ignored: index too long"],
        "intrus": ["ignored"],
        "csrf": ["ignored"],
    }
    raw = from_fields(journey, "a", fields)
    assert raw == {
        "naissance": {"day": "4", "month": "5", "year": "1990"},
        "regimes": ["bio", "halal"],
        "adresse": {"street": "1 rue X", "postcode": "86000", "commune": "Poitiers"},
        "enfants": [
            {"prenom": "Léa", "ne_le": "2015-01-02"},
            {"prenom": "Tom", "ne_le": {"day": "1", "month": "2", "year": "2018"}},
        ],
    }
    run = Run(journey, seen=set(), today=datetime.date(2026, 1, 1))
    result = run.answer_page("a", raw)
    assert result.ok, result.errors
    q = journey.questions
    assert to_fields(q["naissance"], run.answers["naissance"])["naissance-year"] == "1990"
    assert to_fields(q["regimes"], run.answers["regimes"]) == {"regimes": ["bio", "halal"]}
    back = repeat_to_fields(journey, q["enfants"], run.answers["enfants"])
    assert back["enfants-1-prenom"] == "Tom" and back["enfants-1-ne_le-month"] == "2"
    assert to_fields(q["poids"], 72.5) == {"poids": "72.5"}


def test_pages_left_is_a_range() -> None:
    journey = load(JOURNEY).journey
    assert pages_left(journey) == {"fin": (0, 0), "b": (1, 1), "a": (1, 2)}
