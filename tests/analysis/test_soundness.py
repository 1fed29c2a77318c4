"""Soundness against brute force: what the analysis says cannot happen, cannot.

Hundreds of small random journeys; every `impossible-condition`, `unreachable`
and `dead-end` finding is checked against the enumeration of every run. Recall
(how many true ones are missed) is measured by bench/recall.py, not asserted.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from designer.analysis import AnalysisConfig, analyse
from designer.findings import Finding, Severity
from designer.loading import load_text

from .randomjourneys import RICH, Truth, brute_force, journeys


def claims(journey, findings: list[Finding]) -> dict[str, set]:  # type: ignore[no-untyped-def]
    """The facts the findings assert, keyed like the brute-force truth."""
    out: dict[str, set] = {"never_shown": set(), "never_required": set(), "never_taken": set(),
                           "unreachable": set(), "stuck": set()}
    doc = journey.document
    by_position: dict[tuple[int, int], tuple[str, object]] = {}
    for q in journey.questions.values():
        if q.when is not None:
            by_position[doc.position(q.path + ("when",))] = ("never_shown", q.id)
        if not isinstance(q.required, bool):
            by_position[doc.position(q.path + ("required",))] = ("never_required", q.id)
    for sid in journey.steps:
        for b in journey.branches(sid):
            if b.when is not None:
                by_position[doc.position(b.path + ("when",))] = ("never_taken", (sid, b.index))
    for f in findings:
        if f.rule == "impossible-condition":
            kind, what = by_position[(f.line, f.column)]
            out[kind].add(what)
        elif f.rule == "unreachable":
            out["unreachable"].add(f.step or _outcome_at(journey, f))
        elif f.rule == "dead-end":
            out["stuck"].add(f.step)
    return out


def _outcome_at(journey, f: Finding) -> str:  # type: ignore[no-untyped-def]
    for oid in journey.outcomes:
        if journey.key_position(("outcomes", oid)) == (f.line, f.column):
            return oid
    raise AssertionError(f"no outcome at {f}")


def verify(  # type: ignore[no-untyped-def]
    journey, findings: list[Finding], truth: Truth, exhaustive: bool = True
) -> None:
    said = claims(journey, findings)
    assert not (said["never_shown"] & truth.shown), (findings, truth)
    assert not (said["never_required"] & truth.required_held), (findings, truth)
    assert not (said["never_taken"] & truth.taken), (findings, truth)
    assert not (said["unreachable"] & truth.reached), (findings, truth)
    if exhaustive:
        # A dead end is a "some run gets stuck" claim: only an exhaustive enumeration can
        # refute it (each one is also confirmed by a replayed witness).
        assert said["stuck"] <= truth.stuck, (findings, truth)


@pytest.mark.parametrize("config", [
    AnalysisConfig(strict=True),  # abstract interpretation, then bounded z3
    AnalysisConfig(strict=True, z3_max_questions=0),  # the abstract interpretation alone
], ids=["with-z3", "abstract-only"])
@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    derandomize=True,
)
@given(journeys())
def test_what_the_analysis_proves_impossible_is_impossible(
    config: AnalysisConfig, text: str
) -> None:
    loaded = load_text(text, "hasard.yaml", analyses=[])
    if loaded.journey is None or any(f.severity is Severity.ERROR for f in loaded.findings):
        return  # structurally broken journeys never reach the analysis
    findings = analyse(loaded.journey, config)
    verify(loaded.journey, findings, brute_force(loaded.journey))


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    derandomize=True,
)
@given(journeys(max_steps=3, max_questions=3, types=RICH))
def test_richer_types_never_refuted_by_sampled_runs(text: str) -> None:
    # Decimals, dates, multichoice and texts: the brute force samples their domains, so
    # it cannot measure recall, but any sampled run refutes a false claim. Also checks
    # that the analysis never fails on these expressions.
    loaded = load_text(text, "hasard.yaml", analyses=[])
    if loaded.journey is None or any(f.severity is Severity.ERROR for f in loaded.findings):
        return
    findings = analyse(loaded.journey, AnalysisConfig(strict=True))
    verify(loaded.journey, findings, brute_force(loaded.journey), exhaustive=False)
