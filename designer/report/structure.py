"""The size and structure of a journey's step graph: counts of its elements, density,
connectivity, sequentiality, cyclomatic number, control-flow complexity and nesting
(docs/metrics.md)."""

from __future__ import annotations

from typing import Any

import networkx as nx

from designer.compiled import CompiledJourney
from designer.report.costs import NOT_ANSWERED, is_conditional
from designer.report.model import SizeOut, StructureOut


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
