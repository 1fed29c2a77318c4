"""The question models of the journey format, one per type (``QUESTION_CLASSES``), and the
checks a question's answer must satisfy."""

from __future__ import annotations

from typing import Annotated, Literal, TypeAlias

from pydantic import (
    BaseModel,
    Field,
)

from designer.format_types import (
    About,
    Element,
    Expression,
    Identifier,
    Pattern,
    Text,
    described,
    no_items,
)


class Check(Element):
    """A rule an answer must satisfy, with the message shown when it does not."""

    rule: Expression | bool = described(
        "Rule", "An expression that must hold when the question is answered."
    )
    message: Text = described("Message", "What the citizen reads when the rule does not hold.")


class QuestionBase(Element):
    """What every question has."""

    label: Text = described("Label", "The question as the citizen reads it.")
    help: Text | None = described("Help", "A hint shown under the label.", default=None)
    when: Expression | bool | None = described(
        "When",
        "Show the question only when this expression holds (with the answers given so far).",
        default=None,
    )
    required: bool | Expression = described(
        "Required",
        "Whether an answer is needed: true (default), false, or an expression.",
        default=True,
    )
    checks: list[Check] = described(
        "Checks", "Rules the answer must satisfy, each with its message.", default_factory=no_items
    )
    concept: str | None = described(
        "Concept",
        "What the answer is, from the concept catalogue (e.g. identite.nom, "
        "caf.quotient_familial): finds the same thing asked twice, or data a provider holds.",
        default=None,
    )
    purpose: Text | None = described(
        "Purpose",
        "Why the administration needs this answer (data minimisation). An answer used by no "
        "expression and without a purpose is reported as collected for nothing.",
        default=None,
    )
    error_message: Text | None = described(
        "Error message",
        "What the citizen reads when the question is left unanswered. By default it is "
        "derived from the label and the type (\"Saisissez votre nom de famille\", "
        "\"Sélectionnez votre situation\"); write your own when the label does not make "
        "a good one.",
        default=None,
    )
    about: About | None = described(
        "About",
        "Whose data the answer is: `applicant`, the person filling in the form (who may "
        "log in with FranceConnect), or `person_concerned`, the person the procedure is "
        "for when someone else fills it in (a child, a protected adult). Default: the "
        "step's `about`, else the journey's, else `applicant`.",
        default=None,
    )


class TextQuestion(QuestionBase):
    """A short text on one line."""

    type: Literal["text"] = described("Type", "A short text on one line.")
    min_length: int | None = described("Minimum length", "Fewest characters.", default=None, ge=0)
    max_length: int | None = described("Maximum length", "Most characters.", default=None, ge=1)
    pattern: Pattern | None = described(
        "Pattern", "A regular expression the whole answer must match.", default=None
    )


class TextareaQuestion(QuestionBase):
    """A longer text on several lines."""

    type: Literal["textarea"] = described("Type", "A longer text on several lines.")
    min_length: int | None = described("Minimum length", "Fewest characters.", default=None, ge=0)
    max_length: int | None = described("Maximum length", "Most characters.", default=None, ge=1)
    pattern: Pattern | None = described(
        "Pattern", "A regular expression the whole answer must match.", default=None
    )


class IntegerQuestion(QuestionBase):
    """A whole number."""

    type: Literal["integer"] = described("Type", "A whole number.")
    min: int | None = described("Minimum", "The smallest number accepted.", default=None)
    max: int | None = described("Maximum", "The largest number accepted.", default=None)
    unit: str | None = described("Unit", "Shown beside the input, e.g. € or m².", default=None)


class DecimalQuestion(QuestionBase):
    """A number that may have decimals."""

    type: Literal["decimal"] = described("Type", "A number that may have decimals.")
    min: float | None = described("Minimum", "The smallest number accepted.", default=None)
    max: float | None = described("Maximum", "The largest number accepted.", default=None)
    unit: str | None = described("Unit", "Shown beside the input, e.g. € or m².", default=None)


class YesNoQuestion(QuestionBase):
    """A yes or no question; its answer is a boolean in expressions."""

    type: Literal["yesno"] = described("Type", "Yes or no.")


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

    type: Literal["choice"] = described("Type", "One option among several.")
    options: Options


class MultichoiceQuestion(QuestionBase):
    """Any number of options; its answer is the list of chosen values."""

    type: Literal["multichoice"] = described("Type", "Any number of options.")
    options: Options
    min: int | None = described("Minimum", "Fewest options to choose.", default=None, ge=0)
    max: int | None = described("Maximum", "Most options to choose.", default=None, ge=1)


class DateQuestion(QuestionBase):
    """A calendar date, typed as day, month and year."""

    type: Literal["date"] = described("Type", "A date (day, month, year).")
    min: Expression | None = described(
        "Earliest date",
        'The earliest date accepted: a date such as date("2020-01-01") or an expression '
        "such as today().",
        default=None,
    )
    max: Expression | None = described(
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
            "type": described("Type", doc),
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

    type: Literal["file"] = described("Type", "A document to upload.")
    accept: list[str] = described(
        "Accepted kinds",
        "File kinds accepted, e.g. [pdf, jpg, png].",
        default_factory=lambda: ["pdf", "jpg", "png"],
    )
    max_size: str = described(
        "Maximum size", "The largest file accepted, e.g. 5MB or 500KB.", default="10MB"
    )


class InfoQuestion(Element):
    """A block of content on the page; it asks nothing."""

    type: Literal["info"] = described("Type", "A block of content; no answer.")
    label: Text | None = described("Heading", "An optional heading for the block.", default=None)
    content: Text = described("Content", "The text shown.")
    help: Text | None = described("Help", "An optional hint.", default=None)
    when: Expression | bool | None = described(
        "When", "Show the block only when this expression holds.", default=None
    )


# The question types an item of a repeat may ask: all but the repeat itself (no nesting).
ItemTypes: TypeAlias = (
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
    | InfoQuestion
)
ItemQuestion = Annotated[ItemTypes, Field(discriminator="type")]


class RepeatQuestion(QuestionBase):
    """A list of items (children, household members…), each answering its own questions."""

    type: Literal["repeat"] = described("Type", "A list of items, each answering its questions.")
    questions: dict[Identifier, ItemQuestion] = described(
        "Questions", "The questions asked for each item, in page order."
    )
    min: int | None = described("Minimum", "Fewest items.", default=None, ge=0)
    max: int | None = described("Maximum", "Most items.", default=None, ge=1)


Question = Annotated[ItemTypes | RepeatQuestion, Field(discriminator="type")]

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
