"""Rules on conditions, proved on every path at once by the abstract interpretation.

- `impossible-condition`: a `when`, a `next` condition or a `required` that can
  never hold where it is evaluated;
- `unreachable`: steps and outcomes that only such branches lead to;
- `always-true-condition`: a condition that always holds where it is evaluated;
- `dead-end`: a `next` without default whose conditions can all fail (only
  reported with a witness: answers that a replay shows getting stuck).

Impossibility is proved by the abstraction (which only ever over-approximates),
so what these rules say cannot happen, cannot.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from designer.check_messages import Message, msg
from designer.findings import Finding

from .context import Context

#: "Always true": one set compared with every fact (rather than one made per fact).
_TRUE = frozenset([True])


@dataclass
class Proofs:
    """What is proved never to happen (abstract interpretation, then bounded z3)."""

    unreachable: set[str] = field(default_factory=set)
    never_shown: set[str] = field(default_factory=set)
    never_required: set[str] = field(default_factory=set)
    never_taken: set[tuple[str, int]] = field(default_factory=set)
    always_shown: set[str] = field(default_factory=set)
    always_required: set[str] = field(default_factory=set)
    always_taken: set[tuple[str, int]] = field(default_factory=set)
    shadowed: set[tuple[str, int]] = field(default_factory=set)


def prove(ctx: Context) -> Proofs:
    """Facts of the abstract interpretation, completed by z3 on small enough journeys."""
    journey, facts = ctx.journey, ctx.facts
    p = Proofs()
    for node in facts.order:
        if node != journey.start and not facts.reachable(node):
            p.unreachable.add(node)
    for q in journey.questions.values():
        fact = facts.questions.get(q.id)
        if fact is None or not fact.evaluated:
            continue
        if q.when is not None:
            if True not in fact.when:
                p.never_shown.add(q.id)
            elif fact.when == _TRUE:
                p.always_shown.add(q.id)
        if fact.required is not None and fact.can_show:
            if True not in fact.required:
                p.never_required.add(q.id)
            elif fact.required == _TRUE:
                p.always_required.add(q.id)
    for sid, branches in facts.branches.items():
        for b in branches:
            if not b.tried:
                p.shadowed.add((sid, b.index))
            elif True not in b.truths or not b.taken:
                p.never_taken.add((sid, b.index))
            elif b.truths == _TRUE:
                p.always_taken.add((sid, b.index))
    if len(journey.questions) <= ctx.config.z3_max_questions:
        _prove_with_z3(ctx, p)
    return p


def _prove_with_z3(ctx: Context, p: Proofs) -> None:
    """Relations between answers that intervals miss (`x > y` then `x <= y`), bounded in time."""
    import z3  # imported here: large journeys are proved without it

    from .witness import Witnesses

    try:
        _z3_proofs(ctx, p, Witnesses(ctx))
    except z3.Z3Exception:
        # An expression the encoding cannot express: keep what is proved so far.
        return


def _z3_proofs(ctx: Context, p: Proofs, w: Any) -> None:
    import z3

    journey = ctx.journey
    structural = ctx.structurally_reachable
    for node in ctx.facts.order:
        if w.budget <= 0:
            return
        if node == journey.start or node in p.unreachable or node not in structural:
            continue
        if any(pred not in p.unreachable for pred in journey.graph.predecessors(node)):
            if w.proves_never(w.encoder.reach[node], w.before(node)):
                p.unreachable.add(node)
        else:
            p.unreachable.add(node)
    for q in journey.questions.values():
        if w.budget <= 0:
            return
        if q.repeat is not None or q.step in p.unreachable or q.id not in w.encoder.shown:
            continue
        shown = w.encoder.shown[q.id]
        valid = w.before_question(q.id)
        if q.when is not None and q.id not in p.never_shown:
            if w.proves_never(shown, valid):
                p.never_shown.add(q.id)
                continue
        if not isinstance(q.required, bool) and q.id not in p.never_required | p.never_shown:
            if w.proves_never(z3.And(shown, w.encoder.holds(q.required)), valid):
                p.never_required.add(q.id)
    for sid in journey.steps:
        if sid in p.unreachable:
            continue
        for b in journey.branches(sid):
            if w.budget <= 0:
                return
            key = (sid, b.index)
            if b.when is None or key in p.never_taken or key in p.shadowed:
                continue
            if w.proves_never(w.encoder.taken[key], w.before(sid, itself=True)):
                p.never_taken.add(key)


def impossible_and_always(ctx: Context) -> list[Finding]:
    """`impossible-condition`, `always-true-condition` and `unreachable` findings."""
    journey = ctx.journey
    p = prove(ctx)
    out: list[Finding] = []
    withheld = ctx.withheld
    for q in journey.questions.values():
        if q.step in p.unreachable or q.step in withheld:
            continue
        # The condition's text is looked up only for a finding (most conditions have none).
        if q.when is not None and (q.id in p.never_shown or q.id in p.always_shown):
            text = ctx.source(q.path + ("when",))
            if q.id in p.never_shown:
                out.append(ctx.finding(
                    "impossible-condition",
                    msg("impossible.never-shown", question=q.id, condition=text),
                    q.path + ("when",),
                ))
            elif q.id in p.always_shown:
                out.append(ctx.finding(
                    "always-true-condition",
                    msg("always.shown", question=q.id, condition=text),
                    q.path + ("when",),
                ))
        if not isinstance(q.required, bool) and q.id not in p.never_shown and (
            q.id in p.never_required or q.id in p.always_required
        ):
            text = ctx.source(q.path + ("required",))
            if q.id in p.never_required:
                out.append(ctx.finding(
                    "impossible-condition",
                    msg("impossible.never-required", question=q.id, condition=text),
                    q.path + ("required",),
                ))
            elif q.id in p.always_required:
                out.append(ctx.finding(
                    "always-true-condition",
                    msg("always.required", question=q.id, condition=text),
                    q.path + ("required",),
                ))
    for sid in journey.steps:
        if sid in p.unreachable or sid not in ctx.structurally_reachable or sid in withheld:
            continue
        branches = journey.branches(sid)
        for i, b in enumerate(branches):
            if b.when is None:
                continue
            key = (sid, b.index)
            if key not in p.shadowed and key not in p.never_taken and key not in p.always_taken:
                continue
            path = b.path + ("when",)
            text = ctx.source(path)
            if key in p.shadowed:
                out.append(ctx.finding(
                    "impossible-condition",
                    msg("impossible.branch-shadowed", target=b.target),
                    path,
                ))
            elif key in p.never_taken:
                out.append(ctx.finding(
                    "impossible-condition",
                    msg("impossible.branch", target=b.target, condition=text),
                    path,
                ))
            elif key in p.always_taken:
                tail = msg(
                    "always.branch.tail-unused" if i < len(branches) - 1 else
                    "always.branch.tail-default"
                )
                out.append(ctx.finding(
                    "always-true-condition",
                    msg("always.branch", target=b.target, condition=text, tail=tail),
                    path,
                ))
    for node in ctx.facts.order:
        if node not in p.unreachable or node not in ctx.structurally_reachable:
            continue  # the structural check reports what no edge reaches
        if node in withheld:
            continue  # an unknown way out of an earlier step may lead here
        kind = "outcome" if journey.is_outcome(node) else "step"
        section = "outcomes" if kind == "outcome" else "steps"
        out.append(ctx.finding(
            "unreachable",
            msg("unreachable.by-conditions", kind=msg(f"kind.{kind}"), name=node),
            (section, node),
            key=True,
        ))
    return out


def dead_ends(ctx: Context) -> list[Finding]:
    """`dead-end` for a `next` whose entries can all fail, confirmed by a replayed witness."""
    facts = ctx.facts
    out: list[Finding] = []
    finder = None
    for sid, residual in facts.residual.items():
        if residual is None or not facts.reachable(sid) or sid in ctx.after_unsure:
            continue
        import z3  # only loaded when there is a candidate

        from .witness import Witnesses

        try:
            if finder is None:
                # Only a step the abstract interpretation could not prove covered gets
                # here (none in a sound journey): worth a longer search for a witness.
                finder = Witnesses(
                    ctx,
                    timeout_ms=ctx.config.witness_timeout_ms,
                    budget_ms=ctx.config.witness_budget_ms,
                )
            answers = finder.stuck_at(sid)
        except z3.Z3Exception:
            answers = None  # no witness, no claim
        if answers is None:
            continue
        # Show the answers the conditions read (the whole path's would drown the point).
        read: set[str] = set()
        for b in ctx.journey.branches(sid):
            read |= {n for n in ctx.interpreter.expand(b.when) if n in ctx.journey.questions}
        shown: tuple[Message, ...] | Message = tuple(
            msg("answer.is", name=k, value=_show(answers[k])) if k in answers
            else msg("answer.none", name=k)
            for k in sorted(read)
        ) or msg("answer.any")
        out.append(ctx.finding(
            "dead-end",
            msg("dead-end.no-match", step=sid, example=shown),
            ("steps", sid, "next"),
            key=True,
        ))
    return out


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return str(value)
