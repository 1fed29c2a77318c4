"""The building blocks of the journey format's models: identifier and language patterns,
texts (one string, or one per language), expressions and regular expressions as fields,
the :class:`Element` base every model derives from, and :class:`FormatError`."""

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


def described(title: str, description: str, **kw: Any) -> Any:
    return Field(title=title, description=description, **kw)


def no_items() -> list[Any]:
    """The default of a list field (``default_factory=no_items``). A function of ours rather
    than ``list``: pydantic reads a default factory's signature, which for a built-in type
    means parsing its text signature with the tokenizer, 7 ms of every `parcours check` for
    the twenty models holding one (docs/benchmarks.md, "Issue 12, section 3, third round")."""
    return []


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
            # Most elements have no extension: the mapping is copied only when one has.
            for k in value:
                if isinstance(k, str) and k.startswith("x-"):
                    return {k: v for k, v in value.items()
                            if not (isinstance(k, str) and k.startswith("x-"))}
        return value
