"""Recall of the path-sensitive analysis against brute force on random small journeys.

    .venv/bin/python bench/recall.py [--examples 500] [--no-z3]

Generates journeys with the soundness test's generator (tests/analysis/randomjourneys.py),
enumerates every run, and counts, for each kind of "cannot happen" fact that is true,
how often the analysis reports it. Precision must be 100 % (the soundness test asserts
it); recall is what this script measures.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# The tests folder is not a package (a `tests` package from site-packages may shadow it):
# import the generator's package by path.
sys.path.insert(0, str(ROOT / "tests"))

from analysis.randomjourneys import RICH, brute_force, journeys  # noqa: E402
from analysis.test_soundness import claims  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402

from designer.analysis import AnalysisConfig, analyse  # noqa: E402
from designer.findings import Severity  # noqa: E402
from designer.loading import load_text  # noqa: E402

KINDS = ("never_shown", "never_required", "never_taken", "unreachable", "stuck")


Counts = Counter[str]
#: Facts reported, by kind, in the last `measure`.
claimed: Counts = Counter()


def measure(
    examples: int, config: AnalysisConfig | None = None, types: list[str] | None = None
) -> tuple[Counts, Counts, Counts, int]:
    """(true facts, reported true facts, false reports, journeys analysed) by kind.

    True facts are counted where they matter (a question never shown on a page that is
    reached, a branch never taken from a page that is reached…).
    """
    true: Counter[str] = Counter()
    found: Counter[str] = Counter()
    wrong: Counter[str] = Counter()
    claimed.clear()
    analysed = [0]

    strategy = journeys() if types is None else journeys(max_steps=3, types=types)

    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def one(text: str) -> None:
        loaded = load_text(text, "hasard.yaml", analyses=[])
        journey = loaded.journey
        if journey is None or any(f.severity is Severity.ERROR for f in loaded.findings):
            return
        analysed[0] += 1
        truth = brute_force(journey)
        said = claims(journey, analyse(journey, config))
        facts: dict[str, set[object]] = {k: set() for k in KINDS}
        for q in journey.questions.values():
            if q.step not in truth.reached:
                continue
            if q.when is not None and q.id not in truth.shown:
                facts["never_shown"].add(q.id)
            if not isinstance(q.required, bool) and q.id in truth.shown and (
                q.id not in truth.required_held
            ):
                facts["never_required"].add(q.id)
        for sid in journey.steps:
            if sid not in truth.reached:
                continue
            for b in journey.branches(sid):
                if b.when is not None and (sid, b.index) not in truth.taken:
                    facts["never_taken"].add((sid, b.index))
        import networkx as nx

        structural = nx.descendants(journey.graph, journey.start) | {journey.start}
        facts["unreachable"] = {n for n in structural if n not in truth.reached}
        facts["stuck"] = set(truth.stuck)
        # Everything true, vacuous truths included (a question on a page never reached is
        # never required either): a report outside this set would be a false alarm.
        holds: dict[str, set[object]] = {
            "never_shown": {q for q in journey.questions if q not in truth.shown},
            "never_required": {q for q in journey.questions if q not in truth.required_held},
            "never_taken": {(s, b.index) for s in journey.steps for b in journey.branches(s)
                            if (s, b.index) not in truth.taken},
            "unreachable": {n for n in journey.graph.nodes if n not in truth.reached},
            "stuck": set(truth.stuck),
        }
        for k in KINDS:
            claimed[k] += len(said[k])
            true[k] += len(facts[k])
            found[k] += len(facts[k] & said[k])
            wrong[k] += len(said[k] - holds[k])

    one()
    return true, found, wrong, analysed[0]


def main() -> int:
    """Print a Markdown table of recall by kind of fact."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=500)
    parser.add_argument("--no-z3", action="store_true",
                        help="abstract interpretation alone (no SMT stage)")
    parser.add_argument("--rich", action="store_true",
                        help="decimals, dates, multichoice and texts too: their domains are "
                             "only sampled, so count claims and refutations, not recall")
    args = parser.parse_args()
    config = AnalysisConfig(z3_max_questions=0) if args.no_z3 else None
    started = time.perf_counter()
    true, found, wrong, analysed = measure(args.examples, config, RICH if args.rich else None)
    if args.rich:
        kinds = [k for k in KINDS if k != "stuck"]  # "some run is stuck" needs every run
        said = sum(claimed[k] for k in kinds)
        refuted = sum(wrong[k] for k in kinds)
        print(f"{analysed} journeys with richer types analysed in "
              f"{time.perf_counter() - started:.1f} s: {said} \"cannot happen\" facts "
              f"reported, {refuted} refuted by a sampled run ({claimed['stuck']} dead ends, "
              "each confirmed by a replayed witness)")
        return 0
    elapsed = time.perf_counter() - started
    print(f"{analysed} journeys analysed (of {args.examples} drawn) in {elapsed:.1f} s\n")
    print("| fact | true | reported | missed | recall | false reports |")
    print("|---|---|---|---|---|---|")
    for k in KINDS:
        t, f = true[k], found[k]
        recall = f"{100 * f / t:.1f} %" if t else "n/a"
        print(f"| {k} | {t} | {f} | {t - f} | {recall} | {wrong[k]} |")
    t_all, f_all = sum(true.values()), sum(found.values())
    print(f"| **all** | {t_all} | {f_all} | {t_all - f_all} | "
          f"{100 * f_all / max(t_all, 1):.1f} % | {sum(wrong.values())} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
