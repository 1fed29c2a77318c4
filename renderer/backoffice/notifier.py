"""The notifications of a running server: the delivery worker started and stopped with the
application (its lifespan), configured by an SMTP URL (``--smtp`` or ``PARCOURS_SMTP_URL``),
or, without one, writing ``.eml`` files to a folder (``PARCOURS_MAIL_DIR``; ``parcours
serve`` defaults to ``./parcours-mail``). An application given neither (a test, a library
user) runs no worker: notifications wait in the outbox, none is lost."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from renderer.store import Store

from .delivery import DeliveryWorker, Mailer, transport_for

DEFAULT_FROM = "ne-pas-repondre@parcours.invalid"


def mail_overrides(paths: str | Path | list[str | Path]) -> Path:
    """Where per-journey templates live: ``mail/`` in the journeys folder."""
    first = Path(paths[0]) if isinstance(paths, list) and paths else Path(str(paths))
    folder = first if first.is_dir() else first.parent
    return folder / "mail"


def worker_lifespan(
    store_url: str, paths: str | Path | list[str | Path], *, smtp_url: str | None = None,
    mail_dir: str | Path | None = None, base_url: str | None = None,
    sender: str | None = None, organisation: str = "",
) -> Callable[[Any], Any] | None:
    """A Starlette lifespan that runs the delivery worker while the application serves
    (None when neither an SMTP URL nor a mail folder is configured)."""
    smtp_url = smtp_url or os.environ.get("PARCOURS_SMTP_URL")
    mail_dir = mail_dir or os.environ.get("PARCOURS_MAIL_DIR")
    if not smtp_url and not mail_dir:
        return None
    transport = transport_for(smtp_url, mail_dir or "parcours-mail")
    mailer = Mailer(sender or os.environ.get("PARCOURS_MAIL_FROM", DEFAULT_FROM),
                    base_url or os.environ.get("PARCOURS_BASE_URL", "http://127.0.0.1:8000"),
                    overrides=mail_overrides(paths), organisation=organisation)

    @asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        worker = DeliveryWorker(Store(store_url), transport, mailer)
        worker.start()
        try:
            yield
        finally:
            worker.stop()

    return lifespan
