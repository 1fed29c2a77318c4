"""Shared helpers of the report tests: brute-force path enumeration over a journey."""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from designer.organisation import journey_files

ROOT = Path(__file__).resolve().parents[2]
JOURNEYS = sorted(journey_files([(ROOT / "journeys")]))
# The paper replica and its redesign, shipped with the example journeys.
FIXTURES = ROOT / "journeys" / "avant-apres"


def brute_force(journey, drop=(), ends=None):
    """Every run of a journey by enumeration (the slow reference), with its costs."""
    from designer.report.costs import step_costs

    g = nx.DiGraph(journey.graph)
    g.remove_edges_from(drop)
    costs = step_costs(journey)
    ends = list(journey.outcomes) if ends is None else list(ends)
    # Live successors lead to an end: a citizen choosing a branch with equal chance
    # chooses among those (the others are dead ends).
    alive = set(ends)
    for v in reversed(list(nx.topological_sort(g))):
        if any(s in alive for s in g.successors(v)):
            alive.add(v)

    def probability(path):
        p = 1.0
        for v in path[:-1]:
            p /= sum(1 for s in g.successors(v) if s in alive)
        return p

    runs = []
    for end in ends:
        if end not in g or journey.start not in g:
            continue
        if end == journey.start:
            continue
        for path in nx.all_simple_paths(g, journey.start, end):
            runs.append(
                {
                    "end": end,
                    "q_low": sum(costs[n].questions_low for n in path),
                    "q_high": sum(costs[n].questions_high for n in path),
                    "pages": sum(1 for n in path if n in journey.steps),
                    "s_low": sum(int(round(costs[n].seconds_low)) for n in path),
                    "s_high": sum(int(round(costs[n].seconds_high)) for n in path),
                    "p": probability(path),
                }
            )
    return runs


def lower_median(values):
    values = sorted(values)
    return values[(len(values) - 1) // 2]
