"""Structural rules: duplicate-id, unknown-target, cycle, unreachable, dead-end."""

from __future__ import annotations

from .helpers import HEADER, load, only, rules


def journey(steps: str, outcomes: str = "  fin: {kind: submit, title: Fin}\n") -> str:
    return HEADER + "steps:\n" + steps + "outcomes:\n" + outcomes


def test_duplicate_id_between_step_and_question() -> None:
    loaded = load(journey(
        "  a:\n"
        "    title: A\n"
        "    questions:\n"
        "      a:\n"
        "        type: yesno\n"
        "        label: Oui ?\n"
        "        purpose: Savoir.\n"
        "    next: fin\n"
    ))
    assert rules(loaded) == [("duplicate-id", 10, 7)]
    assert "already the id of a step" in loaded.findings[0].message


def test_duplicate_id_inside_repeat() -> None:
    loaded = load(journey(
        "  a:\n"
        "    title: A\n"
        "    questions:\n"
        "      nom: {type: text, label: Nom, purpose: Savoir.}\n"
        "      enfants:\n"
        "        type: repeat\n"
        "        label: Enfant\n"
        "        purpose: Savoir.\n"
        "        questions:\n"
        "          nom: {type: text, label: Nom, purpose: Savoir.}\n"
        "    next: fin\n"
    ))
    assert rules(loaded) == [("duplicate-id", 16, 11)]


def test_distinct_ids_are_fine() -> None:
    loaded = load(journey(
        "  a:\n"
        "    title: A\n"
        "    questions:\n"
        "      nom: {type: text, label: Nom, purpose: Savoir.}\n"
        "    next: fin\n"
    ))
    assert loaded.findings == []


def test_unknown_goto_target() -> None:
    loaded = load(journey(
        "  a:\n"
        "    title: A\n"
        "    next:\n"
        "      - goto: fim\n"
    ))
    assert ("unknown-target", 10, 15) in rules(loaded)
    assert "did you mean 'fin'" in only(loaded, "unknown-target")[0].message
    # the same mistake is not reported a second time as a dead end
    assert only(loaded, "dead-end") == []


def test_unknown_plain_next_target() -> None:
    loaded = load(journey("  a:\n    title: A\n    next: nulle_part\n"))
    assert ("unknown-target", 9, 11) in rules(loaded)


def test_unknown_start() -> None:
    loaded = load(journey("  a:\n    title: A\n    next: fin\n").replace("start: a", "start: b"))
    assert ("unknown-target", 5, 8) in rules(loaded)


def test_cycle_is_reported_once_at_the_closing_branch() -> None:
    loaded = load(journey(
        "  a:\n"
        "    title: A\n"
        "    next: b\n"
        "  b:\n"
        "    title: B\n"
        "    next:\n"
        "      - goto: a\n"
        "        when: true\n"
        "      - goto: fin\n"
    ))
    assert [(f.rule, f.line) for f in only(loaded, "cycle")] == [("cycle", 13)]
    assert "a → b → a" in only(loaded, "cycle")[0].message


def test_unreachable_step_and_outcome() -> None:
    loaded = load(journey(
        "  a:\n"
        "    title: A\n"
        "    next: fin\n"
        "  orphelin:\n"
        "    title: O\n"
        "    next: fin\n",
        "  fin: {kind: submit, title: Fin}\n  autre: {kind: exit, title: Autre}\n",
    ))
    assert rules(loaded) == [("unreachable", 10, 3), ("unreachable", 15, 3)]


def test_dead_end_step() -> None:
    loaded = load(journey(
        "  a:\n"
        "    title: A\n"
        "    next:\n"
        "      - goto: b\n"
        "        when: true\n"
        "      - goto: fin\n"
        "  b:\n"
        "    title: B\n"
        "    next: b\n"
    ))
    dead = only(loaded, "dead-end")
    assert [(f.line, f.step) for f in dead] == [(13, "b")]


def test_branching_journey_without_structural_problem() -> None:
    loaded = load(journey(
        "  a:\n"
        "    title: A\n"
        "    questions:\n"
        "      ok: {type: yesno, label: D'accord ?}\n"
        "    next:\n"
        "      - goto: b\n"
        "        when: ok\n"
        "      - goto: fin\n"
        "  b:\n"
        "    title: B\n"
        "    next: fin\n"
    ))
    assert loaded.findings == []
