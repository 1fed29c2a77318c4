"""Rules on `routing`, proved on every path at once like the conditions of `next`.

- `impossible-route`: an entry that no submission ever takes (its condition can
  never hold where it is tried, or earlier entries always match first);
  proved by the abstract interpretation, which only over-approximates, so what
  it says never happens, never happens;
- `unrouted-submission`: a submit outcome that some answers reach with no entry
  matching, so the dossier would reach no service; only reported with a
  witness (answers found by z3 and replayed with the engine's own run and
  routing), like `dead-end`.
"""

from __future__ import annotations

from designer.check_messages import msg
from designer.findings import Finding

from .context import Context
from .domains import Env


def _walk_routes(ctx: Context, env: Env) -> tuple[set[int], Env | None]:
    """Entries that can be taken from ``env`` (the facts entering an outcome), and the
    environment where every entry fails (None: some entry always matches)."""
    taken: set[int] = set()
    current: Env | None = env
    for entry in ctx.journey.routing:
        if current is None:
            break
        if entry.when is None:
            taken.add(entry.index)
            return taken, None
        _truths, holds, current = ctx.interpreter.split(current, entry.when)
        if holds is not None:
            taken.add(entry.index)
    return taken, current


def routes_by_outcome(ctx: Context) -> dict[str, tuple[list[int], bool]]:
    """For each reachable submit outcome: the routing entries its dossiers may take, in
    order, and whether some may match none (an over-approximation, like every fact)."""
    out: dict[str, tuple[list[int], bool]] = {}
    for node in ctx.facts.order:
        env = ctx.facts.entry.get(node)
        if env is None or not ctx.interpreter.submits(node):
            continue
        taken, residual = _walk_routes(ctx, env)
        out[node] = (sorted(taken), residual is not None)
    return out


def service_shares(ctx: Context, reach: dict[str, float]) -> dict[str | None, float]:
    """Service → share of the dossiers it receives (None: no service), under the report's
    model of a citizen: every branch taken with equal chance (``reach``: node →
    probability), and at an outcome every possible routing entry with equal chance too."""
    by_outcome = routes_by_outcome(ctx)
    weights: dict[str | None, float] = {}
    total = sum(reach.get(o, 0.0) for o in by_outcome)
    if total <= 0:
        return {}
    for oid, (entries, unrouted) in by_outcome.items():
        p = reach.get(oid, 0.0) / total
        targets: list[str | None] = [ctx.journey.routing[i].service for i in entries]
        if unrouted or not targets:
            targets.append(None)
        for service in targets:
            weights[service] = weights.get(service, 0.0) + p / len(targets)
    return weights


def routing_rules(ctx: Context) -> list[Finding]:
    """`impossible-route` and `unrouted-submission` findings."""
    journey = ctx.journey
    if not journey.routing or journey.unsure.start:
        return []
    # A route whose condition failed a check (reported where it is written) may hold or
    # not: nothing is claimed about it, nor about the routes after it, nor about dossiers
    # left unrouted (designer/unsure.py: withhold rather than guess).
    broken = [e.index for e in journey.routing
              if (e.path + ("when",)) in journey.unsure.expressions]
    first_broken = min(broken, default=None)
    facts = ctx.facts
    taken: set[int] = set()
    unrouted: list[str] = []
    tried_somewhere = False
    for node in facts.order:
        if not ctx.interpreter.submits(node):
            continue
        env = facts.entry.get(node)
        if env is None:
            continue
        tried_somewhere = True
        got, residual = _walk_routes(ctx, env)
        taken |= got
        if residual is not None:
            unrouted.append(node)
    out: list[Finding] = []
    if tried_somewhere:
        out.extend(_impossible(ctx, taken, first_broken))
    if first_broken is not None:
        return out
    for oid in unrouted:
        finding = _unrouted(ctx, oid)
        if finding is not None:
            out.append(finding)
    return out


def _impossible(ctx: Context, taken: set[int], first_broken: int | None = None) -> list[Finding]:
    out: list[Finding] = []
    routing = ctx.journey.routing
    for entry in routing:
        if entry.index in taken:
            continue
        if first_broken is not None and entry.index >= first_broken:
            break
        earlier_default = any(e.when is None for e in routing[: entry.index])
        if entry.when is None or earlier_default:
            out.append(ctx.finding(
                "impossible-route",
                msg("impossible-route.shadowed", service=entry.service),
                entry.path,
                key=True,
            ))
        else:
            text = ctx.source(entry.path + ("when",))
            out.append(ctx.finding(
                "impossible-route",
                msg("impossible-route.never", service=entry.service, text=text),
                entry.path + ("when",),
            ))
    return out


def _unrouted(ctx: Context, oid: str) -> Finding | None:
    """The finding for a submit outcome some answers reach unrouted, if a witness confirms it."""
    import z3  # only loaded when the abstract interpretation leaves a doubt

    from designer.routing import route

    from .conditions import _show
    from .witness import Witnesses, replay

    journey = ctx.journey
    try:
        finder = Witnesses(ctx, timeout_ms=ctx.config.witness_timeout_ms,
                           budget_ms=ctx.config.witness_budget_ms)
        enc = finder.encoder
        goal = z3.And(enc.reach[oid], *[z3.Not(enc.holds(e.when)) for e in journey.routing])
        answers = finder.solve(goal, oid)
    except z3.Z3Exception:
        return None  # no witness, no claim
    if answers is None:
        return None
    got = replay(ctx, answers, finder.today)
    if not (got.valid and got.path and got.path[-1] == oid):
        return None
    if route(journey, got.answers, finder.today) is not None:
        return None
    read: set[str] = set()
    for e in journey.routing:
        read |= {n for n in ctx.interpreter.expand(e.when) if n in journey.questions}
    shown = ", ".join(
        f"{k} = {_show(got.answers[k])}" if k in got.answers else f"{k} unanswered"
        for k in sorted(read)
    ) or "any answers"
    return ctx.finding(
        "unrouted-submission",
        msg("unrouted-submission", outcome=oid, shown=shown),
        ("routing",),
        key=True,
    )
