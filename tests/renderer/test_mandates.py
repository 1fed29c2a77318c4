"""A mandate withdrawn by its mediator (POST + CSRF, audited, nobody else's), and mandates
purged with their dossier's retention, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.testclient import TestClient

from renderer.backoffice import audit
from renderer.backoffice.accounts import Accounts
from renderer.backoffice.dossiers import Dossiers
from renderer.backoffice.mediation import Mandates
from renderer.purge import purge
from renderer.store import RESUME_DAYS

from .citizen import parse
from .test_agents import agent_client, app, store_of  # noqa: F401
from .test_mediation import assisted, keyed, people  # noqa: F401


def _withdraw_url(home: str) -> tuple[str, str]:
    found = re.search(r'<form method="post" action="([^"]+)" data-withdraw="([^"]+)"', home)
    assert found, home
    return found.group(1), found.group(2)


def test_a_mediator_withdraws_a_mandate(app: Any, people: dict[str, str]) -> None:  # noqa: F811
    nord = agent_client(app, people["nord"])
    store = store_of(app)
    citizen_csrf = keyed(nord)  # the assisted journey, keyed up to its check page
    home = nord.get("/-/agents/mediation/")
    assert "Mandats en cours" in home.text and "Zoé Martin" in home.text
    action, mandate_id = _withdraw_url(home.text)
    token = parse(home.text).csrf
    # No CSRF token, a GET, another mediator, an agent: refused, nothing changes.
    assert nord.post(action, data={}).status_code == 403
    assert nord.get(action).status_code == 405
    sud = agent_client(app, people["sud"])
    sud_token = parse(sud.get("/-/agents/mediation/").text).csrf
    assert sud.post(action, data={"csrf_token": sud_token}).status_code == 404
    agent = agent_client(app, people["agent"])
    agent_token = parse(agent.get("/-/agents/").text).csrf
    assert agent.post(action, data={"csrf_token": agent_token}).status_code == 404
    got = Mandates(store).get(mandate_id)
    assert got is not None and got.active()
    # Its mediator withdraws it: audited, no longer listed, no longer usable.
    r = nord.post(action, data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/-/agents/mediation/?retire=1"
    after = nord.get(r.headers["location"]).text
    assert "data-withdrawn" in after and "Zoé Martin" not in after
    got = Mandates(store).get(mandate_id)
    assert got is not None and got.withdrawn_at is not None and not got.active()
    mediator = Accounts(store).by_email(people["nord"])
    assert mediator is not None
    entries = [e for e in audit.entries(store) if e.action == "mandate_withdrawn"]
    assert len(entries) == 1 and entries[0].agent_id == mediator.id
    assert entries[0].after == {"mandate": mandate_id, "structure": "France Services Tours Nord"}
    assert audit.verify(store) == []
    assert nord.post(action, data={"csrf_token": token}).status_code == 404  # once
    # The journey keyed under it can no longer be sent.
    sent = nord.post("/signalement-voirie/check", data={"csrf_token": citizen_csrf})
    assert sent.status_code == 403 and "Le mandat ne couvre plus" in sent.text
    assert Dossiers(store).helped_by(mediator.id) == []


def test_a_used_mandate_cannot_be_withdrawn(app: Any, people: dict[str, str]) -> None:  # noqa: F811
    nord = agent_client(app, people["nord"])
    reference = assisted(nord)
    store = store_of(app)
    used = Mandates(store).for_dossier(reference)
    assert used is not None
    assert "data-withdraw" not in nord.get("/-/agents/mediation/").text
    mediator = Accounts(store).by_email(people["nord"])
    assert mediator is not None and not Mandates(store).withdraw(mediator, used.id)


def test_mandates_go_with_their_dossier(app: Any, people: dict[str, str]) -> None:  # noqa: F811
    nord = agent_client(app, people["nord"])
    store = store_of(app)
    reference = assisted(nord)
    kept_reference = assisted(nord)
    mediator = Accounts(store).by_email(people["nord"])
    assert mediator is not None
    unused = Mandates(store).record(mediator, "signalement-voirie", "Jean Petit", "ecran", 1)
    withdrawn = Mandates(store).record(mediator, "signalement-voirie", "Ana Lima", "papier", 365)
    assert Mandates(store).withdraw(mediator, withdrawn.id)
    live = Mandates(store).record(mediator, "signalement-voirie", "Léo Roux", "ecran", 365)
    agent = Accounts(store).by_email(people["agent"])
    assert agent is not None
    dossiers = Dossiers(store)
    for ref in (reference, kept_reference):
        dossiers.change_status(agent, ref, "en_instruction")
        dossiers.change_status(agent, ref, "accepte")
    store._write("UPDATE dossiers SET decided_at = '2023-01-01T00:00:00.000+00:00' "
                 "WHERE reference = ?", (reference,))
    # Within the days an unsent draft is kept, nothing of the mandates goes.
    soon = datetime.now(UTC) + timedelta(days=2)
    dry = purge(store, {"signalement-voirie": 730}, at=soon, dry_run=True)
    assert dry.mandates == 1 and Mandates(store).for_dossier(reference) is not None
    done = purge(store, {"signalement-voirie": 730}, at=soon)
    assert [d[0] for d in done.dossiers] == [reference] and done.mandates == 1
    assert Mandates(store).for_dossier(reference) is None  # the citizen's name went with it
    assert Mandates(store).for_dossier(kept_reference) is not None
    for m in (unused, withdrawn, live):
        assert Mandates(store).get(m.id) is not None
    # Past RESUME_DAYS after its end, a mandate that covered no dossier goes too.
    later = datetime.now(UTC) + timedelta(days=RESUME_DAYS + 2)
    done = purge(store, {"signalement-voirie": 730}, at=later)
    assert done.mandates == 2 and done.counts()["mandates"] == 2
    assert Mandates(store).get(unused.id) is None and Mandates(store).get(withdrawn.id) is None
    assert Mandates(store).get(live.id) is not None  # a year long: still in force
    assert Mandates(store).for_dossier(kept_reference) is not None
    names = {r[0] for r in store._all("SELECT citizen_name FROM mandates")}
    assert names == {"Zoé Martin", "Léo Roux"}
    assert audit.verify(store) == []
    assert TestClient(app).get("/").status_code == 200
