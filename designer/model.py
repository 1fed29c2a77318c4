"""The pydantic models of journey format v1: the single source of truth of the format.

The journey, its steps, outcomes, branches and routes are here; the questions are in
:mod:`designer.questions`, the building blocks (texts, expressions, ``Element``) in
:mod:`designer.format_types`.

``schemas/journey.schema.json`` is generated from these classes (``parcours schema``),
so every field carries a title and a description that editors show while typing.
Expressions are kept as text here; :mod:`designer.compiled` parses and checks them.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from designer.format_types import (
    SLUG,
    About,
    Element,
    Expression,
    FormatError,
    Identifier,
    Language,
    Text,
    described,
    no_items,
)
from designer.questions import Question


class Contact(Element):
    """The other channels through which a citizen can get help or do the procedure."""

    desk: Text | None = described("Desk", "Where and when to come in person.", default=None)
    phone: str | None = described("Phone", "A phone number for help, as printed.", default=None)
    email: str | None = described("E-mail", "An e-mail address for help.", default=None)
    url: str | None = described("Web page", "A web page with more information.", default=None)


class Link(Element):
    """A link shown on an outcome: where to go next, on the web or to a journey served
    by the same service (to start again on another path)."""

    label: Text = described("Label", "The words of the link.")
    url: str | None = described(
        "Address", "The address (https://…) the link leads to.", default=None
    )
    journey: Annotated[str, StringConstraints(pattern=SLUG)] | None = described(
        "Journey",
        "The id of a journey served by the same service (this one included): the link "
        "leads to its start page. Give `url` or `journey`, not both.",
        default=None,
    )

    @model_validator(mode="after")
    def _one_target(self) -> Link:
        if (self.url is None) == (self.journey is None):
            raise FormatError(
                "schema.link-target", "a link leads to one place: give `url` or `journey`"
            )
        return self


class Branch(Element):
    """One entry of a `next` list: go to `goto` when `when` holds (no `when`: the default)."""

    goto: str = described("Go to", "Id of the next step or of an outcome.")
    when: Expression | bool | None = described(
        "When",
        "The condition to take this branch; the first entry whose condition holds is "
        "taken. Leave it out on the last entry to make it the default.",
        default=None,
    )


class Step(Element):
    """One page of the journey: a heading, questions, and where to go next."""

    title: Text = described("Title", "The page's heading.")
    intro: Text | None = described("Introduction", "Text shown above the questions.", default=None)
    questions: dict[Identifier, Question] = described(
        "Questions",
        "Question id → question, in page order. May be empty for an information page.",
        default_factory=dict,
    )
    next: str | list[Branch] = described(
        "Next",
        "Where to go after this page: the id of a step or outcome, or a list of "
        "{goto, when} entries where the first whose condition holds is taken.",
    )
    about: About | None = described(
        "About",
        "Whose data the page's questions ask for (`applicant` or `person_concerned`), "
        "unless a question says otherwise.",
        default=None,
    )


class Outcome(Element):
    """An end of the journey: a submission, or an exit that orients the citizen elsewhere."""

    kind: Literal["submit", "exit"] = described(
        "Kind",
        "submit: the answers are reviewed and sent, the citizen gets a reference number; "
        "exit: the journey ends without sending anything.",
    )
    title: Text = described("Title", "The heading of the final page.")
    body: Text | None = described("Body", "What the citizen reads on the final page.", default=None)
    link: Link | None = described("Link", "Where to go next.", default=None)


SERVICE_ID = r"^[a-z][a-z0-9_-]*$"
#: A retention period: a number and a unit, in English or French (``2 years``, ``6 mois``).
RETENTION = r"^[1-9][0-9]{0,3} (day|days|month|months|year|years|jour|jours|mois|an|ans)$"
ServiceId = Annotated[
    str,
    StringConstraints(pattern=SERVICE_ID),
    Field(
        title="Service",
        description="The id of a service declared in the organisation file "
        "(organisation.yaml beside the journeys), e.g. proprete.",
    ),
]


class Route(Element):
    """One entry of `routing`: dossiers go to `service` when `when` holds."""

    service: ServiceId
    when: Expression | bool | None = described(
        "When",
        "The condition, on the answers at submission, to send the dossier to this service; "
        "the first entry whose condition holds is taken. Leave it out on the last entry to "
        "make it the default.",
        default=None,
    )


class Journey(Element):
    """One administrative procedure described as a graph of steps ending in outcomes."""

    model_config = ConfigDict(
        extra="forbid",
        title="Parcours journey",
        json_schema_extra={
            "patternProperties": {"^x-": {}},
            "$id": "https://parcours.example/schemas/journey.schema.json",
        },
    )

    parcours: Literal[1] = described("Format version", "The version of the journey format: 1.")
    id: Annotated[str, StringConstraints(pattern=SLUG)] = described(
        "Id", "A slug (a-z, 0-9, -), unique among the journeys served together."
    )
    title: Text = described("Title", "The name of the procedure as citizens know it.")
    organisation: str = described("Organisation", "Who runs the procedure.")
    summary: Text | None = described("Summary", "What the procedure is for.", default=None)
    languages: list[Language] = described(
        "Languages",
        "Language codes of the texts; the first is the default.",
        default_factory=lambda: ["fr"],
        min_length=1,
    )
    contact: Contact | None = described(
        "Contact", "The other channels: desk, phone, e-mail, web page.", default=None
    )
    about: About = described(
        "About",
        "Whose data the questions ask for unless a step or a question says otherwise: "
        "`applicant` (the person filling in) or `person_concerned` (the person the "
        "procedure is for, when a parent, guardian or tutor fills it in).",
        default="applicant",
    )
    declaration: Text | None = described(
        "Declaration",
        "The sentence above the send button of the summary page. By default: \"En "
        "envoyant cette demande, vous confirmez que vos réponses sont exactes.\" (\"By "
        "sending this application, you confirm that your answers are correct.\").",
        default=None,
    )
    prefill: list[str] = described(
        "Prefill",
        "Providers this service is connected to (e.g. franceconnect, api_particulier).",
        default_factory=no_items,
    )
    start: str = described("Start", "Id of the first step.")
    computed: dict[Identifier, Expression | bool | int | float] = described(
        "Computed values", "Name → expression, usable in other expressions.", default_factory=dict
    )
    steps: dict[Identifier, Step] = described("Steps", "Step id → step, in reading order.")
    outcomes: dict[Identifier, Outcome] = described("Outcomes", "Outcome id → outcome.")
    retention: Annotated[str, StringConstraints(pattern=RETENTION)] | None = described(
        "Retention",
        "How long a decided dossier is kept, e.g. `2 years` or `6 mois`; `parcours purge` "
        "deletes it, with its files, once this time has passed since the decision. "
        "Without it, dossiers are kept until someone deletes them.",
        default=None,
    )
    routing: list[Route] = described(
        "Routing",
        "Which service of the organisation receives a submitted dossier: a list of "
        "{service, when} entries, the first whose condition holds on the answers is taken. "
        "Without routing, dossiers reach no service (only administrators see them).",
        default_factory=no_items,
    )


def retention_days(text: str) -> int:
    """Days in a retention period of the format (``2 years`` → 730; a month is 30 days)."""
    number, unit = text.split()
    per = {"day": 1, "jour": 1, "month": 30, "mois": 30, "year": 365, "an": 365}
    return int(number) * per[unit.rstrip("s") if unit != "mois" else "mois"]


def journey_schema() -> dict[str, Any]:
    """The JSON Schema of format v1, as committed in ``schemas/journey.schema.json``."""
    schema = Journey.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["description"] = (
        "A Parcours journey: one administrative procedure as a graph of steps "
        "(pages of questions) ending in outcomes. Format version 1."
    )
    return schema
