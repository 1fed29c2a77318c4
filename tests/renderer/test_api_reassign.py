# ruff: noqa: F811 - the fixture db_url is imported from test_api
"""A dossier sent to another service by the services' API, through HTTP on SQLite and
PostgreSQL, with both services' webhooks received on the loopback: the agents' own code
(the history with its note, the audit entry `token:ID`, the new service's e-mail, and
`dossier.reassigned` to both services exactly as when an agent does it on the page); the
dossier leaves the token's reach; an unknown service, the dossier's own, another service's
dossier, a missing token and bad bodies change nothing. And `dossier.message_received`,
when the citizen writes from the follow-up page, through the same outbox and retries."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from starlette.testclient import TestClient

from renderer.api.tokens import Tokens
from renderer.api.webhooks import deliver_webhooks, deliveries
from renderer.app import create_app
from renderer.backoffice import audit, outbox
from renderer.backoffice.accounts import Accounts
from renderer.backoffice.dossiers import Dossiers

from .citizen import PNG, parse
from .test_agents import PASSWORD, agent_client, signal
from .test_api import Api, db_url, store_of  # noqa: F401 - the fixture, shared
from .test_webhooks import ENV, EVENT_SCHEMA, ROOT, Receiver, _with_webhooks, due_now

ONE = "/api/v1/dossiers/{reference}"
SERVICE = "/api/v1/dossiers/{reference}/service"
MESSAGES = "/api/v1/dossiers/{reference}/messages"


@pytest.fixture
def hooked(db_url: str, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """The example journeys with a webhook for cleaning and one for roads, each received on
    the loopback; two cleaning dossiers and a roads one; a token of each service."""
    folder = tmp_path / "journeys"
    folder.mkdir()
    shutil.copy(ROOT / "journeys" / "signalement-voirie.yaml", folder)
    source = (ROOT / "journeys" / "organisation.yaml").read_text("utf-8")
    with Receiver() as cleaning, Receiver() as roads:
        organisation = _with_webhooks(source, {"proprete": cleaning, "voirie": roads})
        (folder / "organisation.yaml").write_text(organisation, "utf-8")
        app = create_app(folder, db_url=db_url)
        citizen = TestClient(app)
        refs = [parse(signal(citizen, "tag")).reference for _ in range(2)]
        theirs = parse(signal(citizen, "trottoir")).reference
        tokens = Tokens(store_of(app))
        record, secret = tokens.add("proprete", "SIG propreté")
        _, roads_secret = tokens.add("voirie", "SIG voirie")
        assert deliver_webhooks(store_of(app), environ=ENV) == 3  # the dossier.created
        cleaning.accepted.clear()
        roads.accepted.clear()
        yield {
            "app": app,
            "cleaning": refs,
            "roads": theirs,
            "token": record,
            "api": Api(app, secret),
            "roads_api": Api(app, roads_secret),
            "receivers": {"proprete": cleaning, "voirie": roads},
        }


def move(api: Api, reference: str, body: Any, **kw: Any) -> Any:
    return api.call("POST", SERVICE, SERVICE.format(reference=reference), json=body, **kw)


def told(hooked: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every event the services' systems accepted, as (service, event), in service order."""
    return [
        (service, a["event"])
        for service, receiver in sorted(hooked["receivers"].items())
        for a in receiver.accepted
    ]


def test_a_program_sends_a_dossier_to_another_service_as_an_agent_does(
    hooked: dict[str, Any],
) -> None:
    app, api, roads = hooked["app"], hooked["api"], hooked["roads_api"]
    store = store_of(app)
    by_page, by_api = hooked["cleaning"]
    # An agent sends the first dossier to roads from the back office's page...
    Accounts(store).add("proprete@tours.example", PASSWORD, "instructeur", ["proprete"])
    agent = agent_client(app, "proprete@tours.example")
    page = f"/-/agents/dossiers/{by_page}"
    r = agent.post(
        f"{page}/service",
        data={"csrf_token": parse(agent.get(page).text).csrf, "service": "voirie",
              "note": "C'est un trottoir."},
        follow_redirects=False,
    )
    assert r.status_code == 303
    # ...and the program the second, by the API.
    mails = len([n for n in outbox.pending(store) if n[0] == "new_dossier"])
    r = move(api, by_api, {"service": "voirie", "note": "  C'est un trottoir.  "})
    assert r.status_code == 200
    summary = r.json()
    assert (summary["reference"], summary["service"], summary["status"]) == (
        by_api, "voirie", "en_construction")
    # It has left the token's reach (404, as any other service's), and roads reads it.
    assert api.get(ONE, ONE.format(reference=by_api)).status_code == 404
    assert move(api, by_api, {"service": "proprete"}).status_code == 404
    seen = roads.get(ONE, ONE.format(reference=by_api)).json()
    assert [(h["kind"], h["before"], h["after"], h["note"]) for h in seen["history"]] == [
        ("created", None, "en_construction", None),
        ("service", "proprete", "voirie", "C'est un trottoir."),
    ]
    # The same audit entry, the same e-mail to the new service, as the agent's.
    entries = {ref: audit.entries(store, ref)[-1] for ref in (by_page, by_api)}
    assert entries[by_api].agent_id == f"token:{hooked['token'].id}"
    assert entries[by_page].agent_id != entries[by_api].agent_id
    assert [(e.action, e.before) for e in entries.values()] == [
        ("reassign", {"service": "proprete"})] * 2
    assert entries[by_api].after["service"] == "voirie"
    new = [n for n in outbox.pending(store) if n[0] == "new_dossier"]
    assert len(new) == mails + 1 and new[-1][1] == "voirie@tours.example"
    assert audit.verify(store) == []
    # dossier.reassigned to both services, for each dossier, the same from page and API.
    assert deliver_webhooks(store, environ=ENV) == 4
    events = told(hooked)
    assert sorted((s, e["type"], e["data"]["reference"]) for s, e in events) == sorted(
        (s, "dossier.reassigned", ref)
        for s in ("proprete", "voirie")
        for ref in (by_page, by_api)
    )
    for _, event in events:
        jsonschema.validate(event, EVENT_SCHEMA)
        assert "trottoir" not in str(event)  # the agents' note stays theirs
    shapes = {
        ref: {(s, tuple(sorted((k, v) for k, v in e["data"].items()
                               if k not in ("reference", "updated_at"))))
              for s, e in events if e["data"]["reference"] == ref}
        for ref in (by_page, by_api)
    }
    assert shapes[by_page] == shapes[by_api]
    assert {(d.service, d.event, d.reference) for d in deliveries(store)} >= {
        ("proprete", "dossier.reassigned", by_api), ("voirie", "dossier.reassigned", by_api)}


def test_an_unknown_service_the_dossiers_own_and_bad_bodies_change_nothing(
    hooked: dict[str, Any],
) -> None:
    app, api, roads = hooked["app"], hooked["api"], hooked["roads_api"]
    store = store_of(app)
    ref = hooked["cleaning"][0]
    unknown = move(api, ref, {"service": "nulle_part"})
    assert unknown.status_code == 422 and unknown.json()["code"] == "bo_unknown_service"
    assert unknown.json()["detail"] == "Ce service n'existe pas."
    own = move(api, ref, {"service": "proprete"}, headers={"accept-language": "en"})
    assert own.status_code == 422 and own.json()["code"] == "bo_same_service"
    assert own.json()["detail"] == "The file is already with this team: choose another one."
    for forged in ("voirie'; DROP TABLE dossiers; --", "VOIRIE", " voirie", "__class__"):
        assert move(api, ref, {"service": forged}).json()["code"] == "bo_unknown_service"
    for body in (
        {},
        {"service": ""},
        {"service": "x" * 201},
        {"service": ["voirie"]},
        {"service": "voirie", "note": "x" * 5001},
        {"service": "voirie", "note": "Trottoir\u0000"},
        {"service": "voirie", "status": "accepte"},
        ["voirie"],
    ):
        r = move(api, ref, body)
        assert r.status_code == 400 and r.json()["code"] == "bad_body", body
    form = api.call("POST", SERVICE, SERVICE.format(reference=ref), data={"service": "voirie"})
    assert form.status_code == 415
    huge = move(api, ref, {"service": "voirie", "note": "x" * app.state.parcours.max_body})
    assert huge.status_code == 413
    # Another service's dossier, one that does not exist: the same 404.
    theirs, missing = move(roads, ref, {"service": "voirie"}), move(
        roads, "PAR-NOPE-NOPE", {"service": "voirie"})
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()
    assert move(api, hooked["roads"], {"service": "proprete"}).status_code == 404
    assert Api(app, None).call(
        "POST", SERVICE, SERVICE.format(reference=ref), json={"service": "voirie"}
    ).status_code == 401
    # Nothing moved, nothing was written, nobody was told.
    dossiers = Dossiers(store)
    assert dossiers.get(ref).service == "proprete"  # type: ignore[union-attr]
    assert dossiers.get(hooked["roads"]).service == "voirie"  # type: ignore[union-attr]
    assert [h.kind for h in dossiers.history(ref)] == ["created"]
    assert audit.entries(store, ref) == [] and audit.entries(store, hooked["roads"]) == []
    assert deliver_webhooks(store, environ=ENV) == 0 and told(hooked) == []


def test_the_agents_page_refuses_the_dossiers_own_service_with_the_same_check(
    hooked: dict[str, Any],
) -> None:
    app = hooked["app"]
    ref = hooked["cleaning"][0]
    Accounts(store_of(app)).add("proprete@tours.example", PASSWORD, "instructeur", ["proprete"])
    agent = agent_client(app, "proprete@tours.example")
    page = f"/-/agents/dossiers/{ref}"
    csrf = parse(agent.get(page).text).csrf
    for service, text in (("proprete", "Le dossier est déjà dans ce service"),
                          ("nulle_part", "Ce service n&#39;existe pas.")):
        r = agent.post(f"{page}/service", data={"csrf_token": csrf, "service": service})
        assert r.status_code == 400 and text in r.text, service
    assert Dossiers(store_of(app)).get(ref).service == "proprete"  # type: ignore[union-attr]


def test_a_citizens_message_is_told_to_the_services_webhook(hooked: dict[str, Any]) -> None:
    app, api = hooked["app"], hooked["api"]
    store = store_of(app)
    ref = hooked["cleaning"][0]
    cleaning, roads = hooked["receivers"]["proprete"], hooked["receivers"]["voirie"]
    token = Dossiers(store).follow_token(ref)
    citizen = TestClient(app)
    r = citizen.post(
        f"/-/suivi/{token}",
        data={"csrf_token": parse(citizen.get(f"/-/suivi/{token}").text).csrf,
              "body": "Voici la photo du tag, rue des Minimes"},
        files={"document": ("photo.png", PNG, "image/png")},
        follow_redirects=False,
    )
    assert r.status_code == 303
    # Through the same outbox and retries: the receiver fails once, then accepts it once.
    cleaning.fail_first = len(cleaning.requests) + 1
    assert deliver_webhooks(store, environ=ENV) == 0
    due_now(store)
    assert deliver_webhooks(store, environ=ENV) == 1
    assert deliver_webhooks(store, environ=ENV) == 0
    assert roads.accepted == []
    (got,) = cleaning.accepted
    event = got["event"]
    jsonschema.validate(event, EVENT_SCHEMA)
    assert got["headers"]["X-Parcours-Event"] == event["type"] == "dossier.message_received"
    sent = api.get(MESSAGES, MESSAGES.format(reference=ref)).json()["items"][-1]
    assert sent["author"] == "citizen" and sent["file_url"]
    dossier = api.get(ONE, ONE.format(reference=ref)).json()
    assert event["data"] == {
        "reference": ref,
        "journey": "signalement-voirie",
        "service": "proprete",
        "status": "en_construction",
        "updated_at": dossier["updated_at"],
        "message_id": sent["id"],
    }
    assert "Minimes" not in str(event)  # the citizen's words cross no webhook
    log = [(d.attempt, d.status_code) for d in deliveries(store)
           if d.event == "dossier.message_received"]
    assert log == [(2, 204), (1, 500)]
    # The e-mail to the service is still queued, as before.
    assert [n[1] for n in outbox.pending(store) if n[0] == "citizen_message"] == [
        "proprete@tours.example"]
