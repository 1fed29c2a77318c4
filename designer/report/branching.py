"""Which branches of a journey can be taken: the edges the path-sensitive analysis proves
dead, and the proof that branch conditions are independent (docs/metrics.md, "exactness")."""

from __future__ import annotations

import itertools
import math
from typing import Any

import networkx as nx

from designer.compiled import CompiledJourney
from designer.expressions import names


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
