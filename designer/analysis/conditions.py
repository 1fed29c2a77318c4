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

from designer.findings import Finding

from .context import Context


def impossible_and_always(ctx: Context) -> list[Finding]:
    """`impossible-condition`, `always-true-condition` and `unreachable` findings."""
    journey, facts = ctx.journey, ctx.facts
    out: list[Finding] = []
    for q in journey.questions.values():
        fact = facts.questions.get(q.id)
        if fact is None or not fact.evaluated:
            continue
        if q.when is not None:
            text = ctx.source(q.path + ("when",))
            if True not in fact.when:
                out.append(ctx.finding(
                    "impossible-condition",
                    f"the question '{q.id}' is never shown: its condition `{text}` can never "
                    "hold here, whatever the citizen answered before; fix or remove the "
                    "condition, or remove the question",
                    q.path + ("when",),
                ))
            elif fact.when == frozenset([True]):
                out.append(ctx.finding(
                    "always-true-condition",
                    f"the question '{q.id}' is always shown: its condition `{text}` holds on "
                    "every path to this page; remove the `when`",
                    q.path + ("when",),
                ))
        if fact.required is not None and fact.can_show:
            text = ctx.source(q.path + ("required",))
            if True not in fact.required:
                out.append(ctx.finding(
                    "impossible-condition",
                    f"the question '{q.id}' is never required: `{text}` can never hold when it "
                    "is shown; write `required: false`",
                    q.path + ("required",),
                ))
            elif fact.required == frozenset([True]):
                out.append(ctx.finding(
                    "always-true-condition",
                    f"the question '{q.id}' is always required: `{text}` holds whenever it is "
                    "shown; write `required: true` (the default)",
                    q.path + ("required",),
                ))
    for sid, branches in facts.branches.items():
        if not facts.reachable(sid):
            continue
        infos = {b.index: b for b in journey.branches(sid)}
        for b in branches:
            info = infos[b.index]
            if info.when is None:
                continue
            path = info.path + ("when",)
            text = ctx.source(path)
            if not b.tried:
                out.append(ctx.finding(
                    "impossible-condition",
                    f"the branch to '{b.target}' is never taken: an earlier entry of this "
                    "`next` always matches first",
                    path,
                ))
            elif True not in b.truths or not b.taken:
                out.append(ctx.finding(
                    "impossible-condition",
                    f"the branch to '{b.target}' is never taken: `{text}` can never hold after "
                    "this page, given the earlier entries and the answers on every path here",
                    path,
                ))
            elif b.truths == frozenset([True]):
                rest = len(branches) - branches.index(b) - 1
                tail = (
                    "; the entries after it are never used" if rest else
                    "; make it the default (leave out `when`)"
                )
                out.append(ctx.finding(
                    "always-true-condition",
                    f"the branch to '{b.target}' is always taken: `{text}` holds on every "
                    f"path here{tail}",
                    path,
                ))
    for node in facts.order:
        if node == journey.start or facts.reachable(node):
            continue
        if node not in ctx.structurally_reachable:
            continue  # the structural check already reports it
        kind = "outcome" if journey.is_outcome(node) else "step"
        section = "outcomes" if kind == "outcome" else "steps"
        out.append(ctx.finding(
            "unreachable",
            f"the {kind} '{node}' is never reached: every branch leading to it has a "
            "condition that can never hold (or comes from a page never reached)",
            (section, node),
            key=True,
        ))
    return out


def dead_ends(ctx: Context) -> list[Finding]:
    """`dead-end` for a `next` whose entries can all fail, confirmed by a replayed witness."""
    from .witness import Witnesses

    facts = ctx.facts
    out: list[Finding] = []
    finder: Witnesses | None = None
    for sid, residual in facts.residual.items():
        if residual is None or not facts.reachable(sid):
            continue
        if finder is None:
            finder = Witnesses(ctx)
        answers = finder.stuck_at(sid)
        if answers is None:
            continue
        shown = ", ".join(f"{k} = {_show(v)}" for k, v in sorted(answers.items())) or "no answer"
        out.append(ctx.finding(
            "dead-end",
            f"after the page '{sid}' no entry of `next` matches for some answers (for instance "
            f"{shown}): the citizen would be stuck; add a default entry (without `when`) or "
            "cover every case",
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
