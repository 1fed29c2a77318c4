"""The API's bodies as pydantic models: what it answers, what it takes, and what a webhook
sends. The handlers (:mod:`.views`) build every JSON body through them; :mod:`.spec`
generates the OpenAPI document's schemas from them.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from designer.values.cleaning import clean_text
from designer.values.results import InvalidAnswer
from renderer.backoffice.dossiers import CHANNELS
from renderer.backoffice.letters import CONTACT_CHANNELS
from renderer.backoffice.workflow import STATUSES

from .events import EVENTS

#: Largest page of the dossiers' list, and the default.
MAX_LIMIT = 100
DEFAULT_LIMIT = 50
MAX_REASON = 5000
#: Longest message to the citizen, or annotation.
MAX_MESSAGE = 10_000
#: Longest service id asked for (the organisation's are short names).
MAX_SERVICE = 200
PROBLEM_TYPE = "application/problem+json"

Instant = Annotated[
    str,
    Field(
        json_schema_extra={"format": "date-time"},
        description="ISO 8601, UTC, e.g. 2026-05-04T09:30:00.000+00:00",
    ),
]


def _clean(text: str) -> str:
    """A text a person will read, kept as the citizens' answers are
    (:func:`designer.values.cleaning.clean_text`): trimmed, NFC, invisible and bidirectional
    characters dropped; control characters refused (NUL above all, which PostgreSQL cannot
    store), as a 400 rather than a 500."""
    cleaned = clean_text(text, multiline=True)
    if isinstance(cleaned, InvalidAnswer):
        raise ValueError("control characters are not allowed (tabs and newlines are)")
    return cleaned


#: A text of a body: a message, an annotation, a reason, a note.
Text = Annotated[str, AfterValidator(_clean)]
Status = Literal["en_construction", "en_instruction", "accepte", "refuse", "classe_sans_suite"]
assert set(get_args(Status)) == set(STATUSES)  # one list of statuses: the workflow's
Channel = Literal["en_ligne", "accompagne", "papier"]
assert set(get_args(Channel)) == set(CHANNELS)  # one list of channels: the dossiers'
Contact = Literal["email", "post"]
assert set(get_args(Contact)) == set(CONTACT_CHANNELS)


class Problem(BaseModel):
    """An error, as RFC 9457 problem details (``application/problem+json``)."""

    type: str = Field("about:blank", description="A URI naming the kind of problem.")
    title: str = Field(description="A short summary, the same for every problem of its kind.")
    status: int = Field(description="The HTTP status code.")
    detail: str | None = Field(None, description="What went wrong this time, for a person.")
    code: str | None = Field(None, description="A stable name of the problem, for programs.")


class DossierSummary(BaseModel):
    """A dossier as listed: where it stands."""

    reference: str = Field(description="The dossier's reference, e.g. PAR-7K2M-9QXD.")
    journey: str = Field(description="The id of the journey it was sent through.")
    service: str | None = Field(description="The service that processes it.")
    status: Status = Field(description="Its status in the workflow (docs/backoffice.md).")
    created_at: Instant
    updated_at: Instant
    decided_at: Instant | None
    channel: Channel = Field(description="How it was sent: online, with a mediator, or on "
                             "paper keyed at the desk (docs/mediation.md).")
    contact_channel: Contact = Field(
        description="How the citizen asked to be told: by e-mail or by letter.")
    url: str = Field(description="The dossier in this API.")


class DossierPage(BaseModel):
    """One page of dossiers, in the order they last changed (oldest change first)."""

    items: list[DossierSummary]
    next_cursor: str | None = Field(
        description="Give it as `cursor` for the next page; null on the last page."
    )
    next: str | None = Field(description="The next page's URL; null on the last page.")


class FileEntry(BaseModel):
    """A file of the dossier: an answer's, a message's attachment, a decision document."""

    id: str
    name: str
    content_type: str
    size: int
    sha256: str
    question: str = Field(
        description="The question it answers; or `decision` (an agent's decision document), "
        "`follow-up` (the citizen's, with a message), `message` (sent with a message by the API)."
    )
    created_at: Instant
    url: str = Field(description="Where to download it with the same token.")


class HistoryEntry(BaseModel):
    """A change of the dossier: created, a status, a service."""

    at: Instant
    kind: Literal["created", "status", "service"]
    before: str | None
    after: str | None
    note: str | None = Field(
        description="The reason of a refusal or closing, a reassignment's note."
    )


class DossierDetail(DossierSummary):
    """A dossier with its answers (as `parcours export` gives them), files and history."""

    journey_version: str = Field(description="The content hash of the journey's version.")
    language: str
    outcome: str | None
    answers: dict[str, Any] = Field(
        description="Question id → answer, as plain JSON: a date is YYYY-MM-DD (docs/renderer.md)."
    )
    provenance: dict[str, Any] = Field(
        description="Question id → where a prefilled answer "
        "came from; absent: typed by the citizen."
    )
    files: list[FileEntry]
    history: list[HistoryEntry]


class StatusChange(BaseModel):
    """A status change asked for by the service's system (the back office's workflow)."""

    model_config = ConfigDict(extra="forbid")

    status: Status
    reason: Text | None = Field(
        None,
        max_length=MAX_REASON,
        description="Required for refuse and classe_sans_suite; the citizen reads it.",
    )


class MessageEntry(BaseModel):
    """A message between the service and the citizen, as the follow-up page shows them."""

    id: str
    at: Instant
    author: Literal["agent", "citizen"] = Field(
        description="Who wrote it: the service (an agent, or a program with its token) or "
        "the citizen (from the follow-up page)."
    )
    body: str
    file_url: str | None = Field(
        description="The document attached to it, downloaded with the same token; or null."
    )


class MessageList(BaseModel):
    """The dossier's messages, oldest first (the agents' private annotations are not)."""

    items: list[MessageEntry]


class NewMessage(BaseModel):
    """A message to the citizen: e-mailed, or printed for the post, as they chose."""

    model_config = ConfigDict(extra="forbid")

    body: Text = Field(
        min_length=1, max_length=MAX_MESSAGE, description="The text the citizen reads."
    )


class NewMessageWithDocument(NewMessage):
    """A message to the citizen with a document, sent as `multipart/form-data` (a `body`
    field and a `document` file, nothing else); the citizen downloads it from the follow-up
    page."""

    document: bytes = Field(
        description="A PDF, JPG or PNG of 10 MB at most, recognised by its content (as the "
        "agents' and the citizens' documents are); its file name is kept."
    )


class AnnotationEntry(BaseModel):
    """A private note of the service's agents on the dossier (the citizen never reads it)."""

    id: str
    at: Instant
    body: str
    by_token: str | None = Field(
        description="The id of the token whose program wrote it (`parcours token list`); "
        "null when an agent wrote it on the back office."
    )


class AnnotationList(BaseModel):
    """The dossier's private annotations, oldest first."""

    items: list[AnnotationEntry]


class NewAnnotation(BaseModel):
    """A private note for the service's agents, beside the dossier."""

    model_config = ConfigDict(extra="forbid")

    body: Text = Field(
        min_length=1, max_length=MAX_MESSAGE, description="The note; the citizen never reads it."
    )


class Reassignment(BaseModel):
    """Send the dossier to another service of the organisation (as an agent does)."""

    model_config = ConfigDict(extra="forbid")

    service: str = Field(
        min_length=1,
        max_length=MAX_SERVICE,
        description="The id of a service of organisation.yaml, not the dossier's own.",
    )
    note: Text = Field(
        "",
        max_length=MAX_REASON,
        description="For the agents (in the dossier's history); the citizen never reads it.",
    )


class WebhookData(BaseModel):
    """The dossier an event is about."""

    reference: str
    journey: str
    service: str | None
    status: Status
    updated_at: Instant
    previous_status: Status | None = Field(
        None, description="dossier.status_changed: the status it left."
    )
    reason: str | None = Field(
        None, description="dossier.status_changed: the reason of a refusal or closing."
    )
    previous_service: str | None = Field(
        None,
        description="dossier.reassigned: the service it left (`service` is the one it went "
        "to; both are told, and only the new one reads it by the API from then on).",
    )
    message_id: str | None = Field(
        None,
        description="dossier.message_received: the citizen's message, among the dossier's "
        "messages (its text is not in the event: read it by the API).",
    )


EventType = Literal[
    "dossier.created", "dossier.status_changed", "dossier.reassigned", "dossier.message_received"
]
assert get_args(EventType) == EVENTS  # one list of events: renderer/api/events.py's


class WebhookEvent(BaseModel):
    """A webhook's body; `id` is the same on every retry of one event."""

    id: str
    type: EventType
    created_at: Instant
    data: WebhookData
