"""Delivering the webhooks: each event of the outbox (renderer/api/events.py) POSTed to its
service's URL, signed, with retries and a log of every attempt.

The receiver checks ``X-Parcours-Signature: sha256=HEX``, the HMAC-SHA256 with the shared
secret of ``X-Parcours-Timestamp + "." + body``, and refuses a timestamp older than
:data:`TOLERANCE` seconds (a replay): :func:`verify` is that check. Any answer but 2xx, a
refused connection or a timeout is a failure, retried with the outbox's backoff; redirects
are not followed (a webhook URL says where, exactly). Like the e-mails, a crash between
sending and recording can only repeat an event, never lose one: ``X-Parcours-Delivery``
(and the body's ``id``) is the same on every attempt, so the receiver drops a repeat.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from designer import __version__
from designer.organisation import Service
from renderer.backoffice import outbox
from renderer.store import Store, now

log = logging.getLogger("parcours.webhooks")
#: Seconds a receiver accepts a timestamp for (older: a replay).
TOLERANCE = 300
#: Seconds to wait for a receiver's answer.
TIMEOUT = 10.0


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature header's value for a body sent at ``timestamp`` (Unix seconds)."""
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(
    secret: str, timestamp: str, body: bytes, signature: str, at: float | None = None
) -> bool:
    """A receiver's check: the signature matches and the timestamp is recent (constant-time
    comparison; a timestamp more than :data:`TOLERANCE` seconds away is refused)."""
    try:
        sent = int(timestamp)
    except ValueError:
        return False
    if abs((time.time() if at is None else at) - sent) > TOLERANCE:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


class WebhookFailed(Exception):
    """An attempt that did not reach a receiver that accepted it (with the receiver's
    status code when it answered)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


def post(url: str, body: bytes, headers: Mapping[str, str], timeout: float = TIMEOUT) -> int:
    """POST the body; the receiver's status code (a redirect is returned, not followed)."""
    request = urllib.request.Request(url, data=body, method="POST", headers=dict(headers))
    try:
        with _opener.open(request, timeout=timeout) as response:
            response.read(1024)
            return int(response.status)
    except urllib.error.HTTPError as answered:
        answered.close()
        return int(answered.code)


def _attempt(
    n: outbox.Notification, environ: Mapping[str, str], clock: Callable[[], float], timeout: float
) -> int:
    p = n.payload
    secret = environ.get(str(p["secret_env"]))
    if not secret:
        raise WebhookFailed(f"the secret's variable {p['secret_env']} is not set")
    body = str(p["body"]).encode("utf-8")
    timestamp = str(int(clock()))
    status = post(
        n.recipient,
        body,
        {
            "Content-Type": "application/json",
            "User-Agent": f"Parcours-Webhooks/{__version__}",
            "X-Parcours-Event": str(p["event"]),
            "X-Parcours-Delivery": n.id,
            "X-Parcours-Timestamp": timestamp,
            "X-Parcours-Signature": sign(secret, timestamp, body),
        },
        timeout,
    )
    if not 200 <= status < 300:
        raise WebhookFailed(f"HTTP {status}", status)
    return status


def _record(
    store: Store, n: outbox.Notification, status: int | None, error: str | None, started: float
) -> None:
    p = n.payload
    store._write(
        "INSERT INTO webhook_deliveries (id, outbox_id, service, event, reference, url, "
        "attempt, at, status_code, error, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            secrets.token_urlsafe(12),
            n.id,
            str(p["service"]),
            str(p["event"]),
            str(p.get("reference", "")),
            n.recipient,
            n.attempts + 1,
            now(),
            status,
            error[:500] if error else None,
            int((time.monotonic() - started) * 1000),
        ),
    )


def deliver_webhooks(
    store: Store,
    limit: int = 20,
    *,
    environ: Mapping[str, str] | None = None,
    clock: Callable[[], float] = time.time,
    timeout: float = TIMEOUT,
) -> int:
    """Send the due webhooks once; how many a receiver accepted (the others are retried
    later with backoff). Every attempt is logged in ``webhook_deliveries``."""
    environ = os.environ if environ is None else environ
    accepted = 0
    for n in outbox.claim(store, limit, webhooks=True):
        started = time.monotonic()
        status: int | None
        try:
            status = _attempt(n, environ, clock, timeout)
        except Exception as exc:  # noqa: BLE001 - any failure is retried, logged, never lost
            failed = isinstance(exc, WebhookFailed)
            status = exc.status if isinstance(exc, WebhookFailed) else None
            error = str(exc) if failed else f"{type(exc).__name__}: {exc}"
            log.warning("webhook %s to %s not delivered: %s", n.id, n.recipient, error)
            _record(store, n, status, error, started)
            outbox.mark_failed(store, n, error)
            continue
        _record(store, n, status, None, started)
        outbox.mark_sent(store, n.id)
        accepted += 1
    return accepted


@dataclass
class Delivery:
    """One attempt at delivering a webhook, as logged."""

    at: str
    service: str
    event: str
    reference: str
    url: str
    attempt: int
    status_code: int | None
    error: str | None
    duration_ms: int


def deliveries(store: Store, limit: int = 50, service: str | None = None) -> list[Delivery]:
    """The latest attempts, newest first (of one service if given)."""
    where, params = ("WHERE service = ? ", [service]) if service else ("", [])
    rows = store._all(
        "SELECT at, service, event, reference, url, attempt, status_code, error, duration_ms "
        f"FROM webhook_deliveries {where}ORDER BY at DESC, attempt DESC, id LIMIT ?",
        [*params, limit],
    )
    return [
        Delivery(
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            int(r[5]),
            None if r[6] is None else int(r[6]),
            r[7],
            int(r[8]),
        )
        for r in rows
    ]


def configured(services: Mapping[str, Service]) -> bool:
    """Whether any service has a webhook (else the server runs no webhooks' job)."""
    return any(s.webhook is not None for s in services.values())
