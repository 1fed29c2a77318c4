"""The step graph and its structural checks: ids, targets, cycles, reachability, dead ends.

Nodes are step and outcome ids (attribute ``kind``); an edge ``step → target`` carries
the index of the first branch that leads there (``order``) and its condition (``when``).
"""

from __future__ import annotations

from collections.abc import Callable

import networkx as nx

from designer.check_messages import Message, msg
from designer.compiled import BranchInfo, CompiledJourney, where
from designer.findings import Finding
from designer.source import Path
from designer.unsure import zone


def _target_path(branch: BranchInfo) -> Path:
    """Where a branch names its target: `next: target` itself, or the `goto` of a case."""
    if branch.default and branch.path[-1] == "next":
        return branch.path
    return branch.path + ("goto",)


def build_graph(journey: CompiledJourney) -> list[Finding]:
    """Fill ``journey.graph`` and report `start` or `goto` targets that name nothing."""
    graph = nx.DiGraph()
    findings: list[Finding] = []
    for sid in journey.steps:
        graph.add_node(sid, kind="step")
    for oid in journey.outcomes:
        if oid not in graph:
            graph.add_node(oid, kind="outcome")
    known = set(graph.nodes)
    unsure = journey.unsure
    if journey.start not in journey.steps and not unsure.start:
        hint = _closest(journey.start, list(journey.steps))
        what = msg("word.an-outcome" if journey.start in journey.outcomes else "word.no-step")
        findings.append(
            Finding.of(
                "unknown-target",
                msg("target.start", what=what, name=journey.start, hint=hint),
                journey.file,
                journey.position(("start",)),
            )
        )
    for sid in journey.steps:
        for branch in journey.branches(sid):
            if branch.target not in known:
                target_path = _target_path(branch)
                # Where this step leads is unknown: nothing is claimed downstream of it.
                unsure.steps.add(sid)
                if target_path in unsure.targets or branch.target in unsure.names:
                    continue  # its entry, or the step it names, failed the schema
                findings.append(
                    Finding.of(
                        "unknown-target",
                        msg("target.unknown", name=branch.target,
                            hint=_closest(branch.target, sorted(known))),
                        journey.file,
                        journey.position(target_path),
                        step=sid,
                    )
                )
                continue
            if not graph.has_edge(sid, branch.target):
                graph.add_edge(sid, branch.target, order=branch.index, when=branch.when)
    journey.graph = graph
    return findings


def _closest(name: str, candidates: list[str]) -> Message | str:
    import difflib

    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    return msg("hint.did-you-mean", name=close[0]) if close else ""


#: The kinds of ids that expressions read.
_NAMED = ("question", "computed value")


def check_ids(journey: CompiledJourney) -> list[Finding]:
    """Steps, outcomes, questions (repeat items included) and computed share one namespace."""
    findings: list[Finding] = []
    # The first definition of each name, by kind and path: its position is read only when a
    # second one makes it needed.
    seen: dict[str, tuple[str, tuple[str | int, ...]]] = {}

    def define(name: str, kind: str, path: tuple[str | int, ...]) -> None:
        if name in seen:
            first_kind, first_path = seen[name]
            pos, first_pos = journey.key_position(path), journey.key_position(first_path)
            if kind in _NAMED and first_kind in _NAMED:
                # Expressions naming it read the first: what they say of it is unsure.
                journey.unsure.names.add(name)
            findings.append(
                Finding.of(
                    "duplicate-id",
                    msg("duplicate-id.element", name=name, kind=msg(f"kind.a.{first_kind}"),
                        line=first_pos[0]),
                    journey.file,
                    pos,
                    **where(path),
                )
            )
        else:
            seen[name] = (kind, path)

    for name in journey.model.computed:
        define(name, "computed", ("computed", name))
    for sid, step in journey.steps.items():
        define(sid, "step", ("steps", sid))
        for qid, q in step.questions.items():
            qpath = ("steps", sid, "questions", qid)
            define(qid, "question", qpath)
            # A repeat's items (read from the model's values: getattr on a pydantic model
            # for a field its type lacks costs an exception, once per question).
            for item_id in vars(q).get("questions") or {}:
                define(item_id, "question", qpath + ("questions", item_id))
    for oid in journey.outcomes:
        define(oid, "outcome", ("outcomes", oid))
    return findings


def check_structure(journey: CompiledJourney) -> list[Finding]:
    """Cycles, steps and outcomes no path reaches, steps from which no outcome is reachable."""
    graph = journey.graph
    findings: list[Finding] = []
    cyclic_edges: set[tuple[str, str]] = set()
    reading_order = _reading_order(journey)
    for component in nx.strongly_connected_components(graph):
        if len(component) == 1:
            (only,) = component
            if not graph.has_edge(only, only):
                continue
        nodes = sorted(component, key=reading_order)
        sub = graph.subgraph(component)
        cycle = nx.find_cycle(sub, source=nodes[0])
        # Report at the branch that closes the loop, back to the earliest step.
        closing = cycle[-1]
        cyclic_edges.add((closing[0], closing[1]))
        loop = " → ".join([e[0] for e in cycle] + [cycle[0][0]])
        branch = next(
            b for b in journey.branches(closing[0]) if b.target == closing[1]
        )
        path = _target_path(branch)
        findings.append(
            Finding.of(
                "cycle",
                msg("cycle", loop=loop),
                journey.file,
                journey.position(path),
                step=closing[0],
            )
        )
    if journey.start in graph:
        reached = nx.descendants(graph, journey.start) | {journey.start}
        # A step whose way out is unknown may lead to any later step: not unreachable.
        withheld = zone(journey)
        for node in graph.nodes:
            if node in reached or node in withheld:
                continue
            kind = "outcome" if journey.is_outcome(node) else "step"
            section = "outcomes" if kind == "outcome" else "steps"
            findings.append(
                Finding.of(
                    "unreachable",
                    msg("unreachable", kind=msg(f"kind.{kind}"), name=node),
                    journey.file,
                    journey.key_position((section, node)),
                    step=node if kind == "step" else None,
                )
            )
    # A step whose way out is unknown (a misspelt target, an entry set aside) is already
    # reported: it may lead to an outcome, and so may the steps before it.
    ends = [n for n in graph.nodes if journey.is_outcome(n)]
    ends += [sid for sid in journey.unsure.steps if sid in graph]
    can_finish: set[str] = set(ends)
    for o in ends:
        can_finish |= nx.ancestors(graph, o)
    for sid in journey.steps:
        if sid not in can_finish:
            findings.append(
                Finding.of(
                    "dead-end",
                    msg("dead-end.no-outcome", step=sid),
                    journey.file,
                    journey.key_position(("steps", sid)),
                    step=sid,
                )
            )
    return findings


def _reading_order(journey: CompiledJourney) -> Callable[[str], int]:
    order = {n: i for i, n in enumerate(list(journey.steps) + list(journey.outcomes))}
    return lambda n: order.get(n, len(order))


def is_acyclic(journey: CompiledJourney) -> bool:
    """Whether the step graph has no cycle (the analyses need a DAG)."""
    return nx.is_directed_acyclic_graph(journey.graph)


class Precedence:
    """Answers "can step ``a`` be walked before node ``b``?" in constant time.

    Built in one pass in topological order with one bit set per node, so it stays
    linear on journeys with hundreds of steps.
    """

    def __init__(self, journey: CompiledJourney) -> None:
        graph = journey.graph
        order = list(nx.topological_sort(graph))
        self._bit = {n: 1 << i for i, n in enumerate(order)}
        self._masks: dict[str, int] = {}
        for n in order:
            m = 0
            for p in graph.predecessors(n):
                m |= self._masks[p] | self._bit[p]
            self._masks[n] = m

    def before(self, a: str, b: str) -> bool:
        """Whether some path from the start goes through ``a`` and later reaches ``b``."""
        return bool(self._masks.get(b, 0) & self._bit.get(a, 0))


def pages_left(journey: CompiledJourney) -> dict[str, tuple[int, int]]:
    """For each node, the fewest and most pages still to answer before an outcome
    (the node itself included when it is a step; 0 for an outcome).

    Dynamic programming in reverse topological order: a progress indicator that
    does not lie says "2 to 4 pages left", not a percentage of the longest path.
    """
    graph = journey.graph
    if not is_acyclic(journey):
        return {}
    result: dict[str, tuple[int, int]] = {}
    for node in reversed(list(nx.topological_sort(graph))):
        if journey.is_outcome(node):
            result[node] = (0, 0)
            continue
        nexts = [result[s] for s in graph.successors(node) if s in result]
        if not nexts:
            continue  # a dead end: no outcome is reachable from here
        result[node] = (1 + min(n[0] for n in nexts), 1 + max(n[1] for n in nexts))
    return result
