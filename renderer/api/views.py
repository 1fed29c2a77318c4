"""The API's handlers: a service's dossiers (listed, read, their files), their status
changes, their messages with the citizen, the agents' annotations and reassignments to
another service, each authorised by :func:`.auth.caller` and scoped to the token's service.

The data come from the back office's own code: the list from
:meth:`~renderer.backoffice.dossiers.Dossiers.changed` with the token as an instructeur of
its service, the answers from :func:`renderer.answers.exported` (as ``parcours export``
gives them), a status change from
:meth:`~renderer.backoffice.dossiers.Dossiers.change_status` (same transitions, reasons,
history, audit entry, citizen's e-mail and webhook as in the back office), a message from
:meth:`~renderer.backoffice.dossiers.Dossiers.message_from_agent` (the same audit entry,
and e-mail or letter to print, as an agent's), an annotation from
:meth:`~renderer.backoffice.dossiers.Dossiers.annotate` and a reassignment from
:meth:`~renderer.backoffice.dossiers.Dossiers.reassign` (the same checks of the service,
history, audit entry, e-mail to the new service and webhooks as an agent's). Handlers
that read the store are plain functions (run in the threadpool); those that read a body
read it, then hand over to the threadpool.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
from functools import cache
from typing import Any, TypeVar
from urllib.parse import urlencode

from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from renderer.agents.dossiers import download
from renderer.answers import exported
from renderer.backoffice.documents import LIMIT, BadDocument, attach_document
from renderer.backoffice.dossiers import Annotation, Dossier, Dossiers, Filters, Message
from renderer.backoffice.workflow import STATUSES, WorkflowError
from renderer.i18n import t
from renderer.web import parcours, url

from .auth import caller
from .bodies import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    MAX_MESSAGE,
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
    Reassignment,
    StatusChange,
)
from .problems import ApiProblem
from .spec import openapi
from .tokens import ServiceToken, token_id

MAX_PARAM = 200
Body = TypeVar("Body", bound=BaseModel)
#: A document sent with a message: its file name (as the program gave it) and its bytes.
Document = tuple[str | None, bytes]


def _link(request: Request, name: str, **params: str) -> str:
    """A URL of the API: the public URL's when one is configured, else the path (never
    the request's Host, docs/operations.md)."""
    return parcours(request).public_url + url(request, name, None, **params)


def _summary(request: Request, d: Dossier) -> DossierSummary:
    return DossierSummary.model_validate(
        {
            "reference": d.reference,
            "journey": d.journey_id,
            "service": d.service,
            "status": d.status,
            "created_at": d.created_at,
            "updated_at": d.updated_at,
            "decided_at": d.decided_at,
            "channel": d.channel,
            "contact_channel": d.contact_channel,
            "url": _link(request, "api_dossier", reference=d.reference),
        }
    )


def _json(model: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(
        model.model_dump(mode="json"), status_code=status, headers={"cache-control": "no-store"}
    )


def _bad(detail: str) -> ApiProblem:
    return ApiProblem(400, "bad_parameter", detail)


def _instant(text: str) -> str:
    """An ISO 8601 instant with its offset, as the store writes times (UTC, milliseconds)."""
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise _bad(
            "updated_since: an ISO 8601 date and time, e.g. 2026-05-04T09:30:00+02:00"
        ) from None
    if moment.tzinfo is None:
        raise _bad("updated_since: give the offset, e.g. +02:00 or Z")
    return moment.astimezone(datetime.UTC).isoformat(timespec="milliseconds")


def _cursor(text: str) -> tuple[str, str]:
    try:
        got = json.loads(base64.urlsafe_b64decode(text.encode("ascii") + b"=="))
    except (ValueError, UnicodeError, binascii.Error):
        raise _bad("cursor: give back the next_cursor of a page") from None
    if not (isinstance(got, list) and len(got) == 2 and all(isinstance(v, str) for v in got)):
        raise _bad("cursor: give back the next_cursor of a page")
    return got[0], got[1]


def _next_cursor(d: Dossier) -> str:
    raw = json.dumps([d.updated_at, d.reference], separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _limit(text: str | None) -> int:
    if text is None:
        return DEFAULT_LIMIT
    try:
        limit = int(text)
    except ValueError:
        limit = 0
    if not 1 <= limit <= MAX_LIMIT:
        raise _bad(f"limit: a whole number from 1 to {MAX_LIMIT}")
    return limit


def dossiers(request: Request) -> Response:
    """``GET /api/v1/dossiers``: the service's dossiers, oldest change first, by pages."""
    token = caller(request)
    q = request.query_params
    status = q.get("status")
    if status is not None and status not in STATUSES:
        raise _bad(f"status: one of {', '.join(STATUSES)}")
    since = q.get("updated_since")
    filters = Filters(
        status=status,
        journey=(q.get("journey") or "")[:MAX_PARAM] or None,
        updated_since=_instant(since[:MAX_PARAM]) if since else None,
    )
    after = _cursor(q["cursor"][:1000]) if q.get("cursor") else None
    limit = _limit(q.get("limit"))
    found = Dossiers(parcours(request).store).changed(token.principal(), filters, after, limit + 1)
    more = len(found) > limit
    found = found[:limit]
    cursor = _next_cursor(found[-1]) if more and found else None
    kept = {k: v for k, v in q.items() if k in ("status", "journey", "updated_since") and v}
    return _json(
        DossierPage(
            items=[_summary(request, d) for d in found],
            next_cursor=cursor,
            next=_link(request, "api_dossiers")
            + "?"
            + urlencode({**kept, "limit": str(limit), "cursor": cursor})
            if cursor
            else None,
        )
    )


def _dossier_of(request: Request, token: ServiceToken) -> Dossier:
    """The dossier of the URL if it is the token's service's; the same 404 otherwise
    (whether another service's dossier exists is not told)."""
    found = Dossiers(parcours(request).store).get(request.path_params["reference"][:MAX_PARAM])
    if found is None or not token.principal().may_see(found.service):
        raise ApiProblem(404, "not_found", "No such dossier for this token's service.")
    return found


def dossier(request: Request) -> Response:
    """``GET /api/v1/dossiers/{reference}``: the dossier, its answers, files and history."""
    token = caller(request)
    d = _dossier_of(request, token)
    store = parcours(request).store
    submission = store.submission(d.reference)
    if submission is None:  # pragma: no cover - a dossier is opened with its submission
        raise ApiProblem(404, "not_found")
    record = exported(submission)
    files = [
        FileEntry(
            id=f.id,
            name=f.name,
            content_type=f.content_type,
            size=f.size,
            sha256=f.sha256,
            question=f.question,
            created_at=f.created_at,
            url=_link(request, "api_file", reference=d.reference, file=f.id),
        )
        for f in store.files_of(submission.draft_id)
    ]
    history = [
        HistoryEntry.model_validate(
            {
                "at": h.at,
                "kind": h.kind,
                "before": h.before,
                "after": h.after,
                "note": h.note,
            }
        )
        for h in Dossiers(store).history(d.reference)
    ]
    return _json(
        DossierDetail(
            **_summary(request, d).model_dump(),
            journey_version=record["journey_version"],
            language=record["language"],
            outcome=record["outcome"],
            answers=record["answers"],
            provenance=record["provenance"],
            files=files,
            history=history,
        )
    )


def file(request: Request) -> Response:
    """``GET /api/v1/dossiers/{reference}/files/{file}``: a file of the dossier."""
    d = _dossier_of(request, caller(request))
    return download(request, d.reference, request.path_params["file"][:MAX_PARAM])


def _lang(request: Request) -> str:
    """French unless the program asks for English (``Accept-Language: en``)."""
    return "en" if request.headers.get("accept-language", "").lower().startswith("en") else "fr"


def _change(request: Request, token: ServiceToken, change: StatusChange) -> Response:
    d = _dossier_of(request, token)
    app = parcours(request)
    try:
        changed = Dossiers(app.store, app.catalog.services).change_status(
            token.principal(), d.reference, change.status, change.reason
        )
    except WorkflowError as refused:
        status = 409 if refused.key == "bo_transition_refused" else 422
        raise ApiProblem(status, refused.key, t(refused.key, _lang(request))) from None
    return _json(_summary(request, changed))


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def _errors(exc: ValidationError) -> str:
    """What is wrong with a body, for a person: the first five mistakes, where they are."""
    return "; ".join(
        f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in exc.errors()[:5]
    )


async def _body(request: Request, model: type[Body]) -> Body:
    """The request's JSON body as ``model`` (415 when not JSON, 400 when not that shape)."""
    if _media_type(request) != "application/json":
        raise ApiProblem(415, "not_json", "Send the body as application/json.")
    raw = await request.body()
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        raise ApiProblem(400, "bad_body", _errors(exc)) from None


async def status_post(request: Request) -> Response:
    """``POST /api/v1/dossiers/{reference}/status``: ``{"status": …, "reason": …}``."""
    token = await run_in_threadpool(caller, request)
    change = await _body(request, StatusChange)
    return await run_in_threadpool(_change, request, token, change)


def _message(request: Request, reference: str, m: Message) -> MessageEntry:
    return MessageEntry.model_validate(
        {
            "id": m.id,
            "at": m.at,
            "author": m.author,
            "body": m.body,
            "file_url": _link(request, "api_file", reference=reference, file=m.file_id)
            if m.file_id
            else None,
        }
    )


def messages(request: Request) -> Response:
    """``GET /api/v1/dossiers/{reference}/messages``: the messages with the citizen."""
    d = _dossier_of(request, caller(request))
    found = Dossiers(parcours(request).store).messages(d.reference)
    return _json(MessageList(items=[_message(request, d.reference, m) for m in found]))


def _not_blank(request: Request, text: str) -> None:
    """A text of blanks is refused as on the agents' pages (422 ``bo_empty``)."""
    if not text.strip():
        raise ApiProblem(422, "bo_empty", t("bo_empty", _lang(request)))


def _write(
    request: Request, token: ServiceToken, new: NewMessage, document: Document | None
) -> Response:
    d = _dossier_of(request, token)
    _not_blank(request, new.body)
    store = parcours(request).store
    file_id = None
    if document is not None:
        # The check of every document added after sending (the citizens' answers, the
        # agents' decisions): PDF, JPG or PNG, 10 MB at most, by its content.
        try:
            file_id = attach_document(store, d.reference, "message", *document)
        except BadDocument:
            raise ApiProblem(422, "bad_document", t("follow_bad_file", _lang(request))) from None
    dossiers = Dossiers(store)
    written = dossiers.message_from_agent(token.principal(), d.reference, new.body, file_id)
    sent = next(m for m in dossiers.messages(d.reference) if m.id == written)
    return _json(_message(request, d.reference, sent), status=201)


async def _message_form(request: Request) -> tuple[NewMessage, Document]:
    """A message with its document, posted as ``multipart/form-data``: one ``body`` field
    and one ``document`` file, nothing else (400 otherwise); the document's bytes are read
    up to one byte past the limit, for :func:`attach_document` to refuse."""
    try:
        form = await request.form(max_files=1, max_fields=1, max_part_size=4 * MAX_MESSAGE)
    except (HTTPException, MultiPartException):
        raise ApiProblem(400, "bad_body", "A form of one body and one document.") from None
    try:
        fields = dict(form.multi_items())
        upload = fields.get("document")
        if (len(form.multi_items()) != len(fields) or set(fields) - {"body", "document"}
                or not isinstance(upload, UploadFile) or not isinstance(fields.get("body"), str)):
            raise ApiProblem(400, "bad_body", "A form of one body and one document.")
        data = await upload.read(LIMIT + 1)
        try:
            new = NewMessageWithDocument.model_validate({"body": fields["body"], "document": data})
        except ValidationError as exc:
            raise ApiProblem(400, "bad_body", _errors(exc)) from None
        return new, (upload.filename, new.document)
    finally:
        await form.close()


async def message_post(request: Request) -> Response:
    """``POST /api/v1/dossiers/{reference}/messages``: ``{"body": …}``, to the citizen; or a
    ``multipart/form-data`` of a ``body`` and a ``document``."""
    token = await run_in_threadpool(caller, request)
    document: Document | None = None
    if _media_type(request) == "multipart/form-data":
        new, document = await _message_form(request)
    else:
        new = await _body(request, NewMessage)
    return await run_in_threadpool(_write, request, token, new, document)


def _annotation(a: Annotation) -> AnnotationEntry:
    return AnnotationEntry.model_validate(
        {"id": a.id, "at": a.at, "body": a.body, "by_token": token_id(a.agent_id)}
    )


def annotation_list(request: Request) -> Response:
    """``GET /api/v1/dossiers/{reference}/annotations``: the agents' private notes."""
    d = _dossier_of(request, caller(request))
    found = Dossiers(parcours(request).store).annotations(d.reference)
    return _json(AnnotationList(items=[_annotation(a) for a in found]))


def _annotate(request: Request, token: ServiceToken, new: NewAnnotation) -> Response:
    d = _dossier_of(request, token)
    _not_blank(request, new.body)
    dossiers = Dossiers(parcours(request).store)
    written = dossiers.annotate(token.principal(), d.reference, new.body)
    noted = next(a for a in dossiers.annotations(d.reference) if a.id == written)
    return _json(_annotation(noted), status=201)


async def annotation_post(request: Request) -> Response:
    """``POST /api/v1/dossiers/{reference}/annotations``: ``{"body": …}``, for the agents."""
    token = await run_in_threadpool(caller, request)
    new = await _body(request, NewAnnotation)
    return await run_in_threadpool(_annotate, request, token, new)


def _reassign(request: Request, token: ServiceToken, change: Reassignment) -> Response:
    d = _dossier_of(request, token)
    app = parcours(request)
    try:
        moved = Dossiers(app.store, app.catalog.services).reassign(
            token.principal(), d.reference, change.service, change.note
        )
    except WorkflowError as refused:
        raise ApiProblem(422, refused.key, t(refused.key, _lang(request))) from None
    return _json(_summary(request, moved))


async def service_post(request: Request) -> Response:
    """``POST /api/v1/dossiers/{reference}/service``: ``{"service": …, "note": …}``."""
    token = await run_in_threadpool(caller, request)
    change = await _body(request, Reassignment)
    return await run_in_threadpool(_reassign, request, token, change)


@cache
def _document() -> bytes:
    return json.dumps(openapi(), ensure_ascii=False, indent=1).encode("utf-8")


def openapi_document(request: Request) -> Response:
    """``GET /api/v1/openapi.json``: the OpenAPI 3.1 description (public)."""
    return Response(
        _document(), media_type="application/json", headers={"cache-control": "public, max-age=300"}
    )
