"""Building report models from journeys: one journey, a portfolio, a comparison."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any, Literal

import networkx as nx

from designer.compiled import CompiledJourney
from designer.expressions import unparse
from designer.findings import Finding
from designer.loading import Loaded, load_journey
from designer.readability import analyse, combine, explained_acronyms, load_lexicon
from designer.report import metrics as m
from designer.report import timing
from designer.report.accessibility import accessibility
from designer.report.costs import NOT_ANSWERED, is_conditional, step_costs
from designer.report.falc import falc_coverage
from designer.report.minimisation import unused_answers, without_purpose
from designer.report.model import (
    AccessibilityOut,
    ComparisonReport,
    CoverageOut,
    DlnufOut,
    DlnufQuestionOut,
    FindingOut,
    GraphEdgeOut,
    GraphNodeOut,
    GraphOut,
    IssueOut,
    JourneyReport,
    LanguageReadabilityOut,
    MinimisationOut,
    OutcomeOut,
    PathsOut,
    PortfolioReport,
    PortfolioRowOut,
    QuestionRefOut,
    RangeOut,
    ReadabilityOut,
    ServiceShareOut,
    SharedConceptOut,
    SideOut,
    StepOut,
    SubmittedOut,
    TextOut,
    TimeModelOut,
)
from designer.report.observatoire import indicators
from designer.report.once_only import dlnuf, shared_concepts
from designer.report.paths import CyclicGraph, count_paths, path_with_cost
from designer.report.structure import size, structure
from designer.report.words import condition_in_words

#: Graphs larger than this are not drawn (a picture of 2,000 steps helps nobody).
MAX_DRAWN_NODES = 300


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


# --- Readability ----------------------------------------------------------------------


def _texts(journey: CompiledJourney, lang: str) -> list[tuple[str, str | None, str | None, str]]:
    """(where, step, question, text) for every text a citizen reads, grouped in units
    (a question's label, help and options are read together)."""
    t = journey.text
    model = journey.model
    units: list[tuple[str, str | None, str | None, str]] = []

    def add(where: str, step: str | None, question: str | None, *values: Any) -> None:
        parts = [_sentence(t(v, lang)) for v in values if v is not None]
        text = " ".join(p for p in parts if p)
        if text.strip():
            units.append((where, step, question, text))

    add("journey", None, None, model.title, model.summary)
    for sid, step in journey.steps.items():
        add(f"step {sid}", sid, None, step.title, step.intro)
    for q in journey.questions.values():
        options = list((q.options or {}).values())
        checks = [message for _, message in q.checks]
        add(
            f"question {q.id}",
            q.step,
            q.id,
            getattr(q.question, "label", None),
            getattr(q.question, "help", None),
            getattr(q.question, "content", None),
            *options,
            *checks,
        )
    for oid, outcome in journey.outcomes.items():
        add(
            f"outcome {oid}",
            None,
            None,
            outcome.title,
            outcome.body,
            outcome.link.label if outcome.link else None,
        )
    return units


def _sentence(text: str) -> str:
    # Titles, labels and options are read as sentences of their own.
    text = text.strip()
    if text and text[-1] not in ".!?…:":
        text += "."
    return text


def readability(journey: CompiledJourney) -> ReadabilityOut:
    """Scores per language (all texts together) and per text, the worst first."""
    lexicon = load_lexicon()
    languages: dict[str, LanguageReadabilityOut] = {}
    texts: list[TextOut] = []
    kinds: Counter[str] = Counter()
    for lang in journey.languages:
        units = _texts(journey, lang)
        everything = "\n\n".join(u[3] for u in units)
        # The check's reading when it ran (acronyms explained anywhere in the journey), so
        # that the report and `parcours check` agree on every text.
        explained = journey.derived.get("explained_acronyms") or frozenset(
            explained_acronyms(everything)
        )
        measured = journey.derived.get("readability", {})
        per_text = [
            measured.get((text, lang)) or analyse(text, lang, lexicon, explained)
            for _, _, _, text in units
        ]
        whole = combine(per_text, lang)
        languages[lang] = LanguageReadabilityOut(
            words=whole.words,
            sentences=whole.sentences,
            flesch=None if whole.flesch is None else round(whole.flesch, 1),
            lix=None if whole.lix is None else round(whole.lix, 1),
            words_per_sentence=round(whole.words_per_sentence, 1),
            longest_sentence=whole.longest_sentence,
            formula="Kandel-Moles (1958)" if whole.lang == "fr" else "Flesch (1948)",
        )
        for (where, step, question, text), r in zip(units, per_text, strict=True):
            for issue in r.issues:
                kinds[issue.kind] += 1
            texts.append(
                # One per text, thousands on a large journey: our own figures, so built
                # without a second validation (the JSON schema tests cover the shape).
                TextOut.model_construct(
                    where=where,
                    step=step,
                    question=question,
                    lang=r.lang,
                    text=text if len(text) <= 400 else text[:399] + "…",
                    words=r.words,
                    sentences=r.sentences,
                    flesch=None if r.flesch is None else round(r.flesch, 1),
                    lix=None if r.lix is None else round(r.lix, 1),
                    words_per_sentence=round(r.words_per_sentence, 1),
                    level=r.level,
                    issues=[IssueOut.model_construct(**i.as_dict(r.lang)) for i in r.issues],
                )
            )

    def badness(x: TextOut) -> tuple[float, int]:
        # Scores of very short texts mean little: rank them by their issues only.
        score = x.flesch if (x.flesch is not None and x.words >= 8) else 100.0
        return (score - 10 * len(x.issues), -x.words)

    texts.sort(key=badness)

    def read(reading: CompiledJourney, lang: str) -> list[str]:
        return [text for _, _, _, text in _texts(reading, lang)]

    falc = {lang: falc_coverage(journey, lang, lexicon, read) for lang in journey.falc_languages()}
    return ReadabilityOut(languages=languages, texts=texts, issues_by_kind=dict(kinds), falc=falc)


# --- Graph ----------------------------------------------------------------------------


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


# --- Portfolio --------------------------------------------------------------------------


def _row(r: JourneyReport) -> PortfolioRowOut:
    return PortfolioRowOut(
        journey=r.journey,
        title=r.title,
        file=r.file,
        ok=r.ok,
        questions_median=r.submitted.questions.median if r.submitted else None,
        minutes_median=r.submitted.minutes.median if r.submitted else None,
        minutes_max=r.minutes.max if r.minutes else None,
        paths=r.paths.total if r.paths else None,
        errors=sum(1 for f in r.findings if f.severity == "error"),
        warnings=sum(1 for f in r.findings if f.severity == "warning"),
        dlnuf_level=r.dlnuf.level if r.dlnuf else None,
    )


def portfolio_report(
    folder: str | Path, files: list[Path], lang: str | None = None, observe: Any = None
) -> PortfolioReport:
    """Every journey of a folder, ranked by median time and by findings, and the concepts
    asked in several journeys; ``observe.add(journey, report)``, when given, adds each
    journey's observed use."""
    loaded = [load_journey(f) for f in files]
    reports = [journey_report(x, lang) for x in loaded]
    if observe is not None:
        reports = [
            observe.add(x.journey, r) if x.journey is not None else r
            for x, r in zip(loaded, reports, strict=True)
        ]
    return portfolio_of(folder, reports, [x.journey for x in loaded if x.journey is not None])


def portfolio_of(
    folder: str | Path, reports: list[JourneyReport], journeys: list[CompiledJourney]
) -> PortfolioReport:
    """The portfolio of journey reports already built (``parcours serve`` keeps each served
    journey's report, so its portfolio is only the ranking and the shared concepts)."""
    rows = [_row(r) for r in reports]
    by_minutes = sorted(rows, key=lambda r: (r.minutes_median is None, -(r.minutes_median or 0)))
    by_findings = sorted(rows, key=lambda r: (-r.errors, -r.warnings, r.journey))
    shared = shared_concepts(journeys)
    return PortfolioReport(
        folder=str(folder),
        by_minutes=by_minutes,
        by_findings=by_findings,
        shared_concepts=[SharedConceptOut(concept=c, journeys=js) for c, js in shared],
        journeys=reports,
    )


# --- Comparison -------------------------------------------------------------------------


def _side(r: JourneyReport) -> SideOut:
    return SideOut(
        journey=r.journey,
        file=r.file,
        questions=r.size.questions if r.size else None,
        documents=r.size.documents if r.size else None,
        paths=r.paths.total if r.paths else None,
        questions_median=r.questions.median if r.questions else None,
        questions_max=r.questions.max if r.questions else None,
        minutes_median=r.minutes.median if r.minutes else None,
        minutes_max=r.minutes.max if r.minutes else None,
        submitted_questions_median=r.submitted.questions.median if r.submitted else None,
        submitted_minutes_median=r.submitted.minutes.median if r.submitted else None,
        dlnuf_items=r.dlnuf.items if r.dlnuf else None,
        dlnuf_level=r.dlnuf.level if r.dlnuf else None,
        findings=len(r.findings),
        errors=sum(1 for f in r.findings if f.severity == "error"),
    )


def _refs(journey: CompiledJourney | None, lang: str | None) -> dict[str, QuestionRefOut]:
    if journey is None:
        return {}
    out = {}
    for q in journey.questions.values():
        if q.type in NOT_ANSWERED:
            continue
        label = journey.text(q.label, lang)
        concept = getattr(q.question, "concept", None)
        # Versions are matched by concept when there is one, else by id: a redesign often
        # renames questions, rarely what they ask.
        key = f"concept:{concept}" if concept else f"id:{q.id}"
        out[key] = QuestionRefOut(id=q.id, label=label, type=q.type)
    return out


def _finding_key(f: FindingOut) -> tuple[str, str | None, str | None, str]:
    # Lines move between versions: a finding is "the same" if rule and place match.
    return (f.rule, f.step, f.question, f.message)


def comparison_report(
    old_path: str | Path, new_path: str | Path, lang: str | None = None
) -> ComparisonReport:
    """What the new version changed: questions and documents, runs, minutes, findings."""
    return comparison_of(load_journey(old_path), load_journey(new_path), lang)


def comparison_of(old_l: Loaded, new_l: Loaded, lang: str | None = None) -> ComparisonReport:
    """The comparison of two versions already loaded (the studio's reviewer compares the
    published version with the draft)."""
    old_r, new_r = journey_report(old_l, lang), journey_report(new_l, lang)
    old_q, new_q = _refs(old_l.journey, lang), _refs(new_l.journey, lang)
    removed = [old_q[k] for k in old_q if k not in new_q]
    added = [new_q[k] for k in new_q if k not in old_q]
    old_keys = {_finding_key(f) for f in old_r.findings}
    new_keys = {_finding_key(f) for f in new_r.findings}

    def saved(a: float | None, b: float | None) -> float | None:
        return None if a is None or b is None else round(a - b, 1)

    old_s, new_s = _side(old_r), _side(new_r)
    return ComparisonReport(
        old=old_s,
        new=new_s,
        questions_removed=removed,
        questions_added=added,
        documents_removed=[q for q in removed if q.type == "file"],
        documents_added=[q for q in added if q.type == "file"],
        minutes_saved_median=saved(old_s.submitted_minutes_median, new_s.submitted_minutes_median),
        questions_saved_median=saved(
            old_s.submitted_questions_median, new_s.submitted_questions_median
        ),
        findings_fixed=[f for f in old_r.findings if _finding_key(f) not in new_keys],
        findings_introduced=[f for f in new_r.findings if _finding_key(f) not in old_keys],
    )


__all__ = [
    "comparison_of",
    "comparison_report",
    "journey_report",
    "portfolio_of",
    "portfolio_report",
    "report_file",
]
