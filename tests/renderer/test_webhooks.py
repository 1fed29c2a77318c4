"""Signed webhooks through the outbox, delivered to a real HTTP receiver on the loopback,
on SQLite and PostgreSQL: the receiver checks the HMAC signature and refuses replays older
than five minutes; a receiver that fails twice then succeeds accepts exactly one delivery;
a worker killed mid-delivery neither loses an event nor makes the receiver accept it twice;
every attempt is in the delivery log (and `parcours webhooks log`); a server whose
organisation declares a webhook runs the webhooks' job (renderer/jobs.py); a dossier
reassigned from the back office is told to its new service and to the one it left."""

from __future__ import annotations

import argparse
import hashlib
import hmac
import io
import json
import shutil
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pgschema import pg_schema
from starlette.testclient import TestClient

from designer.organisation import Service, Webhook, load_organisation
from renderer.api import events
from renderer.api.cli import add_webhooks_arguments, run_webhooks
from renderer.api.spec import openapi
from renderer.api.webhooks import (
    TOLERANCE,
    deliver_webhooks,
    deliveries,
    sign,
    verify,
)
from renderer.app import create_app
from renderer.backoffice import outbox
from renderer.backoffice.accounts import Accounts
from renderer.backoffice.dossiers import Dossiers
from renderer.backoffice.intake import opener
from renderer.store import Store

from .citizen import parse
from .test_agents import agent_client, signal
from .test_backoffice_store import ADDRESS, PASSWORD, SIGNALEMENT

ROOT = Path(__file__).resolve().parents[2]
ORGANISATION = load_organisation(ROOT / "journeys" / "organisation.yaml").organisation
SECRET = "un secret partagé avec le SIG, assez long"
ENV = {"API_TEST_WEBHOOK_SECRET": SECRET}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database, SQLite then PostgreSQL (in a schema of this suite's own)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'parcours.db'}"
        return
    with pg_schema("api_test") as url:
        yield url


class Receiver:
    """A service's system on the loopback: checks each webhook as docs/api.md says (HMAC of
    timestamp + "." + body, timestamp within five minutes), drops a repeated delivery id,
    and can be told to fail its first requests."""

    def __init__(self, fail_first: int = 0, failure: int = 500) -> None:
        self.fail_first = fail_first
        self.failure = failure
        self.requests: list[dict[str, Any]] = []
        self.accepted: list[dict[str, Any]] = []
        self.refused: list[str] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                status = receiver.receive(dict(self.headers), body)
                self.send_response(status)
                if status in (301, 302, 307, 308):
                    self.send_header("Location", receiver.url)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/parcours/webhook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def receive(self, headers: dict[str, str], body: bytes) -> int:
        with self.lock:
            self.requests.append({"headers": headers, "body": body})
            if len(self.requests) <= self.fail_first:
                return self.failure
            # The receiver's own check, written from docs/api.md (not renderer's verify()).
            timestamp = headers.get("X-Parcours-Timestamp", "")
            expected = (
                "sha256="
                + hmac.new(
                    SECRET.encode(), timestamp.encode() + b"." + body, hashlib.sha256
                ).hexdigest()
            )
            if not hmac.compare_digest(expected, headers.get("X-Parcours-Signature", "")):
                self.refused.append("signature")
                return 401
            if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > 300:
                self.refused.append("replay")
                return 401
            delivery = headers["X-Parcours-Delivery"]
            if any(a["delivery"] == delivery for a in self.accepted):
                return 200  # a repeat: acknowledged, not processed again
            self.accepted.append(
                {"delivery": delivery, "event": json.loads(body), "headers": headers}
            )
            return 204

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()


def services(url: str) -> dict[str, Service]:
    """The example organisation's services, cleaning with a webhook to ``url``."""
    assert ORGANISATION is not None
    found = dict(ORGANISATION.services)
    found["proprete"] = found["proprete"].model_copy(
        update={"webhook": Webhook(url=url, secret_env="API_TEST_WEBHOOK_SECRET")}
    )
    return found


def send(store: Store, declared: dict[str, Service], nature: str = "tag") -> str:
    """A signalement submitted through the store, opened as the citizens' pages do."""
    assert SIGNALEMENT is not None
    digest = store.save_journey_version(SIGNALEMENT.id, "source", "signalement-voirie.yaml")
    draft = store.create_draft(SIGNALEMENT.id, digest, "urgence")
    answers = {
        "danger": False,
        "type_probleme": nature,
        "adresse": ADDRESS,
        "etre_informe": True,
        "email": "zoe@example.fr",
    }
    reference, _ = store.submit(
        draft,
        {"outcome": "envoi", "answers": answers},
        "fr",
        then=opener(store, declared, SIGNALEMENT, answers, "fr"),
    )
    return reference


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    s = Store(db_url)
    yield s
    s.close()


def due_now(store: Store) -> None:
    """Let the backoff's wait pass."""
    store._write("UPDATE outbox SET next_attempt_at = '2000-01-01' WHERE kind = 'webhook'")


EVENT_SCHEMA = {"$ref": "#/components/schemas/WebhookEvent", "components": openapi()["components"]}


def test_a_new_dossier_is_posted_signed_and_only_to_its_services_webhook(store: Store) -> None:
    with Receiver() as receiver:
        declared = services(receiver.url)
        reference = send(store, declared, "tag")
        send(store, declared, "trottoir")  # roads: no webhook, no event
        assert deliver_webhooks(store, environ=ENV) == 1
        assert deliver_webhooks(store, environ=ENV) == 0
    assert len(receiver.accepted) == 1 and receiver.refused == []
    got = receiver.accepted[0]
    jsonschema.validate(got["event"], EVENT_SCHEMA)
    assert got["event"]["type"] == "dossier.created"
    assert got["event"]["data"]["reference"] == reference
    assert got["event"]["data"]["status"] == "en_construction"
    assert got["headers"]["X-Parcours-Event"] == "dossier.created"
    assert got["headers"]["Content-Type"] == "application/json"
    # The e-mails' worker leaves the webhooks alone, and the other way round.
    assert "webhook" not in [p[0] for p in outbox.pending(store)]
    assert sorted(n.kind for n in outbox.claim(store)) == [
        "new_dossier",
        "new_dossier",
        "receipt",
        "receipt",
    ]


def test_a_status_change_from_the_back_office_is_posted(store: Store) -> None:
    with Receiver() as receiver:
        declared = services(receiver.url)
        reference = send(store, declared)
        camille = Accounts(store).add(
            "camille@tours.example", PASSWORD, "instructeur", ["proprete"]
        )
        dossiers = Dossiers(store, declared)
        dossiers.change_status(camille, reference, "en_instruction")
        dossiers.change_status(camille, reference, "refuse", reason="Hors de la commune")
        assert deliver_webhooks(store, environ=ENV) == 3
    kinds = [(a["event"]["type"], a["event"]["data"]["status"]) for a in receiver.accepted]
    assert sorted(kinds) == sorted(
        [
            ("dossier.created", "en_construction"),
            ("dossier.status_changed", "en_instruction"),
            ("dossier.status_changed", "refuse"),
        ]
    )
    refused = next(
        a["event"]["data"] for a in receiver.accepted if a["event"]["data"]["status"] == "refuse"
    )
    assert refused["previous_status"] == "en_instruction"
    assert refused["reason"] == "Hors de la commune"
    for a in receiver.accepted:
        jsonschema.validate(a["event"], EVENT_SCHEMA)


def test_a_replay_older_than_five_minutes_is_refused_then_retried_fresh(store: Store) -> None:
    with Receiver() as receiver:
        send(store, services(receiver.url))
        # Sent (or replayed) with a timestamp six minutes old: the receiver refuses it.
        stale = time.time() - TOLERANCE - 60
        assert deliver_webhooks(store, environ=ENV, clock=lambda: stale) == 0
        assert receiver.refused == ["replay"]
        # The same captured request sent again later is still refused (the timestamp is
        # signed: it cannot be refreshed without the secret).
        captured = receiver.requests[0]
        assert receiver.receive(captured["headers"], captured["body"]) == 401
        forged = dict(captured["headers"], **{"X-Parcours-Timestamp": str(int(time.time()))})
        assert receiver.receive(forged, captured["body"]) == 401
        assert receiver.refused == ["replay", "replay", "signature"]
        # The retry (after the backoff) is signed afresh and accepted.
        due_now(store)
        assert deliver_webhooks(store, environ=ENV) == 1
    assert len(receiver.accepted) == 1
    log = deliveries(store)
    assert [(d.attempt, d.status_code) for d in log] == [(2, 204), (1, 401)]


def test_a_receiver_failing_twice_then_succeeding_gets_exactly_one_delivery(
    store: Store,
) -> None:
    with Receiver(fail_first=2) as receiver:
        send(store, services(receiver.url))
        assert deliver_webhooks(store, environ=ENV) == 0
        # Not due yet: the backoff holds the retry back.
        assert deliver_webhooks(store, environ=ENV) == 0
        due_now(store)
        assert deliver_webhooks(store, environ=ENV) == 0
        due_now(store)
        assert deliver_webhooks(store, environ=ENV) == 1
        due_now(store)
        assert deliver_webhooks(store, environ=ENV) == 0
    assert len(receiver.requests) == 3 and len(receiver.accepted) == 1
    # The same event on every attempt: one body, one delivery id.
    assert len({r["body"] for r in receiver.requests}) == 1
    assert len({r["headers"]["X-Parcours-Delivery"] for r in receiver.requests}) == 1
    log = deliveries(store)
    assert [(d.attempt, d.status_code, d.error) for d in reversed(log)] == [
        (1, 500, "HTTP 500"),
        (2, 500, "HTTP 500"),
        (3, 204, None),
    ]
    out = io.StringIO()
    parser = argparse.ArgumentParser()
    add_webhooks_arguments(parser)
    assert run_webhooks(parser.parse_args(["log", "--db", store.url]), out=out) == 0
    lines = out.getvalue().splitlines()
    assert len(lines) == 3 and "HTTP 500" in lines[-1] and "dossier.created" in lines[0]


def test_a_redirect_is_not_followed(store: Store) -> None:
    with Receiver(fail_first=1, failure=307) as receiver:
        send(store, services(receiver.url))
        assert deliver_webhooks(store, environ=ENV) == 0
    assert len(receiver.requests) == 1 and receiver.accepted == []
    assert [(d.status_code, d.error) for d in deliveries(store)] == [(307, "HTTP 307")]


def test_a_worker_killed_mid_delivery_neither_loses_nor_doubles_an_event(store: Store) -> None:
    with Receiver() as receiver:
        send(store, services(receiver.url))
        # Killed after claiming, before sending: the lease keeps others off, then runs out.
        assert len(outbox.claim(store, webhooks=True)) == 1
        assert deliver_webhooks(store, environ=ENV) == 0
        store._write("UPDATE outbox SET claimed_until = '2000-01-01' WHERE kind = 'webhook'")
        assert deliver_webhooks(store, environ=ENV) == 1
        assert deliver_webhooks(store, environ=ENV) == 0
        assert len(receiver.requests) == 1
        # Killed after the receiver answered, before the row was marked sent: the event is
        # sent again once the lease runs out, with the same delivery id, and the receiver
        # (as docs/api.md asks) acknowledges the repeat without processing it twice.
        store._write(
            "UPDATE outbox SET sent_at = NULL, claimed_until = '2000-01-01' WHERE kind = 'webhook'"
        )
        assert deliver_webhooks(store, environ=ENV) == 1
    assert len(receiver.requests) == 2 and len(receiver.accepted) == 1


def test_a_missing_secret_or_an_unreachable_receiver_is_logged_and_retried(
    store: Store,
) -> None:
    with Receiver() as receiver:
        url = receiver.url
    send(store, services(url))  # the receiver is gone: nothing listens there any more
    assert deliver_webhooks(store, environ={}) == 0
    due_now(store)
    assert deliver_webhooks(store, environ=ENV, timeout=2) == 0
    log = deliveries(store, service="proprete")
    assert log[1].error == "the secret's variable API_TEST_WEBHOOK_SECRET is not set"
    assert log[0].status_code is None and "URLError" in (log[0].error or "")
    assert [p[3] for p in outbox.pending(store) if p[0] == "webhook"] == [2]


def test_verify_is_the_receivers_check() -> None:
    body = b'{"id":"evt_1"}'
    now = time.time()
    stamp = str(int(now))
    assert verify(SECRET, stamp, body, sign(SECRET, stamp, body), at=now)
    assert not verify(SECRET, stamp, body + b" ", sign(SECRET, stamp, body), at=now)
    assert not verify("autre secret", stamp, body, sign(SECRET, stamp, body), at=now)
    assert not verify(SECRET, stamp, body, sign(SECRET, stamp, body), at=now + TOLERANCE + 1)
    assert not verify(SECRET, "hier", body, sign(SECRET, stamp, body), at=now)


def test_the_server_runs_the_webhooks_worker(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("API_TEST_WEBHOOK_SECRET", SECRET)
    folder = tmp_path / "journeys"
    folder.mkdir()
    shutil.copy(ROOT / "journeys" / "signalement-voirie.yaml", folder)
    with Receiver() as receiver:
        organisation = (
            (ROOT / "journeys" / "organisation.yaml")
            .read_text("utf-8")
            .replace(
                "    email: proprete@tours.example\n",
                "    email: proprete@tours.example\n    webhook:\n"
                f"      url: {receiver.url}\n      secret_env: API_TEST_WEBHOOK_SECRET\n",
            )
        )
        (folder / "organisation.yaml").write_text(organisation, "utf-8")
        app = create_app(folder, db_url=db_url)
        with TestClient(app) as citizen:
            signal(citizen, "tag")
            deadline = time.monotonic() + 20
            while not receiver.accepted and time.monotonic() < deadline:
                time.sleep(0.05)
    assert [a["event"]["type"] for a in receiver.accepted] == ["dossier.created"]


def test_the_events_are_the_documented_ones() -> None:
    assert set(openapi()["webhooks"]) == set(events.EVENTS)
    guide = (ROOT / "docs" / "api.md").read_text("utf-8")
    assert all(f"`{event}`" in guide for event in events.EVENTS)


def _with_webhooks(organisation: str, receivers: dict[str, Receiver]) -> str:
    """The organisation's file with a webhook for each service of ``receivers``."""
    for service, receiver in receivers.items():
        organisation = organisation.replace(
            f"    email: {service}@tours.example\n",
            f"    email: {service}@tours.example\n    webhook:\n"
            f"      url: {receiver.url}\n      secret_env: API_TEST_WEBHOOK_SECRET\n",
        )
    return organisation


def test_a_reassigned_dossier_is_told_to_its_new_service_and_to_the_one_it_left(
    db_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "journeys"
    folder.mkdir()
    shutil.copy(ROOT / "journeys" / "signalement-voirie.yaml", folder)
    source = (ROOT / "journeys" / "organisation.yaml").read_text("utf-8")
    with Receiver() as cleaning, Receiver() as roads:
        organisation = _with_webhooks(source, {"proprete": cleaning, "voirie": roads})
        assert organisation.count("webhook:") == 2
        (folder / "organisation.yaml").write_text(organisation, "utf-8")
        app = create_app(folder, db_url=db_url)
        store = app.state.parcours.store
        reference = parse(signal(TestClient(app), "tag")).reference
        accounts = Accounts(store)
        accounts.add("proprete@tours.example", PASSWORD, "instructeur", ["proprete"])
        voirie = accounts.add("voirie@tours.example", PASSWORD, "instructeur", ["voirie"])
        # The cleaning service's agent sends it to roads, from the back office's page.
        agent = agent_client(app, "proprete@tours.example")
        page = f"/-/agents/dossiers/{reference}"
        token = parse(agent.get(page).text).csrf
        r = agent.post(
            f"{page}/service",
            data={"csrf_token": token, "service": "voirie", "note": "C'est un trottoir."},
            follow_redirects=False,
        )
        assert r.status_code == 303
        assert deliver_webhooks(store, environ=ENV) == 3
        # From then on, roads' changes are told to roads only.
        Dossiers(store, app.state.parcours.catalog.services).change_status(
            voirie, reference, "en_instruction"
        )
        assert deliver_webhooks(store, environ=ENV) == 1
    assert cleaning.refused == roads.refused == []
    told = {
        name: sorted((a["event"]["type"], a["headers"]["X-Parcours-Event"]) for a in r.accepted)
        for name, r in (("proprete", cleaning), ("voirie", roads))
    }
    assert told == {
        "proprete": [
            ("dossier.created", "dossier.created"),
            ("dossier.reassigned", "dossier.reassigned"),
        ],
        "voirie": [
            ("dossier.reassigned", "dossier.reassigned"),
            ("dossier.status_changed", "dossier.status_changed"),
        ],
    }
    moved = [
        a["event"]
        for a in (*cleaning.accepted, *roads.accepted)
        if a["event"]["type"] == "dossier.reassigned"
    ]
    assert len(moved) == 2
    d = Dossiers(store).history(reference)
    for event in moved:
        jsonschema.validate(event, EVENT_SCHEMA)
        assert event["data"]["reference"] == reference
        assert event["data"]["service"] == "voirie"
        assert event["data"]["previous_service"] == "proprete"
        assert event["data"]["status"] == "en_construction"
        assert "C'est un trottoir." not in json.dumps(event)  # the agents' note stays theirs
    assert moved[0]["id"] != moved[1]["id"]  # two deliveries, each its own id
    assert moved[0]["data"] == moved[1]["data"]
    assert [h.kind for h in d] == ["created", "service", "status"]
    log = deliveries(store)
    assert {(x.service, x.event) for x in log} == {
        ("proprete", "dossier.created"),
        ("proprete", "dossier.reassigned"),
        ("voirie", "dossier.reassigned"),
        ("voirie", "dossier.status_changed"),
    }
