"""The usage section of a journey report: what the observed runs of a published journey show
(funnel, outcomes, errors, branches taken, satisfaction, hotspots), as in
`schemas/report.schema.json`."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from designer.report.model_base import ReportModel


class ObservedMinutesOut(ReportModel):
    """Minutes observed on served pages, from bucketed times (never per person)."""

    responses: int | None = Field(description="Times measured; None under the threshold.")
    median: float | None
    p90: float | None = Field(description="90th percentile, interpolated inside its bucket.")


class FunnelStepOut(ReportModel):
    """One page of the observed funnel, beside the predicted figures."""

    step: str
    title: str
    arrived: int | None = Field(description="Citizens who reached the page (first time).")
    sent: int | None = Field(description="Citizens who sent the page without error at last.")
    lost: int | None = Field(description="Arrived but never sent: gave up (or still there).")
    lost_share: float | None
    reach_observed: float | None = Field(description="arrived / starts.")
    reach_predicted: float = Field(description="Share of citizens, branches equally likely.")
    minutes: ObservedMinutesOut
    minutes_predicted: float = Field(description="Every question shown, fluent reader.")
    minutes_predicted_slow: float
    disagreement: str | None = Field(
        default=None, description="Why predicted and observed minutes disagree much, in words."
    )


class OutcomeUsageOut(ReportModel):
    """An outcome reached in real use."""

    outcome: str
    title: str
    kind: Literal["submit", "exit"]
    reached: int | None
    share: float | None = Field(description="reached / starts.")
    sent: int | None = Field(default=None, description="Applications sent (submit outcomes).")
    minutes: ObservedMinutesOut = Field(description="Minutes on the pages, start to outcome.")
    minutes_predicted: float | None = Field(description="Predicted median minutes.")


class ErrorUsageOut(ReportModel):
    """A validation error citizens met, counted by question and rule."""

    step: str
    question: str
    label: str
    code: str
    message: str = Field(description="The message citizens saw (report language if seen).")
    count: int
    per_arrival: float | None = Field(description="Errors per citizen who reached the page.")


class BranchUsageOut(ReportModel):
    """A branch's observed share beside the share a uniform analysis gives it."""

    step: str
    target: str
    count: int | None
    share: float | None
    predicted_share: float


class DossierChannelOut(ReportModel):
    """How many dossiers of the journey came in by one channel, and their share."""

    channel: str = Field(description="en_ligne, accompagne (with a mediator) or papier.")
    dossiers: int | None
    share: float | None = Field(description="Of all the journey's dossiers.")


class DaysOut(ReportModel):
    """Days between two moments of the dossiers, over the dossiers that have both."""

    median: float | None
    p90: float | None = Field(description="90th percentile (inclusive quantiles).")


class ResponseTimesOut(ReportModel):
    """How long the administration took to answer the journey's dossiers, from the back
    office's records (every version of the journey)."""

    dossiers: int | None = Field(description="The journey's dossiers in the database.")
    answered: int | None = Field(
        description="Dossiers an agent acted on: a status change, a change of service or a "
        "message to the citizen (private notes do not count)."
    )
    waiting: int | None = Field(description="Dossiers no agent has acted on yet.")
    first_action_days: DaysOut = Field(
        description="Sent (or keyed) → the first agent action, over the answered dossiers."
    )
    decided: int | None = Field(description="Dossiers accepted, refused or closed.")
    decision_days: DaysOut = Field(
        description="Sent → decided, over the decided dossiers (the back office's "
        "processing time)."
    )


class SatisfactionOut(ReportModel):
    """Answers to "Comment s'est passée votre démarche ?" (shape of "Je donne mon avis")."""

    responses: int | None
    response_rate: float | None = Field(description="responses / applications sent.")
    levels: dict[str, int | None] = Field(description="good, average, bad → answers.")
    good_share: float | None
    helped: dict[str, int | None] = Field(description="yes, no → answers.")


class HotspotOut(ReportModel):
    """Where to look first: the page most citizens leave, the error most often made."""

    kind: Literal["give-up", "error"]
    step: str
    title: str
    question: str | None = None
    count: int
    share: float | None
    message: str
    suggestions: list[str] = Field(description="From the checks' findings at that place.")


class UsageOut(ReportModel):
    """What real use shows, beside the predictions (renderer/usage.py records it)."""

    threshold: int = Field(description="Counts under this are never shown (None).")
    versions: int = Field(description="Journey versions the counts cover.")
    start_page_views: int | None = Field(
        default=None, description="Start page loads (reloads included: not people)."
    )
    starts: int | None
    submitted: int | None
    completion_rate: float | None = Field(description="submitted / starts.")
    submitted_minutes: ObservedMinutesOut | None = Field(
        default=None,
        description="Minutes on the pages of the applications sent (every submit outcome), "
        "start to sending: the observed side of the predicted `submitted.minutes`.",
    )
    saves: int | None
    resumes: int | None
    funnel: list[FunnelStepOut]
    outcomes: list[OutcomeUsageOut]
    errors: list[ErrorUsageOut]
    branches: list[BranchUsageOut]
    expected_minutes_uniform: float | None = Field(
        description="Mean minutes over pages, branches equally likely (same page model)."
    )
    expected_minutes_observed: float | None = Field(
        description="The same mean, branches weighted by their observed shares."
    )
    expected_pages_uniform: float | None
    expected_pages_observed: float | None
    channels: dict[str, int | None]
    dossier_channels: list[DossierChannelOut] = Field(
        default_factory=list,
        description="The dossiers' submission channels (from the served database's dossiers).",
    )
    languages: dict[str, int | None]
    satisfaction: SatisfactionOut
    response_times: ResponseTimesOut | None = Field(
        default=None,
        description="How long the administration took to answer the dossiers (back office).",
    )
    disagreements: list[str]
    hotspots: list[HotspotOut]


class VersionPredictedOut(ReportModel):
    """What the analysis of one version predicts (the report's own figures for that text)."""

    steps: int
    questions: int = Field(description="Questions a citizen may answer (size.questions).")
    documents: int
    questions_median: float | None = Field(description="Median questions, application sent.")
    minutes_median: float | None = Field(description="Median minutes, application sent.")


class VersionUsageOut(ReportModel):
    """One version of the journey that real use met: its predicted figures beside the use
    of that version alone, its pages matched to its own text."""

    version: str = Field(description="The version's content hash (SHA-256 of its source).")
    first_served: str | None = Field(
        description="When the server first served it (ISO 8601 UTC); None when the "
        "database does not keep its text."
    )
    current: bool = Field(description="The version this report is of.")
    own_text: bool = Field(
        description="Its pages and predictions come from its own text; false when the "
        "database does not keep it (or it no longer loads): matched by id to this report's."
    )
    predicted: VersionPredictedOut | None
    pages_added: list[str] = Field(description="Steps absent from the version before it.")
    pages_removed: list[str] = Field(description="Steps of the version before it, gone here.")
    usage: UsageOut


class UsageVersionsOut(ReportModel):
    """The observed use split by journey version, latest first."""

    versions: list[VersionUsageOut]
    left_out: int = Field(
        description="Older versions with counts beyond the ones detailed (still in `usage`)."
    )
