"""The outbox: notifications written with the change that causes them, sent later.

:func:`enqueue` inserts a row inside the caller's transaction, so a notification exists
if and only if its change committed. Delivery (``renderer.backoffice.delivery``) claims due
rows with a lease, sends, then marks them sent; a failure schedules a retry with
exponential backoff. A crash between sending and marking can only repeat a message whose
lease expired, never lose one; the message id (``Message-ID``) lets a mail system drop the
duplicate.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from renderer.store import Store, now

#: Attempts before a notification is given up (kept, with its last error, for an operator;
#: a row's ``max_attempts`` overrides it once an administrator retried a given-up webhook).
MAX_ATTEMPTS = 8
#: Seconds a worker holds a claimed row before another may take it.
LEASE_SECONDS = 60
#: The kind of the rows that are webhooks (renderer/api/webhooks.py), delivered over HTTP by
#: their own worker; every other kind is an e-mail.
WEBHOOK = "webhook"


@dataclass
class Notification:
    """One message to send: its kind (the template), recipient and data."""

    id: str
    kind: str
    recipient: str
    payload: dict[str, Any]
    attempts: int


def enqueue(store: Store, conn: Any, kind: str, recipient: str | None,
            payload: dict[str, Any], service: str | None = None) -> None:
    """Add a notification in the caller's transaction (nothing when there is no recipient);
    ``service``: the service a webhook is for (its deliveries' page filters by it)."""
    if not recipient:
        return
    stamp = now()
    store._execute(
        conn,
        "INSERT INTO outbox (id, kind, recipient, payload, created_at, attempts, "
        "next_attempt_at, service) VALUES (?, ?, ?, ?, ?, 0, ?, ?)",
        (secrets.token_urlsafe(12), kind, recipient, json.dumps(payload, ensure_ascii=False),
         stamp, stamp, service),
    )


def backoff(attempts: int) -> timedelta:
    """The wait before retry number ``attempts``: 30 s, 1 min, 2 min… at most 2 hours."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 7200))


def claim(store: Store, limit: int = 20, webhooks: bool = False) -> list[Notification]:
    """Take due notifications with a lease (no other worker sends them meanwhile): the
    e-mails, or with ``webhooks`` the webhooks (each channel has its own worker, so that a
    server with webhooks and no mail transport still delivers them)."""
    stamp = now()
    lease = (datetime.now(UTC) + timedelta(seconds=LEASE_SECONDS)).isoformat(
        timespec="milliseconds")
    claimed: list[Notification] = []
    with store.transaction(exclusive=True) as conn:
        rows = store._execute(
            conn,
            "SELECT id, kind, recipient, payload, attempts FROM outbox "
            "WHERE sent_at IS NULL AND attempts < COALESCE(max_attempts, ?) "
            "AND next_attempt_at <= ? "
            "AND (claimed_until IS NULL OR claimed_until < ?) "
            f"AND kind {'=' if webhooks else '<>'} ? "
            "ORDER BY next_attempt_at, id LIMIT ?",
            (MAX_ATTEMPTS, stamp, stamp, WEBHOOK, limit),
        ).fetchall()
        for r in rows:
            store._execute(conn, "UPDATE outbox SET claimed_until = ? WHERE id = ?",
                           (lease, r[0]))
            claimed.append(Notification(r[0], r[1], r[2], json.loads(r[3]), int(r[4])))
    return claimed


def mark_sent(store: Store, notification_id: str) -> None:
    """Record a delivery (never sent again)."""
    store._write("UPDATE outbox SET sent_at = ?, claimed_until = NULL WHERE id = ?",
                 (now(), notification_id))


def mark_failed(store: Store, n: Notification, error: str) -> None:
    """Record a failed attempt and when to try again."""
    attempts = n.attempts + 1
    retry = (datetime.now(UTC) + backoff(attempts)).isoformat(timespec="milliseconds")
    store._write(
        "UPDATE outbox SET attempts = ?, next_attempt_at = ?, claimed_until = NULL, "
        "last_error = ? WHERE id = ?",
        (attempts, retry, error[:500], n.id),
    )


def pending(store: Store) -> list[tuple[str, str, str, int, str | None]]:
    """(kind, recipient, created_at, attempts, last_error) of every unsent notification."""
    rows = store._all(
        "SELECT kind, recipient, created_at, attempts, last_error FROM outbox "
        "WHERE sent_at IS NULL ORDER BY created_at, id"
    )
    return [(r[0], r[1], r[2], int(r[3]), r[4]) for r in rows]
