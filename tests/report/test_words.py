"""Branch conditions written in words for the graph picture."""

from __future__ import annotations

from designer.expressions import parse
from designer.loading import load_text
from designer.report.words import condition_in_words

JOURNEY = """\
parcours: 1
id: mots
title: Test
organisation: Test
languages: [fr, en]
start: a
steps:
  a:
    title: A
    questions:
      proprietaire: {type: yesno, label: {fr: Êtes-vous propriétaire ?, en: Do you own it?}}
      statut:
        type: choice
        label: Votre statut
        options: {salarie: Salarié, independant: Indépendant}
      revenu: {type: integer, label: Votre revenu}
      naissance: {type: date, label: Votre date de naissance}
    next: fin
outcomes:
  fin: {kind: submit, title: Fini}
"""


def words(text, lang="fr"):
    journey = load_text(JOURNEY, "m.yaml").journey
    return condition_in_words(parse(text), journey, lang)


def test_conditions_in_words():
    assert words("proprietaire") == "si oui à « Êtes-vous propriétaire ? »"
    assert words("not proprietaire") == "si non à « Êtes-vous propriétaire ? »"
    assert words('statut == "salarie"') == "si « Votre statut » est « Salarié »"
    assert words("revenu < 700") == "si « Votre revenu » est inférieur à 700"
    assert words("age(naissance) >= 18") == (
        "si l'âge selon « Votre date de naissance » est au moins 18"
    )
    assert words('proprietaire and statut != "independant"') == (
        "si oui à « Êtes-vous propriétaire ? » et « Votre statut » n'est pas « Indépendant »"
    )
    assert words("proprietaire", "en") == "if yes to “Do you own it?”"
    journey = load_text(JOURNEY, "m.yaml").journey
    assert condition_in_words(None, journey) == "sinon"
