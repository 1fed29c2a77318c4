"""The agents' back office and the citizen's follow-up, through HTTP on SQLite and PostgreSQL:
a citizen's signalement routed to its service, an agent who logs in (throttled), lists,
reads and processes it; the authorisation matrix; CSRF on every agent form; the follow-up
page by its secret token."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from renderer.app import create_app
from renderer.backoffice import audit
from renderer.backoffice.accounts import ADMINISTRATEUR, Accounts
from renderer.backoffice.dossiers import Dossiers
from renderer.i18n import t
from renderer.store import Store

from .citizen import PNG, parse

ROOT = Path(__file__).resolve().parents[2]
JOURNEYS = ROOT / "journeys"
PASSWORD = "un mot de passe assez long"


@pytest.fixture
def app(db_url: str) -> Any:
    return create_app([JOURNEYS / "signalement-voirie.yaml"], db_url=db_url)


def store_of(app: Any) -> Store:
    return app.state.parcours.store  # type: ignore[no-any-return]


def csrf(client: TestClient, page: str) -> str:
    token = parse(client.get(page).text).csrf
    assert token, page
    return token


def signal(client: TestClient, nature: str, email: str = "zoe@example.fr",
           sent: dict[str, str] | None = None, seen: list[str] | None = None) -> str:
    """A citizen reports a problem (each page in one go, as with scripts; ``sent``: what
    else the check page's form posts; ``seen`` gets the check page); returns the
    confirmation page's HTML."""
    token = csrf(client, "/signalement-voirie/")
    assert client.post("/signalement-voirie/start", data={"csrf_token": token}).status_code == 200

    def post(step: str, data: dict[str, Any]) -> None:
        r = client.post(f"/signalement-voirie/q/{step}", data={"csrf_token": token, "_js": "1",
                                                                  **data},
                        follow_redirects=False)
        assert r.status_code == 303, r.text

    post("urgence", {"danger": "no"})
    post("probleme", {"type_probleme": nature, "description": ""})
    if nature == "eclairage":
        post("lampadaire", {"numero_lampadaire": ""})
    post("lieu", {"adresse-street": "1 rue des Minimes", "adresse-postcode": "37000",
                  "adresse-commune": "Tours", "repere": ""})
    post("suivi", {"etre_informe": "yes", "email": email})
    if seen is not None:
        seen.append(client.get("/signalement-voirie/check").text)
    r = client.post("/signalement-voirie/check", data={"csrf_token": token, **(sent or {})})
    assert r.status_code == 200
    return r.text


def login(client: TestClient, email: str, password: str = PASSWORD) -> Any:
    token = csrf(client, "/-/agents/login")
    return client.post("/-/agents/login", data={"csrf_token": token, "email": email,
                                                "password": password},
                       follow_redirects=False)


def agent_client(app: Any, email: str) -> TestClient:
    client = TestClient(app)
    assert login(client, email).status_code == 303
    return client


@pytest.fixture
def world(app: Any) -> dict[str, Any]:
    """Two dossiers (cleaning, roads), an instructeur of each service and an administrator."""
    citizen = TestClient(app)
    refs = {}
    for nature, service in (("tag", "proprete"), ("trottoir", "voirie")):
        refs[service] = parse(signal(citizen, nature)).reference
    accounts = Accounts(store_of(app))
    accounts.add("proprete@tours.example", PASSWORD, "instructeur", ["proprete"])
    accounts.add("voirie@tours.example", PASSWORD, "instructeur", ["voirie"])
    accounts.add("admin@tours.example", PASSWORD, ADMINISTRATEUR, [])
    return {"refs": refs}


def test_the_confirmation_gives_the_follow_up_link_and_the_dossier_is_routed(app: Any) -> None:
    page = signal(TestClient(app), "feu")
    reference = parse(page).reference
    assert reference
    match = re.search(r'href="(http://testserver/-/suivi/([0-9a-f]+))"[^>]* data-follow', page)
    assert match
    d = Dossiers(store_of(app)).get(reference)
    assert d is not None and d.service == "eclairage" and d.status == "en_construction"
    assert Dossiers(store_of(app)).by_token(match.group(2)) == d


def test_an_agent_processes_a_dossier_of_its_service(app: Any, world: dict[str, Any]) -> None:
    ref = world["refs"]["proprete"]
    client = agent_client(app, "proprete@tours.example")
    listing = client.get("/-/agents/").text
    assert f'data-reference="{ref}"' in listing
    assert world["refs"]["voirie"] not in listing
    page = client.get(f"/-/agents/dossiers/{ref}").text
    # The answers exactly as the citizen's summary shows them.
    assert "Un tag ou un graffiti" in page and "1 rue des Minimes, 37000 Tours" in page
    token = parse(page).csrf
    base = f"/-/agents/dossiers/{ref}"
    r = client.post(f"{base}/messages", data={"csrf_token": token,
                                               "body": "Pouvez-vous envoyer une photo ?"},
                    follow_redirects=False)
    assert r.status_code == 303
    assert client.post(f"{base}/annotations", data={"csrf_token": token, "body": "urgent ?"},
                       follow_redirects=False).status_code == 303
    assert client.post(f"{base}/status", data={"csrf_token": token, "status": "en_instruction"},
                       follow_redirects=False).status_code == 303
    refused = client.post(f"{base}/status", data={"csrf_token": token, "status": "refuse"})
    assert refused.status_code == 400 and "Indiquez le motif" in refused.text
    assert client.post(f"{base}/status", data={"csrf_token": token, "status": "accepte"},
                       follow_redirects=False).status_code == 303
    page = client.get(base).text
    assert 'data-status="accepte"' in page and "Pouvez-vous envoyer une photo ?" in page
    assert "urgent ?" in page
    actions = [e.action for e in audit.entries(store_of(app), ref)]
    assert actions == ["message", "annotate", "status", "status"]
    # Filters: by status and by text.
    assert f'data-reference="{ref}"' in client.get("/-/agents/?status=accepte").text
    assert 'data-count="0"' in client.get("/-/agents/?status=refuse").text
    assert 'data-count="1"' in client.get("/-/agents/?q=minimes").text
    assert 'data-count="0"' in client.get("/-/agents/?q=lyon").text
    # The last day a date can hold: no upper bound (it was an OverflowError, a 500).
    last = client.get("/-/agents/?until=9999-12-31")
    assert last.status_code == 200 and f'data-reference="{ref}"' in last.text
    # A day that is not one is said, and set aside: the list stays unfiltered by it.
    for bad in ("2026-13-45", "hier", "9" * 20000):
        page = client.get(f"/-/agents/?since={bad}")
        assert page.status_code == 200 and t("bo_bad_date", "fr") in page.text, bad
        assert f'data-reference="{ref}"' in page.text


def test_the_list_says_more_than_its_count_cap(app: Any, world: dict[str, Any],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from renderer.agents import dossiers as pages

    admin = agent_client(app, "admin@tours.example")
    monkeypatch.setattr(pages, "COUNT_CAP", 1)
    listing = admin.get("/-/agents/").text
    assert "Plus de 1 dossiers" in listing
    assert admin.get("/-/agents/?lang=en").text.count("More than 1 files") == 1


def test_the_citizen_follows_and_answers_with_a_document(app: Any, world: dict[str, Any]) -> None:
    ref = world["refs"]["proprete"]
    store = store_of(app)
    agent = Accounts(store).by_email("proprete@tours.example")
    assert agent is not None
    Dossiers(store).message_from_agent(agent, ref, "Une photo, s'il vous plaît")
    token = Dossiers(store).follow_token(ref)
    citizen = TestClient(app)
    page = citizen.get(f"/-/suivi/{token}")
    assert page.status_code == 200
    assert "Une photo, s&#39;il vous plaît" in page.text
    assert 'data-status="en_construction"' in page.text
    assert "urgent" not in page.text  # annotations are the agents' only
    r = citizen.post(f"/-/suivi/{token}", data={"csrf_token": parse(page.text).csrf,
                                                "body": "Voici la photo"},
                     files={"document": ("photo.png", PNG, "image/png")}, follow_redirects=False)
    assert r.status_code == 303
    messages = Dossiers(store).messages(ref)
    assert [m.author for m in messages] == ["agent", "citizen"] and messages[1].file_id
    # The agent downloads the document; another service cannot.
    client = agent_client(app, "proprete@tours.example")
    got = client.get(f"/-/agents/dossiers/{ref}/files/{messages[1].file_id}")
    assert got.status_code == 200 and got.content == PNG
    other = agent_client(app, "voirie@tours.example")
    assert other.get(f"/-/agents/dossiers/{ref}/files/{messages[1].file_id}").status_code == 404
    # A bad document is refused.
    bad = citizen.post(f"/-/suivi/{token}", data={"csrf_token": parse(page.text).csrf,
                                                  "body": "x"},
                       files={"document": ("virus.exe", b"MZ\x90\x00", "image/png")})
    assert bad.status_code == 400


def test_the_follow_up_page_leaks_nothing_and_throttles_guessing(
    app: Any, world: dict[str, Any]
) -> None:
    client = TestClient(app)
    wrong = client.get("/-/suivi/" + "0" * 40)
    assert wrong.status_code == 404
    assert world["refs"]["proprete"] not in wrong.text and "zoe" not in wrong.text
    for _ in range(9):
        client.get("/-/suivi/" + "1" * 40)
    right = Dossiers(store_of(app)).follow_token(world["refs"]["proprete"])
    assert client.get(f"/-/suivi/{right}").status_code == 429  # even the right one, for now


def test_login_is_throttled_and_sessions_are_separate(app: Any, world: dict[str, Any]) -> None:
    client = TestClient(app)
    for _ in range(5):
        assert login(client, "proprete@tours.example", "mauvais").status_code == 401
    assert login(client, "proprete@tours.example").status_code == 429
    # A citizen's session cookie opens nothing in the back office.
    citizen = TestClient(app)
    citizen.get("/signalement-voirie/")
    citizen.cookies.set("parcours_agent", citizen.cookies.get("parcours_session") or "")
    r = citizen.get("/-/agents/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/-/agents/login"
    # Login without the login form's token is refused.
    r = TestClient(app).post("/-/agents/login", data={"email": "admin@tours.example",
                                                      "password": PASSWORD})
    assert r.status_code == 403


def test_logout_ends_the_session(app: Any, world: dict[str, Any]) -> None:
    client = agent_client(app, "admin@tours.example")
    token = parse(client.get("/-/agents/").text).csrf
    assert client.post("/-/agents/logout", data={"csrf_token": "x"}).status_code == 403
    r = client.post("/-/agents/logout", data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303
    assert client.get("/-/agents/", follow_redirects=False).status_code == 303


ROUTES = [
    ("GET", "/-/agents/dossiers/{ref}", {}),
    ("GET", "/-/agents/dossiers/{ref}/accuse-reception.pdf", {}),
    ("POST", "/-/agents/dossiers/{ref}/status", {"status": "en_instruction"}),
    ("POST", "/-/agents/dossiers/{ref}/service", {"service": "eclairage", "note": ""}),
    ("POST", "/-/agents/dossiers/{ref}/annotations", {"body": "note"}),
    ("POST", "/-/agents/dossiers/{ref}/messages", {"body": "question"}),
]
# role → (expected on a dossier of its own service, on another service's dossier)
EXPECTED = {
    "anonymous": (303, 303),
    "proprete@tours.example": (None, 404),
    "admin@tours.example": (None, None),
}


@pytest.mark.parametrize("method,path,data", ROUTES, ids=[r[1].split("}")[-1] or "page"
                                                          for r in ROUTES])
def test_authorisation_matrix(app: Any, world: dict[str, Any], method: str, path: str,
                              data: dict[str, str]) -> None:
    """Each role × each route × a dossier of its own service and of another: the status."""
    for who, (own_status, other_status) in EXPECTED.items():
        for ref, expected in ((world["refs"]["proprete"], own_status),
                              (world["refs"]["voirie"], other_status)):
            # A fresh dossier state per cell: reset what a previous cell changed.
            store_of(app)._write("UPDATE dossiers SET status = 'en_construction', service = ? "
                                 "WHERE reference = ?",
                                 ("proprete" if ref == world["refs"]["proprete"] else "voirie",
                                  ref))
            client = TestClient(app) if who == "anonymous" else agent_client(app, who)
            url = path.format(ref=ref)
            if method == "GET":
                r = client.get(url, follow_redirects=False)
                ok = 200
            else:
                token = parse(client.get("/-/agents/").text).csrf or ""
                r = client.post(url, data={"csrf_token": token, **data},
                                follow_redirects=False)
                ok = 303
            want = ok if expected is None else expected
            assert r.status_code == want, (who, method, url, r.status_code)
            if who != "anonymous" and method == "POST":
                # Without the CSRF token: 403 (even where the agent may act), nothing changes.
                before = Dossiers(store_of(app)).get(ref)
                r = client.post(url, data=data, follow_redirects=False)
                assert r.status_code == 403 if expected is None else r.status_code in (403, 404)
                assert Dossiers(store_of(app)).get(ref) == before


def test_unknown_dossier_is_404_like_another_services(app: Any, world: dict[str, Any]) -> None:
    client = agent_client(app, "admin@tours.example")
    assert client.get("/-/agents/dossiers/AAAA-BBBB").status_code == 404
    listing = client.get("/-/agents/").text
    assert all(f'data-reference="{r}"' in listing for r in world["refs"].values())


def test_the_back_office_in_english(app: Any, world: dict[str, Any]) -> None:
    client = agent_client(app, "admin@tours.example")
    page = client.get("/-/agents/?lang=en").text
    assert "Files" in page and 'lang="en"' in page and "being completed" in page
    # The session remembers the language.
    assert "being completed" in client.get("/-/agents/").text


def test_a_decision_document_reaches_the_citizen(app: Any, world: dict[str, Any]) -> None:
    from .citizen import PDF

    ref = world["refs"]["proprete"]
    client = agent_client(app, "proprete@tours.example")
    base = f"/-/agents/dossiers/{ref}"
    token = parse(client.get(base).text).csrf
    client.post(f"{base}/status", data={"csrf_token": token, "status": "en_instruction"})
    bad = client.post(f"{base}/status", data={"csrf_token": token, "status": "accepte"},
                      files={"document": ("lettre.pdf", b"not a pdf", "application/pdf")})
    assert bad.status_code == 400
    assert Dossiers(store_of(app)).get(ref).status == "en_instruction"  # type: ignore[union-attr]
    r = client.post(f"{base}/status", data={"csrf_token": token, "status": "accepte"},
                    files={"document": ("lettre.pdf", PDF, "application/pdf")},
                    follow_redirects=False)
    assert r.status_code == 303
    decision = Dossiers(store_of(app)).history(ref)[-1]
    assert decision.after == "accepte" and decision.file_id
    follow = Dossiers(store_of(app)).follow_token(ref)
    citizen = TestClient(app)
    page = citizen.get(f"/-/suivi/{follow}").text
    link = f"/-/suivi/{follow}/files/{decision.file_id}"
    assert link in page
    assert citizen.get(link).content == PDF
    other = Dossiers(store_of(app)).follow_token(world["refs"]["voirie"])
    assert citizen.get(f"/-/suivi/{other}/files/{decision.file_id}").status_code == 404


def test_every_agent_form_refuses_a_post_without_its_csrf_token(
        app: Any, world: dict[str, Any]) -> None:
    """Every POST route of the agents' and mediators' pages, found in the route table (so a
    new form cannot be forgotten), posted by a logged-in administrator with a wrong token:
    403, and the dossier, its history and the audit log unchanged."""
    from starlette.routing import Route

    ref = world["refs"]["proprete"]
    # Real values where the page needs one; any other part of a path (a letter, a file, a
    # mandate…: ids a forged post does not need to know) an arbitrary one.
    params = {"reference": ref, "journey": "signalement-voirie"}
    posts = [r for r in app.routes if isinstance(r, Route) and r.methods
             and "POST" in r.methods and r.path.startswith("/-/agents/")
             and r.path != "/-/agents/login"]
    assert len(posts) >= 9  # status, service, annotations, messages, logout, keying, …
    Accounts(store_of(app)).add("nord@tours.example", PASSWORD, "mediateur", [],
                                structure="France Services Tours Nord")
    # The mediators' forms are a mediator's: another role is not found there at all.
    admin, mediator = (agent_client(app, "admin@tours.example"),
                       agent_client(app, "nord@tours.example"))
    dossiers = Dossiers(store_of(app))
    before = (dossiers.get(ref), dossiers.history(ref), audit.entries(store_of(app), ref))
    for route in posts:
        client = mediator if route.path.startswith("/-/agents/mediation/") else admin
        url = route.path.format(**{k: params.get(k, "x") for k in route.param_convertors})
        r = client.post(url, data={"csrf_token": "forged", "status": "en_instruction",
                                   "body": "x", "service": "voirie", "note": "x",
                                   "journey": "signalement-voirie", "citizen": "Zoé",
                                   "duration": "day", "consent": "screen", "attest": "1"},
                        follow_redirects=False)
        assert r.status_code == 403, (route.path, r.status_code)
    assert (dossiers.get(ref), dossiers.history(ref), audit.entries(store_of(app), ref)) == before
    assert store_of(app)._one("SELECT COUNT(*) FROM mandates")[0] == 0
    # Still signed in: a forged post (the logout's among them) logs nobody out.
    assert admin.get("/-/agents/", follow_redirects=False).status_code == 200
    assert mediator.get("/-/agents/mediation/", follow_redirects=False).status_code == 200
