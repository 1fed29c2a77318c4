"""The webhook events of a dossier, written to the outbox in the transaction of the change.

Four events: ``dossier.created`` (a submission opened a dossier),
``dossier.status_changed`` (the workflow moved it, from the back office or the API),
``dossier.reassigned`` (an agent or a program sent it to another service: told to the new
service and to the one it left) and ``dossier.message_received`` (the citizen wrote from
the follow-up page; the event names the message, never its text). The
body is made once, here, and kept in the outbox row, so that every retry sends the same
bytes (only the signature's timestamp changes); ``id`` lets a receiver drop a repeat.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from designer.organisation import Webhook
from renderer.backoffice import outbox
from renderer.store import Store, now

CREATED = "dossier.created"
STATUS_CHANGED = "dossier.status_changed"
REASSIGNED = "dossier.reassigned"
MESSAGE_RECEIVED = "dossier.message_received"
EVENTS = (CREATED, STATUS_CHANGED, REASSIGNED, MESSAGE_RECEIVED)


def body(event: str, data: dict[str, Any]) -> str:
    """The JSON text of an event (compact, keys sorted: the bytes that are signed)."""
    return json.dumps(
        {
            "id": "evt_" + secrets.token_urlsafe(16),
            "type": event,
            "created_at": now(),
            "data": data,
        },
        ensure_ascii=False,
        separators=(",", ":"),
        sort_keys=True,
    )


def emit(
    store: Store,
    conn: Any,
    webhook: Webhook | None,
    service: str | None,
    event: str,
    data: dict[str, Any],
) -> None:
    """Queue ``event`` for the service's webhook in the caller's transaction (nothing when
    the service has none). The secret is not stored: only the name of its variable."""
    if webhook is None or service is None:
        return
    outbox.enqueue(
        store,
        conn,
        outbox.WEBHOOK,
        webhook.url,
        {
            "service": service,
            "event": event,
            "reference": data.get("reference", ""),
            "secret_env": webhook.secret_env,
            "body": body(event, data),
        },
        service,
    )
