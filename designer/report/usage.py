"""Real use beside the predictions: from a served journey's aggregate counts to the observed
funnel, minutes, errors, branch shares, channels and satisfaction of the report.

The counts are recorded by the renderer (``renderer/usage.py``), keyed by journey version,
step, kind and detail — never by person. They cross into the designer as plain
:class:`Count` rows (the designer never imports the renderer: ``parcours report --usage``
reads them through the renderer lazily, as ``parcours serve`` runs it). Every count shown
passes :func:`Suppress`: under the threshold it becomes ``None``.

Kinds of count (``step`` is a step id, or an outcome id where said):

- ``view``: a start page shown — a page load, not a person (step: empty);
- ``start``: a draft opened (step: the first step);
- ``sent``: a page sent without error, the first time for the draft;
- ``time``: seconds on that page, bucketed (``bucket`` is the bucket's upper bound);
- ``branch``: where the page led, the first time (``detail``: the step or outcome);
- ``error``: a validation error shown (``detail``: question, rule code and message, tab-separated);
- ``save``, ``resume``: save for later, resume (step: the current step);
- ``submit``: an application sent (step: the outcome); ``duration``: its minutes on pages,
  bucketed (step: the outcome, also for exits);
- ``satisfaction`` (``detail``: good, average, bad) and ``help`` (yes, no), step: the outcome.

Beside the counts, the dossiers' submission channels (``en_ligne``, ``accompagne``,
``papier``), counted by channel in the served database, give the share of each
(:func:`dossier_channels`), under the same suppression.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from designer.compiled import CompiledJourney
from designer.report.model import JourneyReport
from designer.report.usage_model import (
    BranchUsageOut,
    DossierChannelOut,
    ErrorUsageOut,
    FunnelStepOut,
    HotspotOut,
    ObservedMinutesOut,
    OutcomeUsageOut,
    SatisfactionOut,
    UsageOut,
)

#: Counts under this are never shown (small-number suppression), unless configured.
DEFAULT_THRESHOLD = 5

#: Upper bounds (seconds) of the time buckets; anything longer falls in the last one.
BUCKETS = (5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240, 300, 420, 600, 900, 1200, 1800,
           2700, 3600, 5400, 7200, 10800, 86400)

#: Observed minutes this many times the predicted ones (or fewer than 1/this) disagree much.
DISAGREEMENT = 2.0

LEVELS = ("good", "average", "bad")


@dataclass(frozen=True)
class Count:
    """One aggregate counter: how many times ``kind`` happened there, for nobody in particular."""

    version: str
    step: str
    kind: str
    detail: str
    lang: str
    channel: str
    bucket: int
    count: int


def bucket_of(seconds: float) -> int:
    """The bucket (its upper bound in seconds) a time falls in."""
    i = bisect.bisect_left(BUCKETS, max(0.0, seconds))
    return BUCKETS[min(i, len(BUCKETS) - 1)]


def percentile(histogram: dict[int, int], q: float) -> float | None:
    """The ``q`` quantile (0–1) of bucketed seconds, interpolated inside its bucket."""
    total = sum(histogram.values())
    if total == 0:
        return None
    target = q * total
    seen = 0.0
    for upper in sorted(histogram):
        n = histogram[upper]
        if seen + n >= target and n:
            i = BUCKETS.index(upper) if upper in BUCKETS else 0
            lower = BUCKETS[i - 1] if i > 0 else 0
            return lower + (upper - lower) * (target - seen) / n
        seen += n
    return float(max(histogram))


class Suppress:
    """Small-number suppression: a count under the threshold is never shown."""

    def __init__(self, threshold: int) -> None:
        self.threshold = max(1, threshold)

    def __call__(self, n: int) -> int | None:
        return n if n >= self.threshold else None

    def share(self, n: int, of: int) -> float | None:
        """n / of, when both counts may be shown."""
        if n < self.threshold or of < self.threshold or of == 0:
            return None
        return round(n / of, 4)


class _Tally:
    """The counts summed by (kind, step, detail) over versions, languages and channels."""

    def __init__(self, counts: Iterable[Count]) -> None:
        self.by: Counter[tuple[str, str, str]] = Counter()
        self.times: dict[tuple[str, str], Counter[int]] = defaultdict(Counter)
        self.starts_by: dict[str, Counter[str]] = {"channel": Counter(), "lang": Counter()}
        self.versions: set[str] = set()
        for c in counts:
            self.versions.add(c.version)
            if c.kind in ("time", "duration"):
                self.times[(c.kind, c.step)][c.bucket] += c.count
                continue
            self.by[(c.kind, c.step, c.detail)] += c.count
            if c.kind == "start":
                self.starts_by["channel"][c.channel] += c.count
                self.starts_by["lang"][c.lang] += c.count

    def total(self, kind: str, step: str | None = None, detail: str | None = None) -> int:
        return sum(n for (k, s, d), n in self.by.items()
                   if k == kind and (step is None or s == step)
                   and (detail is None or d == detail))

    def arrivals(self, node: str, start: str) -> int:
        """Citizens who reached a step or an outcome: branches into it (and starts)."""
        n = self.total("branch", detail=node)
        return n + (self.total("start") if node == start else 0)


def _minutes(hist: Counter[int], keep: Suppress) -> ObservedMinutesOut:
    n = sum(hist.values())
    if keep(n) is None:
        return ObservedMinutesOut(responses=None, median=None, p90=None)
    med, p90 = percentile(dict(hist), 0.5), percentile(dict(hist), 0.9)
    return ObservedMinutesOut(
        responses=n,
        median=round(med / 60, 2) if med is not None else None,
        p90=round(p90 / 60, 2) if p90 is not None else None,
    )


def _disagreement(observed: float | None, predicted: float) -> str | None:
    if observed is None or predicted <= 0:
        return None
    ratio = observed / predicted
    if ratio >= DISAGREEMENT:
        return (f"observé {ratio:.1f} fois plus long que prévu : une question mal comprise, "
                "un document à chercher, une aide à lire ?").replace(".", ",", 1)
    if ratio <= 1 / DISAGREEMENT:
        return (f"observé {1 / ratio:.1f} fois plus court que prévu : le modèle surestime "
                "la lecture, ou la page est survolée").replace(".", ",", 1)
    return None


def _shares(journey: CompiledJourney, tally: _Tally, keep: Suppress,
            node: str) -> dict[str, float]:
    """Observed shares of a node's branches (uniform when too few counts to trust)."""
    targets = list(journey.graph.successors(node))
    counts = {t: tally.total("branch", node, t) for t in targets}
    total = sum(counts.values())
    if not targets:
        return {}
    if keep(total) is None:
        return {t: 1 / len(targets) for t in targets}
    return {t: n / total for t, n in counts.items()}


def _expected(journey: CompiledJourney, seconds: dict[str, float],
              weights: dict[str, dict[str, float]]) -> tuple[float, float] | None:
    """Mean minutes and pages, following the branches with the given weights (DP on the DAG)."""
    graph = journey.graph
    try:
        order = list(nx.topological_sort(graph))
    except nx.NetworkXUnfeasible:
        return None
    reach: dict[str, float] = defaultdict(float)
    reach[journey.start] = 1.0
    for node in order:
        for target, w in weights.get(node, {}).items():
            reach[target] += reach[node] * w
    minutes = sum(reach[s] * seconds.get(s, 0.0) for s in journey.steps) / 60
    pages = sum(reach[s] for s in journey.steps)
    return round(minutes, 2), round(pages, 2)


def observe(
    journey: CompiledJourney,
    report: JourneyReport,
    counts: Iterable[Count],
    threshold: int = DEFAULT_THRESHOLD,
    lang: str = "fr",
) -> UsageOut:
    """The observed figures of a journey's report, beside its predicted ones."""
    keep = Suppress(threshold)
    tally = _Tally(counts)
    start = journey.start
    starts = tally.total("start")
    predicted = {s.step: s for s in report.steps}
    funnel: list[FunnelStepOut] = []
    for sid, step in journey.steps.items():
        arrived = tally.arrivals(sid, start)
        sent = tally.total("sent", sid)
        lost = max(0, arrived - sent)
        p = predicted.get(sid)
        minutes = _minutes(tally.times.get(("time", sid), Counter()), keep)
        pm = round(p.seconds / 60, 2) if p else 0.0
        funnel.append(FunnelStepOut(
            step=sid, title=journey.text(step.title, lang),
            arrived=keep(arrived), sent=keep(sent), lost=keep(lost),
            lost_share=keep.share(lost, arrived) if keep(lost) is not None else None,
            reach_observed=keep.share(arrived, starts),
            reach_predicted=p.share_of_citizens if p else 0.0,
            minutes=minutes, minutes_predicted=pm,
            minutes_predicted_slow=round(p.seconds_slow / 60, 2) if p else 0.0,
            disagreement=_disagreement(minutes.median, pm),
        ))
    predicted_outcomes = report.paths.outcomes if report.paths else {}
    outcomes = []
    for oid, outcome in journey.outcomes.items():
        reached = tally.arrivals(oid, start)
        applications = tally.total("submit", oid) if outcome.kind == "submit" else None
        po = predicted_outcomes.get(oid)
        outcomes.append(OutcomeUsageOut(
            outcome=oid, title=journey.text(outcome.title, lang), kind=outcome.kind,
            reached=keep(reached), share=keep.share(reached, starts),
            sent=keep(applications) if applications is not None else None,
            minutes=_minutes(tally.times.get(("duration", oid), Counter()), keep),
            minutes_predicted=po.minutes.median if po else None,
        ))
    branches = []
    uniform: dict[str, dict[str, float]] = {}
    observed: dict[str, dict[str, float]] = {}
    for node in journey.steps:
        targets = list(journey.graph.successors(node))
        if not targets:
            continue
        uniform[node] = {t: 1 / len(targets) for t in targets}
        observed[node] = _shares(journey, tally, keep, node)
        if len(targets) < 2:
            continue
        total = sum(tally.total("branch", node, t) for t in targets)
        for t in targets:
            n = tally.total("branch", node, t)
            branches.append(BranchUsageOut(
                step=node, target=t, count=keep(n), share=keep.share(n, total),
                predicted_share=round(1 / len(targets), 4),
            ))
    seconds = {s.step: s.seconds for s in report.steps}
    exp_u = _expected(journey, seconds, uniform)
    exp_o = _expected(journey, seconds, observed)
    errors = _errors(journey, tally, keep, lang)
    sent_times: Counter[int] = Counter()
    for oid, outcome in journey.outcomes.items():
        if outcome.kind == "submit":
            sent_times.update(tally.times.get(("duration", oid), Counter()))
    usage = UsageOut(
        threshold=keep.threshold, versions=len(tally.versions),
        start_page_views=keep(tally.total("view")),
        starts=keep(starts), submitted=keep(tally.total("submit")),
        completion_rate=keep.share(tally.total("submit"), starts),
        submitted_minutes=_minutes(sent_times, keep),
        saves=keep(tally.total("save")), resumes=keep(tally.total("resume")),
        funnel=funnel, outcomes=outcomes, errors=errors, branches=branches,
        expected_minutes_uniform=exp_u[0] if exp_u else None,
        expected_minutes_observed=exp_o[0] if exp_o else None,
        expected_pages_uniform=exp_u[1] if exp_u else None,
        expected_pages_observed=exp_o[1] if exp_o else None,
        channels={k: keep(n) for k, n in sorted(tally.starts_by["channel"].items())},
        languages={k: keep(n) for k, n in sorted(tally.starts_by["lang"].items())},
        satisfaction=_satisfaction(tally, keep),
        disagreements=[f"{f.title} ({f.step}) : {f.disagreement}" for f in funnel
                       if f.disagreement],
        hotspots=[],
    )
    usage.hotspots = hotspots(usage, report)
    return usage


def _errors(journey: CompiledJourney, tally: _Tally, keep: Suppress,
            lang: str) -> list[ErrorUsageOut]:
    """The most frequent errors by (question, rule), with a message citizens saw."""
    grouped: Counter[tuple[str, str, str]] = Counter()
    messages: dict[tuple[str, str, str], dict[str, int]] = defaultdict(dict)
    for (kind, step, detail), n in tally.by.items():
        if kind != "error":
            continue
        question, _, rest = detail.partition("\t")
        code, _, message = rest.partition("\t")
        key = (step, question, code)
        grouped[key] += n
        messages[key][message] = messages[key].get(message, 0) + n
    out = []
    for (step, question, code), n in grouped.most_common():
        if keep(n) is None:
            continue
        q = journey.questions.get(question)
        seen = messages[(step, question, code)]
        out.append(ErrorUsageOut(
            step=step, question=question, code=code,
            label=journey.text(q.label, lang) if q is not None and q.label else question,
            message=max(seen, key=lambda m: seen[m]),
            count=n, per_arrival=keep.share(n, tally.arrivals(step, journey.start)),
        ))
    return out[:10]


def _satisfaction(tally: _Tally, keep: Suppress) -> SatisfactionOut:
    levels = {level: tally.total("satisfaction", detail=level) for level in LEVELS}
    responses = sum(levels.values())
    helped = {a: tally.total("help", detail=a) for a in ("yes", "no")}
    return SatisfactionOut(
        responses=keep(responses),
        response_rate=keep.share(responses, tally.total("submit")),
        levels={k: keep(n) for k, n in levels.items()},
        good_share=keep.share(levels["good"], responses),
        helped={k: keep(n) for k, n in helped.items()},
    )


def hotspots(usage: UsageOut, report: JourneyReport) -> list[HotspotOut]:
    """The page most citizens leave and the error most often made, each with what the
    checks already said about that place (the designer's next simplification)."""
    out: list[HotspotOut] = []
    lost = [f for f in usage.funnel if f.lost]
    if lost:
        worst = max(lost, key=lambda f: f.lost or 0)
        out.append(HotspotOut(
            kind="give-up", step=worst.step, title=worst.title, count=worst.lost or 0,
            share=worst.lost_share,
            message=f"{worst.lost} citoyens arrivés sur cette page ne l'ont jamais envoyée.",
            suggestions=_suggestions(report, worst.step, None),
        ))
    if usage.errors:
        e = usage.errors[0]
        title = next((f.title for f in usage.funnel if f.step == e.step), e.step)
        out.append(HotspotOut(
            kind="error", step=e.step, title=title, question=e.question, count=e.count,
            share=e.per_arrival, message=f"« {e.message} » ({e.label})",
            suggestions=_suggestions(report, e.step, e.question),
        ))
    return out


def _suggestions(report: JourneyReport, step: str, question: str | None) -> list[str]:
    """What the checks found at that place (question first, then the page); a general
    advice when they found nothing."""
    here = [f for f in report.findings if f.step == step
            and (question is None or f.question in (question, None))]
    here.sort(key=lambda f: (f.question != question, f.severity != "error"))
    found = [f"{f.rule} : {f.message}" for f in here[:3]]
    texts = [t for t in (report.readability.texts if report.readability else [])
             if t.step == step and (question is None or t.question in (question, None))
             and t.issues]
    found += [f"lisibilité ({t.where}) : {i.advice}" for t in texts[:2] for i in t.issues[:1]]
    if found:
        return found
    if question is not None:
        return ["Aucun constat ici : expliquer le format attendu dans l'aide de la question, "
                "ou accepter plus de formes de réponse."]
    return ["Aucun constat ici : vérifier ce que la page demande de préparer (document, "
            "numéro) et l'annoncer sur la page de démarrage."]


def dossier_channels(channels: dict[str, int], keep: Suppress) -> list[DossierChannelOut]:
    """The share of each submission channel among a journey's dossiers (counts by channel,
    as the served database holds them), each count and share suppressed under the
    threshold."""
    total = sum(channels.values())
    return [DossierChannelOut(channel=c, dossiers=keep(n), share=keep.share(n, total))
            for c, n in sorted(channels.items())]
