"""The API's one description: the bodies as pydantic models and the operations as a table,
from which :func:`openapi` generates the OpenAPI 3.1 document served at
``/api/v1/openapi.json`` (never written by hand, so it cannot drift from the code).

The handlers (:mod:`.views`) build every JSON body through these models; the tests validate
every response against the generated document with jsonschema, a check independent of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import models_json_schema

from designer import __version__
from renderer.backoffice.dossiers import CHANNELS
from renderer.backoffice.letters import CONTACT_CHANNELS
from renderer.backoffice.workflow import STATUSES

from .events import CREATED, EVENTS, REASSIGNED, STATUS_CHANGED

#: Largest page of the dossiers' list, and the default.
MAX_LIMIT = 100
DEFAULT_LIMIT = 50
MAX_REASON = 5000
#: Longest message to the citizen.
MAX_MESSAGE = 10_000
PROBLEM_TYPE = "application/problem+json"

Instant = Annotated[
    str,
    Field(
        json_schema_extra={"format": "date-time"},
        description="ISO 8601, UTC, e.g. 2026-05-04T09:30:00.000+00:00",
    ),
]
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
    question: str = Field(description="The question it answers (or `decision`, `message`).")
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
    reason: str | None = Field(
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

    body: str = Field(
        min_length=1, max_length=MAX_MESSAGE, description="The text the citizen reads."
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


EventType = Literal["dossier.created", "dossier.status_changed", "dossier.reassigned"]
assert get_args(EventType) == EVENTS  # one list of events: renderer/api/events.py's


class WebhookEvent(BaseModel):
    """A webhook's body; `id` is the same on every retry of one event."""

    id: str
    type: EventType
    created_at: Instant
    data: WebhookData


MODELS: list[type[BaseModel]] = [
    Problem,
    DossierSummary,
    DossierPage,
    FileEntry,
    HistoryEntry,
    DossierDetail,
    StatusChange,
    MessageEntry,
    MessageList,
    NewMessage,
    WebhookEvent,
]


@dataclass(frozen=True)
class Operation:
    """One route of the API: its path and method, what it takes and what it answers."""

    name: str
    method: str
    path: str
    summary: str
    parameters: list[dict[str, Any]] = field(default_factory=list)
    body: type[BaseModel] | None = None
    #: Status → the model of the body (None: a file), and the description.
    responses: dict[int, tuple[type[BaseModel] | None, str]] = field(default_factory=dict)
    public: bool = False


def _query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


REFERENCE = {"name": "reference", "in": "path", "required": True, "schema": {"type": "string"}}
_ERRORS: dict[int, tuple[type[BaseModel] | None, str]] = {
    401: (Problem, "No token, or not a valid one."),
    429: (Problem, "Too many wrong tokens from this address: wait."),
    500: (Problem, "An error on the server's side (logged; no detail is given)."),
    503: (Problem, "The database is busy: try again after Retry-After seconds."),
}
_NOT_FOUND: dict[int, tuple[type[BaseModel] | None, str]] = {
    404: (Problem, "No such dossier in the token's service.")
}

OPERATIONS: tuple[Operation, ...] = (
    Operation(
        "api_dossiers",
        "get",
        "/api/v1/dossiers",
        "The service's dossiers, oldest change first, a page at a time",
        [
            _query("status", {"enum": list(STATUSES)}, "Only dossiers of this status."),
            _query("journey", {"type": "string"}, "Only dossiers of this journey."),
            _query(
                "updated_since",
                {"type": "string", "format": "date-time"},
                "Only dossiers changed at or after this instant (ISO 8601).",
            ),
            _query("cursor", {"type": "string"}, "`next_cursor` of the page before."),
            _query(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
                "Dossiers per page.",
            ),
        ],
        responses={
            200: (DossierPage, "A page of dossiers."),
            400: (Problem, "A parameter is not valid."),
            **_ERRORS,
        },
    ),
    Operation(
        "api_dossier",
        "get",
        "/api/v1/dossiers/{reference}",
        "A dossier with its answers, files and history",
        [REFERENCE],
        responses={200: (DossierDetail, "The dossier."), **_NOT_FOUND, **_ERRORS},
    ),
    Operation(
        "api_file",
        "get",
        "/api/v1/dossiers/{reference}/files/{file}",
        "A file of the dossier",
        [REFERENCE, {"name": "file", "in": "path", "required": True, "schema": {"type": "string"}}],
        responses={
            200: (None, "The file's bytes, as an attachment."),
            404: (Problem, "No such file in this dossier."),
            **_ERRORS,
        },
    ),
    Operation(
        "api_status",
        "post",
        "/api/v1/dossiers/{reference}/status",
        "Move the dossier along the workflow (the citizen is told)",
        [REFERENCE],
        body=StatusChange,
        responses={
            200: (DossierSummary, "The dossier after the change."),
            400: (Problem, "The body is not a status change."),
            409: (Problem, "The workflow does not allow this change now."),
            413: (Problem, "The body is too large."),
            415: (Problem, "The body is not JSON."),
            422: (Problem, "A refusal or closing without a reason."),
            **_NOT_FOUND,
            **_ERRORS,
        },
    ),
    Operation(
        "api_messages",
        "get",
        "/api/v1/dossiers/{reference}/messages",
        "The dossier's messages with the citizen, oldest first",
        [REFERENCE],
        responses={200: (MessageList, "The messages."), **_NOT_FOUND, **_ERRORS},
    ),
    Operation(
        "api_message",
        "post",
        "/api/v1/dossiers/{reference}/messages",
        "Write to the citizen (e-mailed, or a letter to print when they chose the post)",
        [REFERENCE],
        body=NewMessage,
        responses={
            201: (MessageEntry, "The message, sent."),
            400: (Problem, "The body is not a message."),
            413: (Problem, "The body is too large."),
            415: (Problem, "The body is not JSON."),
            422: (Problem, "The message is empty."),
            **_NOT_FOUND,
            **_ERRORS,
        },
    ),
    Operation(
        "api_openapi",
        "get",
        "/api/v1/openapi.json",
        "This description",
        responses={200: (None, "The OpenAPI 3.1 document.")},
        public=True,
    ),
)


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _responses(op: Operation) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for status, (model, description) in op.responses.items():
        if model is None:
            kind = "application/json" if op.public else "application/octet-stream"
            out[str(status)] = {"description": description, "content": {kind: {"schema": {}}}}
        else:
            kind = PROBLEM_TYPE if model is Problem else "application/json"
            out[str(status)] = {
                "description": description,
                "content": {kind: {"schema": _ref(model)}},
            }
    return out


def _webhook(event: str, summary: str) -> dict[str, Any]:
    headers = [
        {
            "name": "X-Parcours-Timestamp",
            "in": "header",
            "required": True,
            "schema": {"type": "string"},
            "description": "Unix time of this attempt, seconds.",
        },
        {
            "name": "X-Parcours-Signature",
            "in": "header",
            "required": True,
            "schema": {"type": "string", "pattern": "^sha256=[0-9a-f]{64}$"},
            "description": "sha256=HMAC-SHA256(secret, timestamp + '.' + body), hexadecimal.",
        },
        {
            "name": "X-Parcours-Event",
            "in": "header",
            "required": True,
            "schema": {"type": "string", "enum": [event]},
        },
        {
            "name": "X-Parcours-Delivery",
            "in": "header",
            "required": True,
            "schema": {"type": "string"},
            "description": "The same on every retry.",
        },
    ]
    return {
        "post": {
            "summary": summary,
            "parameters": headers,
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref(WebhookEvent)}},
            },
            "responses": {
                "2XX": {"description": "Received (anything else is retried, with backoff)."}
            },
        }
    }


def openapi() -> dict[str, Any]:
    """The OpenAPI 3.1 document of the API (and of its webhooks)."""
    _, schemas = models_json_schema(
        [(m, "validation" if m in (StatusChange, NewMessage) else "serialization") for m in MODELS],
        ref_template="#/components/schemas/{model}",
    )
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        entry: dict[str, Any] = {
            "operationId": op.name,
            "summary": op.summary,
            "parameters": op.parameters,
            "responses": _responses(op),
        }
        if op.public:
            entry["security"] = []
        if op.body is not None:
            entry["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": _ref(op.body)}},
            }
        paths.setdefault(op.path, {})[op.method] = entry
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Parcours — API des services / services' API",
            "version": __version__,
            "description": "The dossiers of one service, for its own systems "
            "(docs/api.md). Authenticate with a service token: "
            "`Authorization: Bearer pcs_…` (`parcours token add`).",
        },
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "servers": [{"url": "/"}],
        "security": [{"serviceToken": []}],
        "paths": paths,
        "webhooks": {
            CREATED: _webhook(CREATED, "A dossier was sent to the service"),
            STATUS_CHANGED: _webhook(STATUS_CHANGED, "A dossier's status changed"),
            REASSIGNED: _webhook(
                REASSIGNED, "A dossier was sent to another service (told to both services)"
            ),
        },
        "components": {
            "schemas": schemas.get("$defs", {}),
            "securitySchemes": {
                "serviceToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A service token (parcours token add --service ID).",
                }
            },
        },
    }
