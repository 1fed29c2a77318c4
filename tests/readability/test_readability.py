"""Readability: known scores, agreement with textstat's French mode, FALC checks, jargon."""

from __future__ import annotations

import socket

import pytest
import yaml

from designer import readability as rd
from designer.jargon import SHIPPED


def test_syllables_from_pyphen():
    assert rd.syllables("administration", "fr") == 5
    assert rd.syllables("justificatif", "fr") == 5
    assert rd.syllables("enfant", "fr") == 2
    # An elided article adds no syllable.
    assert rd.syllables("l'enfant", "fr") == 2
    assert rd.syllables("information", "en") == 4
    assert rd.syllables("cat", "en") == 1


def test_french_known_score():
    r = rd.analyse("Le chat dort. Il fait beau.", "fr")
    assert (r.words, r.sentences, r.syllables, r.long_words) == (6, 2, 6, 0)
    # Kandel-Moles: 207 - 1.015 * 3 - 73.6 * 1
    assert r.flesch == pytest.approx(130.355)
    assert r.lix == pytest.approx(3.0)
    assert r.words_per_sentence == 3.0


def test_english_known_score():
    r = rd.analyse("The cat sat on the mat.", "en")
    assert (r.words, r.sentences, r.syllables) == (6, 1, 6)
    # Flesch 1948: 206.835 - 1.015 * 6 - 84.6 * 1
    assert r.flesch == pytest.approx(116.145)
    assert r.lix == pytest.approx(6.0)


def test_lix_counts_long_words():
    r = rd.analyse("Votre déclaration administrative est incomplète.", "fr")
    # 5 words, 3 of more than six letters: 5 + 100 * 3 / 5
    assert r.long_words == 3
    assert r.lix == pytest.approx(65.0)


def test_french_score_agrees_with_textstat():
    textstat = pytest.importorskip("textstat")
    text = (
        "Le service municipal examine votre demande dans un mois. "
        "Il vous envoie ensuite une réponse par courrier postal."
    )
    textstat.set_lang("fr")
    assert rd.analyse(text, "fr").flesch == pytest.approx(textstat.flesch_reading_ease(text))


def test_administrative_text_scores_lower_than_plain_rewrite():
    hard = (
        "Conformément aux dispositions susvisées, il convient de transmettre préalablement "
        "à toute instruction les pièces justificatives afférentes à votre situation."
    )
    plain = "Envoyez vos papiers. Nous lisons votre demande. Puis nous vous répondons."
    h, p = rd.analyse(hard, "fr"), rd.analyse(plain, "fr")
    assert h.flesch < 40 < 70 < p.flesch
    assert h.level == "difficult" and p.level == "easy"
    assert h.lix > p.lix


def test_no_network_needed(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("readability must not use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    assert rd.analyse("Reading this text needs no download.", "en").flesch is not None
    assert rd.analyse("Lire ce texte ne demande aucun téléchargement.", "fr").flesch is not None


def test_empty_text_has_no_score():
    r = rd.analyse("", "fr")
    assert r.words == 0 and r.flesch is None and r.lix is None and r.level == "n/a"


def kinds(text: str, lang: str = "fr") -> list[str]:
    return [i.kind for i in rd.falc_issues(text, lang)]


def test_falc_characters():
    assert kinds("Votre revenu (net) augmente.") == ["parentheses"]
    assert kinds("Cochez oui/non.") == ["slash"]
    assert kinds("Environ 20 % des demandes.") == ["percentage"]
    assert kinds("Nom & prénom") == ["special-character"]
    # A URL's slashes are not a FALC problem.
    assert kinds("Voir https://www.service-public.fr/particuliers pour en savoir plus.") == []


def test_acronyms():
    assert rd.unexplained_acronyms("Votre numéro CAF") == ["CAF"]
    assert rd.unexplained_acronyms("Caisse d'allocations familiales (CAF). Numéro CAF.") == []
    assert rd.unexplained_acronyms("Le RSA (revenu de solidarité active)") == []
    # Roman numerals are not acronyms.
    assert rd.unexplained_acronyms("Chapitre IV") == []


def test_passive_voice_french():
    assert rd.passive_voice("Votre demande sera examinée par la mairie.", "fr") == ["sera examinée"]
    assert rd.passive_voice("Les pièces sont obligatoirement jointes.", "fr") == [
        "sont obligatoirement jointes"
    ]
    # Active past tenses with "être" and civil status are not passive.
    assert rd.passive_voice("Vous êtes né en France. Êtes-vous marié ?", "fr") == []
    assert rd.passive_voice("La mairie examine votre demande.", "fr") == []


def test_passive_voice_english():
    assert rd.passive_voice("The form must be completed by you.", "en") == ["be completed"]
    assert rd.passive_voice("Your payment was sent.", "en") == ["was sent"]
    assert rd.passive_voice("Are you married?", "en") == []
    assert rd.passive_voice("We check your form.", "en") == []


def test_jargon_with_replacements():
    issues = rd.jargon_issues(
        "Joignez un justificatif de domicile dûment signé.", "fr", rd.load_lexicon()
    )
    found = {i.excerpt: i.advice.say("fr") for i in issues}
    # The longer term wins over "justificatif" alone.
    assert set(found) == {"justificatif de domicile", "dûment"}
    assert "preuve d'adresse" in found["justificatif de domicile"]


def test_jargon_inflected_forms():
    issues = rd.jargon_issues("Les frais afférents sont dus.", "fr", rd.load_lexicon())
    assert [i.excerpt for i in issues] == ["afférents"]


def test_english_jargon():
    issues = rd.jargon_issues("Apply in order to get help.", "en", rd.load_lexicon())
    assert [i.excerpt for i in issues] == ["in order to"]


def test_lexicon_is_well_formed_and_large_enough():
    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    fr_terms = [e["term"] for e in data["fr"]]
    assert len(fr_terms) >= 80
    assert len(fr_terms) == len(set(fr_terms))
    for lang in ("fr", "en"):
        for entry in data[lang]:
            assert set(entry) <= {"term", "plain", "note", "sense", "not_jargon"}
            assert isinstance(entry["plain"], str) and entry["plain"].strip()


def test_acronyms_explained_elsewhere_or_well_known():
    assert rd.unexplained_acronyms("Votre numéro CAF", frozenset({"CAF"})) == []
    assert rd.explained_acronyms("Caisse d'allocations familiales (CAF)") == {"CAF"}
    assert rd.unexplained_acronyms("Un fichier PDF de 5 MB") == []
