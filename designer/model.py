"""The pydantic models of journey format v1: the single source of truth of the format.

``schemas/journey.schema.json`` is generated from these classes (``parcours schema``),
so every field carries a title and a description that editors show while typing.
Expressions are kept as text here; :mod:`designer.compiled` parses and checks them.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

IDENTIFIER = r"^[a-z_][a-z0-9_]*$"
SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
LANGUAGE = r"^[a-z]{2,3}$"
#: The suffix of a text's easy-to-read variant ("facile à lire et à comprendre"): `fr-falc`
#: is the plain French version of a text, read by citizens who switch to it (docs/format.md).
FALC_SUFFIX = "-falc"
#: A key of a translated text: a language, or a language's FALC variant.
TEXT_LANGUAGE = r"^[a-z]{2,3}(-falc)?$"

Identifier = Annotated[str, StringConstraints(pattern=IDENTIFIER)]
Language = Annotated[str, StringConstraints(pattern=LANGUAGE)]
TextLanguage = Annotated[str, StringConstraints(pattern=TEXT_LANGUAGE)]

QUESTION_TYPES = (
    "text",
    "textarea",
    "integer",
    "decimal",
    "yesno",
    "choice",
    "multichoice",
    "date",
    "email",
    "phone",
    "postcode",
    "address",
    "siret",
    "nir",
    "iban",
    "file",
    "repeat",
    "info",
)

Text = Annotated[
    str | dict[TextLanguage, str],
    Field(
        title="Text",
        description="A text in the journey's default language, or a mapping of language "
        "code to text, e.g. {fr: Prénom, en: First name}. A small Markdown subset "
        "(emphasis, links, lists) is allowed; raw HTML is escaped. A language's "
        "easy-to-read version (FALC, facile à lire et à comprendre) is the variant "
        "`<language>-falc`, e.g. {fr: Pièce justificative, fr-falc: Un papier qui prouve "
        "ce que vous dites}: citizens who choose the easy-to-read version read it, the "
        "others read `fr`.",
    ),
]


def falc_variant(lang: str) -> str:
    """The key of ``lang``'s easy-to-read variant (``fr`` → ``fr-falc``)."""
    return lang + FALC_SUFFIX

class FormatError(ValueError):
    """A value the format refuses, named by its message in designer/data/check_messages.yaml
    (``key``, with ``params``) so that `parcours check` says it in French and English."""

    def __init__(self, key: str, english: str, **params: Any) -> None:
        super().__init__(english)
        self.key = key
        self.params = params


def _regular_expression(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise FormatError(
            "schema.regex", f"not a valid regular expression ({exc})", detail=str(exc)
        ) from None
    return value


Pattern = Annotated[str, AfterValidator(_regular_expression)]

#: Whose data an answer is: the person filling in, or the person the procedure is for.
About = Literal["applicant", "person_concerned"]

Expression = Annotated[
    str,
    Field(
        title="Expression",
        description="An expression of the journey language, e.g. `age >= 18 and commune`. "
        "Parsed and checked by the engine, never evaluated as code.",
    ),
]


def _doc(title: str, description: str, **kw: Any) -> Any:
    return Field(title=title, description=description, **kw)


class Element(BaseModel):
    """Base of every element: unknown keys are errors, keys starting with ``x-`` are ignored."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"patternProperties": {"^x-": {}}},
    )

    @model_validator(mode="before")
    @classmethod
    def _drop_extensions(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {
                k: v for k, v in value.items() if not (isinstance(k, str) and k.startswith("x-"))
            }
        return value


class Contact(Element):
    """The other channels through which a citizen can get help or do the procedure."""

    desk: Text | None = _doc("Desk", "Where and when to come in person.", default=None)
    phone: str | None = _doc("Phone", "A phone number for help, as printed.", default=None)
    email: str | None = _doc("E-mail", "An e-mail address for help.", default=None)
    url: str | None = _doc("Web page", "A web page with more information.", default=None)


class Link(Element):
    """A link shown on an outcome: where to go next, on the web or to a journey served
    by the same service (to start again on another path)."""

    label: Text = _doc("Label", "The words of the link.")
    url: str | None = _doc(
        "Address", "The address (https://…) the link leads to.", default=None
    )
    journey: Annotated[str, StringConstraints(pattern=SLUG)] | None = _doc(
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


class Check(Element):
    """A rule an answer must satisfy, with the message shown when it does not."""

    rule: Expression | bool = _doc(
        "Rule", "An expression that must hold when the question is answered."
    )
    message: Text = _doc("Message", "What the citizen reads when the rule does not hold.")


class Branch(Element):
    """One entry of a `next` list: go to `goto` when `when` holds (no `when`: the default)."""

    goto: str = _doc("Go to", "Id of the next step or of an outcome.")
    when: Expression | bool | None = _doc(
        "When",
        "The condition to take this branch; the first entry whose condition holds is "
        "taken. Leave it out on the last entry to make it the default.",
        default=None,
    )


class QuestionBase(Element):
    """What every question has."""

    label: Text = _doc("Label", "The question as the citizen reads it.")
    help: Text | None = _doc("Help", "A hint shown under the label.", default=None)
    when: Expression | bool | None = _doc(
        "When",
        "Show the question only when this expression holds (with the answers given so far).",
        default=None,
    )
    required: bool | Expression = _doc(
        "Required",
        "Whether an answer is needed: true (default), false, or an expression.",
        default=True,
    )
    checks: list[Check] = _doc(
        "Checks", "Rules the answer must satisfy, each with its message.", default_factory=list
    )
    concept: str | None = _doc(
        "Concept",
        "What the answer is, from the concept catalogue (e.g. identite.nom, "
        "caf.quotient_familial): finds the same thing asked twice, or data a provider holds.",
        default=None,
    )
    purpose: Text | None = _doc(
        "Purpose",
        "Why the administration needs this answer (data minimisation). An answer used by no "
        "expression and without a purpose is reported as collected for nothing.",
        default=None,
    )
    error_message: Text | None = _doc(
        "Error message",
        "What the citizen reads when the question is left unanswered. By default it is "
        "derived from the label and the type (\"Saisissez votre nom de famille\", "
        "\"Sélectionnez votre situation\"); write your own when the label does not make "
        "a good one.",
        default=None,
    )
    about: About | None = _doc(
        "About",
        "Whose data the answer is: `applicant`, the person filling in the form (who may "
        "log in with FranceConnect), or `person_concerned`, the person the procedure is "
        "for when someone else fills it in (a child, a protected adult). Default: the "
        "step's `about`, else the journey's, else `applicant`.",
        default=None,
    )


class TextQuestion(QuestionBase):
    """A short text on one line."""

    type: Literal["text"] = _doc("Type", "A short text on one line.")
    min_length: int | None = _doc("Minimum length", "Fewest characters.", default=None, ge=0)
    max_length: int | None = _doc("Maximum length", "Most characters.", default=None, ge=1)
    pattern: Pattern | None = _doc(
        "Pattern", "A regular expression the whole answer must match.", default=None
    )


class TextareaQuestion(QuestionBase):
    """A longer text on several lines."""

    type: Literal["textarea"] = _doc("Type", "A longer text on several lines.")
    min_length: int | None = _doc("Minimum length", "Fewest characters.", default=None, ge=0)
    max_length: int | None = _doc("Maximum length", "Most characters.", default=None, ge=1)
    pattern: Pattern | None = _doc(
        "Pattern", "A regular expression the whole answer must match.", default=None
    )


class IntegerQuestion(QuestionBase):
    """A whole number."""

    type: Literal["integer"] = _doc("Type", "A whole number.")
    min: int | None = _doc("Minimum", "The smallest number accepted.", default=None)
    max: int | None = _doc("Maximum", "The largest number accepted.", default=None)
    unit: str | None = _doc("Unit", "Shown beside the input, e.g. € or m².", default=None)


class DecimalQuestion(QuestionBase):
    """A number that may have decimals."""

    type: Literal["decimal"] = _doc("Type", "A number that may have decimals.")
    min: float | None = _doc("Minimum", "The smallest number accepted.", default=None)
    max: float | None = _doc("Maximum", "The largest number accepted.", default=None)
    unit: str | None = _doc("Unit", "Shown beside the input, e.g. € or m².", default=None)


class YesNoQuestion(QuestionBase):
    """A yes or no question; its answer is a boolean in expressions."""

    type: Literal["yesno"] = _doc("Type", "Yes or no.")


Options = Annotated[
    dict[str, Text] | list[str],
    Field(
        title="Options",
        description="The possible answers: a mapping of value to label, or a list of "
        "strings (each both the value and the label).",
    ),
]


class ChoiceQuestion(QuestionBase):
    """One option among several; its answer is the option's value."""

    type: Literal["choice"] = _doc("Type", "One option among several.")
    options: Options


class MultichoiceQuestion(QuestionBase):
    """Any number of options; its answer is the list of chosen values."""

    type: Literal["multichoice"] = _doc("Type", "Any number of options.")
    options: Options
    min: int | None = _doc("Minimum", "Fewest options to choose.", default=None, ge=0)
    max: int | None = _doc("Maximum", "Most options to choose.", default=None, ge=1)


class DateQuestion(QuestionBase):
    """A calendar date, typed as day, month and year."""

    type: Literal["date"] = _doc("Type", "A date (day, month, year).")
    min: Expression | None = _doc(
        "Earliest date",
        'The earliest date accepted: a date such as date("2020-01-01") or an expression '
        "such as today().",
        default=None,
    )
    max: Expression | None = _doc(
        "Latest date", "The latest date accepted, e.g. today().", default=None
    )


def _simple(type_name: str, doc: str) -> type[QuestionBase]:
    """A question type whose only specific key is its `type` (checked by its own rules)."""
    model = type(
        f"{type_name.capitalize()}Question",
        (QuestionBase,),
        {
            "__doc__": doc,
            "__annotations__": {"type": Literal[type_name]},
            "type": _doc("Type", doc),
            "__module__": __name__,
        },
    )
    return model


EmailQuestion = _simple("email", "An e-mail address.")
PhoneQuestion = _simple("phone", "A French phone number.")
PostcodeQuestion = _simple("postcode", "A French postcode (5 digits).")
AddressQuestion = _simple("address", "A postal address: street, postcode and commune.")
SiretQuestion = _simple("siret", "A SIRET number (14 digits, with its checksum).")
NirQuestion = _simple("nir", "A French social security number (NIR, 15 characters).")
IbanQuestion = _simple("iban", "A bank account number (IBAN).")


class FileQuestion(QuestionBase):
    """A document to upload."""

    type: Literal["file"] = _doc("Type", "A document to upload.")
    accept: list[str] = _doc(
        "Accepted kinds",
        "File kinds accepted, e.g. [pdf, jpg, png].",
        default_factory=lambda: ["pdf", "jpg", "png"],
    )
    max_size: str = _doc(
        "Maximum size", "The largest file accepted, e.g. 5MB or 500KB.", default="10MB"
    )


class InfoQuestion(Element):
    """A block of content on the page; it asks nothing."""

    type: Literal["info"] = _doc("Type", "A block of content; no answer.")
    label: Text | None = _doc("Heading", "An optional heading for the block.", default=None)
    content: Text = _doc("Content", "The text shown.")
    help: Text | None = _doc("Help", "An optional hint.", default=None)
    when: Expression | bool | None = _doc(
        "When", "Show the block only when this expression holds.", default=None
    )


ItemQuestion = Annotated[
    TextQuestion
    | TextareaQuestion
    | IntegerQuestion
    | DecimalQuestion
    | YesNoQuestion
    | ChoiceQuestion
    | MultichoiceQuestion
    | DateQuestion
    | EmailQuestion  # type: ignore[valid-type]
    | PhoneQuestion  # type: ignore[valid-type]
    | PostcodeQuestion  # type: ignore[valid-type]
    | AddressQuestion  # type: ignore[valid-type]
    | SiretQuestion  # type: ignore[valid-type]
    | NirQuestion  # type: ignore[valid-type]
    | IbanQuestion  # type: ignore[valid-type]
    | FileQuestion
    | InfoQuestion,
    Field(discriminator="type"),
]


class RepeatQuestion(QuestionBase):
    """A list of items (children, household members…), each answering its own questions."""

    type: Literal["repeat"] = _doc("Type", "A list of items, each answering its questions.")
    questions: dict[Identifier, ItemQuestion] = _doc(
        "Questions", "The questions asked for each item, in page order."
    )
    min: int | None = _doc("Minimum", "Fewest items.", default=None, ge=0)
    max: int | None = _doc("Maximum", "Most items.", default=None, ge=1)


Question = Annotated[
    TextQuestion
    | TextareaQuestion
    | IntegerQuestion
    | DecimalQuestion
    | YesNoQuestion
    | ChoiceQuestion
    | MultichoiceQuestion
    | DateQuestion
    | EmailQuestion  # type: ignore[valid-type]
    | PhoneQuestion  # type: ignore[valid-type]
    | PostcodeQuestion  # type: ignore[valid-type]
    | AddressQuestion  # type: ignore[valid-type]
    | SiretQuestion  # type: ignore[valid-type]
    | NirQuestion  # type: ignore[valid-type]
    | IbanQuestion  # type: ignore[valid-type]
    | FileQuestion
    | RepeatQuestion
    | InfoQuestion,
    Field(discriminator="type"),
]

QUESTION_CLASSES: dict[str, type[BaseModel]] = {
    "text": TextQuestion,
    "textarea": TextareaQuestion,
    "integer": IntegerQuestion,
    "decimal": DecimalQuestion,
    "yesno": YesNoQuestion,
    "choice": ChoiceQuestion,
    "multichoice": MultichoiceQuestion,
    "date": DateQuestion,
    "email": EmailQuestion,
    "phone": PhoneQuestion,
    "postcode": PostcodeQuestion,
    "address": AddressQuestion,
    "siret": SiretQuestion,
    "nir": NirQuestion,
    "iban": IbanQuestion,
    "file": FileQuestion,
    "repeat": RepeatQuestion,
    "info": InfoQuestion,
}


class Step(Element):
    """One page of the journey: a heading, questions, and where to go next."""

    title: Text = _doc("Title", "The page's heading.")
    intro: Text | None = _doc("Introduction", "Text shown above the questions.", default=None)
    questions: dict[Identifier, Question] = _doc(
        "Questions",
        "Question id → question, in page order. May be empty for an information page.",
        default_factory=dict,
    )
    next: str | list[Branch] = _doc(
        "Next",
        "Where to go after this page: the id of a step or outcome, or a list of "
        "{goto, when} entries where the first whose condition holds is taken.",
    )
    about: About | None = _doc(
        "About",
        "Whose data the page's questions ask for (`applicant` or `person_concerned`), "
        "unless a question says otherwise.",
        default=None,
    )


class Outcome(Element):
    """An end of the journey: a submission, or an exit that orients the citizen elsewhere."""

    kind: Literal["submit", "exit"] = _doc(
        "Kind",
        "submit: the answers are reviewed and sent, the citizen gets a reference number; "
        "exit: the journey ends without sending anything.",
    )
    title: Text = _doc("Title", "The heading of the final page.")
    body: Text | None = _doc("Body", "What the citizen reads on the final page.", default=None)
    link: Link | None = _doc("Link", "Where to go next.", default=None)


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
    when: Expression | bool | None = _doc(
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

    parcours: Literal[1] = _doc("Format version", "The version of the journey format: 1.")
    id: Annotated[str, StringConstraints(pattern=SLUG)] = _doc(
        "Id", "A slug (a-z, 0-9, -), unique among the journeys served together."
    )
    title: Text = _doc("Title", "The name of the procedure as citizens know it.")
    organisation: str = _doc("Organisation", "Who runs the procedure.")
    summary: Text | None = _doc("Summary", "What the procedure is for.", default=None)
    languages: list[Language] = _doc(
        "Languages",
        "Language codes of the texts; the first is the default.",
        default_factory=lambda: ["fr"],
        min_length=1,
    )
    contact: Contact | None = _doc(
        "Contact", "The other channels: desk, phone, e-mail, web page.", default=None
    )
    about: About = _doc(
        "About",
        "Whose data the questions ask for unless a step or a question says otherwise: "
        "`applicant` (the person filling in) or `person_concerned` (the person the "
        "procedure is for, when a parent, guardian or tutor fills it in).",
        default="applicant",
    )
    declaration: Text | None = _doc(
        "Declaration",
        "The sentence above the send button of the summary page. By default: \"En "
        "envoyant cette demande, vous confirmez que vos réponses sont exactes.\" (\"By "
        "sending this application, you confirm that your answers are correct.\").",
        default=None,
    )
    prefill: list[str] = _doc(
        "Prefill",
        "Providers this service is connected to (e.g. franceconnect, api_particulier).",
        default_factory=list,
    )
    start: str = _doc("Start", "Id of the first step.")
    computed: dict[Identifier, Expression | bool | int | float] = _doc(
        "Computed values", "Name → expression, usable in other expressions.", default_factory=dict
    )
    steps: dict[Identifier, Step] = _doc("Steps", "Step id → step, in reading order.")
    outcomes: dict[Identifier, Outcome] = _doc("Outcomes", "Outcome id → outcome.")
    retention: Annotated[str, StringConstraints(pattern=RETENTION)] | None = _doc(
        "Retention",
        "How long a decided dossier is kept, e.g. `2 years` or `6 mois`; `parcours purge` "
        "deletes it, with its files, once this time has passed since the decision. "
        "Without it, dossiers are kept until someone deletes them.",
        default=None,
    )
    routing: list[Route] = _doc(
        "Routing",
        "Which service of the organisation receives a submitted dossier: a list of "
        "{service, when} entries, the first whose condition holds on the answers is taken. "
        "Without routing, dossiers reach no service (only administrators see them).",
        default_factory=list,
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
