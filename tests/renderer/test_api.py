"""The services' JSON API through HTTP, on SQLite and PostgreSQL: every response checked
against the served OpenAPI document (jsonschema); a token reads only its service's
dossiers (404 for the others, as for a dossier that does not exist); the list's filters
and cursor; a dossier's answers as `parcours export` gives them, its files and history; a
status change through the back office's workflow; bearer tokens only (no cookie), throttled;
problem documents, never a page or a traceback; `parcours token`."""

from __future__ import annotations

import argparse
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from openapi_spec_validator import validate as validate_openapi
from pgschema import pg_schema
from starlette.routing import Route
from starlette.testclient import TestClient

from renderer.api.cli import add_token_arguments, run_token
from renderer.api.spec import OPERATIONS
from renderer.api.tokens import Tokens
from renderer.app import create_app
from renderer.backoffice import audit, outbox
from renderer.backoffice.accounts import ADMINISTRATEUR, Accounts
from renderer.backoffice.dossiers import Dossiers
from renderer.cli import export_rows
from renderer.databases import StoreBusy
from renderer.store import Store

from .citizen import PNG, parse
from .test_agents import PASSWORD, login, signal

ROOT = Path(__file__).resolve().parents[2]
JOURNEYS = ROOT / "journeys"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database, SQLite then PostgreSQL (in a schema of this suite's own)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'parcours.db'}"
        return
    with pg_schema("api_test") as url:
        yield url


@pytest.fixture
def app(db_url: str) -> Any:
    return create_app([JOURNEYS / "signalement-voirie.yaml"], db_url=db_url)


def store_of(app: Any) -> Store:
    return app.state.parcours.store  # type: ignore[no-any-return]


class Api:
    """A program of one service: its token on every request, and every response checked
    against the OpenAPI document the server publishes."""

    def __init__(self, app: Any, token: str | None) -> None:
        self.client = TestClient(app)
        self.token = token
        self.spec = self.client.get("/api/v1/openapi.json").json()

    def call(
        self,
        method: str,
        template: str,
        path: str | None = None,
        headers: dict[str, str] | None = None,
        **kw: Any,
    ) -> Any:
        sent = {"authorization": f"Bearer {self.token}"} if self.token else {}
        r = self.client.request(method, path or template, headers={**sent, **(headers or {})}, **kw)
        conforms(self.spec, template, method.lower(), r)
        return r

    def get(self, template: str, path: str | None = None, **kw: Any) -> Any:
        return self.call("GET", template, path, **kw)

    def status(self, reference: str, body: Any, **kw: Any) -> Any:
        return self.call(
            "POST",
            "/api/v1/dossiers/{reference}/status",
            f"/api/v1/dossiers/{reference}/status",
            json=body,
            **kw,
        )


def conforms(spec: dict[str, Any], template: str, method: str, r: Any) -> None:
    """The response is one the document declares for that operation: its status, its media
    type, and a body valid against its schema; no cookie is ever set."""
    declared = spec["paths"][template][method]["responses"]
    assert str(r.status_code) in declared, (template, r.status_code, r.text)
    content = declared[str(r.status_code)]["content"]
    kind = r.headers["content-type"].split(";")[0]
    if "application/octet-stream" in content:
        kind = "application/octet-stream"
    assert kind in content, (template, kind)
    schema = content[kind]["schema"]
    if schema:
        jsonschema.validate(
            r.json(),
            {**schema, "components": spec["components"]},
            cls=jsonschema.Draft202012Validator,
        )
    assert "set-cookie" not in r.headers
    assert "Traceback" not in r.text


@pytest.fixture
def world(app: Any) -> dict[str, Any]:
    """Three cleaning dossiers and one roads dossier, a token of each service."""
    citizen = TestClient(app)
    refs = [parse(signal(citizen, "tag")).reference for _ in range(3)]
    roads = parse(signal(citizen, "trottoir")).reference
    tokens = Tokens(store_of(app))
    record, cleaning = tokens.add("proprete", "SIG propreté")
    _, voirie = tokens.add("voirie")
    return {
        "cleaning": refs,
        "roads": roads,
        "api": Api(app, cleaning),
        "token": record,
        "roads_api": Api(app, voirie),
    }


LIST = "/api/v1/dossiers"
ONE = "/api/v1/dossiers/{reference}"
FILE = "/api/v1/dossiers/{reference}/files/{file}"


def test_the_document_is_valid_openapi_and_describes_every_api_route(app: Any) -> None:
    spec = TestClient(app).get("/api/v1/openapi.json").json()
    validate_openapi(spec)
    assert spec["openapi"] == "3.1.0"
    routes = {
        r.name: (r.path, sorted(m.lower() for m in r.methods or []))
        for r in app.routes
        if isinstance(r, Route) and r.path.startswith("/api/")
    }
    described = {
        op.name: (op.path, sorted({op.method, "head"} if op.method == "get" else {op.method}))
        for op in OPERATIONS
    }
    assert routes == described
    for op in OPERATIONS:
        assert op.method in spec["paths"][op.path]


def test_a_token_lists_its_services_dossiers_by_cursor(app: Any, world: dict[str, Any]) -> None:
    api: Api = world["api"]
    seen: list[str] = []
    page = api.get(LIST, params={"limit": 2}).json()
    while True:
        seen += [d["reference"] for d in page["items"]]
        assert all(d["service"] == "proprete" for d in page["items"])
        if page["next_cursor"] is None:
            assert page["next"] is None
            break
        assert page["next"].startswith("/api/v1/dossiers?") and "limit=2" in page["next"]
        page = api.get(LIST, page["next"]).json()
    assert sorted(seen) == sorted(world["cleaning"]) and len(seen) == 3
    # Oldest change first: a dossier that changes moves to the end.
    store = store_of(app)
    Dossiers(store).change_status(world["token"].principal(), seen[0], "en_instruction")
    order = [d["reference"] for d in api.get(LIST).json()["items"]]
    assert order == [*seen[1:], seen[0]]
    roads = [d["reference"] for d in world["roads_api"].get(LIST).json()["items"]]
    assert roads == [world["roads"]]


def test_the_list_filters(app: Any, world: dict[str, Any]) -> None:
    api: Api = world["api"]
    first = world["cleaning"][0]
    store = store_of(app)
    Dossiers(store).change_status(world["token"].principal(), first, "en_instruction")
    changed = api.get(ONE, f"/api/v1/dossiers/{first}").json()["updated_at"]

    def refs(**params: str) -> list[str]:
        return [d["reference"] for d in api.get(LIST, params=params).json()["items"]]

    assert refs(status="en_instruction") == [first]
    assert sorted(refs(status="en_construction")) == sorted(world["cleaning"][1:])
    assert refs(updated_since=changed) == [first]
    assert refs(updated_since=changed.replace("+00:00", "Z")) == [first]
    assert refs(updated_since="2999-01-01T00:00:00+01:00") == []
    assert len(refs(journey="signalement-voirie")) == 3
    assert refs(journey="autre") == []
    for bad in (
        {"status": "perdu"},
        {"limit": "0"},
        {"limit": "101"},
        {"limit": "beaucoup"},
        {"cursor": "pas-un-curseur"},
        {"updated_since": "hier"},
        {"updated_since": "2026-05-04T09:30:00"},
    ):
        r = api.get(LIST, params=bad)
        assert r.status_code == 400 and r.json()["code"] == "bad_parameter", bad
        assert r.headers["content-type"] == "application/problem+json"


def test_a_dossier_with_its_answers_files_and_history(
    app: Any, world: dict[str, Any], db_url: str
) -> None:
    api: Api = world["api"]
    ref = world["cleaning"][0]
    # The citizen answers an agent's request with a photo (a file of the dossier).
    store = store_of(app)
    token = Dossiers(store).follow_token(ref)
    citizen = TestClient(app)
    page = citizen.get(f"/-/suivi/{token}")
    citizen.post(
        f"/-/suivi/{token}",
        data={"csrf_token": parse(page.text).csrf, "body": "Voici la photo"},
        files={"document": ("photo.png", PNG, "image/png")},
    )
    got = api.get(ONE, f"/api/v1/dossiers/{ref}").json()
    exported = next(r for r in export_rows(db_url, "signalement-voirie") if r["reference"] == ref)
    assert got["answers"] == exported["answers"]  # one typed → JSON form for both
    assert got["provenance"] == exported["provenance"]
    assert got["answers"]["adresse"] == {
        "street": "1 rue des Minimes",
        "postcode": "37000",
        "commune": "Tours",
    }
    assert (got["journey"], got["service"], got["status"], got["outcome"]) == (
        "signalement-voirie",
        "proprete",
        "en_construction",
        exported["outcome"],
    )
    assert (got["channel"], got["contact_channel"]) == ("en_ligne", "email")
    assert [h["kind"] for h in got["history"]] == ["created"]
    assert len(got["files"]) == 1
    photo = got["files"][0]
    assert photo["name"] == "photo.png" and photo["content_type"] == "image/png"
    downloaded = api.get(FILE, photo["url"])
    assert downloaded.status_code == 200 and downloaded.content == PNG
    assert "attachment" in downloaded.headers["content-disposition"]
    # Another service's token sees neither the dossier nor its file.
    other: Api = world["roads_api"]
    assert other.get(ONE, f"/api/v1/dossiers/{ref}").status_code == 404
    assert other.get(FILE, photo["url"]).status_code == 404
    # A file of another dossier is not served under this one.
    elsewhere = world["cleaning"][1]
    assert api.get(FILE, f"/api/v1/dossiers/{elsewhere}/files/{photo['id']}").status_code == 404


def test_another_services_dossier_is_404_like_one_that_does_not_exist(
    world: dict[str, Any],
) -> None:
    api: Api = world["api"]
    theirs = api.get(ONE, f"/api/v1/dossiers/{world['roads']}")
    missing = api.get(ONE, "/api/v1/dossiers/PAR-NOPE-NOPE")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()
    refused = api.status(world["roads"], {"status": "en_instruction"})
    assert refused.status_code == 404
    roads: Api = world["roads_api"]
    assert roads.get(ONE, f"/api/v1/dossiers/{world['roads']}").json()["status"] == (
        "en_construction"
    )


def test_a_status_change_goes_through_the_back_offices_workflow(
    app: Any, world: dict[str, Any]
) -> None:
    api: Api = world["api"]
    ref = world["cleaning"][0]
    store = store_of(app)
    before = {n[0] for n in outbox.pending(store)}
    r = api.status(ref, {"status": "accepte"})  # not from en_construction
    assert r.status_code == 409 and r.json()["code"] == "bo_transition_refused"
    assert api.status(ref, {"status": "en_instruction"}).json()["status"] == "en_instruction"
    r = api.status(ref, {"status": "refuse"}, headers={"accept-language": "en"})
    assert r.status_code == 422 and r.json()["code"] == "bo_reason_required"
    assert "reason" in r.json()["detail"].lower()
    r = api.status(ref, {"status": "refuse", "reason": "   "})
    assert r.status_code == 422
    done = api.status(ref, {"status": "refuse", "reason": "Hors de la commune"}).json()
    assert done["status"] == "refuse" and done["decided_at"]
    assert api.status(ref, {"status": "en_instruction"}).status_code == 409  # final
    history = api.get(ONE, f"/api/v1/dossiers/{ref}").json()["history"]
    assert [(h["kind"], h["after"], h["note"]) for h in history] == [
        ("created", "en_construction", None),
        ("status", "en_instruction", None),
        ("status", "refuse", "Hors de la commune"),
    ]
    # The same audit entries and citizen's e-mails as from the back office.
    token_id = world["token"].id
    entries = [(e.agent_id, e.action, e.after) for e in audit.entries(store, ref)]
    assert entries == [
        (f"token:{token_id}", "status", {"status": "en_instruction", "reason": None}),
        (f"token:{token_id}", "status", {"status": "refuse", "reason": "Hors de la commune"}),
    ]
    assert audit.verify(store) == []
    status_mails = [n for n in outbox.pending(store) if n[0] == "status"]
    assert len(status_mails) == 2 and all(n[1] == "zoe@example.fr" for n in status_mails)
    assert "status" not in before
    # The agents read the change on the dossier's page.
    Accounts(store).add("admin@tours.example", PASSWORD, ADMINISTRATEUR, [])
    agent = TestClient(app)
    login(agent, "admin@tours.example")
    page = agent.get(f"/-/agents/dossiers/{ref}")
    assert "Hors de la commune" in page.text and "API — SIG propreté" in page.text


def test_a_status_change_needs_a_json_status_change(app: Any, world: dict[str, Any]) -> None:
    api: Api = world["api"]
    ref = world["cleaning"][0]
    path = f"/api/v1/dossiers/{ref}/status"
    form = api.call(
        "POST", "/api/v1/dossiers/{reference}/status", path, data={"status": "en_instruction"}
    )
    assert form.status_code == 415
    for body in (
        {"status": "perdu"},
        {"statut": "en_instruction"},
        ["en_instruction"],
        {"status": "refuse", "reason": "x" * 5001},
        {"status": "en_instruction", "extra": 1},
        {"status": "refuse", "reason": "Hors\u0000commune"},  # NUL: was a 500 on PostgreSQL
    ):
        r = api.status(ref, body)
        assert r.status_code == 400 and r.json()["code"] == "bad_body", body
    huge = api.status(ref, {"status": "refuse", "reason": "x" * app.state.parcours.max_body})
    assert huge.status_code == 413 and huge.json()["code"] == "too_large"
    broken = api.call(
        "POST",
        "/api/v1/dossiers/{reference}/status",
        path,
        content=b"{not json",
        headers={"content-type": "application/json"},
    )
    assert broken.status_code == 400
    assert api.get(ONE, f"/api/v1/dossiers/{ref}").json()["status"] == "en_construction"


def test_only_a_live_bearer_token_opens_the_api(app: Any, world: dict[str, Any]) -> None:
    nobody = Api(app, None)
    r = nobody.get(LIST)
    assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Bearer")
    assert r.json()["code"] == "missing_token"
    basic = nobody.get(LIST, headers={"authorization": "Basic YWRtaW46YWRtaW4="})
    assert basic.status_code == 401
    assert Api(app, "pcs_" + "x" * 43).get(LIST).json()["code"] == "invalid_token"
    # An agent's session cookie opens nothing here (no cookie is read: no CSRF either).
    Accounts(store_of(app)).add("admin@tours.example", PASSWORD, ADMINISTRATEUR, [])
    agent = TestClient(app)
    assert login(agent, "admin@tours.example").status_code == 303
    assert agent.cookies
    assert agent.get(LIST).status_code == 401
    assert (
        agent.post(
            f"/api/v1/dossiers/{world['roads']}/status", json={"status": "en_instruction"}
        ).status_code
        == 401
    )
    # A revoked token stops working at once.
    tokens = Tokens(store_of(app))
    record, token = tokens.add("proprete", "ancien")
    assert Api(app, token).get(LIST).status_code == 200
    assert tokens.revoke(record.id) and not tokens.revoke(record.id)
    assert Api(app, token).get(LIST).status_code == 401
    # The database keeps only hashes.
    stored = [r[0] for r in store_of(app)._all("SELECT token_hash FROM api_tokens")]
    assert token not in stored and all(len(h) == 64 for h in stored)


def test_wrong_tokens_are_throttled_per_address(app: Any, world: dict[str, Any]) -> None:
    guesser = Api(app, "pcs_devine")
    for _ in range(20):
        assert guesser.get(LIST).status_code == 401
    r = guesser.get(LIST)
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
    # Even the right token waits now, from that address: guessing gains nothing.
    assert world["api"].get(LIST).status_code == 429


def test_errors_are_problem_documents_never_pages(
    app: Any, world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    api: Api = world["api"]
    headers = {"authorization": f"Bearer {api.token}"}
    unknown = api.client.get("/api/v1/nothing", headers=headers)
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"
    wrong = api.client.delete(LIST, headers=headers)
    assert wrong.status_code == 405 and wrong.json()["status"] == 405
    assert "GET" in wrong.headers["allow"]

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret detail of the server")

    monkeypatch.setattr(Dossiers, "changed", broken)
    crashing = TestClient(app, raise_server_exceptions=False)
    r = crashing.get(LIST, headers=headers)
    assert r.status_code == 500 and r.headers["content-type"] == "application/problem+json"
    assert "secret detail" not in r.text and "Traceback" not in r.text
    conforms(api.spec, LIST, "get", r)

    def busy(*args: Any, **kwargs: Any) -> Any:
        raise StoreBusy("database is locked")

    monkeypatch.setattr(Dossiers, "changed", busy)
    r = crashing.get(LIST, headers=headers)
    assert r.status_code == 503 and r.json()["code"] == "busy" and r.headers["retry-after"]
    conforms(api.spec, LIST, "get", r)


def test_the_token_command(db_url: str, tmp_path: Path) -> None:
    parser = argparse.ArgumentParser()
    add_token_arguments(parser)

    def run(*argv: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        code = run_token(parser.parse_args([*argv, "--db", db_url]), out=out, err=err)
        return code, out.getvalue(), err.getvalue()

    code, out, err = run(
        "add", "--service", "proprete", "--label", "SIG", "--journeys", str(JOURNEYS)
    )
    assert code == 0 and out.startswith("pcs_") and "il ne sera plus affiché" in err
    token = out.strip()
    store = Store(db_url)
    found = Tokens(store).authenticate(token)
    assert found is not None and found.service == "proprete" and found.label == "SIG"
    code, listed, _ = run("list")
    assert code == 0 and found.id in listed and token not in listed and "active" in listed
    assert run("add", "--service", "nulle_part", "--journeys", str(JOURNEYS))[0] == 1
    assert run("revoke", found.id)[0] == 0
    assert Tokens(store).authenticate(token) is None
    assert run("revoke", found.id)[0] == 1
    assert "revoked" in run("list")[1]
    # Ids are hexadecimal: never one that the command line takes for an option.
    assert all(re.fullmatch("[0-9a-f]{18}", Tokens(store).add("proprete")[0].id)
               for _ in range(64))
    # An id made by an earlier version may begin with "-": after "--" it is the id.
    store._write("UPDATE api_tokens SET id = '-ancien' WHERE id = ?", (found.id,))
    args = parser.parse_args(["revoke", "--db", db_url, "--", "-ancien"])
    assert args.id == "-ancien" or "-ancien" in vars(args).values()
    store.close()
