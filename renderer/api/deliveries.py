"""The webhooks' deliveries as an administrator sees them on the back office's page
(renderer/agents/webhooks.py): each event of the outbox with its state and its last attempt,
found by service and state, and the audited "retry now" that re-queues one for the
webhooks' job.

A delivery is one outbox row of kind ``webhook`` (one event for one service); its attempts
are the rows of ``webhook_deliveries`` (renderer/api/webhooks.py logs them). Retrying never
sends from the request: it makes the row due now (and allows a given-up row one more
attempt), and :func:`renderer.api.webhooks.deliver_webhooks`, run by the ``webhooks`` job,
sends it as it sends every event, with the same id and body.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from renderer.backoffice import audit, outbox
from renderer.store import Store, now

#: A delivery's states: not attempted yet, failed and to be retried, given up after its
#: attempts, accepted by the receiver.
PENDING, FAILING, GIVEN_UP, DELIVERED = "pending", "failing", "given_up", "delivered"
#: The page's filters: ``failed`` is failing or given up (an attempt failed, none succeeded).
FILTERS = {
    "failed": "sent_at IS NULL AND attempts > 0",
    "pending": "sent_at IS NULL AND attempts = 0",
    "delivered": "sent_at IS NOT NULL",
}
#: Deliveries per page.
PAGE_SIZE = 50
#: Counted up to this many (the page says "more than"); the outbox is never purged.
COUNT_CAP = 5000


@dataclass
class WebhookDelivery:
    """One event for one service's webhook, with its state and its last attempt."""

    id: str
    service: str
    event: str
    reference: str
    url: str
    created_at: str
    #: Attempts made (the accepted one included).
    attempts: int
    state: str
    next_attempt_at: str | None
    sent_at: str | None
    last_attempt_at: str | None
    status_code: int | None
    error: str | None

    @property
    def retryable(self) -> bool:
        """Whether the page offers "retry now" (an attempt failed and none succeeded)."""
        return self.state in (FAILING, GIVEN_UP)


class RetryRefused(Exception):
    """Why a retry changed nothing: the message's key and the HTTP status to answer."""

    def __init__(self, key: str, status: int) -> None:
        super().__init__(key)
        self.key = key
        self.status = status


def _state(attempts: int, limit: int, sent_at: str | None) -> str:
    if sent_at:
        return DELIVERED
    if attempts == 0:
        return PENDING
    return GIVEN_UP if attempts >= limit else FAILING


def _where(service: str | None, state: str | None) -> tuple[str, list[Any]]:
    where, params = ["kind = ?"], [outbox.WEBHOOK]
    if service:
        where.append("service = ?")
        params.append(service)
    if state in FILTERS:
        where.append(FILTERS[str(state)])
    return " AND ".join(where), params


def count(store: Store, service: str | None = None, state: str | None = None) -> int:
    """How many deliveries (of one service, in one of :data:`FILTERS`), counted up to
    :data:`COUNT_CAP` + 1."""
    clause, params = _where(service, state)
    return int(
        store._one(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM outbox WHERE {clause} LIMIT ?) AS capped",
            [*params, COUNT_CAP + 1],
        )[0]
    )


def listing(
    store: Store,
    service: str | None = None,
    state: str | None = None,
    offset: int = 0,
    limit: int = PAGE_SIZE,
) -> list[WebhookDelivery]:
    """The deliveries newest first (of one service, in one of :data:`FILTERS`), from
    ``offset``."""
    clause, params = _where(service, state)
    rows = store._all(
        "SELECT id, recipient, payload, created_at, attempts, COALESCE(max_attempts, ?), "
        f"next_attempt_at, sent_at, last_error FROM outbox WHERE {clause} "
        "ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
        [outbox.MAX_ATTEMPTS, *params, limit, offset],
    )
    last = _last_attempts(store, [str(r[0]) for r in rows])
    found = []
    for r in rows:
        payload = json.loads(r[2])
        state_now = _state(int(r[4]), int(r[5]), r[7])
        # The outbox counts failures; the log numbers every attempt, the accepted one too.
        number, at, status, error = last.get(str(r[0]), (0, None, None, r[8]))
        found.append(
            WebhookDelivery(
                id=r[0],
                service=str(payload.get("service", "")),
                event=str(payload.get("event", "")),
                reference=str(payload.get("reference", "")),
                url=r[1],
                created_at=r[3],
                attempts=max(int(r[4]), number),
                state=state_now,
                next_attempt_at=r[6] if state_now in (PENDING, FAILING) else None,
                sent_at=r[7],
                last_attempt_at=at,
                status_code=status,
                error=error,
            )
        )
    return found


def _last_attempts(
    store: Store, ids: list[str]
) -> dict[str, tuple[int, str | None, int | None, str | None]]:
    """The last logged attempt of each delivery: its number, when, the status code, the
    error."""
    if not ids:
        return {}
    marks = ", ".join("?" * len(ids))
    rows = store._all(
        "SELECT outbox_id, attempt, at, status_code, error FROM webhook_deliveries "
        f"WHERE outbox_id IN ({marks}) ORDER BY outbox_id, attempt",
        ids,
    )
    # Ordered by attempt: the last row of each id wins.
    return {r[0]: (int(r[1]), r[2], None if r[3] is None else int(r[3]), r[4]) for r in rows}


def retry(store: Store, agent_id: str, delivery_id: str) -> str:
    """Make a delivery due now for the webhooks' job (a given-up one gets one more attempt),
    audited as ``webhook_retry`` in the same transaction; its dossier's reference. Raise
    :class:`RetryRefused` (nothing changed) for an unknown id, a delivery already accepted,
    or one a worker is sending right now (its lease runs)."""
    stamp = now()
    with store.transaction(exclusive=True) as conn:
        row = store._execute(
            conn,
            "SELECT payload, attempts, max_attempts, next_attempt_at, claimed_until, sent_at, "
            "last_error FROM outbox WHERE id = ? AND kind = ?",
            (delivery_id, outbox.WEBHOOK),
        ).fetchone()
        if row is None:
            raise RetryRefused("wh_retry_unknown", 404)
        payload: dict[str, Any] = json.loads(row[0])
        attempts, allowed, claimed, sent = int(row[1]), row[2], row[4], row[5]
        if sent:
            raise RetryRefused("wh_retry_delivered", 409)
        if claimed and claimed >= stamp:
            raise RetryRefused("wh_retry_sending", 409)
        limit = outbox.MAX_ATTEMPTS if allowed is None else int(allowed)
        raised = attempts + 1 if attempts >= limit else allowed
        store._execute(
            conn,
            "UPDATE outbox SET next_attempt_at = ?, max_attempts = ?, claimed_until = NULL "
            "WHERE id = ?",
            (stamp, raised, delivery_id),
        )
        reference = str(payload.get("reference", ""))
        audit.record(
            store,
            conn,
            agent_id,
            "webhook_retry",
            reference or None,
            {
                "delivery": delivery_id,
                "service": payload.get("service"),
                "event": payload.get("event"),
                "attempts": attempts,
                "next_attempt_at": row[3],
                "last_error": row[6],
                "given_up": attempts >= limit,
            },
            {"delivery": delivery_id, "next_attempt_at": stamp, "max_attempts": raised},
        )
    return reference
