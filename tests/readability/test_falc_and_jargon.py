"""Acronyms: explained in parentheses or in words, never inside example values."""

from __future__ import annotations

from designer.readability import falc_issues, unexplained_acronyms


def kinds(text: str, lang: str = "fr") -> list[str]:
    return [issue.kind for issue in falc_issues(text, lang)]


def test_unexplained_acronym() -> None:
    assert unexplained_acronyms("Envoyez votre attestation CAF.") == ["CAF"]


def test_explained_in_parentheses_is_not_a_parentheses_problem() -> None:
    assert kinds("Votre caisse d'allocations familiales (CAF) vous l'envoie.") == []
    assert kinds("La CAF (caisse d'allocations familiales) vous l'envoie.") == []


def test_other_parentheses_are_still_reported() -> None:
    assert kinds("Votre revenu (avant impôt) figure sur l'avis.") == ["parentheses"]


def test_explained_in_words() -> None:
    assert unexplained_acronyms("La CAF, la caisse d'allocations familiales, vous aide.") == []
    assert unexplained_acronyms("À l'école, on l'appelle le PAI.") == []
    assert unexplained_acronyms("This plan is known as the PAI.") == []


def test_example_values_are_not_acronyms() -> None:
    assert unexplained_acronyms("Par exemple AB-123-CD.") == []
    assert unexplained_acronyms("Il ressemble à FR76 3000 6000.") == []
    assert unexplained_acronyms("Le numéro RGE est sur le devis.") == ["RGE"]


def test_every_lexicon_term_is_found_in_a_sentence() -> None:
    from designer.readability import jargon_issues, load_lexicon

    lexicon = load_lexicon()
    for entry in lexicon:
        text = f"Voici : {entry.term}, et la suite." if entry.lang.startswith("fr") else (
            f"Here: {entry.term}, and more.")
        found = jargon_issues(text, entry.lang, lexicon)
        assert found, entry.term


def test_combined_figures_equal_reading_the_texts_together() -> None:
    from designer.readability import analyse, combine

    texts = [
        "Votre demande est prête. Vous recevrez une réponse sous quinze jours.",
        "Indiquez votre quotient familial.",
        "- un trou dans la chaussée ;\n- un lampadaire éteint.",
        "",
    ]
    together = analyse("\n\n".join(texts), "fr")
    combined = combine([analyse(t, "fr") for t in texts], "fr")
    for field in ("words", "sentences", "syllables", "long_words", "longest_sentence"):
        assert getattr(combined, field) == getattr(together, field), field
    assert combined.flesch == together.flesch and combined.lix == together.lix
