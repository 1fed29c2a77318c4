"""Journey metrics agree with brute-force enumeration: on every example journey and on
hundreds of small random journeys."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from designer.loading import load_journey, load_text
from designer.report import metrics as m
from designer.report.branching import independent_branching, infeasible_edges
from designer.report.once_only import dlnuf_level
from designer.report.structure import structure

from .conftest import JOURNEYS, brute_force, lower_median


def assert_agrees(journey, drop):
    pm = m.path_metrics(journey, drop_edges=drop)
    runs = brute_force(journey, drop)
    assert pm.total == len(runs)
    by_end = {}
    for r in runs:
        by_end[r["end"]] = by_end.get(r["end"], 0) + 1
    assert pm.by_outcome == by_end
    if not runs:
        assert pm.questions.median is None
        return
    assert pm.questions.min == min(r["q_low"] for r in runs)
    assert pm.questions.median == lower_median(r["q_high"] for r in runs)
    assert pm.questions.max == max(r["q_high"] for r in runs)
    assert pm.pages.min == min(r["pages"] for r in runs)
    assert pm.pages.median == lower_median(r["pages"] for r in runs)
    assert pm.pages.max == max(r["pages"] for r in runs)
    assert pm.minutes.min == round(min(r["s_low"] for r in runs) / 60, 1)
    assert pm.minutes.median == round(lower_median(r["s_high"] for r in runs) / 60, 1)
    assert pm.minutes.max == round(max(r["s_high"] for r in runs) / 60, 1)
    for end, om in pm.outcomes.items():
        mine = [r for r in runs if r["end"] == end]
        assert om.runs == len(mine)
        assert om.questions.min == min(r["q_low"] for r in mine)
        assert om.questions.median == lower_median(r["q_high"] for r in mine)
        assert om.questions.max == max(r["q_high"] for r in mine)
        assert om.pages.median == lower_median(r["pages"] for r in mine)
        assert om.minutes.min == round(min(r["s_low"] for r in mine) / 60, 1)
        assert om.minutes.median == round(lower_median(r["s_high"] for r in mine) / 60, 1)
        assert om.minutes.max == round(max(r["s_high"] for r in mine) / 60, 1)
    assert set(pm.outcomes) == set(by_end)
    # Expected questions with branches taken with equal chance (conditional ones count half).
    expected = sum(r["p"] * (r["q_low"] + r["q_high"]) / 2 for r in runs)
    assert pm.questions.expected == pytest.approx(expected, abs=0.051)
    assert sum(r["p"] for r in runs) == pytest.approx(1.0)


@pytest.mark.parametrize("path", JOURNEYS, ids=lambda p: p.stem)
def test_example_journeys_agree_with_brute_force(path):
    loaded = load_journey(path)
    assert loaded.journey is not None
    drop = infeasible_edges(loaded.journey) or set()
    assert_agrees(loaded.journey, drop)
    assert_agrees(loaded.journey, set())


@st.composite
def journeys(draw):
    """A small random journey: yes/no questions, some conditional, branches on them."""
    n = draw(st.integers(1, 8))
    outcomes = ["fin_a", "fin_b"]
    lines = [
        "parcours: 1",
        "id: aleatoire",
        "title: Test",
        "organisation: Test",
        "start: s0",
        "steps:",
    ]
    earlier: list[str] = []
    for i in range(n):
        lines += [f"  s{i}:", f"    title: Étape {i}"]
        k = draw(st.integers(0, 3)) if i else draw(st.integers(1, 3))
        qids = [f"q{i}_{j}" for j in range(k)]
        if qids:
            lines.append("    questions:")
        for j, qid in enumerate(qids):
            lines += [
                f"      {qid}:",
                "        type: yesno",
                f"        label: Question {qid} ?",
                "        purpose: Tester.",
            ]
            if j > 0 and draw(st.booleans()):
                lines.append(f"        when: {qids[j - 1]}")
        later = [f"s{t}" for t in range(i + 1, n)] + outcomes
        readable = qids + earlier
        if readable and draw(st.integers(0, 3)):
            lines.append("    next:")
            for _ in range(draw(st.integers(1, 3))):
                # Mostly this page's questions; sometimes an earlier page's, which may be
                # on every run to this page (a dominator) or not (correlation).
                q = draw(st.sampled_from(qids if qids and draw(st.integers(0, 2)) else readable))
                neg = "not " if draw(st.booleans()) else ""
                lines += [
                    f"      - goto: {draw(st.sampled_from(later))}",
                    f"        when: {neg}{q}",
                ]
            lines.append(f"      - goto: {draw(st.sampled_from(later))}")
        else:
            lines.append(f"    next: {draw(st.sampled_from(later))}")
        earlier += qids
    lines.append("outcomes:")
    for o in outcomes:
        lines += [f"  {o}:", "    kind: submit", "    title: Fini"]
    return "\n".join(lines) + "\n"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(journeys())
def test_random_journeys_agree_with_brute_force(text):
    loaded = load_text(text, "random.yaml")
    journey = loaded.journey
    assert journey is not None, loaded.findings
    assert_agrees(journey, set())
    drop = infeasible_edges(journey) or set()
    assert_agrees(journey, drop)


def test_conditional_question_counts_in_max_not_min():
    text = """
parcours: 1
id: conditionnel
title: Test
organisation: Test
start: a
steps:
  a:
    title: A
    questions:
      x: {type: yesno, label: X ?, purpose: Tester.}
      y: {type: yesno, label: Y ?, when: x, purpose: Tester.}
    next: fin
outcomes:
  fin: {kind: submit, title: Fini}
"""
    journey = load_text(text, "t.yaml").journey
    pm = m.path_metrics(journey)
    assert (pm.questions.min, pm.questions.median, pm.questions.max) == (1, 2, 2)
    assert pm.total == 1 and pm.bounded is False
    assert structure(journey).conditional_questions_share == 0.5


def test_dlnuf_levels():
    assert [dlnuf_level(n) for n in (0, 1, 2, 4, 5, 9)] == [
        "optimal",
        "optimal",
        "partial",
        "partial",
        "weak",
        "weak",
    ]


def test_structure_of_a_diamond():
    text = """
parcours: 1
id: losange
title: Test
organisation: Test
start: a
steps:
  a:
    title: A
    questions:
      x: {type: yesno, label: X ?}
    next:
      - {goto: b, when: x}
      - goto: c
  b: {title: B, next: d}
  c: {title: C, next: d}
  d: {title: D, next: fin}
outcomes:
  fin: {kind: submit, title: Fini}
"""
    journey = load_text(text, "t.yaml").journey
    st_ = structure(journey)
    # 5 nodes, 5 arcs; V(G) = 5 - 5 + 2 = 2 (one binary decision + 1)
    assert (st_.nodes, st_.arcs, st_.cyclomatic_number) == (5, 5, 2)
    assert st_.control_flow_complexity == 2
    assert st_.decisions == 1 and st_.joins == 1
    assert st_.max_nesting == 1
    # Every arc touches the decision a or the join d: nothing is purely sequential.
    assert st_.sequentiality == 0.0
    pm = m.path_metrics(journey, drop_edges=set())
    assert pm.total == 2 and pm.bounded
    assert pm.reach["b"] == pytest.approx(0.5) and pm.reach["d"] == pytest.approx(1.0)


def feasible_runs(journey):
    """Distinct complete runs found by replaying every combination of yes/no answers."""
    import itertools

    from designer.run import Run

    qids = [q.id for q in journey.questions.values()]
    found = set()
    for combo in itertools.product([True, False], repeat=len(qids)):
        path = Run(journey, dict(zip(qids, combo, strict=True))).path()
        if path and journey.is_outcome(path[-1]):
            found.add(tuple(path))
    return found


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(journeys())
def test_counts_bound_feasible_runs_and_are_exact_when_not_bounded(text):
    journey = load_text(text, "random.yaml").journey
    if len(journey.questions) > 9:
        return
    pm = m.path_metrics(journey)
    runs = feasible_runs(journey)
    assert len(runs) <= pm.total
    if not pm.bounded:
        assert len(runs) == pm.total
        by_end = {}
        for r in runs:
            by_end[r[-1]] = by_end.get(r[-1], 0) + 1
        assert by_end == pm.by_outcome


def test_independent_branching_proves_exact_counts():
    text = """
parcours: 1
id: exact
title: Test
organisation: Test
start: a
steps:
  a:
    title: A
    questions:
      x: {type: yesno, label: X ?}
      c: {type: choice, label: C ?, options: [un, deux, trois]}
    next:
      - {goto: b, when: x and c == "un"}
      - {goto: fin, when: c == "un"}
      - {goto: b, when: not x}
      - goto: b
  b:
    title: B
    questions:
      y: {type: yesno, label: Y ?}
    next:
      - {goto: fin, when: y}
      - {goto: autre, when: not y}
      - goto: jamais
outcomes:
  fin: {kind: submit, title: Fini}
  autre: {kind: exit, title: Autre}
  jamais: {kind: exit, title: Jamais}
"""
    journey = load_text(text, "t.yaml").journey
    proved, never = independent_branching(journey)
    assert proved and never == {("b", "jamais")}
    pm = m.path_metrics(journey)
    assert not pm.bounded and pm.total == 3 and "jamais" not in pm.by_outcome
    assert ("b", "jamais") in pm.dropped_branches


def test_shared_or_conditional_answers_are_not_proved():
    text = """
parcours: 1
id: correle
title: Test
organisation: Test
start: a
steps:
  a:
    title: A
    questions:
      x: {type: yesno, label: X ?}
    next:
      - {goto: b, when: x}
      - goto: c
  b: {title: B, next: d}
  c: {title: C, next: d}
  d:
    title: D
    next:
      - {goto: fin, when: x}
      - goto: autre
outcomes:
  fin: {kind: submit, title: Fini}
  autre: {kind: exit, title: Autre}
"""
    journey = load_text(text, "t.yaml").journey
    proved, _ = independent_branching(journey)
    assert not proved
    pm = m.path_metrics(journey)
    # Four structural runs, two feasible: the counts are labelled upper bounds.
    assert pm.bounded and pm.total == 4 and len(feasible_runs(journey)) == 2
