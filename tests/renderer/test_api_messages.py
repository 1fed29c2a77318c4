# ruff: noqa: F811 - the fixtures app, world and db_url are imported from test_api
"""A dossier's messages with the citizen in the services' API, through HTTP on SQLite and
PostgreSQL, every response checked against the served OpenAPI document: read (the agents'
and the citizen's, with the citizen's document, never the agents' annotations), and written
to the citizen by a program (the agents' own code: the audit entry, the e-mail, or a letter
to print for a citizen who chose the post; the agents read it as the token's); another
service's token gets 404, as for a dossier that does not exist; bad bodies change nothing."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from renderer.backoffice import audit, outbox
from renderer.backoffice.accounts import ADMINISTRATEUR, Accounts
from renderer.backoffice.dossiers import Dossiers
from renderer.backoffice.letters import Letters

from .citizen import PNG, parse
from .test_agents import PASSWORD, login, signal
from .test_api import (  # noqa: F401 - the fixtures, shared
    FILE,
    Api,
    app,
    db_url,
    store_of,
    world,
)

MESSAGES = "/api/v1/dossiers/{reference}/messages"


def read(api: Api, reference: str) -> Any:
    return api.get(MESSAGES, MESSAGES.format(reference=reference))


def write(api: Api, reference: str, body: Any, **kw: Any) -> Any:
    return api.call("POST", MESSAGES, MESSAGES.format(reference=reference), json=body, **kw)


def test_a_program_reads_the_messages_and_writes_to_the_citizen(
    app: Any, world: dict[str, Any]
) -> None:
    api: Api = world["api"]
    ref = world["cleaning"][0]
    store = store_of(app)
    assert read(api, ref).json() == {"items": []}
    # An agent asks, the citizen answers with a photo, an agent notes something private.
    agent = Accounts(store).add("agent@tours.example", PASSWORD, "instructeur", ["proprete"])
    dossiers = Dossiers(store)
    dossiers.message_from_agent(agent, ref, "Pouvez-vous envoyer une photo ?")
    token = dossiers.follow_token(ref)
    citizen = TestClient(app)
    citizen.post(
        f"/-/suivi/{token}",
        data={"csrf_token": parse(citizen.get(f"/-/suivi/{token}").text).csrf, "body": "La voici"},
        files={"document": ("photo.png", PNG, "image/png")},
    )
    dossiers.annotate(agent, ref, "Note privée des agents")
    got = read(api, ref).json()["items"]
    assert [(m["author"], m["body"]) for m in got] == [
        ("agent", "Pouvez-vous envoyer une photo ?"),
        ("citizen", "La voici"),
    ]
    files = api.get("/api/v1/dossiers/{reference}", f"/api/v1/dossiers/{ref}").json()["files"]
    assert got[0]["file_url"] is None and got[1]["file_url"] == files[0]["url"]
    photo = api.get(FILE, got[1]["file_url"])
    assert photo.status_code == 200 and photo.content == PNG
    assert "Note privée" not in read(api, ref).text
    # The program writes to the citizen: the agents' own code, audited, e-mailed.
    before = len([n for n in outbox.pending(store) if n[0] == "message"])
    r = write(api, ref, {"body": "  Merci, nous passons demain.  "})
    assert r.status_code == 201
    sent = r.json()
    assert (sent["author"], sent["body"], sent["file_url"]) == (
        "agent",
        "Merci, nous passons demain.",
        None,
    )
    assert read(api, ref).json()["items"][-1] == sent
    mails = [n for n in outbox.pending(store) if n[0] == "message"]
    assert len(mails) == before + 1 and mails[-1][1] == "zoe@example.fr"
    entries = [(e.agent_id, e.action, e.after) for e in audit.entries(store, ref)]
    assert entries[-1] == (
        f"token:{world['token'].id}",
        "message",
        {"body": "Merci, nous passons demain.", "file": None},
    )
    # The citizen reads it on the follow-up page; the agents read it as the token's.
    assert "Merci, nous passons demain." in citizen.get(f"/-/suivi/{token}").text
    Accounts(store).add("admin@tours.example", PASSWORD, ADMINISTRATEUR, [])
    admin = TestClient(app)
    login(admin, "admin@tours.example")
    page = admin.get(f"/-/agents/dossiers/{ref}").text
    assert "Merci, nous passons demain." in page and "API — SIG propreté" in page


def test_a_citizen_who_chose_the_post_gets_a_letter_to_print(
    app: Any, world: dict[str, Any]
) -> None:
    api: Api = world["api"]
    ref = parse(signal(TestClient(app), "tag", sent={"contact_channel": "post"})).reference
    assert write(api, ref, {"body": "Nous passons demain."}).status_code == 201
    kinds = [(x.kind, x.to_print) for x in Letters(store_of(app)).of_dossier(ref)]
    assert kinds == [("receipt", True), ("message", True)]


def test_another_service_and_bad_bodies_change_nothing(app: Any, world: dict[str, Any]) -> None:
    api: Api = world["api"]
    roads: Api = world["roads_api"]
    ref = world["cleaning"][0]
    theirs = read(roads, ref)
    missing = read(roads, "PAR-NOPE-NOPE")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()
    assert write(roads, ref, {"body": "Bonjour"}).status_code == 404
    for body in (
        {"body": ""},
        {"texte": "Bonjour"},
        {"body": "x" * 10_001},
        ["Bonjour"],
        {"body": "Bonjour", "file": "x"},
        {"body": "Bon\u0000jour"},  # NUL: PostgreSQL cannot store it (was a 500)
    ):
        r = write(api, ref, body)
        assert r.status_code == 400 and r.json()["code"] == "bad_body", body
    blank = write(api, ref, {"body": "   "}, headers={"accept-language": "en"})
    assert blank.status_code == 422 and blank.json()["code"] == "bo_empty"
    assert blank.json()["detail"] == "Write something."
    form = api.call("POST", MESSAGES, MESSAGES.format(reference=ref), data={"body": "Bonjour"})
    assert form.status_code == 415
    huge = write(api, ref, {"body": "x" * app.state.parcours.max_body})
    assert huge.status_code == 413
    nobody = TestClient(app).get(MESSAGES.format(reference=ref))
    assert nobody.status_code == 401
    assert read(api, ref).json() == {"items": []}
    assert Dossiers(store_of(app)).messages(ref) == []
