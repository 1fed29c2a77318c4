"""Run, analysis and report read every answer the same way (designer/presence.py).

Differential: on small random journeys with repeats that may be empty (`min: 0`, or
optional), multichoices left empty and optional questions, every combination of
answers over exact small domains is replayed with the run semantics; the analysis'
reachability (abstract interpretation and z3) and the report's path counts must
agree with it on every step, branch and outcome.
"""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings

from designer.analysis import AnalysisConfig, Context
from designer.analysis.conditions import prove
from designer.findings import Severity
from designer.loading import load_text
from designer.report.metrics import path_metrics
from designer.report.paths import count_paths

from .randomjourneys import LISTS, QSpec, StepSpec, brute_force, journeys, render


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    derandomize=True,
)
@given(journeys(max_steps=4, max_questions=3, types=LISTS))
@example(render([  # people living with you, 0 to 2: "nobody" leads to s1
    StepSpec("s0", [QSpec("q00", "repeat", min=0)], [("s1", "len(q00) == 0"), ("s2", None)]),
    StepSpec("s1", [QSpec("q10", "yesno")], [("fin", None)]),
    StepSpec("s2", [], [("fin", "answered(q00)")]),
], ["fin"]))
def test_run_analysis_and_report_agree_on_empty_answers(text: str) -> None:
    loaded = load_text(text, "hasard.yaml", analyses=[])
    journey = loaded.journey
    if journey is None or any(f.severity is Severity.ERROR for f in loaded.findings):
        return
    truth = brute_force(journey)
    ctx = Context(journey, AnalysisConfig(strict=True))
    proofs = prove(ctx)
    nodes = set(journey.steps) | set(journey.outcomes)
    # The analysis: what it proves never reached is never reached, and (these domains
    # being small and exact) what it cannot prove unreachable is reached by some run.
    analysed = {n for n in nodes if n in ctx.facts.order and n not in proofs.unreachable
                and ctx.facts.reachable(n)}
    assert truth.reached <= analysed, (text, truth.reached, analysed)
    assert analysed <= truth.reached, (text, truth.reached, analysed)
    taken_edges = {(sid, b.target) for sid in journey.steps for b in journey.branches(sid)
                   if (sid, b.index) in truth.taken}
    # The report: the branches it drops are never taken, and every run it counts ends
    # where some real run ends.
    metrics = path_metrics(journey)
    dropped = set(metrics.dropped_branches)
    assert not (dropped & taken_edges), (text, dropped, taken_edges)
    counts = count_paths(journey.graph, journey.start, list(journey.outcomes),
                         drop_edges=dropped)
    counted = {o for o, n in counts.by_end().items() if n}
    reached_outcomes = truth.reached & set(journey.outcomes)
    assert reached_outcomes <= counted, (text, reached_outcomes, counted)

