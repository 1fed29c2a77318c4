"""The `readability` and `jargon` findings point at the line of the text."""

from __future__ import annotations

from designer.analysis.textcheck import text_findings
from designer.loading import load_text

JOURNEY = """\
parcours: 1
id: jargon
title: Test
organisation: Test
languages: [fr, en]
start: a
steps:
  a:
    title: Vos pièces
    questions:
      piece:
        type: file
        label:
          fr: Veuillez transmettre un justificatif de domicile dûment daté
          en: Please upload a proof of address
        accept: [pdf]
        max_size: 5MB
        purpose: Vérifier l'adresse.
      clair:
        type: yesno
        label: Habitez-vous ici ?
        purpose: Savoir où vous habitez.
    next: fin
outcomes:
  fin:
    kind: submit
    title: Merci
    body: >-
      Conformément aux dispositions réglementaires susvisées relatives à l'instruction
      administrative des demandes, votre dossier sera examiné ultérieurement par le service
      compétent qui procédera à la vérification de l'exhaustivité des pièces justificatives.
"""


def test_jargon_and_hard_text_are_found_at_their_line():
    loaded = load_text(JOURNEY, "j.yaml")
    findings = text_findings(loaded.journey)
    jargon = [f for f in findings if f.rule == "jargon"]
    at_line_14 = {f.message.split("'")[1] for f in jargon if f.line == 14}
    assert at_line_14 == {"Veuillez", "transmettre", "justificatif de domicile", "dûment"}
    assert all(f.question == "piece" for f in jargon if f.line == 14)
    hard = [f for f in findings if f.rule == "readability" and "hard to read" in f.message]
    assert len(hard) == 1 and hard[0].line == 28 and "a sentence of 30 words" in hard[0].message
    passive = [f for f in findings if "passive" in f.message]
    assert passive and passive[0].line == 28
    assert all(f.severity.value == "info" for f in findings)


def test_plain_texts_give_nothing():
    loaded = load_text(JOURNEY, "j.yaml")
    findings = text_findings(loaded.journey)
    assert not [f for f in findings if f.question == "clair"]
