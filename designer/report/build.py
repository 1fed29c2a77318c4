"""Building the report of one journey: findings, size, time model, minimisation,
accessibility, once-only, paths and runs, structure, readability and graph.

The portfolio (:mod:`designer.report.portfolio`) and the comparison of two versions
(:mod:`designer.report.comparison`) are built from these reports."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from designer.compiled import CompiledJourney
from designer.findings import Finding
from designer.loading import Loaded, load_journey
from designer.report import metrics as m
from designer.report import timing
from designer.report.accessibility import accessibility
from designer.report.costs import NOT_ANSWERED, is_conditional, step_costs
from designer.report.graph import MAX_DRAWN_NODES, graph_out
from designer.report.minimisation import unused_answers, without_purpose
from designer.report.model import (
    AccessibilityOut,
    CoverageOut,
    DlnufOut,
    DlnufQuestionOut,
    FindingOut,
    JourneyReport,
    MinimisationOut,
    OutcomeOut,
    PathsOut,
    RangeOut,
    ServiceShareOut,
    StepOut,
    SubmittedOut,
    TimeModelOut,
)
from designer.report.observatoire import indicators
from designer.report.once_only import dlnuf
from designer.report.paths import CyclicGraph, count_paths, path_with_cost
from designer.report.readability import readability
from designer.report.structure import size, structure


def _range(r: m.Range) -> RangeOut:
    return RangeOut(min=r.min, median=r.median, max=r.max, expected=r.expected)


def finding_out(f: Finding) -> FindingOut:
    """A finding in the JSON shape of `parcours check --format json`."""
    # Built from our own Finding (types already right): not validated again, which costs
    # a tenth of a second per thousand findings. The JSON schema tests cover the shape.
    return FindingOut.model_construct(None, **f.as_dict())


def time_model() -> TimeModelOut:
    """The stated figures of the time estimate."""
    types = [
        "yesno", "choice", "multichoice", "text", "textarea", "integer", "decimal", "date",
        "email", "phone", "postcode", "address", "siret", "nir", "iban", "file",
    ]  # fmt: skip
    return TimeModelOut(
        words_per_minute=timing.FLUENT.words_per_minute,
        slow_words_per_minute=timing.SLOW.words_per_minute,
        operators={
            "K": timing.FLUENT.keystroke,
            "K_slow": timing.SLOW.keystroke,
            "P": timing.P,
            "B": timing.B,
            "H": timing.H,
            "M": timing.M,
        },
        answer_seconds={t: round(timing.answer_seconds(t), 2) for t in types},
        find_document_seconds=timing.FIND_DOCUMENT,
        page_seconds=round(timing.PAGE_SECONDS, 2),
    )


# --- Worst problems ---------------------------------------------------------------------


def worst_problems(r: JourneyReport) -> list[str]:
    """The three worst problems, in words an elected official reads."""
    out: list[tuple[int, str]] = []
    errors = [f for f in r.findings if f.severity == "error"]
    if errors:
        out.append(
            (
                0,
                f"{len(errors)} erreur(s) empêchent de mettre ce parcours en ligne "
                f"(première : {errors[0].message}).",
            )
        )
    if r.dlnuf and r.dlnuf.level != "optimal":
        out.append(
            (
                1,
                f"{r.dlnuf.items} informations demandées pourraient être obtenues "
                "auprès d'une autre administration (« Dites-le-nous une fois » : "
                f"niveau {_LEVEL_FR[r.dlnuf.level]}).",
            )
        )
    if r.minimisation and r.minimisation.unused:
        out.append(
            (
                2,
                f"{len(r.minimisation.unused)} réponse(s) ne servent à rien : "
                "ni finalité déclarée, ni usage dans le parcours.",
            )
        )
    # Rules already told in words above are not repeated.
    told = {"unused-answer", "obtainable-data"}
    warnings = Counter(f.rule for f in r.findings if f.severity == "warning" and f.rule not in told)
    for rule, n in warnings.most_common(2):
        example = next(f.message for f in r.findings if f.rule == rule)
        out.append((3, f"{n} avertissement(s) « {rule} » (par exemple : {example})."))
    if r.readability:
        hard = [t for t in r.readability.texts if t.words >= 8 and t.level == "difficult"]
        if hard:
            out.append(
                (4, f"{len(hard)} texte(s) difficiles à lire, le pire : « {hard[0].text[:90]} ».")
            )
        jargon = r.readability.issues_by_kind.get("jargon", 0)
        if jargon:
            out.append((5, f"{jargon} terme(s) de jargon administratif à remplacer."))
    if r.size and r.size.documents >= 3:
        out.append((6, f"{r.size.documents} pièces justificatives demandées."))
    if r.questions and r.questions.max is not None and r.questions.max > 40:
        out.append(
            (6, f"Jusqu'à {int(r.questions.max)} questions dans la situation la plus longue.")
        )
    out.sort(key=lambda x: x[0])
    return [text for _, text in out[:3]]


_LEVEL_FR = {"optimal": "optimal", "partial": "partiel", "weak": "faible"}


# --- One journey ------------------------------------------------------------------------


def journey_report(loaded: Loaded, lang: str | None = None, catalogue: Any = None) -> JourneyReport:
    """The report of one loaded journey (metrics left out when it cannot be analysed)."""
    findings = [finding_out(f) for f in loaded.findings]
    journey = loaded.journey
    if journey is None:
        return JourneyReport(
            journey=Path(loaded.file).stem,
            title=Path(loaded.file).name,
            organisation="",
            file=loaded.file,
            languages=[],
            ok=False,
            findings=findings,
        )
    lang = lang or journey.languages[0]
    report = JourneyReport(
        journey=journey.id,
        title=journey.text(journey.model.title, lang),
        organisation=journey.model.organisation,
        file=loaded.file,
        languages=journey.languages,
        lang=lang,
        ok=loaded.ok,
        findings=findings,
        size=size(journey),
        time_model=time_model(),
        minimisation=MinimisationOut(
            unused=unused_answers(journey), without_purpose=without_purpose(journey)
        ),
        readability=readability(journey),
    )
    a = accessibility(journey)
    report.accessibility = AccessibilityOut(
        fields=a.fields,
        labelled=a.labelled,
        grouped_with_legend=a.grouped,
        autocomplete=a.autocomplete,
        missing_autocomplete=a.missing_autocomplete,
        manual_review=a.manual_review,
    )
    d = dlnuf(journey, catalogue)
    report.dlnuf = DlnufOut(
        items=d.items,
        level=d.level,  # type: ignore[arg-type]
        questions=[DlnufQuestionOut(**q) for q in d.questions],
        by_provider=d.by_provider,
        catalogue=d.catalogue,
        already_prefilled=d.already_prefilled,
        connected=d.connected,
        filling=d.filling,
    )
    structural_errors = any(f.rule in {"cycle", "unknown-target"} for f in loaded.findings)
    median_path: list[str] | None = None
    if not structural_errors:
        costs = step_costs(journey, lang)
        memo: dict[Any, Any] = {}  # per-outcome distributions, shared by the two calls
        try:
            pm = m.path_metrics(journey, lang=lang, costs=costs, memo=memo)
        except CyclicGraph:
            pm = None
        if pm is not None:
            report.structure = structure(journey)
            report.paths = PathsOut(
                total=pm.total,
                total_log10=m.log10(pm.total),
                by_outcome=pm.by_outcome,
                bounded=pm.bounded,
                dropped_branches=pm.dropped_branches,
                outcomes={
                    o: OutcomeOut(
                        kind=journey.outcomes[o].kind,
                        runs=om.runs,
                        questions=_range(om.questions),
                        pages=_range(om.pages),
                        minutes=_range(om.minutes),
                    )
                    for o, om in pm.outcomes.items()
                },
            )
            report.questions = _range(pm.questions)
            if pm.median_questions_histogram and pm.total:
                report.questions_distribution = {
                    k: round(n / pm.total, 6) for k, n in pm.median_questions_histogram.items()
                }
            report.pages = _range(pm.pages)
            report.minutes = _range(pm.minutes)
            report.minutes_slow = _range(pm.minutes_slow)
            submit = [o for o, out in journey.outcomes.items() if out.kind == "submit"]
            sm = m.path_metrics(
                journey,
                drop_edges=pm.dropped_branches,
                lang=lang,
                ends=submit,
                costs=costs,
                memo=memo,
            )
            report.routing = _routing(journey, pm.reach)
            report.submitted = SubmittedOut(
                runs=sm.total,
                questions=_range(sm.questions),
                pages=_range(sm.pages),
                minutes=_range(sm.minutes),
                minutes_slow=_range(sm.minutes_slow),
            )
            coverage = []
            for q in journey.questions.values():
                if q.type in NOT_ANSWERED:
                    continue
                coverage.append(
                    CoverageOut.model_construct(
                        question=q.id,
                        step=q.step,
                        label=journey.text(q.label, lang),
                        conditional=is_conditional(journey, q),
                        share_of_citizens=round(pm.reach.get(q.step, 0.0), 4),
                        share_of_runs=round(pm.share_of_runs.get(q.step, 0.0), 4),
                    )
                )
            report.coverage = coverage
            per_step = Counter(f.step for f in loaded.findings if f.step)
            documents = Counter(q.step for q in journey.questions.values() if q.type == "file")
            report.steps = [
                StepOut.model_construct(
                    step=sid,
                    title=journey.text(step.title, lang),
                    questions=costs[sid].questions_high,
                    conditional=costs[sid].questions_high - costs[sid].questions_low,
                    documents=documents[sid],
                    seconds=round(costs[sid].seconds_high, 1),
                    seconds_slow=round(costs[sid].slow_high, 1),
                    share_of_citizens=round(pm.reach.get(sid, 0.0), 4),
                    findings=per_step.get(sid, 0),
                )
                for sid, step in journey.steps.items()
            ]
            if journey.graph.number_of_nodes() <= MAX_DRAWN_NODES and sm.questions.median:
                counts = count_paths(
                    journey.graph, journey.start, submit, drop_edges=pm.dropped_branches
                )
                median_path = path_with_cost(
                    counts,
                    {n: costs[n].questions_high for n in counts.order},
                    int(sm.questions.median),
                )
    if median_path and report.dlnuf is not None:
        on_path = [
            q
            for q in journey.questions.values()
            if q.step in set(median_path) and q.type not in NOT_ANSWERED
        ]
        items = {d["question"] for d in dlnuf(journey, catalogue).questions}
        if on_path:
            report.dlnuf.share_of_median_run = round(
                sum(1 for q in on_path if q.id in items) / len(on_path), 3
            )
    report.graph = graph_out(journey, loaded.findings, median_path, lang)
    report.worst_problems = worst_problems(report)
    report.observatoire = indicators(journey, report)
    return report


def _routing(journey: CompiledJourney, reach: dict[str, float]) -> list[ServiceShareOut]:
    """Each service's share of the dossiers, largest first (none without `routing`)."""
    if not journey.routing:
        return []
    from designer.analysis import Context
    from designer.analysis.routing import service_shares

    shares = service_shares(Context(journey), reach)
    return [
        ServiceShareOut(service=k, share=round(v, 4))
        for k, v in sorted(shares.items(), key=lambda kv: (-kv[1], kv[0] or ""))
    ]


def report_file(path: str | Path, lang: str | None = None) -> JourneyReport:
    """Load and report one journey file."""
    return journey_report(load_journey(path), lang)


__all__ = [
    "finding_out",
    "journey_report",
    "report_file",
    "time_model",
    "worst_problems",
]
