"""Delivering the outbox: e-mails rendered from templates, sent over SMTP or written as files.

Templates are ``renderer/templates/mail/KIND.LANG.txt`` (first line ``Subject: …``, then
the body), overridable per journey by ``mail/JOURNEY/KIND.LANG.txt`` in the journeys
folder. The transport comes from a URL: ``smtp://[user:password@]host:port`` (``smtp+starttls://``
to upgrade the connection), or none, and then each message is written as an ``.eml`` file
to a folder, so that the main command works on a fresh machine. The job runner of
:mod:`renderer.jobs` runs :func:`deliver_due` every :data:`POLL_SECONDS`
(:mod:`renderer.backoffice.notifier`).
"""

from __future__ import annotations

import logging
import os
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, TemplateNotFound

from renderer.i18n import LANGUAGES, t
from renderer.store import Store

from . import outbox

log = logging.getLogger("parcours.delivery")
TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "mail"
#: Seconds between two looks at the outbox (the period of the delivery job).
POLL_SECONDS = 2


class Transport(Protocol):
    """Something that sends an e-mail (raises on failure: the notification is retried)."""

    def send(self, message: EmailMessage) -> None:
        """Send one message."""


@dataclass
class SmtpTransport:
    """An SMTP server, from ``smtp://[user:password@]host:port``."""

    host: str
    port: int
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout: float = 10.0

    def send(self, message: EmailMessage) -> None:
        """Send over one SMTP connection (a new one per message: simple and robust)."""
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(message)


@dataclass
class FolderTransport:
    """Messages written as ``.eml`` files (opened by any mail client), for a fresh machine."""

    folder: Path

    def send(self, message: EmailMessage) -> None:
        """Write the message atomically (a reader never sees half a file)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        name = str(message["X-Parcours-Notification"] or "message")
        final = self.folder / f"{name}.eml"
        tmp = self.folder / f".{name}.tmp"
        tmp.write_bytes(bytes(message))
        os.replace(tmp, final)


class BadSmtpUrl(ValueError):
    """An SMTP URL that cannot be used; the message says what is expected."""


def transport_for(url: str | None, folder: str | Path = "parcours-mail") -> Transport:
    """The transport of an SMTP URL, or the folder of ``.eml`` files when there is none."""
    if not url:
        return FolderTransport(Path(folder))
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtp+starttls") or not parts.hostname:
        raise BadSmtpUrl(f"unsupported SMTP URL {url!r}: use smtp://HOST:PORT")
    return SmtpTransport(
        parts.hostname, parts.port or 25,
        unquote(parts.username) if parts.username else None,
        unquote(parts.password) if parts.password else None,
        starttls=parts.scheme == "smtp+starttls",
    )


class Mailer:
    """Renders a notification into an e-mail."""

    def __init__(self, sender: str, base_url: str, overrides: Path | None = None,
                 organisation: str = "") -> None:
        self.sender = sender
        self.base_url = base_url.rstrip("/")
        self.organisation = organisation
        loaders: list[Any] = []
        if overrides is not None and overrides.is_dir():
            loaders.append(FileSystemLoader(str(overrides)))
        loaders.append(FileSystemLoader(str(TEMPLATES)))
        # Plain text: no HTML escaping; a missing variable is a bug, not a blank.
        self.env = Environment(loader=ChoiceLoader(loaders), autoescape=False,
                               undefined=StrictUndefined, keep_trailing_newline=True)

    def _template(self, kind: str, lang: str, journey: str | None) -> Any:
        names = [f"{journey}/{kind}.{lang}.txt"] if journey else []
        names.append(f"{kind}.{lang}.txt")
        for name in names:
            try:
                return self.env.get_template(name)
            except TemplateNotFound:
                continue
        raise TemplateNotFound(names[-1])

    def text(self, kind: str, p: dict[str, Any]) -> tuple[str, str, str]:
        """The language, subject and body of the message ``kind`` about ``p`` (French when
        the language is unknown): what an e-mail says, and a letter by post as well."""
        lang = str(p["lang"]) if p.get("lang") in LANGUAGES else "fr"
        context = {
            "reference": p.get("reference", ""),
            "journey": p.get("journey", ""),
            "service": p.get("service") or "",
            "reason": p.get("reason") or "",
            "status": t(f"status_{p['status']}", lang) if p.get("status") else "",
            "follow_url": f"{self.base_url}/-/suivi/{p['token']}" if p.get("token") else "",
            "dossier_url": f"{self.base_url}/-/agents/dossiers/{p.get('reference', '')}",
            "organisation": self.organisation,
        }
        text = self._template(kind, lang, p.get("journey_id")).render(context)
        head, _, body = text.partition("\n")
        return lang, head.removeprefix("Subject:").strip(), body.lstrip("\n")

    def render(self, n: outbox.Notification) -> EmailMessage:
        """The e-mail of a notification."""
        lang, subject, body = self.text(n.kind, n.payload)
        message = EmailMessage()
        message["Subject"] = subject
        message["From"] = self.sender
        message["To"] = n.recipient
        message["Date"] = formatdate(localtime=False)
        # The same id on every attempt: a mail system drops a duplicate after a crash.
        message["Message-ID"] = f"<{n.id}@parcours>"
        message["X-Parcours-Notification"] = n.id
        message["Content-Language"] = lang
        message.set_content(body)
        return message


def deliver_due(store: Store, transport: Transport, mailer: Mailer, limit: int = 20) -> int:
    """Send the due notifications once; return how many were sent (failures are retried
    later, with backoff)."""
    sent = 0
    for n in outbox.claim(store, limit):
        try:
            message = mailer.render(n)
            transport.send(message)
        except Exception as exc:  # noqa: BLE001 - any failure is retried, logged, never lost
            log.warning("notification %s to %s not sent: %s", n.id, n.recipient, exc)
            outbox.mark_failed(store, n, f"{type(exc).__name__}: {exc}")
            continue
        outbox.mark_sent(store, n.id)
        sent += 1
    return sent
