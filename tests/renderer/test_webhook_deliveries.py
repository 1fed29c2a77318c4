"""The administrators' page of the webhooks' deliveries (renderer/agents/webhooks.py), on
SQLite and PostgreSQL, against real receivers on the loopback: a receiver that fails until
the delivery is given up, shown with its status; "retry now" re-queues it, the webhooks'
job delivers it, the page shows it delivered, the audit log has the retry; the filters and
pages; the receiver's error escaped and shortened, its URL reduced to its host; only
administrators see the page or retry (instructeur and mediator 404, anonymous to the
login page); a post without the CSRF token, for an unknown delivery, one already delivered
or one being sent changes nothing and says why; the page passes axe-core in Chromium."""

from __future__ import annotations

import html
import re
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from renderer.api.deliveries import FAILING, GIVEN_UP, listing
from renderer.api.webhooks import deliver_webhooks
from renderer.app import create_app
from renderer.backoffice import audit, outbox
from renderer.backoffice.accounts import Accounts
from renderer.store import Store

from .citizen import parse
from .test_agents import agent_client, signal
from .test_backoffice_store import PASSWORD
from .test_webhooks import ENV, Receiver, _with_webhooks, due_now

ROOT = Path(__file__).resolve().parents[2]
PAGE = "/-/agents/webhooks"
ROW = re.compile(r'<tr data-delivery="([^"]+)" data-state="([^"]+)">(.*?)</tr>', re.DOTALL)


@dataclass
class World:
    app: Any
    store: Store
    cleaning: Receiver
    roads: Receiver
    refs: dict[str, str]


@pytest.fixture
def world(db_url: str, tmp_path: Path) -> Iterator[World]:
    """Two services with a webhook each: cleaning's receiver fails its first 8 requests
    (500: the event is given up), roads' accepts; a dossier for each, an administrator, an
    instructeur of cleaning and a mediator."""
    folder = tmp_path / "journeys"
    folder.mkdir()
    shutil.copy(ROOT / "journeys" / "signalement-voirie.yaml", folder)
    source = (ROOT / "journeys" / "organisation.yaml").read_text("utf-8")
    with Receiver(fail_first=8) as cleaning, Receiver() as roads:
        organisation = _with_webhooks(source, {"proprete": cleaning, "voirie": roads})
        (folder / "organisation.yaml").write_text(organisation, "utf-8")
        app = create_app(folder, db_url=db_url)
        store = app.state.parcours.store
        citizen = TestClient(app)
        refs = {
            service: parse(signal(citizen, nature)).reference
            for nature, service in (("tag", "proprete"), ("trottoir", "voirie"))
        }
        accounts = Accounts(store)
        accounts.add("admin@tours.example", PASSWORD, "administrateur", [])
        accounts.add("proprete@tours.example", PASSWORD, "instructeur", ["proprete"])
        accounts.add(
            "nord@tours.example", PASSWORD, "mediateur", [], structure="France Services Nord"
        )
        yield World(app, store, cleaning, roads, refs)


def give_up(world: World) -> str:
    """Run the webhooks' job until cleaning's event is given up (8 failures); its id."""
    assert deliver_webhooks(world.store, environ=ENV) == 1  # roads' accepted at once
    for _ in range(7):
        due_now(world.store)
        assert deliver_webhooks(world.store, environ=ENV) == 0
    assert len(world.cleaning.requests) == 8
    (failed,) = listing(world.store, "proprete")
    assert failed.state == GIVEN_UP
    return failed.id


def rows(html: str) -> dict[str, tuple[str, str]]:
    """Each delivery shown: its state and its row's text."""
    return {m[1]: (m[2], re.sub(r"<[^>]+>", " ", m[3])) for m in ROW.finditer(html)}


def outbox_row(store: Store, delivery: str) -> tuple[Any, ...]:
    return tuple(store._one("SELECT * FROM outbox WHERE id = ?", (delivery,)))


def test_a_given_up_delivery_is_shown_retried_by_the_job_and_shown_delivered(
    world: World,
) -> None:
    delivery = give_up(world)
    ref = world.refs["proprete"]
    admin = agent_client(world.app, "admin@tours.example")
    # The navigation leads there, for an administrator.
    assert f'href="{PAGE}"' in admin.get("/-/agents/").text
    page = admin.get(f"{PAGE}?etat=failed")
    assert page.status_code == 200
    shown = rows(page.text)
    assert list(shown) == [delivery]  # roads' was delivered: not among the failed
    state, text = shown[delivery]
    assert state == GIVEN_UP
    assert "HTTP 500" in text and "dossier.created" in text and ref in text
    assert "abandonné" in text and re.search(r"data-attempts>\s*8<", page.text)
    assert f'href="/-/agents/dossiers/{ref}"' in page.text
    assert "127.0.0.1:" in text and "/parcours/webhook" not in text  # the host only
    token = parse(page.text).csrf
    # The retry: a POST with the session's token, back to the list as it was filtered.
    r = admin.post(
        f"{PAGE}/{delivery}/relance",
        data={"csrf_token": token, "etat": "failed"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert r.headers["location"] == f"{PAGE}?etat=failed&relance={delivery}"
    again = admin.get(r.headers["location"]).text
    assert f'data-retried="{delivery}"' in again
    state, text = rows(again)[delivery]
    assert state == FAILING and "prochain essai" in text  # queued again, due now
    # Nothing was sent from the request: the webhooks' job sends it, as any event.
    assert len(world.cleaning.requests) == 8
    (entry,) = [e for e in audit.entries(world.store, ref) if e.action == "webhook_retry"]
    assert entry.before["delivery"] == delivery and entry.before["given_up"] is True
    assert entry.before["last_error"] == "HTTP 500"
    assert deliver_webhooks(world.store, environ=ENV) == 1  # due now, no wait
    assert len(world.cleaning.accepted) == 1
    # One event, one delivery id, on every attempt.
    assert {r["headers"]["X-Parcours-Delivery"] for r in world.cleaning.requests} == {delivery}
    done = admin.get(f"{PAGE}?etat=delivered")
    state, text = rows(done.text)[delivery]
    assert state == "delivered" and "HTTP 204" in text and "délivré" in text
    assert re.search(rf'data-delivery="{delivery}".*?data-attempts>\s*9<', done.text, re.DOTALL)
    assert "data-retry" not in done.text  # nothing to retry once delivered
    # In English too.
    english = admin.get(f"{PAGE}?lang=en").text
    assert "Webhook deliveries" in english and "delivered" in english


def test_a_failing_delivery_is_retried_without_waiting_for_its_backoff(world: World) -> None:
    assert deliver_webhooks(world.store, environ=ENV) == 1
    (failing,) = listing(world.store, "proprete")
    assert failing.state == FAILING and failing.next_attempt_at
    assert deliver_webhooks(world.store, environ=ENV) == 0  # the backoff holds it back
    assert len(world.cleaning.requests) == 1
    admin = agent_client(world.app, "admin@tours.example")
    token = parse(admin.get(PAGE).text).csrf
    r = admin.post(f"{PAGE}/{failing.id}/relance", data={"csrf_token": token})
    assert r.status_code == 200
    assert deliver_webhooks(world.store, environ=ENV) == 0  # tried now (and failed again)
    assert len(world.cleaning.requests) == 2
    (after,) = listing(world.store, "proprete")
    assert after.state == FAILING and after.attempts == 2


def test_the_filters_and_the_pages(world: World) -> None:
    give_up(world)
    admin = agent_client(world.app, "admin@tours.example")
    every = rows(admin.get(PAGE).text)
    assert len(every) == 2
    assert [s for s, _ in rows(admin.get(f"{PAGE}?service=voirie").text).values()] == ["delivered"]
    assert len(rows(admin.get(f"{PAGE}?service=proprete&etat=delivered").text)) == 0
    assert len(rows(admin.get(f"{PAGE}?etat=pending").text)) == 0
    # Unknown filters are ignored, not an error.
    assert len(rows(admin.get(f"{PAGE}?service=nope&etat=nope&page=x").text)) == 2
    # 60 more events: newest first, 50 a page, with their count.
    with world.store.transaction() as conn:
        for n in range(60):
            outbox.enqueue(
                world.store,
                conn,
                outbox.WEBHOOK,
                "https://sig.example/hook",
                {"service": "voirie", "event": "dossier.created", "reference": f"REF-{n:02d}"},
                "voirie",
            )
    first = admin.get(f"{PAGE}?etat=pending")
    assert len(rows(first.text)) == 50 and "60 envoi(s)" in first.text
    assert 'rel="next"' in first.text and "sig.example" in first.text
    second = admin.get(f"{PAGE}?etat=pending&page=2").text
    assert len(rows(second)) == 10 and 'rel="prev"' in second
    assert len(rows(admin.get(f"{PAGE}?etat=pending&page=99").text)) == 10  # the last


def test_the_receivers_error_is_escaped_and_shortened(world: World) -> None:
    with world.store.transaction() as conn:
        outbox.enqueue(
            world.store,
            conn,
            outbox.WEBHOOK,
            "https://user:secret@sig.example:8443/hook?key=abc",
            {"service": "voirie", "event": "dossier.created", "reference": "REF-1"},
            "voirie",
        )
    (queued,) = [d for d in listing(world.store, "voirie", "pending") if d.reference == "REF-1"]
    hostile = "<script>alert(1)</script>" + "x" * 400
    world.store._write(
        "UPDATE outbox SET attempts = 1, last_error = ? WHERE id = ?", (hostile, queued.id)
    )
    admin = agent_client(world.app, "admin@tours.example")
    page = admin.get(f"{PAGE}?etat=failed").text
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    # 120 characters shown: the 25 of the tag, 94 x and an ellipsis.
    assert "x" * 94 + "…" in page and "x" * 95 not in page
    assert "sig.example:8443" in page and "user:secret" not in page and "key=abc" not in page


def test_only_administrators_see_the_page_or_retry(world: World) -> None:
    delivery = give_up(world)
    before = outbox_row(world.store, delivery)
    anonymous = TestClient(world.app)
    r = anonymous.get(PAGE, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/-/agents/login"
    r = anonymous.post(f"{PAGE}/{delivery}/relance", data={}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/-/agents/login"
    for who in ("proprete@tours.example", "nord@tours.example"):
        agent = agent_client(world.app, who)
        home = agent.get("/-/agents/").text
        assert f'href="{PAGE}"' not in home  # no link in their navigation…
        assert agent.get(PAGE).status_code == 404  # …and no page
        token = parse(home).csrf
        r = agent.post(f"{PAGE}/{delivery}/relance", data={"csrf_token": token})
        assert r.status_code == 404, who
    assert outbox_row(world.store, delivery) == before
    assert not [e for e in audit.entries(world.store) if e.action == "webhook_retry"]


def test_a_hostile_or_stale_retry_changes_nothing_and_says_why(world: World) -> None:
    delivery = give_up(world)
    (delivered,) = listing(world.store, "voirie")
    admin = agent_client(world.app, "admin@tours.example")
    token = parse(admin.get(PAGE).text).csrf
    before = outbox_row(world.store, delivery)
    # Without the session's token: 403.
    for data in ({}, {"csrf_token": "forged"}):
        r = admin.post(f"{PAGE}/{delivery}/relance", data=data, follow_redirects=False)
        assert r.status_code == 403
    # A GET never retries (the route is POST only).
    assert admin.get(f"{PAGE}/{delivery}/relance").status_code == 405
    # An unknown id, an e-mail of the outbox, a delivery already accepted.
    mail = world.store._one("SELECT id FROM outbox WHERE kind <> 'webhook' LIMIT 1")[0]
    for target, status, message in (
        ("nope", 404, "Cet envoi n'existe pas"),
        (mail, 404, "Cet envoi n'existe pas"),
        (delivered.id, 409, "déjà été délivré"),
    ):
        r = admin.post(f"{PAGE}/{target}/relance", data={"csrf_token": token})
        assert r.status_code == status and message in html.unescape(r.text).replace("\u00a0", " ")
        assert "data-retry-error" in r.text
    # Being sent right now (a worker holds its lease): not touched.
    assert outbox.claim(world.store, webhooks=True) == []  # given up: no worker takes it
    world.store._write("UPDATE outbox SET claimed_until = '2999-01-01' WHERE id = ?", (delivery,))
    leased = outbox_row(world.store, delivery)
    r = admin.post(f"{PAGE}/{delivery}/relance", data={"csrf_token": token})
    assert r.status_code == 409 and "part en ce moment" in r.text
    assert outbox_row(world.store, delivery) == leased
    world.store._write("UPDATE outbox SET claimed_until = NULL WHERE id = ?", (delivery,))
    assert outbox_row(world.store, delivery) == before
    assert not [e for e in audit.entries(world.store) if e.action == "webhook_retry"]


@pytest.mark.browser
def test_the_page_passes_axe_core(world: World) -> None:
    import uvicorn
    from playwright.sync_api import sync_playwright

    from .test_backoffice_browser import axe
    from .test_browser import CHROMIUM, LAUNCH_ARGS, _free_port

    give_up(world)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(world.app, host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    violations: list[str] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
            agent = browser.new_context(bypass_csp=True).new_page()
            agent.goto(f"http://127.0.0.1:{port}/-/agents/login")
            agent.fill("#email", "admin@tours.example")
            agent.fill("#password", PASSWORD)
            agent.click("form button[type=submit]")
            agent.click(f"nav a[href='{PAGE}']")
            axe(agent, "deliveries", violations)
            agent.click("[data-retry]")
            assert agent.locator("[data-retried]").count() == 1
            axe(agent, "deliveries, retried", violations)
            agent.goto(f"http://127.0.0.1:{port}{PAGE}?lang=en&etat=delivered")
            axe(agent, "deliveries, in English", violations)
            browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    assert violations == []


def test_migration_12_fills_the_service_of_the_webhooks_already_queued(db_url: str) -> None:
    store = Store(db_url)
    with store.transaction() as conn:
        outbox.enqueue(
            store, conn, outbox.WEBHOOK, "https://sig.example/hook", {"service": "voirie"}
        )
        outbox.enqueue(store, conn, "receipt", "zoe@example.fr", {"reference": "X"})
    # The database as migration 11 left it, with these rows.
    for statement in (
        "DROP INDEX outbox_kind_service",
        "DROP INDEX webhook_deliveries_outbox",
        "ALTER TABLE outbox DROP COLUMN service",
        "ALTER TABLE outbox DROP COLUMN max_attempts",
        "DELETE FROM schema_version WHERE version = 12",
    ):
        store._write(statement)
    assert store.migrate() >= 12
    assert sorted(store._all("SELECT kind, service FROM outbox"), key=str) == sorted(
        [("receipt", None), ("webhook", "voirie")], key=str
    )
    assert [d.service for d in listing(store, "voirie")] == ["voirie"]
    store.close()
