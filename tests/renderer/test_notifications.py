"""Notifications through the outbox, delivered to a real SMTP server on the loopback
(aiosmtpd), on SQLite and PostgreSQL: templates in both languages, retries with backoff
after an outage, a crashed worker neither losing nor repeating a message, and .eml files
when no SMTP server is configured."""

from __future__ import annotations

import email
import email.policy
import os
import socket
import time
from collections.abc import Iterator
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from renderer.backoffice import outbox
from renderer.backoffice.accounts import Accounts
from renderer.backoffice.delivery import (
    BadSmtpUrl,
    FolderTransport,
    Mailer,
    SmtpTransport,
    deliver_due,
    transport_for,
)
from renderer.backoffice.dossiers import Dossiers
from renderer.backoffice.notifier import delivery_job
from renderer.jobs import runner_for
from renderer.store import Store

from .test_backoffice_store import PASSWORD, send


class Inbox:
    """An aiosmtpd handler keeping every message received."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(parse(envelope.content))
        return "250 OK"


def parse(raw: bytes) -> Message:
    """A message with its headers decoded (RFC 2047), as a mail client shows them."""
    return email.message_from_bytes(raw, policy=email.policy.default)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    s = Store(db_url)
    yield s
    s.close()


MAILER = Mailer("ne-pas-repondre@tours.example", "https://demarches.tours.example/",
                organisation="Ville de Tours")


def body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode("utf-8")


def test_the_receipt_and_the_service_notice_reach_the_smtp_server(
    store: Store, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    reference = send(store, "tag")
    sent = deliver_due(store, SmtpTransport("127.0.0.1", port), MAILER)
    assert sent == 2
    by_to = {m["To"]: m for m in inbox.messages}
    receipt = by_to["zoe@example.fr"]
    assert receipt["Subject"] == f"Nous avons bien reçu votre demande {reference}"
    token = Dossiers(store).follow_token(reference)
    assert f"https://demarches.tours.example/-/suivi/{token}" in body(receipt)
    notice = by_to["proprete@tours.example"]
    assert reference in notice["Subject"]
    assert f"/-/agents/dossiers/{reference}" in body(notice)
    assert deliver_due(store, SmtpTransport("127.0.0.1", port), MAILER) == 0
    assert outbox.pending(store) == []


def test_status_changes_in_the_citizens_language(store: Store, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    reference = send(store, "tag")
    store._write("UPDATE dossiers SET lang = 'en' WHERE reference = ?", (reference,))
    camille = Accounts(store).add("camille@tours.example", PASSWORD, "instructeur", ["proprete"])
    deliver_due(store, SmtpTransport("127.0.0.1", port), MAILER)
    inbox.messages.clear()
    Dossiers(store).change_status(camille, reference, "en_instruction")
    Dossiers(store).change_status(camille, reference, "refuse", reason="Hors de la commune")
    assert deliver_due(store, SmtpTransport("127.0.0.1", port), MAILER) == 2
    subjects = sorted(m["Subject"] for m in inbox.messages)
    assert subjects == [f"Your file {reference}: being examined",
                        f"Your file {reference}: refused"]
    refused = next(m for m in inbox.messages if "refused" in m["Subject"])
    assert "Reason: Hors de la commune" in body(refused)


def test_an_smtp_outage_loses_nothing_and_retries_with_backoff(
    store: Store, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    send(store, "tag")
    down = SmtpTransport("127.0.0.1", free_port(), timeout=2)  # nothing listens there
    assert deliver_due(store, down, MAILER) == 0
    pending = outbox.pending(store)
    assert [p[3] for p in pending] == [1, 1]
    assert all("ConnectionRefusedError" in (p[4] or "") for p in pending)
    # Not due yet: the backoff holds the retry back.
    assert deliver_due(store, SmtpTransport("127.0.0.1", port), MAILER) == 0
    store._write("UPDATE outbox SET next_attempt_at = '2000-01-01'")
    assert deliver_due(store, SmtpTransport("127.0.0.1", port), MAILER) == 2
    assert len(inbox.messages) == 2 and outbox.pending(store) == []


def test_a_worker_killed_after_claiming_loses_nothing_and_sends_once(
    store: Store, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    send(store, "tag")
    claimed = outbox.claim(store)  # the worker dies here, before sending
    assert len(claimed) == 2
    transport = SmtpTransport("127.0.0.1", port)
    assert deliver_due(store, transport, MAILER) == 0  # still leased to the dead worker
    store._write("UPDATE outbox SET claimed_until = '2000-01-01'")  # the lease runs out
    assert deliver_due(store, transport, MAILER) == 2
    assert deliver_due(store, transport, MAILER) == 0
    assert len(inbox.messages) == 2
    assert len({m["Message-ID"] for m in inbox.messages}) == 2


def test_the_job_runner_delivers(store: Store, smtp: tuple[Inbox, int],
                                 tmp_path: Path) -> None:
    """The delivery job on the runner of the store (APScheduler on SQLite, procrastinate's
    queue on PostgreSQL) empties the outbox."""
    inbox, port = smtp
    deliver = delivery_job(store, tmp_path, smtp_url=f"smtp://127.0.0.1:{port}")
    assert deliver is not None
    runner = runner_for(store.url)
    runner.add("deliver", deliver, every=1)
    runner.start()
    try:
        send(store, "feu")
        deadline = time.monotonic() + 20
        while len(inbox.messages) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        runner.stop()
    assert sorted(m["To"] for m in inbox.messages) == ["eclairage@tours.example",
                                                       "zoe@example.fr"]
    assert delivery_job(store, tmp_path) is None or "PARCOURS_SMTP_URL" in os.environ


def test_without_smtp_messages_are_eml_files(store: Store, tmp_path: Path) -> None:
    reference = send(store, "tag")
    transport = transport_for(None, tmp_path / "mail")
    assert isinstance(transport, FolderTransport)
    assert deliver_due(store, transport, MAILER) == 2
    files = sorted((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 2
    parsed = [parse(f.read_bytes()) for f in files]
    assert any(m["Subject"].endswith(reference) for m in parsed)
    assert not list((tmp_path / "mail").glob(".*.tmp"))


def test_templates_overridable_per_journey(store: Store, tmp_path: Path) -> None:
    (tmp_path / "signalement-voirie").mkdir()
    (tmp_path / "signalement-voirie" / "receipt.fr.txt").write_text(
        "Subject: Signalement {{ reference }} reçu\nMerci !\n", encoding="utf-8")
    reference = send(store, "tag")
    mailer = Mailer("x@tours.example", "http://localhost", overrides=tmp_path)
    folder = FolderTransport(tmp_path / "out")
    deliver_due(store, folder, mailer)
    subjects = {parse(f.read_bytes())["Subject"]
                for f in (tmp_path / "out").glob("*.eml")}
    assert f"Signalement {reference} reçu" in subjects


def test_smtp_urls() -> None:
    got = transport_for("smtp://user:p%40ss@mail.example:2525")
    assert got == SmtpTransport("mail.example", 2525, "user", "p@ss")
    starttls = transport_for("smtp+starttls://mail.example")
    assert isinstance(starttls, SmtpTransport) and starttls.starttls and starttls.port == 25
    with pytest.raises(BadSmtpUrl):
        transport_for("http://mail.example")


def test_backoff_grows_and_is_bounded() -> None:
    waits = [outbox.backoff(n).total_seconds() for n in range(1, 12)]
    assert waits[:4] == [30, 60, 120, 240]
    assert max(waits) == 7200 and waits == sorted(waits)
