"""The step graph of a report, as the picture draws it: nodes with their questions and
findings, edges with their conditions in words, the median path highlighted."""

from __future__ import annotations

from collections import Counter
from typing import Literal

import networkx as nx

from designer.compiled import CompiledJourney
from designer.expressions import unparse
from designer.findings import Finding
from designer.report.costs import NOT_ANSWERED
from designer.report.model import GraphEdgeOut, GraphNodeOut, GraphOut
from designer.report.words import condition_in_words

#: Graphs larger than this are not drawn (a picture of 2,000 steps helps nobody).
MAX_DRAWN_NODES = 300


def graph_out(
    journey: CompiledJourney,
    findings: list[Finding],
    median_path: list[str] | None,
    lang: str,
) -> GraphOut | None:
    """Nodes layered by their longest distance from the start; branches in words."""
    g = journey.graph
    if g.number_of_nodes() > MAX_DRAWN_NODES or not nx.is_directed_acyclic_graph(g):
        return None
    depth: dict[str, int] = {}
    for v in nx.topological_sort(g):
        preds = [depth[p] + 1 for p in g.predecessors(v) if p in depth]
        depth[v] = max(preds) if preds else 0
    per_step = Counter(f.step for f in findings if f.step)
    on_path = set(median_path or [])
    path_edges = set(zip(median_path or [], (median_path or [])[1:], strict=False))
    nodes = []
    for v in g:
        kind: Literal["step", "outcome"] = "outcome" if journey.is_outcome(v) else "step"
        title = journey.outcomes[v].title if kind == "outcome" else journey.steps[v].title
        nodes.append(
            GraphNodeOut(
                id=v,
                kind=kind,
                label=journey.text(title, lang),
                depth=depth[v],
                questions=sum(
                    1
                    for q in journey.questions.values()
                    if q.step == v and q.type not in NOT_ANSWERED
                ),
                findings=per_step.get(v, 0),
                on_median_path=v in on_path,
            )
        )
    edges = []
    for sid in journey.steps:
        seen: set[str] = set()
        for b in journey.branches(sid):
            if b.target in seen or not g.has_edge(sid, b.target):
                continue
            seen.add(b.target)

            edges.append(
                GraphEdgeOut(
                    source=sid,
                    target=b.target,
                    condition=None if b.when is None else unparse(b.when),
                    words=condition_in_words(b.when, journey, lang)
                    if len(journey.branches(sid)) > 1
                    else "",
                    on_median_path=(sid, b.target) in path_edges,
                )
            )
    return GraphOut(nodes=nodes, edges=edges)
