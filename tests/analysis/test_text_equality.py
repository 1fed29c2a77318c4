"""Regression: a text answer compared with a string literal can hold (found on the corpus)."""

from __future__ import annotations

from designer.loading import load_text

JOURNEY = """\
parcours: 1
id: t
title: T
organisation: O
start: a
steps:
  a:
    title: A
    questions:
      nom: {type: text, label: Nom}
      autre: {type: text, label: Autre, when: nom == "other", purpose: p}
      pas_autre: {type: text, label: Pas autre, when: nom != "other", purpose: p}
    next:
      - goto: b
        when: nom == "x"
      - goto: fin
  b:
    title: B
    next: fin
outcomes:
  fin: {kind: submit, title: F}
"""


def test_text_equality_is_possible() -> None:
    loaded = load_text(JOURNEY, "t.yaml")
    assert [f for f in loaded.findings if f.severity.value == "error"] == []
