"""The API's one description: the operations as a table, with the bodies of :mod:`.bodies`,
from which :func:`openapi` generates the OpenAPI 3.1 document served at
``/api/v1/openapi.json`` (never written by hand, so it cannot drift from the code).

The tests validate every response against the generated document with jsonschema, a check
independent of the handlers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from designer import __version__
from renderer.backoffice.workflow import STATUSES

from .bodies import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    PROBLEM_TYPE,
    AnnotationEntry,
    AnnotationList,
    DossierDetail,
    DossierPage,
    DossierSummary,
    FileEntry,
    HistoryEntry,
    MessageEntry,
    MessageList,
    NewAnnotation,
    NewMessage,
    NewMessageWithDocument,
    Problem,
    Reassignment,
    StatusChange,
    WebhookEvent,
)
from .events import CREATED, MESSAGE_RECEIVED, REASSIGNED, STATUS_CHANGED

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
    NewMessageWithDocument,
    AnnotationEntry,
    AnnotationList,
    NewAnnotation,
    Reassignment,
    WebhookEvent,
]


#: The bodies the API takes (described as they are validated, the others as they are sent).
TAKEN = (StatusChange, NewMessage, NewMessageWithDocument, NewAnnotation, Reassignment)


@dataclass(frozen=True)
class Operation:
    """One route of the API: its path and method, what it takes and what it answers."""

    name: str
    method: str
    path: str
    summary: str
    parameters: list[dict[str, Any]] = field(default_factory=list)
    body: type[BaseModel] | None = None
    #: The same operation's body as ``multipart/form-data`` (a message with its document).
    form: type[BaseModel] | None = None
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
        "Write to the citizen (e-mailed, or a letter to print when they chose the post), "
        "with a document or not",
        [REFERENCE],
        body=NewMessage,
        form=NewMessageWithDocument,
        responses={
            201: (MessageEntry, "The message, sent."),
            400: (Problem, "The body is not a message."),
            413: (Problem, "The body is too large."),
            415: (Problem, "The body is neither JSON nor a multipart form."),
            422: (Problem, "The message is empty, or the document not a PDF, JPG or PNG of "
                  "10 MB at most."),
            **_NOT_FOUND,
            **_ERRORS,
        },
    ),
    Operation(
        "api_annotations",
        "get",
        "/api/v1/dossiers/{reference}/annotations",
        "The agents' private annotations on the dossier, oldest first",
        [REFERENCE],
        responses={200: (AnnotationList, "The annotations."), **_NOT_FOUND, **_ERRORS},
    ),
    Operation(
        "api_annotation",
        "post",
        "/api/v1/dossiers/{reference}/annotations",
        "Add a private annotation for the agents (the citizen never reads it)",
        [REFERENCE],
        body=NewAnnotation,
        responses={
            201: (AnnotationEntry, "The annotation, added."),
            400: (Problem, "The body is not an annotation."),
            413: (Problem, "The body is too large."),
            415: (Problem, "The body is not JSON."),
            422: (Problem, "The annotation is empty."),
            **_NOT_FOUND,
            **_ERRORS,
        },
    ),
    Operation(
        "api_reassign",
        "post",
        "/api/v1/dossiers/{reference}/service",
        "Send the dossier to another service (it leaves this token's reach)",
        [REFERENCE],
        body=Reassignment,
        responses={
            200: (DossierSummary, "The dossier after the change, now the other service's."),
            400: (Problem, "The body is not a reassignment."),
            413: (Problem, "The body is too large."),
            415: (Problem, "The body is not JSON."),
            422: (Problem, "No such service, or the dossier's own."),
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
        [(m, "validation" if m in TAKEN else "serialization") for m in MODELS],
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
            content = {"application/json": {"schema": _ref(op.body)}}
            if op.form is not None:
                content["multipart/form-data"] = {"schema": _ref(op.form)}
            entry["requestBody"] = {"required": True, "content": content}
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
            MESSAGE_RECEIVED: _webhook(
                MESSAGE_RECEIVED, "The citizen wrote on the dossier's follow-up page"
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
