"""The readability section of a journey report: each text's scores and issues, each
language's figures and the coverage of the easy-to-read (FALC) versions, as in
`schemas/report.schema.json`."""

from __future__ import annotations

from pydantic import Field

from designer.report.model_base import ReportModel


class IssueOut(ReportModel):
    """A FALC or jargon problem in a text."""

    kind: str
    excerpt: str
    advice: str


class TextOut(ReportModel):
    """The readability of one text a citizen reads."""

    where: str = Field(description="Journey, step, question or outcome the text belongs to.")
    step: str | None = None
    question: str | None = None
    lang: str
    text: str
    words: int
    sentences: int
    flesch: float | None
    lix: float | None
    words_per_sentence: float
    level: str
    issues: list[IssueOut]


class LanguageReadabilityOut(ReportModel):
    """All the texts of one language taken together."""

    words: int
    sentences: int
    flesch: float | None
    lix: float | None
    words_per_sentence: float
    longest_sentence: int
    formula: str


class FalcCoverageOut(ReportModel):
    """How much of one language the easy-to-read (FALC) version covers, and what it gains."""

    texts: int = Field(description="Texts a citizen reads that can have a FALC version.")
    with_falc: int = Field(description="Those that have one.")
    share: float = Field(description="with_falc / texts, from 0 to 1.")
    flesch: float | None = Field(
        description="Score of every text as the ordinary reader reads it (all together).")
    flesch_falc: float | None = Field(
        description="Score of every text as the FALC reader reads it: the FALC version where "
        "there is one, else the ordinary text.")
    missing: list[str] = Field(description="Where the texts without a FALC version are.")


class ReadabilityOut(ReportModel):
    """Readability per language and per text (worst first)."""

    languages: dict[str, LanguageReadabilityOut]
    texts: list[TextOut]
    issues_by_kind: dict[str, int]
    falc: dict[str, FalcCoverageOut] = Field(
        default_factory=dict,
        description="Per language the journey gives easy-to-read (FALC) versions in: their "
        "coverage and both readings' scores.")
