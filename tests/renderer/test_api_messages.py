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

from renderer.api.tokens import Tokens
from renderer.app import create_app
from renderer.backoffice import audit, outbox
from renderer.backoffice.accounts import ADMINISTRATEUR, Accounts
from renderer.backoffice.dossiers import Dossiers
from renderer.backoffice.letters import Letters

from .citizen import PDF, PNG, parse
from .test_agents import PASSWORD, login, signal
from .test_api import (  # noqa: F401 - the fixtures, shared
    FILE,
    JOURNEYS,
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


def send(api: Api, reference: str, data: Any, files: Any, **kw: Any) -> Any:
    """A message posted as multipart/form-data (with its document)."""
    path = MESSAGES.format(reference=reference)
    return api.call("POST", MESSAGES, path, data=data, files=files, **kw)


def files_of(app: Any, reference: str) -> list[Any]:
    store = store_of(app)
    submission = store.submission(reference)
    assert submission is not None
    return store.files_of(submission.draft_id)


def test_a_program_sends_a_document_with_its_message(app: Any, world: dict[str, Any]) -> None:
    api: Api = world["api"]
    ref, other = world["cleaning"][0], world["cleaning"][1]
    store = store_of(app)
    named = ("cœur d'arrêté.pdf", PDF, "text/plain")
    r = send(api, ref, {"body": "Voici l'arrêté."}, {"document": named})
    assert r.status_code == 201
    sent = r.json()
    assert sent["body"] == "Voici l'arrêté." and sent["file_url"]
    got = api.get(FILE, sent["file_url"])
    assert got.status_code == 200 and got.content == PDF
    # Its name as given, beyond latin-1 too (RFC 6266's filename*), with an ASCII fallback.
    assert got.headers["content-disposition"] == (
        "attachment; filename=\"cur darrt.pdf\"; "
        "filename*=UTF-8''c%C5%93ur%20d%27arr%C3%AAt%C3%A9.pdf"
    )
    (stored,) = files_of(app, ref)
    # Typed by its content, not by what the program said; kept under the question `message`.
    assert (stored.content_type, stored.question) == ("application/pdf", "message")
    assert sent["file_url"].endswith(stored.id)
    last = audit.entries(store, ref)[-1]
    assert (last.agent_id, last.action, last.after) == (
        f"token:{world['token'].id}",
        "message",
        {"body": "Voici l'arrêté.", "file": stored.id},
    )
    assert [n[1] for n in outbox.pending(store) if n[0] == "message"] == ["zoe@example.fr"]
    # The citizen downloads it from the follow-up page; another dossier's link opens nothing.
    citizen = TestClient(app)
    token = Dossiers(store).follow_token(ref)
    page = citizen.get(f"/-/suivi/{token}").text
    assert "Document joint" in page and f"/-/suivi/{token}/files/{stored.id}" in page
    assert citizen.get(f"/-/suivi/{token}/files/{stored.id}").content == PDF
    elsewhere = Dossiers(store).follow_token(other)
    assert citizen.get(f"/-/suivi/{elsewhere}/files/{stored.id}").status_code == 404


def test_a_forged_oversized_or_misshapen_document_changes_nothing(
    app: Any, world: dict[str, Any]
) -> None:
    api: Api = world["api"]
    roads: Api = world["roads_api"]
    ref = world["cleaning"][0]
    body = {"body": "Voici le document."}
    page = b"<html><script>alert(1)</script></html>"
    for name, data in (("arrete.pdf", page), ("vide.pdf", b""), ("x.png", b"MZ\x90\x00" * 8)):
        r = send(api, ref, body, {"document": (name, data, "application/pdf")},
                 headers={"accept-language": "en"})
        assert r.status_code == 422 and r.json()["code"] == "bad_document", name
        assert r.json()["detail"] == (
            "This document is not accepted: PDF, JPG or PNG, 10 MB at most.")
    for data, files in (
        (body, [("document", ("a.pdf", PDF, "application/pdf")),
                ("document", ("b.pdf", PDF, "application/pdf"))]),
        ({**body, "file": "x"}, {"document": ("a.pdf", PDF, "application/pdf")}),
        ({}, {"document": ("a.pdf", PDF, "application/pdf")}),
        ({**body, "document": "pas un fichier"}, {"autre": ("a.pdf", PDF, "application/pdf")}),
        ({"body": "x" * 10_001}, {"document": ("a.pdf", PDF, "application/pdf")}),
        ({"body": "Bon\x00jour"}, {"document": ("a.pdf", PDF, "application/pdf")}),
        (body, {"body": ("a.pdf", PDF, "application/pdf")}),
    ):
        r = send(api, ref, data, files)
        assert r.status_code == 400 and r.json()["code"] == "bad_body", (data, files)
    blank = send(api, ref, {"body": "  "}, {"document": ("a.pdf", PDF, "application/pdf")})
    assert blank.status_code == 422 and blank.json()["code"] == "bo_empty"
    # Another service's dossier, and no token: the same answers as without a document.
    theirs = send(roads, ref, body, {"document": ("a.pdf", PDF, "application/pdf")})
    assert theirs.status_code == 404
    nobody = TestClient(app).post(
        MESSAGES.format(reference=ref), data=body, files={"document": ("a.pdf", PDF)})
    assert nobody.status_code == 401
    assert files_of(app, ref) == [] and Dossiers(store_of(app)).messages(ref) == []


def test_a_document_past_10_mb_is_refused_by_the_agents_check(db_url: str) -> None:
    """Under a request limit above 10 MB, the document's own limit holds."""
    big = create_app([JOURNEYS / "signalement-voirie.yaml"], db_url=db_url,
                     max_body=12_000_000)
    ref = parse(signal(TestClient(big), "tag")).reference
    _, secret = Tokens(store_of(big)).add("proprete")
    api = Api(big, secret)
    over = PNG + b"\x00" * (10_000_001 - len(PNG))
    r = send(api, ref, {"body": "Le plan"}, {"document": ("plan.png", over, "image/png")})
    assert r.status_code == 422 and r.json()["code"] == "bad_document"
    at_limit = over[:10_000_000]
    r = send(api, ref, {"body": "Le plan"}, {"document": ("plan.png", at_limit, "image/png")})
    assert r.status_code == 201
    assert [f.size for f in files_of(big, ref)] == [10_000_000]


def test_the_agents_page_attaches_a_document_with_the_same_check(
    app: Any, world: dict[str, Any]
) -> None:
    ref = world["cleaning"][0]
    store = store_of(app)
    Accounts(store).add("agent@tours.example", PASSWORD, "instructeur", ["proprete"])
    agent = TestClient(app)
    login(agent, "agent@tours.example")
    page = f"/-/agents/dossiers/{ref}"
    csrf = parse(agent.get(page).text).csrf
    forged = agent.post(f"{page}/messages", data={"csrf_token": csrf, "body": "Le plan"},
                        files={"document": ("plan.pdf", b"<html></html>", "application/pdf")})
    assert forged.status_code == 400 and "PDF, JPG ou PNG, 10 Mo au plus" in forged.text
    assert files_of(app, ref) == [] and Dossiers(store).messages(ref) == []
    r = agent.post(f"{page}/messages", data={"csrf_token": csrf, "body": "Le plan"},
                   files={"document": ("plan.pdf", PDF, "application/pdf")},
                   follow_redirects=False)
    assert r.status_code == 303
    (stored,) = files_of(app, ref)
    assert (stored.question, stored.content_type) == ("message", "application/pdf")
    # The program reads it as its own; the citizen downloads it from the follow-up page.
    (sent,) = read(world["api"], ref).json()["items"]
    assert sent["file_url"].endswith(stored.id)
    token = Dossiers(store).follow_token(ref)
    assert TestClient(app).get(f"/-/suivi/{token}/files/{stored.id}").content == PDF
