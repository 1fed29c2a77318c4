"""The metrics of one compiled journey: size, paths, time, structure, once-only, minimisation.

Every figure is defined in docs/metrics.md with its formula and source. Path figures come
from dynamic programming over the step graph (designer/report/paths.py), never from a
list of paths.

Convention for conditional questions (a question with a `when`, or inside a repeat with
one): it counts in the *most* questions of a path and not in the *fewest*; the median is
taken over paths counting conditional questions as asked (the citizen meets every question
her path can show). A repeat counts as the questions of one item.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import networkx as nx

from designer.compiled import CompiledJourney, QuestionInfo
from designer.expressions import names
from designer.prefill import connected as prefill_connected
from designer.prefill import fillable
from designer.readability import words_of
from designer.report import timing
from designer.report.model import SizeOut, StructureOut
from designer.report.paths import (
    CyclicGraph,
    Histogram,
    PathCounts,
    count_paths,
    histograms_by_end,
)

#: Questions that take an answer (an info block does not; a repeat is its items).
NOT_ANSWERED = {"info", "repeat"}


@dataclass
class StepCost:
    """The cost of one page, without (low) and with (high) its conditional questions."""

    questions_low: int = 0
    questions_high: int = 0
    seconds_low: float = 0.0
    seconds_high: float = 0.0
    slow_low: float = 0.0
    slow_high: float = 0.0


def _text(journey: CompiledJourney, value: Any, lang: str | None = None) -> str:
    return journey.text(value, lang) if value is not None else ""


def question_words(journey: CompiledJourney, q: QuestionInfo, lang: str | None = None) -> int:
    """Words a citizen reads for a question: label, help, options, content."""
    parts = [
        _text(journey, getattr(q.question, "label", None), lang),
        _text(journey, getattr(q.question, "help", None), lang),
        _text(journey, getattr(q.question, "content", None), lang),
    ]
    for label in (q.options or {}).values():
        parts.append(_text(journey, label, lang))
    return sum(len(words_of(p)) for p in parts)


def is_conditional(journey: CompiledJourney, q: QuestionInfo) -> bool:
    """A question is conditional if it, or the repeat holding it, has a `when`."""
    if q.when is not None:
        return True
    parent = journey.questions.get(q.repeat) if q.repeat else None
    return parent is not None and is_conditional(journey, parent)


def question_seconds(
    journey: CompiledJourney,
    q: QuestionInfo,
    profile: timing.Profile,
    lang: str | None = None,
    words: int | None = None,
) -> float:
    """Reading plus answering time of one question (one item for a repeat's questions)."""
    if words is None:
        words = question_words(journey, q, lang)
    seconds = timing.reading_seconds(words, profile)
    seconds += timing.answer_seconds(q.type, profile)
    if q.type == "repeat":
        seconds += timing.CLICK  # "add an item"
    return seconds


def step_costs(journey: CompiledJourney, lang: str | None = None) -> dict[str, StepCost]:
    """The cost of every step and outcome page."""
    costs: dict[str, StepCost] = {}
    by_step: dict[str, list[QuestionInfo]] = {}
    for q in journey.questions.values():
        by_step.setdefault(q.step, []).append(q)
    for sid, step in journey.steps.items():
        c = StepCost()
        head_words = len(words_of(_text(journey, step.title, lang)))
        head_words += len(words_of(_text(journey, step.intro, lang)))
        for prof, low_attr, high_attr in (
            (timing.FLUENT, "seconds_low", "seconds_high"),
            (timing.SLOW, "slow_low", "slow_high"),
        ):
            base = timing.reading_seconds(head_words, prof) + timing.PAGE_SECONDS
            setattr(c, low_attr, base)
            setattr(c, high_attr, base)
        for q in by_step.get(sid, []):
            cond = is_conditional(journey, q)
            if q.type not in NOT_ANSWERED:
                c.questions_high += 1
                if not cond:
                    c.questions_low += 1
            words = question_words(journey, q, lang)
            fast = question_seconds(journey, q, timing.FLUENT, lang, words)
            slow = question_seconds(journey, q, timing.SLOW, lang, words)
            c.seconds_high += fast
            c.slow_high += slow
            if not cond:
                c.seconds_low += fast
                c.slow_low += slow
        costs[sid] = c
    for oid, outcome in journey.outcomes.items():
        words = len(words_of(_text(journey, outcome.title, lang)))
        words += len(words_of(_text(journey, outcome.body, lang)))
        if outcome.link is not None:
            words += len(words_of(_text(journey, outcome.link.label, lang)))
        fast = timing.reading_seconds(words, timing.FLUENT)
        slow = timing.reading_seconds(words, timing.SLOW)
        costs[oid] = StepCost(0, 0, fast, fast, slow, slow)
    return costs


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


def infeasible_edges(journey: CompiledJourney) -> set[tuple[str, str]] | None:
    """Edges the path-sensitive analysis proves no run can take, or None without analysis.

    The hook of designer.analysis: a branch whose `taken` fact is False is dropped unless
    another entry of the same `next` leads to the same target and can be taken.
    """
    try:
        from designer.analysis.flow import interpret
    except ImportError:
        return None
    try:
        facts = interpret(journey)
    except Exception:  # noqa: BLE001 - a failing analysis must not break a report
        return None
    dead: set[tuple[str, str]] = set()
    for sid, branch_facts in facts.branches.items():
        taken_targets = {b.target for b in branch_facts if b.taken}
        for b in branch_facts:
            if not b.taken and b.target not in taken_targets:
                dead.add((sid, b.target))
    return dead


#: Types whose answers can be enumerated to prove that each branch of a step can be taken.
FINITE_TYPES = {"yesno", "choice"}
#: Most answer combinations enumerated for one step.
MAX_COMBINATIONS = 4096


def _expand(journey: CompiledJourney, expr: Any, seen: frozenset[str] = frozenset()) -> set[str]:
    """Question ids an expression reads, through computed values."""
    out: set[str] = set()
    for name in names(expr):
        tree = journey.computed.get(name)
        if name in journey.computed and name not in seen and tree is not None:
            out |= _expand(journey, tree, seen | {name})
        elif name not in journey.computed:
            out.add(name)
    return out


def independent_branching(journey: CompiledJourney) -> tuple[bool, set[tuple[str, str]]]:
    """Prove, when it holds, that every combination of branches can happen.

    Sufficient condition, checked per step with conditional branches: its conditions read
    only questions of its own page or of a page every run to it goes through (a dominator),
    that are always shown (no `when`, not in a repeat),
    have no `checks` and finitely many answers (yes/no, choice; plus "unanswered" when
    optional), no other
    step's conditions read them, and enumerating their answers shows which targets can
    be reached. The choices of different steps then depend on disjoint, freely given
    answers: every structural run whose arcs are reachable is a feasible run.

    Returns (proved for every step, arcs proved never taken).
    """
    from designer.run import Environment, Run, holds

    run = Run(journey)
    never: set[tuple[str, str]] = set()
    proved = True
    owner: dict[str, str] = {}
    try:
        idom = nx.immediate_dominators(journey.graph, journey.start)
    except (nx.NetworkXError, KeyError):
        idom = {}

    def dominates(a: str, b: str) -> bool:
        # Every run reaching b has gone through a (a == b counts).
        while True:
            if a == b:
                return True
            parent = idom.get(b)
            if parent is None or parent == b:
                return False
            b = parent

    for sid in journey.steps:
        branches = journey.branches(sid)
        if all(b.when is None for b in branches):
            continue
        read: set[str] = set()
        for b in branches:
            if b.when is not None:
                read |= _expand(journey, b.when)
        qs = [journey.questions.get(n) for n in sorted(read)]
        if any(
            q is None
            or not dominates(q.step, sid)
            or q.repeat is not None
            or q.when is not None
            or q.type not in FINITE_TYPES
            or q.checks  # a check could forbid an answer: not freely given
            or owner.get(q.id, sid) != sid
            for q in qs
        ):
            proved = False
            continue
        for q in qs:
            assert q is not None
            owner[q.id] = sid
        domains: list[list[Any]] = []
        for q in qs:
            assert q is not None
            values: list[Any] = [True, False] if q.type == "yesno" else list(q.options or {})
            if q.required is not True:
                values.append(None)
            domains.append(values)
        if math.prod(len(d) for d in domains) > MAX_COMBINATIONS:
            proved = False
            continue
        reached: set[str] = set()
        for combo in itertools.product(*domains):
            env = Environment(run, {q.id: v for q, v in zip(qs, combo, strict=True) if q})
            for b in branches:
                if holds(b.when, env, run.today):
                    reached.add(b.target)
                    break
        never |= {(sid, b.target) for b in branches if b.target not in reached}
    # A question read by two steps' conditions was refused above for the second one;
    # the first was accepted before we knew: check the ownership again.
    for sid in journey.steps:
        for b in journey.branches(sid):
            if b.when is not None and any(
                owner.get(n, sid) != sid for n in _expand(journey, b.when)
            ):
                proved = False
    return proved, never


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


# --- Size and structure --------------------------------------------------------------


def size(journey: CompiledJourney) -> SizeOut:
    """Counts of the journey's elements."""
    qs = list(journey.questions.values())
    branch_conditions = sum(
        1 for sid in journey.steps for b in journey.branches(sid) if b.when is not None
    )
    question_conditions = sum(1 for q in qs if q.when is not None)
    return SizeOut(
        steps=len(journey.steps),
        outcomes=len(journey.outcomes),
        questions=sum(1 for q in qs if q.type not in NOT_ANSWERED),
        info_blocks=sum(1 for q in qs if q.type == "info"),
        repeats=sum(1 for q in qs if q.type == "repeat"),
        documents=sum(1 for q in qs if q.type == "file"),
        conditions=branch_conditions + question_conditions,
        branch_conditions=branch_conditions,
        question_conditions=question_conditions,
    )


END = "\x00end"


def structure(journey: CompiledJourney) -> StructureOut:
    """Size, density, CNC, sequentiality, V(G), CFC, nesting and adaptivity of a journey.

    Arcs are the distinct step -> target pairs of the graph; for V(G) the outcomes are
    merged into one END node first, as McCabe's formula wants one exit.
    """
    g = journey.graph
    n, a = g.number_of_nodes(), g.number_of_edges()
    decisions = [v for v in g if g.out_degree(v) > 1]
    joins = [v for v in g if g.in_degree(v) > 1]
    connectors = set(decisions) | set(joins)
    seq = sum(1 for u, v in g.edges if u not in connectors and v not in connectors)
    merged_nodes = len(journey.steps) + 1
    cyclomatic = a - merged_nodes + 2
    cfc = sum(g.out_degree(v) for v in decisions)
    answerable = [q for q in journey.questions.values() if q.type not in NOT_ANSWERED]
    conditional = sum(1 for q in answerable if is_conditional(journey, q))
    return StructureOut(
        nodes=n,
        arcs=a,
        density=round(a / (n * (n - 1)), 4) if n > 1 else 0.0,
        coefficient_of_connectivity=round(a / n, 3) if n else 0.0,
        sequentiality=round(seq / a, 3) if a else 1.0,
        cyclomatic_number=cyclomatic,
        control_flow_complexity=cfc,
        max_nesting=max_nesting(g, journey.start, set(journey.outcomes)),
        decisions=len(decisions),
        joins=len(joins),
        conditional_questions_share=round(conditional / len(answerable), 3) if answerable else 0.0,
        over_50_elements=n + len(answerable) > 50,
    )


def max_nesting(g: nx.DiGraph, start: str, outcomes: set[str]) -> int:
    """The deepest nesting of conditions: for each node, the number of decisions whose
    region it is in (the decision dominates it, and it does not post-dominate the
    decision, i.e. it lies before the point where the decision's branches join again)."""
    if start not in g or not nx.is_directed_acyclic_graph(g):
        return 0
    h = nx.DiGraph(g.subgraph(nx.descendants(g, start) | {start}))
    for o in outcomes:
        if o in h:
            h.add_edge(o, END)
    if END not in h:
        return 0
    # Dead ends would have no post-dominator: link them to END too.
    for v in list(h):
        if v != END and h.out_degree(v) == 0:
            h.add_edge(v, END)
    dom = nx.immediate_dominators(h, start)
    pdom = nx.immediate_dominators(h.reverse(copy=False), END)
    # Pre/post numbers on the post-dominator tree: "v post-dominates d" is then an O(1)
    # interval test (v is an ancestor of d in that tree).
    children: dict[Any, list[Any]] = {}
    for v, parent in pdom.items():
        if parent != v:
            children.setdefault(parent, []).append(v)
    pre: dict[Any, int] = {}
    post: dict[Any, int] = {}
    clock = 0
    stack: list[tuple[Any, bool]] = [(END, False)]
    while stack:
        v, done = stack.pop()
        clock += 1
        if done:
            post[v] = clock
            continue
        pre[v] = clock
        stack.append((v, True))
        stack.extend((c, False) for c in children.get(v, []))

    def post_dominates(v: Any, d: Any) -> bool:
        return v in pre and d in pre and pre[v] <= pre[d] and post[d] <= post[v]

    # Open decisions of v: those of its immediate dominator, plus that dominator if it is
    # a decision, minus the decisions whose branches have joined again at v.
    open_at: dict[Any, tuple[Any, ...]] = {start: ()}
    best = 0
    for v in nx.topological_sort(h):
        if v == start or v == END or v not in dom:
            continue
        d = dom[v]
        inherited = open_at.get(d, ()) + ((d,) if h.out_degree(d) > 1 else ())
        mine = tuple(x for x in inherited if not post_dominates(v, x))
        open_at[v] = mine
        best = max(best, len(mine))
    return best


# --- Data minimisation -----------------------------------------------------------------


def used_names(journey: CompiledJourney) -> set[str]:
    """Every question id read by an expression of the journey (computed values expanded)."""
    used: set[str] = set()
    for parsed in journey.expressions:
        if parsed.tree is not None:
            used |= names(parsed.tree)
    return used


def unused_answers(journey: CompiledJourney) -> list[str]:
    """Answers with no declared purpose that no expression reads (data minimisation)."""
    used = used_names(journey)
    return [
        q.id
        for q in journey.questions.values()
        if q.type not in NOT_ANSWERED
        and q.id not in used
        and getattr(q.question, "purpose", None) is None
    ]


def without_purpose(journey: CompiledJourney) -> list[str]:
    """Answers with no declared purpose (used or not)."""
    return [
        q.id
        for q in journey.questions.values()
        if q.type not in NOT_ANSWERED and getattr(q.question, "purpose", None) is None
    ]


# --- Dites-le-nous une fois ------------------------------------------------------------


def dlnuf_level(items: int) -> str:
    """The level of the observatory of online procedures: 0-1 optimal, 2-4 partial, >4 weak."""
    if items <= 1:
        return "optimal"
    if items <= 4:
        return "partial"
    return "weak"


def _providers_of(entry: Any) -> list[str]:
    if entry is None:
        return []
    raw = entry.get("providers") if isinstance(entry, dict) else getattr(entry, "providers", None)
    if not raw:
        return []
    out = []
    for p in raw:
        if isinstance(p, str):
            out.append(p)
        elif isinstance(p, dict):
            out.append(str(p.get("id") or p.get("provider") or p.get("name")))
        else:
            out.append(str(getattr(p, "id", None) or getattr(p, "provider", None) or p))
    return out


@cache
def load_concepts() -> Any | None:
    """The concept catalogue (designer.concepts.load_catalogue), or None if absent.

    Cached: the catalogue is read once per process (a portfolio reports many journeys)."""
    try:
        from designer.concepts import load_catalogue
    except ImportError:
        return None
    try:
        return load_catalogue()
    except Exception:  # noqa: BLE001 - a broken catalogue must not break a report
        return None


def _lookup(catalogue: Any, concept: str) -> Any:
    for attr in ("get", "lookup", "concept"):
        fn = getattr(catalogue, attr, None)
        if callable(fn):
            try:
                return fn(concept)
            except (KeyError, LookupError):
                return None
    concepts = getattr(catalogue, "concepts", None)
    if isinstance(concepts, dict):
        return concepts.get(concept)
    return None


@dataclass
class Dlnuf:
    """Questions whose answer a provider could supply, by provider, and the level."""

    items: int
    level: str
    questions: list[dict[str, Any]]
    by_provider: dict[str, list[str]]
    catalogue: bool
    already_prefilled: list[str]
    connected: list[str]
    filling: list[str]


def dlnuf(journey: CompiledJourney, catalogue: Any | None = None) -> Dlnuf:
    """Count items asked that a provider could supply.

    A question whose concept a provider can supply is an item, unless a provider the
    journey is connected to (its `prefill` list) really fills it: one Parcours reads that
    concept from (:data:`designer.prefill.FILLS`), for the person filling in (never the
    person concerned's data from the applicant's identity). A connection Parcours does not
    fill from leaves the question asked, and counted.
    """
    cat = catalogue if catalogue is not None else load_concepts()
    declared = list(getattr(journey.model, "prefill", []) or [])
    filling = prefill_connected(journey)
    filled = fillable(journey, filling)
    questions = []
    by_provider: dict[str, list[str]] = {}
    prefilled = []
    for q in journey.questions.values():
        concept = getattr(q.question, "concept", None)
        if not concept or q.type in NOT_ANSWERED or cat is None:
            continue
        providers = _providers_of(_lookup(cat, concept))
        if not providers:
            continue
        if q.id in filled:
            prefilled.append(q.id)
            continue
        questions.append({"question": q.id, "concept": concept, "providers": providers})
        for p in providers:
            by_provider.setdefault(p, []).append(q.id)
    return Dlnuf(
        items=len(questions),
        level=dlnuf_level(len(questions)),
        questions=questions,
        by_provider=by_provider,
        catalogue=cat is not None,
        already_prefilled=prefilled,
        connected=declared,
        filling=filling,
    )


# --- Accessibility ---------------------------------------------------------------------

#: Concepts whose field must carry an HTML autocomplete token (RGAA 11.13, WCAG 1.3.5).
AUTOCOMPLETE = {
    "identite.nom": "family-name",
    "identite.prenoms": "given-name",
    "identite.date_naissance": "bday",
    "identite.sexe": "sex",
    "contact.email": "email",
    "contact.telephone": "tel",
    "adresse.domicile": "street-address",
}
#: Types that carry a token even without a concept.
AUTOCOMPLETE_TYPES = {"email": "email", "phone": "tel", "postcode": "postal-code"}

#: RGAA 4.1 criteria of the forms theme and around it that a machine cannot decide.
MANUAL_REVIEW = [
    ("3.2", "Contraste du texte suffisant (4,5:1)"),
    ("7.4", "Changement de contexte signalé quand des questions apparaissent"),
    ("7.5", "Messages de statut restitués par les technologies d'assistance"),
    ("8.6", "Titre de page pertinent à chaque étape"),
    ("11.2", "Étiquettes pertinentes"),
    ("11.3", "Étiquettes cohérentes d'une page à l'autre"),
    ("11.4", "Étiquette et champ accolés"),
    ("11.10", "Contrôle de saisie pertinent (erreurs identifiées)"),
    ("11.11", "Suggestions de correction des erreurs"),
    ("11.12", "Relecture possible avant un envoi à portée juridique ou financière"),
    ("13.1", "Pas de limite de temps, ou contrôlable"),
]


@dataclass
class Accessibility:
    """What the engine knows statically of the forms' accessibility."""

    fields: int
    labelled: int
    grouped: int  # rendered as fieldset + legend (choices, yes/no, dates, addresses, repeats)
    autocomplete: dict[str, str]  # question -> token
    missing_autocomplete: list[str]
    manual_review: list[tuple[str, str]]


def accessibility(journey: CompiledJourney) -> Accessibility:
    """Static accessibility facts: labels, groups with a legend, autocomplete tokens."""
    fields = [q for q in journey.questions.values() if q.type not in NOT_ANSWERED]
    labelled = sum(1 for q in fields if _text(journey, q.label).strip())
    grouped = sum(
        1 for q in fields if q.type in {"yesno", "choice", "multichoice", "date", "address"}
    )
    tokens: dict[str, str] = {}
    missing: list[str] = []
    for q in fields:
        concept = getattr(q.question, "concept", None)
        token = AUTOCOMPLETE.get(concept or "") or AUTOCOMPLETE_TYPES.get(q.type)
        if token:
            tokens[q.id] = token
        elif concept and concept.startswith(("identite.", "contact.", "adresse.")):
            missing.append(q.id)
    return Accessibility(len(fields), labelled, grouped, tokens, missing, MANUAL_REVIEW)


def shared_concepts(journeys: list[CompiledJourney]) -> list[tuple[str, list[str]]]:
    """Concepts (or, without one, normalised labels) asked in several journeys."""
    seen: dict[str, set[str]] = {}
    for j in journeys:
        for q in j.questions.values():
            if q.type in NOT_ANSWERED:
                continue
            concept = getattr(q.question, "concept", None)
            key = concept or "« " + _text(j, q.label).strip().lower().rstrip(" ?:") + " »"
            seen.setdefault(key, set()).add(j.id)
    shared = [(k, sorted(v)) for k, v in seen.items() if len(v) > 1]
    return sorted(shared, key=lambda kv: (-len(kv[1]), kv[0]))


def log10(n: int) -> float:
    """log10 of a (possibly huge) positive integer; 0 for 0."""
    if n <= 0:
        return 0.0
    return round(math.log10(n), 2)


__all__ = [
    "CyclicGraph",
    "PathMetrics",
    "Range",
    "accessibility",
    "dlnuf",
    "dlnuf_level",
    "path_metrics",
    "shared_concepts",
    "size",
    "step_costs",
    "structure",
    "unused_answers",
]
