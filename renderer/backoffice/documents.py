"""Documents added after sending: the citizen's answers to a request, an agent's decision
or message (from the back office or the API).

One check for all (PDF, JPG or PNG, 10 MB at most, recognised by their content, as the
journeys' file questions are), stored with the dossier's draft so that the dossier's own
file routes serve them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from designer.values.uploads import check_file, sniff_kind
from renderer.store import Store

ACCEPT = ["pdf", "jpg", "png"]
MAX_SIZE = "10MB"
LIMIT = 10_000_000
CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg"}


class BadDocument(ValueError):
    """The upload is empty, too large or not a PDF, JPG or PNG."""


def has_upload(value: Any) -> bool:
    """Whether a form field holds a chosen file (not a text, not an empty file input)."""
    return value is not None and not isinstance(value, str) and bool(value.filename)


def attach_upload(store: Store, reference: str, question: str, upload: Any) -> str:
    """Check and store a document uploaded on a page for the dossier ``reference`` after it
    was sent (an agent's decision or message, the citizen's follow-up); its file id. Raises
    :class:`BadDocument`.

    Called from a page running in the thread pool: the upload is already spooled (the
    form was read), so reading its file here blocks no event loop."""
    return attach_document(store, reference, question, upload.filename,
                           upload.file.read(LIMIT + 1))


def attach_document(store: Store, reference: str, question: str, filename: str | None,
                    data: bytes) -> str:
    """Check and store a document's bytes for the dossier ``reference``, among the files of
    the draft it was sent from; its file id. Raises :class:`BadDocument`."""
    submission = store.submission(reference)
    assert submission is not None  # a dossier is opened with its submission
    return store_document(store, submission.draft_id, question, filename, data)


def store_document(store: Store, draft_id: str, question: str, filename: str | None,
                   data: bytes) -> str:
    """Check and store a document's bytes (read up to ``LIMIT + 1``); its file id. Raises
    :class:`BadDocument`."""
    if check_file(data[:64], len(data), accept=ACCEPT, max_size=MAX_SIZE) is not None:
        raise BadDocument(filename)
    kind = sniff_kind(data[:64]) or "pdf"
    name = Path((filename or "document").replace("\\", "/")).name[:200] or "document"
    return store.save_file(draft_id, question, name,
                           CONTENT_TYPES.get(kind, "application/octet-stream"), data).id
