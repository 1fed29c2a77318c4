"""The jargon lexicon is data: senses, contexts where a word is not jargon, and an
organisation's own file merged into the shipped one (designer/jargon.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from designer.cli import main
from designer.jargon import LexiconError, find_jargon, load_lexicon
from designer.loading import default_analyses, load_text
from designer.readability import falc_issues, jargon_issues


def excerpts(text: str, lexicon: list | None = None) -> list[str]:
    return [m.excerpt for m in find_jargon(text, "fr", lexicon or load_lexicon())]


def test_the_rules_of_the_garden_are_not_a_payment() -> None:
    assert excerpts("Vous acceptez le règlement du jardin.") == []
    assert excerpts("Le règlement intérieur de la cantine s'applique.") == []


def test_a_payment_is_still_jargon_and_the_advice_names_the_sense() -> None:
    issues = jargon_issues("Le règlement de la facture se fait en ligne.", "fr", load_lexicon())
    assert [i.excerpt for i in issues] == ["règlement"]
    advice = issues[0].advice.say("fr")
    assert "paiement d'une somme" in advice and "« paiement »" in advice
    assert "When it means" in issues[0].advice.say("en")


def test_the_same_word_in_both_senses_in_one_text() -> None:
    # The rules are not flagged; the payment, further on, is.
    text = "Lisez le règlement du jardin, puis faites le règlement par chèque."
    found = find_jargon(text, "fr", load_lexicon())
    assert [(m.excerpt, m.start) for m in found] == [("règlement", text.rindex("règlement"))]


def test_an_official_hyphenated_name_is_not_jargon() -> None:
    assert excerpts("GIR 1 ou 2 (groupe iso-ressources)") == []
    assert excerpts("Indiquez vos ressources du mois.") == ["ressources"]


LEXICON = """\
version: 1
fr:
  - term: dossier de demande
    plain: demande
  - term: ressources
    not_jargon: [centre de ressources]
"""


def test_an_organisation_extends_the_lexicon(tmp_path: Path) -> None:
    org = tmp_path / "mairie.yaml"
    org.write_text(LEXICON, encoding="utf-8")
    lexicon = load_lexicon([org])
    assert excerpts("Votre dossier de demande est prêt.", lexicon) == ["dossier de demande"]
    assert excerpts("Venez au centre de ressources.", lexicon) == []
    assert excerpts("Venez au centre de ressources.") == ["ressources"]  # shipped alone
    # the shipped contexts of an extended term are kept
    assert excerpts("Venez aux ressources humaines.", lexicon) == []


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("fr:\n  - {term: règlement, plain: versement}\n", "`plain` is 'paiement'"),
        ("fr:\n  - {term: mot nouveau}\n", "needs `plain`"),
        ("fr:\n  - {term: règlement, not_jargon: [le jardin]}\n", "does not contain the term"),
        ("fr:\n  - {term: règlement, plein: x}\n", "unknown key"),
        ("- a list\n", "a mapping of languages"),
    ],
)
def test_a_contradicting_or_broken_file_is_refused_naming_it(
    tmp_path: Path, text: str, why: str
) -> None:
    org = tmp_path / "mairie.yaml"
    org.write_text(text, encoding="utf-8")
    with pytest.raises(LexiconError) as caught:
        load_lexicon([org])
    assert str(org) in str(caught.value) and why in str(caught.value)


JOURNEY = """\
parcours: 1
id: essai
title: Essai
organisation: Ville
start: a
steps:
  a:
    title: Votre autonomie
    questions:
      gir:
        type: choice
        label: Votre degré d'autonomie
        options:
          gir12: GIR 1 ou 2 (groupe iso-ressources)
          gir34: GIR 3 ou 4
        purpose: Calculer l'aide.
      plus_tard:
        type: yesno
        label: Votre GIR a-t-il changé cette année ?
        purpose: Revoir l'aide.
    next: fin
outcomes:
  fin: {kind: submit, title: Fin}
"""


def test_the_advice_of_docs_rules_readability_makes_the_findings_go_away() -> None:
    # An acronym spelt out after its grade, in an option: neither the acronym, nor the
    # parenthesis, nor the official name is flagged, there or in any later text.
    assert falc_issues("GIR 1 ou 2 (groupe iso-ressources)") == []
    found = load_text(JOURNEY, "essai.yaml").findings
    assert [f for f in found if f.rule in ("readability", "jargon")] == []


def test_an_unexplained_acronym_is_reported_once_per_language() -> None:
    text = JOURNEY.replace(" (groupe iso-ressources)", "")
    found = [f for f in load_text(text, "essai.yaml").findings if "acronym" in f.message]
    assert [f.line for f in found] == [14]  # its first appearance only


def test_check_takes_an_organisation_lexicon(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    journey = tmp_path / "essai.yaml"
    journey.write_text(JOURNEY.replace("Votre autonomie", "Votre centre de ressources"),
                       encoding="utf-8")
    org = tmp_path / "mairie.yaml"
    org.write_text(LEXICON, encoding="utf-8")
    main(["check", str(journey), "--lang", "en"])
    assert "'ressources' is administrative jargon" in capsys.readouterr().out
    main(["check", str(journey), "--lang", "en", "--lexicon", str(org)])
    assert "jargon" not in capsys.readouterr().out
    org.write_text("fr: 3\n", encoding="utf-8")
    assert main(["check", str(journey), "--lexicon", str(org)]) == 2
    assert str(org) in capsys.readouterr().err


def test_default_analyses_take_a_lexicon() -> None:
    assert len(default_analyses(load_lexicon())) == len(default_analyses())
