"""What depends on a part the checker could not make sense of, and is withheld.

Every error is reported once, where it is written. What only follows from it is
not reported again: a name "unknown" because its question failed the schema, a
step "unreachable" because the only branch to it names nothing. The analysis
keeps its promise on the rest: an unsure expression may take any value (so what
is proved impossible stays impossible, whatever the fix), and where a way out of
a step is unknown, nothing is claimed about the steps it may lead to.
"""

from __future__ import annotations

import re

import networkx as nx

from designer.compiled import CompiledJourney, Unsure
from designer.expressions import Expr, Name, names
from designer.repair import SetAside
from designer.source import Path

_WORD = re.compile(r"[a-z_][a-z0-9_]*")

#: Names of the unknowns that stand for unsure expressions: no journey name starts so.
UNKNOWN_PREFIX = "?"


def from_set_aside(journey: CompiledJourney, aside: SetAside) -> None:
    """Start the journey's record of what is unsure with what the schema stage set aside."""
    u = journey.unsure
    u.names |= aside.names
    u.used |= aside.words
    u.steps |= aside.steps
    u.expressions |= aside.expressions
    u.targets |= aside.targets
    u.start |= aside.start
    u.journey_id |= aside.journey_id


def is_unknown(expr: Expr | None) -> bool:
    """Whether an expression stands for an unsure one (it may take any value)."""
    return isinstance(expr, Name) and expr.id.startswith(UNKNOWN_PREFIX)


def settle(journey: CompiledJourney) -> None:
    """Propagate what is unsure through the expressions, then replace each unsure
    expression by an unknown of its own, so that the analyses never read it.

    Run once the name and type checks have reported; a journey with nothing unsure
    costs one pass over its expressions.
    """
    u = journey.unsure
    if not u:
        return
    # Names an unsure or unparsable expression reads stay "used" (never unused-answer).
    for parsed in journey.expressions:
        if parsed.path in u.expressions:
            if parsed.tree is not None:
                u.used |= names(parsed.tree)
            else:
                u.used |= set(_WORD.findall(parsed.text))
    # A computed value is unsure when its expression is, or reads an unsure name.
    changed = True
    while changed:
        changed = False
        for name, tree in journey.computed.items():
            if name in u.names:
                continue
            if tree is None or ("computed", name) in u.expressions or (
                names(tree) & u.names
            ):
                u.names.add(name)
                u.expressions.add(("computed", name))
                changed = True
    counter = iter(range(1, 1 << 30))

    def unknown(tree: Expr | None, path: Path) -> Expr | None:
        if path in u.expressions or (tree is not None and names(tree) & u.names):
            u.expressions.add(path)
            return Name(f"{UNKNOWN_PREFIX}{next(counter)}")
        return tree

    for name, tree in journey.computed.items():
        if name in u.names:
            journey.computed[name] = unknown(tree, ("computed", name))
    for q in journey.questions.values():
        if q.when is not None or q.path + ("when",) in u.expressions:
            q.when = unknown(q.when, q.path + ("when",))
        required = q.required if not isinstance(q.required, bool) else None
        if required is not None or q.path + ("required",) in u.expressions:
            q.required = unknown(required, q.path + ("required",)) or q.required
        # A check that is unsure is dropped: the answers it forbade become possible.
        q.checks = [
            (rule, message) for i, (rule, message) in enumerate(q.checks)
            if not is_unknown(unknown(rule, q.path + ("checks", i, "rule")))
        ]
        for bound in ("min", "max"):
            tree = getattr(q, bound)
            if q.type == "date" and tree is not None and is_unknown(
                unknown(tree, q.path + (bound,))
            ):
                setattr(q, bound, None)
    for sid in journey.steps:
        for b in journey.branches(sid):
            path = b.path + ("when",)
            if b.when is not None or path in u.expressions:
                b.when = unknown(b.when, path)
                b.default = False


def zone(journey: CompiledJourney) -> set[str]:
    """Steps and outcomes whose ways in may be incomplete: nothing is claimed about them.

    A way out of a reachable step that is unknown may lead to any node that is not
    before that step (a loop is an error of its own), and on from there.
    """
    u = journey.unsure
    graph = journey.graph
    if u.start:
        return set(graph.nodes)
    if not u.steps or journey.start not in graph:
        return set()
    reached = nx.descendants(graph, journey.start) | {journey.start}
    out: set[str] = set()
    for sid in u.steps:
        if sid in reached and sid in graph:
            out |= set(graph.nodes) - nx.ancestors(graph, sid)
    return out


def upstream_unsure(journey: CompiledJourney) -> set[str]:
    """Steps where an unsure condition is evaluated on some path before (or at) them."""
    u = journey.unsure
    if not u:
        return set()
    at: set[str] = set()
    for q in journey.questions.values():
        if is_unknown(q.when) or is_unknown(q.required if not isinstance(q.required, bool)
                                            else None):
            at.add(q.step)
    for sid in journey.steps:
        if any(is_unknown(b.when) for b in journey.branches(sid)):
            at.add(sid)
    out: set[str] = set()
    graph = journey.graph
    for sid in at:
        if sid in graph:
            out |= nx.descendants(graph, sid) | {sid}
    return out


__all__ = ["Unsure", "from_set_aside", "is_unknown", "settle", "upstream_unsure", "zone"]
