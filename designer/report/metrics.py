"""The figures of a journey over its runs: how many, and the fewest, median and most
questions, pages and minutes, overall and by outcome (docs/metrics.md). The other metrics
have their own modules: costs, branching, structure, minimisation, once_only, accessibility.

Every figure is defined in docs/metrics.md with its formula and source. Path figures come
from dynamic programming over the step graph (designer/report/paths.py), never from a
list of paths.

Convention for conditional questions (a question with a `when`, or inside a repeat with
one): it counts in the *most* questions of a path and not in the *fewest*; the median is
taken over paths counting conditional questions as asked (the citizen meets every question
her path can show). A repeat counts as the questions of one item.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from designer.compiled import CompiledJourney
from designer.report.branching import independent_branching, infeasible_edges
from designer.report.costs import StepCost, step_costs
from designer.report.paths import (
    CyclicGraph,
    Histogram,
    PathCounts,
    count_paths,
    histograms_by_end,
)


@dataclass
class Range:
    """Fewest, median and most of a quantity over the runs, and its mean if branches
    were taken uniformly."""

    min: float | None
    median: float | None
    max: float | None
    expected: float | None = None


@dataclass
class PathMetrics:
    """Everything measured over the runs of a journey."""

    total: int
    by_outcome: dict[str, int]
    bounded: bool
    dropped_branches: list[tuple[str, str]]
    questions: Range
    pages: Range
    minutes: Range
    minutes_slow: Range
    share_of_runs: dict[str, float]  # node -> share of runs through it (uniform over runs)
    reach: dict[str, float]  # node -> probability, branches taken uniformly
    median_questions_histogram: dict[int, int] = field(default_factory=dict)
    outcomes: dict[str, OutcomeMetrics] = field(default_factory=dict)


@dataclass
class OutcomeMetrics:
    """Runs ending at one outcome: their number and fewest/median/most figures."""

    runs: int
    questions: Range
    pages: Range
    minutes: Range


def min_cost_by_end(counts: PathCounts, cost: dict[Any, int]) -> dict[Any, int]:
    """The smallest total cost of the paths ending at each end, by a forward DP."""
    keep = set(counts.order)
    best: dict[Any, int] = {}
    for v in counts.order:
        if v == counts.start:
            best[v] = cost.get(v, 0)
            continue
        best[v] = cost.get(v, 0) + min(best[u] for u in counts.graph.predecessors(v) if u in keep)
    return {v: best[v] for v in counts.order if v in counts.ends}


def _seconds_to_minutes(value: int | None) -> float | None:
    return None if value is None else round(value / 60.0, 1)


def branch_probabilities(counts: PathCounts) -> dict[str, float]:
    """Probability of reaching each node when a citizen takes each live branch with equal
    chance: p(start) = 1, p(s) = sum(p(v) / live out-degree(v))."""
    live = set(counts.order)
    prob: dict[str, float] = {v: 0.0 for v in counts.order}
    if not counts.order:
        return prob
    prob[counts.start] = 1.0
    for v in counts.order:
        if v in counts.ends:
            continue
        succ = [s for s in counts.graph.successors(v) if s in live]
        for s in succ:
            prob[s] += prob[v] / len(succ)
    return prob


def _sum(histograms: dict[Any, Histogram]) -> Histogram:
    """The histogram of the union of disjoint sets of paths (from one pass: one width)."""
    widths = {h.width for h in histograms.values()}
    assert len(widths) <= 1, "histograms of different passes"
    return Histogram(sum(h.packed for h in histograms.values()), widths.pop() if widths else 8)


def path_metrics(
    journey: CompiledJourney,
    drop_edges: Iterable[tuple[str, str]] | None = None,
    lang: str | None = None,
    ends: Iterable[str] | None = None,
    costs: dict[str, StepCost] | None = None,
    memo: dict[Any, Any] | None = None,
) -> PathMetrics:
    """Counts and fewest/median/most of questions, pages and minutes over every run.

    ``drop_edges``: branches an analysis proved infeasible (the hook); None means "ask
    designer.analysis if present". ``ends``: the outcomes whose runs are counted (all by
    default; the submit outcomes for "runs that send an application"). Raises
    CyclicGraph on a cyclic graph.

    Every distribution is built per outcome in one forward pass per quantity (questions,
    pages, seconds, seconds for a slow reader); the distribution over all runs is their
    sum. ``memo``, a dict the caller passes to several calls with the same ``costs``,
    keeps those per-outcome distributions, so that the figures for a subset of the
    outcomes (the runs that submit) cost no new pass.
    """
    drop = infeasible_edges(journey) if drop_edges is None else set(drop_edges)
    analysed = drop is not None
    drop = drop or set()
    proved, never = independent_branching(journey) if drop_edges is None else (False, set())
    drop |= never
    end_nodes = list(journey.outcomes) if ends is None else list(ends)
    counts = count_paths(journey.graph, journey.start, end_nodes, drop_edges=drop)
    costs = costs if costs is not None else step_costs(journey, lang)
    memo = {} if memo is None else memo
    conditional_edges = any(
        d.get("when") is not None for u, v, d in counts.graph.edges(data=True) if u in costs
    )
    reached_ends = [v for v in counts.order if v in counts.ends]
    dropped = frozenset(drop)

    def ints(attr: str) -> dict[Any, int]:
        if attr == "pages":
            return {n: 1 if n in journey.steps else 0 for n in counts.order}
        return {n: int(round(getattr(costs[n], attr))) for n in counts.order}

    def remembered(kind: str, attr: str, compute: Callable[..., dict[Any, Any]]) -> dict[Any, Any]:
        # The figure of the runs ending at an outcome does not depend on which other
        # outcomes are counted: a memo made for all outcomes serves any subset of them.
        key = (kind, attr, dropped)
        known = memo.get(key)
        if known is None or not all(e in known for e in reached_ends):
            known = compute(counts, ints(attr))
            memo[key] = known
        return {e: known[e] for e in reached_ends}

    def per_end(attr: str) -> dict[Any, Histogram]:
        return remembered("histograms", attr, histograms_by_end)

    def fewest_per_end(attr: str) -> dict[Any, int]:
        return remembered("fewest", attr, min_cost_by_end)

    def fewest(attr: str) -> int | None:
        values = fewest_per_end(attr).values()
        return min(values) if values else None

    prob = branch_probabilities(counts)

    def expected(attr: str) -> float | None:
        if not counts.total:
            return None
        # Seconds rounded per page as for the histograms, so that the figures agree.
        return sum(prob[n] * int(round(getattr(costs[n], attr))) for n in counts.order)

    def expected_mid(low: str, high: str) -> float | None:
        # A conditional question counts half in expectation: a stated convention.
        lo, hi = expected(low), expected(high)
        return None if lo is None or hi is None else (lo + hi) / 2

    q_h, p_h = per_end("questions_high"), per_end("pages")
    s_h, w_h = per_end("seconds_high"), per_end("slow_high")
    q_min, s_min = fewest_per_end("questions_low"), fewest_per_end("seconds_low")
    q_high, pages, s_high, w_high = _sum(q_h), _sum(p_h), _sum(s_h), _sum(w_h)
    outcomes = {
        str(end): OutcomeMetrics(
            runs=counts.from_start[end],
            questions=Range(q_min[end], q_h[end].median, q_h[end].maximum),
            pages=Range(p_h[end].minimum, p_h[end].median, p_h[end].maximum),
            minutes=Range(
                _seconds_to_minutes(s_min[end]),
                _seconds_to_minutes(s_h[end].median),
                _seconds_to_minutes(s_h[end].maximum),
            ),
        )
        for end in reached_ends
    }
    exp_q = expected_mid("questions_low", "questions_high")
    exp_s = expected_mid("seconds_low", "seconds_high")
    exp_w = expected_mid("slow_low", "slow_high")
    exp_pages = sum(prob[n] for n in counts.order if n in journey.steps) if counts.total else None
    return PathMetrics(
        total=counts.total,
        by_outcome={str(k): v for k, v in counts.by_end().items()},
        # Structural counts are upper bounds as soon as a branch has a condition: the
        # abstract analysis drops branches that can never be taken, but does not prove
        # that every combination of the remaining ones can happen.
        bounded=conditional_edges and not proved,
        dropped_branches=sorted(drop) if analysed else [],
        questions=Range(fewest("questions_low"), q_high.median, q_high.maximum, _round(exp_q)),
        pages=Range(pages.minimum, pages.median, pages.maximum, _round(exp_pages)),
        minutes=Range(
            _seconds_to_minutes(fewest("seconds_low")),
            _seconds_to_minutes(s_high.median),
            _seconds_to_minutes(s_high.maximum),
            None if exp_s is None else round(exp_s / 60.0, 1),
        ),
        minutes_slow=Range(
            _seconds_to_minutes(fewest("slow_low")),
            _seconds_to_minutes(w_high.median),
            _seconds_to_minutes(w_high.maximum),
            None if exp_w is None else round(exp_w / 60.0, 1),
        ),
        share_of_runs={str(n): counts.share(n) for n in counts.order},
        reach={str(n): p for n, p in prob.items()},
        outcomes=outcomes,
        median_questions_histogram=q_high.counts()
        if q_high.maximum is not None and q_high.maximum <= 500
        else {},
    )


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 1)


def log10(n: int) -> float:
    """log10 of a (possibly huge) positive integer; 0 for 0."""
    if n <= 0:
        return 0.0
    return round(math.log10(n), 2)


__all__ = [
    "CyclicGraph",
    "OutcomeMetrics",
    "PathMetrics",
    "Range",
    "log10",
    "path_metrics",
]
