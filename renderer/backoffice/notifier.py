"""The notifications of a running server: the delivery job, run every
:data:`~renderer.backoffice.delivery.POLL_SECONDS` by the server's job runner
(:mod:`renderer.jobs`), configured by an SMTP URL (``--smtp`` or ``PARCOURS_SMTP_URL``),
or, without one, writing ``.eml`` files to a folder (``PARCOURS_MAIL_DIR``; ``parcours
serve`` defaults to ``./parcours-mail``). An application given neither (a test, a library
user) delivers nothing: notifications wait in the outbox, none is lost."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from renderer.store import Store

from .delivery import Mailer, deliver_due, transport_for

DEFAULT_FROM = "ne-pas-repondre@parcours.invalid"
#: Passes of one delivery job at most (each sends a batch): a long outbox is emptied by the
#: next runs, never by one job that holds its worker for ever.
MAX_PASSES = 50


def mail_overrides(paths: str | Path | list[str | Path]) -> Path:
    """Where per-journey templates live: ``mail/`` in the journeys folder."""
    first = Path(paths[0]) if isinstance(paths, list) and paths else Path(str(paths))
    folder = first if first.is_dir() else first.parent
    return folder / "mail"


def delivery_job(
    store: Store, paths: str | Path | list[str | Path], *, smtp_url: str | None = None,
    mail_dir: str | Path | None = None, base_url: str | None = None,
    sender: str | None = None, organisation: str = "",
) -> Callable[[], int] | None:
    """The job that sends the due notifications and returns how many it sent (None when
    neither an SMTP URL nor a mail folder is configured)."""
    smtp_url = smtp_url or os.environ.get("PARCOURS_SMTP_URL")
    mail_dir = mail_dir or os.environ.get("PARCOURS_MAIL_DIR")
    if not smtp_url and not mail_dir:
        return None
    transport = transport_for(smtp_url, mail_dir or "parcours-mail")
    mailer = Mailer(sender or os.environ.get("PARCOURS_MAIL_FROM", DEFAULT_FROM),
                    base_url or os.environ.get("PARCOURS_BASE_URL", "http://127.0.0.1:8000"),
                    overrides=mail_overrides(paths), organisation=organisation)

    def deliver() -> int:
        sent = 0
        for _ in range(MAX_PASSES):
            batch = deliver_due(store, transport, mailer)
            sent += batch
            if not batch:
                break
        return sent

    return deliver
