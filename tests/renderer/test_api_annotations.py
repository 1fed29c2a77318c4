# ruff: noqa: F811 - the fixtures app, world and db_url are imported from test_api
"""The agents' private annotations in the services' API, through HTTP on SQLite and
PostgreSQL, every response checked against the served OpenAPI document: read (the agents'
and the programs', never on the citizen's page nor among the messages) and added by a
program through the agents' own code (the audit entry `token:ID`; the agents read it as the
token's); another service's token gets 404, as for a dossier that does not exist; bad
bodies and a GET change nothing."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from renderer.api.tokens import Tokens
from renderer.backoffice import audit
from renderer.backoffice.accounts import ADMINISTRATEUR, Accounts
from renderer.backoffice.dossiers import Dossiers

from .test_agents import PASSWORD, login
from .test_api import (  # noqa: F401 - the fixtures, shared
    Api,
    app,
    db_url,
    store_of,
    world,
)

ANNOTATIONS = "/api/v1/dossiers/{reference}/annotations"
MESSAGES = "/api/v1/dossiers/{reference}/messages"


def read(api: Api, reference: str) -> Any:
    return api.get(ANNOTATIONS, ANNOTATIONS.format(reference=reference))


def note(api: Api, reference: str, body: Any, **kw: Any) -> Any:
    return api.call(
        "POST", ANNOTATIONS, ANNOTATIONS.format(reference=reference), json=body, **kw
    )


def test_a_program_reads_the_annotations_and_adds_one(app: Any, world: dict[str, Any]) -> None:
    api: Api = world["api"]
    ref = world["cleaning"][0]
    store = store_of(app)
    assert read(api, ref).json() == {"items": []}
    agent = Accounts(store).add("agent@tours.example", PASSWORD, "instructeur", ["proprete"])
    Dossiers(store).annotate(agent, ref, "Voir avec l'équipe de nuit")
    got = read(api, ref).json()["items"]
    assert [(a["body"], a["by_token"]) for a in got] == [("Voir avec l'équipe de nuit", None)]
    # A read changes nothing: no audit entry, the same answer again.
    logged = len(audit.entries(store, ref))
    assert read(api, ref).json()["items"] == got
    assert len(audit.entries(store, ref)) == logged
    # The program adds one: the agents' own code, audited as the token's.
    r = note(api, ref, {"body": "  Passage prévu jeudi (SIG).  "})
    assert r.status_code == 201
    added = r.json()
    assert (added["body"], added["by_token"]) == ("Passage prévu jeudi (SIG).", world["token"].id)
    assert read(api, ref).json()["items"] == [*got, added]
    last = audit.entries(store, ref)[-1]
    assert (last.agent_id, last.action, last.after) == (
        f"token:{world['token'].id}",
        "annotate",
        {"body": "Passage prévu jeudi (SIG)."},
    )
    assert audit.verify(store) == []
    # Kept as the citizens' answers are: invisible and bidirectional characters dropped.
    hidden = note(api, ref, {"body": "Facture\u202e\u200b 12 €\nà payer"}).json()
    assert hidden["body"] == "Facture 12 €\nà payer"
    # Private: neither among the messages nor on the citizen's follow-up page.
    assert "Passage prévu" not in api.get(MESSAGES, MESSAGES.format(reference=ref)).text
    token = Dossiers(store).follow_token(ref)
    assert "Passage prévu" not in TestClient(app).get(f"/-/suivi/{token}").text
    # The agents read it on the dossier's page, as the token's.
    Accounts(store).add("admin@tours.example", PASSWORD, ADMINISTRATEUR, [])
    admin = TestClient(app)
    login(admin, "admin@tours.example")
    page = admin.get(f"/-/agents/dossiers/{ref}").text
    assert "Passage prévu jeudi (SIG)." in page and "API — SIG propreté" in page


def test_another_service_a_missing_token_and_bad_bodies_change_nothing(
    app: Any, world: dict[str, Any]
) -> None:
    api: Api = world["api"]
    roads: Api = world["roads_api"]
    ref = world["cleaning"][0]
    store = store_of(app)
    theirs, missing = read(roads, ref), read(roads, "PAR-NOPE-NOPE")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()
    assert note(roads, ref, {"body": "Pas à nous"}).status_code == 404
    assert note(api, world["roads"], {"body": "Pas à nous"}).status_code == 404
    for body in (
        {"body": ""},
        {"texte": "Bonjour"},
        {"body": "x" * 10_001},
        {"body": 12},
        ["Bonjour"],
        {"body": "Bonjour", "by_token": "forgé"},
        {"body": "avant\u0000après"},  # NUL: PostgreSQL cannot store it (was a 500)
        {"body": "sonnerie\u0007"},
    ):
        r = note(api, ref, body)
        assert r.status_code == 400 and r.json()["code"] == "bad_body", body
    blank = note(api, ref, {"body": " \n "}, headers={"accept-language": "en"})
    assert blank.status_code == 422 and blank.json()["code"] == "bo_empty"
    assert blank.json()["detail"] == "Write something."
    assert note(api, ref, {"body": "   "}).json()["detail"] == "Écrivez quelque chose."
    form = api.call("POST", ANNOTATIONS, ANNOTATIONS.format(reference=ref), data={"body": "x"})
    assert form.status_code == 415 and form.json()["code"] == "not_json"
    huge = note(api, ref, {"body": "x" * app.state.parcours.max_body})
    assert huge.status_code == 413
    assert Api(app, None).get(ANNOTATIONS, ANNOTATIONS.format(reference=ref)).status_code == 401
    tokens = Tokens(store)
    record, revoked = tokens.add("proprete", "révoqué")
    tokens.revoke(record.id)
    assert note(Api(app, revoked), ref, {"body": "Trop tard"}).status_code == 401
    assert Dossiers(store).annotations(ref) == [] and Dossiers(store).annotations(
        world["roads"]
    ) == []
    assert [e for e in audit.entries(store, ref) if e.action == "annotate"] == []
