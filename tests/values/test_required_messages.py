"""A required question left empty: the message says what to do with that field, from its
label and type ("Saisissez votre nom de famille"), or the question's own `error_message`,
as the GOV.UK and DSFR error messages do, in French and English."""

from __future__ import annotations

import datetime

import pytest

from designer.loading import load_text
from designer.messages import required_message
from designer.run import Run

JOURNEY = """\
parcours: 1
id: identite
title: Identité
organisation: Ville
languages: [fr, en]
start: vous
steps:
  vous:
    title: {fr: Vous, en: You}
    questions:
      nom:
        type: text
        label: {fr: Votre nom de famille, en: Your surname}
        purpose: {fr: Vous identifier., en: To identify you.}
      prenoms:
        type: text
        label: {fr: Vos prénoms, en: Your first names}
        purpose: {fr: Vous identifier., en: To identify you.}
      naissance:
        type: date
        label: {fr: Votre date de naissance, en: Your date of birth}
        purpose: {fr: Vous identifier., en: To identify you.}
      nom_usage:
        type: text
        label: {fr: Nom d'usage, en: Married name}
        error_message:
          fr: Saisissez le nom que vous utilisez, même s'il est le même
          en: Enter the name you use, even if it is the same
        purpose: {fr: Vous écrire., en: To write to you.}
    next: fin
outcomes:
  fin: {kind: submit, title: {fr: Fin, en: End}}
"""


def page_errors(lang: str) -> list[str]:
    loaded = load_text(JOURNEY, "identite.yaml", analyses=[])
    assert loaded.journey is not None, loaded.findings
    run = Run(loaded.journey, seen=set(), today=datetime.date(2026, 12, 6))
    result = run.answer_page("vous", {"nom": "", "prenoms": "", "naissance": "",
                                      "nom_usage": ""})
    return [e.message(lang, loaded.journey) for e in result.errors]


def test_each_field_left_empty_says_what_to_do_with_it() -> None:
    assert page_errors("fr") == [
        "Saisissez votre nom de famille",
        "Saisissez vos prénoms",
        "Saisissez votre date de naissance",
        "Saisissez le nom que vous utilisez, même s'il est le même",
    ]
    assert page_errors("en") == [
        "Enter your surname",
        "Enter your first names",
        "Enter your date of birth",
        "Enter the name you use, even if it is the same",
    ]


@pytest.mark.parametrize(
    ("label", "qtype", "lang", "message"),
    [
        ("Quel est votre nom ?", "text", "fr", "Saisissez votre nom"),
        ("Votre situation", "choice", "fr", "Sélectionnez votre situation"),
        ("Vos revenus", "multichoice", "fr", "Sélectionnez vos revenus"),
        ("Votre justificatif de domicile", "file", "fr", "Joignez votre justificatif de domicile"),
        ("L'adresse du logement", "address", "fr", "Saisissez l'adresse du logement"),
        ("Habitez-vous à Poitiers ?", "yesno", "fr",
         "Répondez oui ou non à « Habitez-vous à Poitiers ? »"),
        ("Combien de personnes vivent avec vous ?", "integer", "fr",
         "Répondez à « Combien de personnes vivent avec vous ? »"),
        ("Numéro SIRET", "siret", "fr", "Répondez à « Numéro SIRET »"),
        ("What is your date of birth?", "date", "en", "Enter your date of birth"),
        ("Your household", "choice", "en", "Select your household"),
        ("Your proof of address", "file", "en", "Upload your proof of address"),
        ("Do you live in Poitiers?", "yesno", "en",
         "Answer yes or no to “Do you live in Poitiers?”"),
    ],
)
def test_the_message_is_derived_from_the_label_and_the_type(
    label: str, qtype: str, lang: str, message: str
) -> None:
    # French puts a no-break space inside guillemets and before a colon.
    assert required_message(label, qtype, lang).replace("\u00a0", " ") == message
