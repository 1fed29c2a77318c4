"""Edits through ruamel.yaml change only the lines they must: comments, order, quoting and
flow mappings of the rest of the file are kept, and the result is still a clean journey."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from designer.editing import (
    EditError,
    add_branch,
    add_question,
    add_step,
    remove_branch,
    remove_question,
    set_question,
)
from designer.files import is_cases_file, is_organisation_file
from designer.findings import has_errors
from designer.loading import load_text

ROOT = Path(__file__).resolve().parents[2]
VOIRIE = (ROOT / "journeys" / "signalement-voirie.yaml").read_text(encoding="utf-8")
EXAMPLES = [p for p in sorted((ROOT / "journeys").rglob("*.yaml"))
            if not is_cases_file(p) and not is_organisation_file(p)]


def _changes(before: str, after: str) -> tuple[list[str], list[str]]:
    """Lines removed and lines added."""
    removed, added = [], []
    for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0):
        if line.startswith("---") or line.startswith("+++") or line.startswith("@@"):
            continue
        (removed if line.startswith("-") else added).append(line[1:])
    return removed, added


def _errors(text: str) -> list[str]:
    # Read as the journey file it was edited from (its organisation.yaml beside it).
    loaded = load_text(text, str(ROOT / "journeys" / "signalement-voirie.yaml"), analyses=[])
    return [f"{f.line}: {f.rule}: {f.message}" for f in loaded.findings
            if f.severity.value == "error"]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_a_question_added_is_the_only_change(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    loaded = load_text(text, str(path), analyses=[])
    assert loaded.journey is not None
    step = loaded.journey.start
    after = add_question(text, step, "remarque_studio", "textarea",
                         {"fr": "Une remarque ?", "en": "Any remark?"},
                         purpose="Lue par l'agent qui traite la demande.")
    removed, added = _changes(text, after)
    assert removed == []
    assert [line.strip() for line in added] == [
        "remarque_studio:", "type: textarea", "label:", "fr: Une remarque ?",
        "en: Any remark?", "purpose: Lue par l'agent qui traite la demande."]
    # Inserted as one block, at the end of the step's questions.
    diff = [line for line in difflib.unified_diff(text.splitlines(), after.splitlines(),
                                                   lineterm="", n=0) if line.startswith("@@")]
    assert len(diff) == 1
    assert not has_errors(load_text(after, str(path), analyses=[]).findings)


def test_changing_a_label_changes_its_lines_only_and_keeps_comments() -> None:
    after = set_question(VOIRIE, "danger", {"label": {"fr": "Quelqu'un est-il en danger ?",
                                                      "en": "Is anyone in danger?"}})
    removed, added = _changes(VOIRIE, after)
    assert [r.strip() for r in removed] == [
        "fr: Le problème met-il quelqu'un en danger maintenant ?",
        "en: Is the problem putting anyone in danger right now?"]
    assert [a.strip() for a in added] == ["fr: Quelqu'un est-il en danger ?",
                                          "en: Is anyone in danger?"]
    assert after.startswith("# yaml-language-server: $schema=../schemas/journey.schema.json\n#\n")
    removed, added = _changes(VOIRIE, set_question(VOIRIE, "danger", {"help": None}))
    assert added == [] and len(removed) == 3 and removed[0].strip() == "help:"


def test_a_choice_with_options_a_condition_and_a_branch() -> None:
    text = add_question(VOIRIE, "probleme", "gravite", "choice", "Gravité",
                        options={"faible": "Faible", "forte": "Forte"},
                        when='type_probleme == "nid_de_poule"')
    text = add_step(text, "urgent", {"fr": "Urgent", "en": "Urgent"}, after="probleme",
                    goto="lieu")
    text = add_branch(text, "probleme", "urgent", when='gravite == "forte"')
    assert _errors(text) == []
    removed, added = _changes(VOIRIE, text)
    assert removed == []
    # The conditional branch goes before the step's default branch.
    assert ('      - goto: urgent\n        when: gravite == "forte"\n      - goto: lieu\n'
            in text)
    # `next: lieu`, the short form, becomes a list when a branch is added.
    shortcut = add_branch(VOIRIE, "lampadaire", "suivi", when="danger")
    assert "    next:\n      - goto: suivi\n        when: danger\n      - goto: lieu\n" in (
        shortcut)


@pytest.mark.parametrize("call, message", [
    (lambda: add_question(VOIRIE, "nulle_part", "q", "text", "Q"), "there is no step"),
    (lambda: add_question(VOIRIE, "probleme", "danger", "text", "Q"), "already exists"),
    (lambda: add_question(VOIRIE, "probleme", "Mauvais-Id", "text", "Q"), "not a valid"),
    (lambda: add_question(VOIRIE, "probleme", "q", "texte", "Q"), "not a question type"),
    (lambda: add_question(VOIRIE, "probleme", "q", "choice", "Q"), "needs options"),
    (lambda: add_question("a: [", "probleme", "q", "text", "Q"), "not valid YAML"),
    (lambda: add_question("- a\n", "probleme", "q", "text", "Q"), "not a journey"),
    (lambda: set_question(VOIRIE, "inconnue", {"label": "x"}), "no question"),
    (lambda: add_step(VOIRIE, "probleme", "x"), "already a step"),
    (lambda: add_step(VOIRIE, "neuf", "x", after="rien"), "there is no step"),
    (lambda: remove_question(VOIRIE, "inconnue"), "no question 'inconnue'"),
    (lambda: remove_branch(VOIRIE, "lieu", 0), "one branch only"),
    (lambda: remove_branch(VOIRIE, "probleme", 2), "no branch 3"),
    (lambda: remove_branch(VOIRIE, "rien", 0), "there is no step"),
])
def test_impossible_edits_say_why(call: object, message: str) -> None:
    with pytest.raises(EditError, match=message):
        call()  # type: ignore[operator]


def test_removing_a_question_or_a_branch_removes_its_lines_only() -> None:
    removed, added = _changes(VOIRIE, remove_question(VOIRIE, "repere"))
    assert added == [] and removed[0].strip() == "repere:"
    assert all(line.startswith("        ") for line in removed[1:])  # its own keys only
    removed, added = _changes(VOIRIE, remove_branch(VOIRIE, "probleme", 0))
    assert added == []
    assert [line.strip() for line in removed] == [
        "- goto: lampadaire", 'when: type_probleme == "eclairage"']
    # An item question of a repeat.
    cantine = (ROOT / "journeys" / "inscription-cantine.yaml").read_text(encoding="utf-8")
    removed, _ = _changes(cantine, remove_question(cantine, "prenom_enfant"))
    assert removed[0].strip() == "prenom_enfant:"
