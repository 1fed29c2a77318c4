"""The report's data model: the single source of truth of `schemas/report.schema.json`.

The readability and usage sections have their own modules (readability_model.py,
usage_model.py), on the same base (model_base.ReportModel).

Keys listed in issue 5 are stable (dashboards rely on them): `journey`, `paths.total`,
`paths.by_outcome`, `paths.bounded`, `questions.min|median|max`, `pages.min|median|max`,
`minutes.min|median|max`, `dlnuf.items`, `dlnuf.level`, `findings`. Adding keys is
compatible; renaming or changing a meaning bumps ``REPORT_VERSION``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, TypeAdapter

from designer.report.model_base import ReportModel
from designer.report.readability_model import ReadabilityOut
from designer.report.usage_model import UsageOut, UsageVersionsOut

REPORT_VERSION: Literal["1"] = "1"


class FindingOut(ReportModel):
    """A finding, in the JSON shape of `parcours check --format json`."""

    rule: str
    severity: Literal["error", "warning", "info"]
    message: str
    file: str
    line: int
    column: int
    step: str | None = None
    question: str | None = None


class RangeOut(ReportModel):
    """Fewest, median (lower median over runs) and most; mean with uniform branches."""

    min: float | None = Field(description="Fewest over all runs.")
    median: float | None = Field(description="Lower median over all runs, each run counted once.")
    max: float | None = Field(description="Most over all runs.")
    expected: float | None = Field(
        default=None, description="Mean if a citizen takes every branch with equal chance."
    )


class OutcomeOut(ReportModel):
    """Runs ending at one outcome."""

    kind: Literal["submit", "exit"]
    runs: int
    questions: RangeOut
    pages: RangeOut
    minutes: RangeOut


class PathsOut(ReportModel):
    """Runs from the start to an outcome, counted by dynamic programming."""

    total: int = Field(description="Number of runs (distinct step sequences) start → outcome.")
    total_log10: float = Field(description="log10 of total, for dashboards without big integers.")
    by_outcome: dict[str, int] = Field(description="Outcome id → number of runs ending there.")
    bounded: bool = Field(
        description="True when the counts are upper bounds: some branch has a condition and "
        "no analysis proved every combination of branches possible."
    )
    dropped_branches: list[tuple[str, str]] = Field(
        default_factory=list,
        description="Branches (step, target) the analysis proved infeasible, left out.",
    )
    outcomes: dict[str, OutcomeOut] = Field(
        default_factory=dict,
        description="Outcome id → its runs and their fewest/median/most figures.",
    )


class SubmittedOut(ReportModel):
    """The same figures over the runs that end by sending an application."""

    runs: int
    questions: RangeOut
    pages: RangeOut
    minutes: RangeOut
    minutes_slow: RangeOut | None = None


class ServiceShareOut(ReportModel):
    """One service and the share of the journey's dossiers it receives."""

    service: str | None = Field(description="The service id (null: dossiers no route matches).")
    share: float = Field(
        description="Share of the dossiers sent, if a citizen takes every branch and every "
        "possible route with equal chance."
    )


class SizeOut(ReportModel):
    """Counts of the journey's elements."""

    steps: int
    outcomes: int
    questions: int = Field(description="Questions answered; a repeat's questions counted once.")
    info_blocks: int
    repeats: int
    documents: int = Field(description="Documents requested (`file` questions).")
    conditions: int = Field(description="`when` conditions of branches and questions.")
    branch_conditions: int
    question_conditions: int


class StructureOut(ReportModel):
    """Process-model metrics of the step graph (see docs/metrics.md)."""

    nodes: int
    arcs: int
    density: float
    coefficient_of_connectivity: float
    sequentiality: float
    cyclomatic_number: int
    control_flow_complexity: int
    max_nesting: int
    decisions: int
    joins: int
    conditional_questions_share: float
    over_50_elements: bool


class TimeModelOut(ReportModel):
    """The figures of the time estimate, stated in every report."""

    words_per_minute: float
    slow_words_per_minute: float
    operators: dict[str, float] = Field(description="KLM operators in seconds (K fluent, K slow).")
    answer_seconds: dict[str, float] = Field(description="Answer type → seconds (fluent).")
    find_document_seconds: float
    page_seconds: float


class CoverageOut(ReportModel):
    """Who a question concerns."""

    question: str
    step: str
    label: str
    conditional: bool
    share_of_citizens: float = Field(
        description="Probability that a citizen reaches the step if every branch is taken "
        "with equal chance (an upper bound if the question is conditional)."
    )
    share_of_runs: float = Field(description="Share of all runs through the step.")


class StepOut(ReportModel):
    """Where the effort is: one page."""

    step: str
    title: str
    questions: int = Field(description="Questions of the page, conditional ones included.")
    conditional: int
    documents: int
    seconds: float = Field(description="Seconds on the page, every question shown (fluent).")
    seconds_slow: float
    share_of_citizens: float = Field(
        description="Probability of seeing the page, branches taken with equal chance."
    )
    findings: int


class DlnufQuestionOut(ReportModel):
    """A question whose answer a provider could supply."""

    question: str
    concept: str
    providers: list[str]


class DlnufOut(ReportModel):
    """ "Dites-le-nous une fois": items asked that a provider could supply."""

    items: int
    level: Literal["optimal", "partial", "weak"]
    questions: list[DlnufQuestionOut]
    by_provider: dict[str, list[str]]
    catalogue: bool = Field(description="Whether the concept catalogue was available.")
    already_prefilled: list[str] = Field(
        description="Questions a provider connected to the journey (`prefill`) really fills "
        "in (one Parcours reads that concept from, for the person filling in)."
    )
    connected: list[str] = Field(
        default_factory=list,
        description="The providers the journey says the service is connected to (`prefill`).",
    )
    filling: list[str] = Field(
        default_factory=list,
        description="Those of `connected` that Parcours fills questions from; the others "
        "leave their questions asked.",
    )
    share_of_median_run: float | None = Field(
        default=None,
        description="Share of the questions of the median application run that are items "
        "(None when the graph is too big to trace the median run).",
    )


class MinimisationOut(ReportModel):
    """Data minimisation."""

    unused: list[str] = Field(description="Answers with no purpose that no expression reads.")
    without_purpose: list[str]


class AccessibilityOut(ReportModel):
    """Static accessibility facts and the RGAA criteria left for a human review."""

    fields: int
    labelled: int
    grouped_with_legend: int
    autocomplete: dict[str, str]
    missing_autocomplete: list[str]
    manual_review: list[tuple[str, str]]


class GraphNodeOut(ReportModel):
    """A node of the step graph, as drawn."""

    id: str
    kind: Literal["step", "outcome"]
    label: str
    depth: int
    questions: int
    findings: int
    on_median_path: bool


class GraphEdgeOut(ReportModel):
    """A branch, with its condition in words."""

    source: str
    target: str
    condition: str | None
    words: str
    on_median_path: bool


class GraphOut(ReportModel):
    """The step graph: nodes layered by topological depth, branches in words."""

    nodes: list[GraphNodeOut]
    edges: list[GraphEdgeOut]


class IndicatorOut(ReportModel):
    """One indicator of the Observatoire de la qualité des démarches en ligne."""

    indicator: Literal[
        "satisfaction", "accessibility", "franceconnect", "dlnuf", "help", "availability",
        "response",
    ]
    name: str
    value: str
    status: Literal["measured", "declared", "unknown"]
    note: str = ""


class JourneyReport(ReportModel):
    """The report of one journey."""

    report_version: Literal["1"] = REPORT_VERSION
    kind: Literal["journey"] = "journey"
    journey: str
    title: str
    organisation: str
    file: str
    languages: list[str]
    lang: str | None = Field(
        default=None,
        description="The language the journey's own texts (titles, labels) are quoted in.",
    )
    ok: bool = Field(description="False when the journey has errors (metrics may be missing).")
    size: SizeOut | None = None
    paths: PathsOut | None = None
    questions: RangeOut | None = None
    questions_distribution: dict[int, float] = Field(
        default_factory=dict,
        description="Questions answered (conditional ones counted) → share of runs; left out "
        "when a run may have more than 500 questions.",
    )
    pages: RangeOut | None = None
    minutes: RangeOut | None = None
    minutes_slow: RangeOut | None = Field(
        default=None, description="Minutes for the slower reader-typist profile."
    )
    submitted: SubmittedOut | None = None
    routing: list[ServiceShareOut] = Field(
        default_factory=list,
        description="Which service receives which share of the dossiers (journeys with "
        "`routing`), largest first.",
    )
    time_model: TimeModelOut | None = None
    structure: StructureOut | None = None
    coverage: list[CoverageOut] = Field(default_factory=list)
    steps: list[StepOut] = Field(default_factory=list, description="Pages, in reading order.")
    dlnuf: DlnufOut | None = None
    minimisation: MinimisationOut | None = None
    readability: ReadabilityOut | None = None
    accessibility: AccessibilityOut | None = None
    graph: GraphOut | None = None
    findings: list[FindingOut] = Field(default_factory=list)
    worst_problems: list[str] = Field(
        default_factory=list, description="The three worst problems, in words, for the summary."
    )
    usage: UsageOut | None = Field(
        default=None, description="Observed figures from a server's aggregate counts."
    )
    usage_by_version: UsageVersionsOut | None = Field(
        default=None,
        description="The observed figures of each version, beside its predicted ones.",
    )
    observatoire: list[IndicatorOut] = Field(
        default_factory=list, description="The Observatoire's indicators, measured or declared."
    )


class PortfolioRowOut(ReportModel):
    """One journey in a portfolio table."""

    journey: str
    title: str
    file: str
    ok: bool
    questions_median: float | None
    minutes_median: float | None
    minutes_max: float | None
    paths: int | None
    errors: int
    warnings: int
    dlnuf_level: str | None


class SharedConceptOut(ReportModel):
    """A concept (or label) asked in several journeys: a candidate for a shared profile."""

    concept: str
    journeys: list[str]


class PortfolioReport(ReportModel):
    """The report of a folder of journeys."""

    report_version: Literal["1"] = REPORT_VERSION
    kind: Literal["portfolio"] = "portfolio"
    folder: str
    by_minutes: list[PortfolioRowOut]
    by_findings: list[PortfolioRowOut]
    shared_concepts: list[SharedConceptOut]
    journeys: list[JourneyReport]


class QuestionRefOut(ReportModel):
    """A question named in a comparison."""

    id: str
    label: str
    type: str


class SideOut(ReportModel):
    """One version in a comparison."""

    journey: str
    file: str
    questions: int | None
    documents: int | None
    paths: int | None
    questions_median: float | None
    questions_max: float | None
    minutes_median: float | None
    minutes_max: float | None
    submitted_questions_median: float | None
    submitted_minutes_median: float | None
    dlnuf_items: int | None
    dlnuf_level: str | None
    findings: int
    errors: int


class ComparisonReport(ReportModel):
    """What a new version changed compared with an old one."""

    report_version: Literal["1"] = REPORT_VERSION
    kind: Literal["comparison"] = "comparison"
    old: SideOut
    new: SideOut
    questions_removed: list[QuestionRefOut]
    questions_added: list[QuestionRefOut]
    documents_removed: list[QuestionRefOut]
    documents_added: list[QuestionRefOut]
    minutes_saved_median: float | None = Field(
        description="Minutes saved by the median citizen who sends an application."
    )
    questions_saved_median: float | None
    findings_fixed: list[FindingOut]
    findings_introduced: list[FindingOut]


Report = Annotated[JourneyReport | PortfolioReport | ComparisonReport, Field(discriminator="kind")]


def report_schema() -> dict[str, object]:
    """The JSON Schema of every report (journey, portfolio, comparison)."""
    schema = TypeAdapter(Report).json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://parcours.example/schemas/report.schema.json"
    schema["title"] = f"Parcours report, version {REPORT_VERSION}"
    return schema


def schema_text() -> str:
    """The committed text of schemas/report.schema.json."""
    import json

    return json.dumps(report_schema(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":  # python -m designer.report.model > schemas/report.schema.json
    import sys

    sys.stdout.write(schema_text())
