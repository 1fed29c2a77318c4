"""Assisted mode through HTTP on SQLite and PostgreSQL: a mediator records a citizen's mandate
(audited), keys the journey on the citizens' own pages with a banner, sends it; the dossier
carries channel ``accompagne``, the mediator and the structure; the handover sheet gives a
follow-up link that works; the authorisation matrix (another mediator, an agent, a mediator
on the agents' pages); CSRF on the mandate form; the mandate's limits; the CLI."""

from __future__ import annotations

import html
import io
import re
from typing import Any

import pytest
from starlette.testclient import TestClient

from renderer.backoffice import audit
from renderer.backoffice.accounts import (
    ADMINISTRATEUR,
    MEDIATEUR,
    AccountError,
    Accounts,
)
from renderer.backoffice.cli import run_agent
from renderer.backoffice.dossiers import ACCOMPAGNE, EN_LIGNE, Dossiers
from renderer.backoffice.mediation import MandateRefused, Mandates
from renderer.citizens.follow_code import follow_code

from .citizen import parse
from .test_agents import PASSWORD, agent_client, app, csrf, signal, store_of  # noqa: F401
from .test_backoffice_store import _agent_args

NORD = "France Services Tours Nord"
SUD = "Emmaüs Connect Tours"


@pytest.fixture
def people(app: Any) -> dict[str, str]:  # noqa: F811
    accounts = Accounts(store_of(app))
    accounts.add("mediatrice@fs-nord.example", PASSWORD, MEDIATEUR, [], NORD)
    accounts.add("mediateur@emmaus.example", PASSWORD, MEDIATEUR, [], SUD)
    accounts.add("proprete@tours.example", PASSWORD, "instructeur", ["proprete"])
    accounts.add("admin@tours.example", PASSWORD, ADMINISTRATEUR, [])
    return {
        "nord": "mediatrice@fs-nord.example",
        "sud": "mediateur@emmaus.example",
        "agent": "proprete@tours.example",
        "admin": "admin@tours.example",
    }


def mandate(client: TestClient, **fields: str) -> Any:
    token = csrf(client, "/-/agents/mediation/mandat")
    data = {
        "csrf_token": token,
        "journey": "signalement-voirie",
        "citizen_name": "Zoé Martin",
        "duration": "1",
        "consent": "ecran",
        "attest": "yes",
        **fields,
    }
    return client.post("/-/agents/mediation/mandat", data=data, follow_redirects=False)


def assisted(client: TestClient) -> str:
    """A mediator records the mandate and keys a signalement without e-mail; the reference."""
    token = keyed(client)
    r = client.post("/signalement-voirie/check", data={"csrf_token": token})
    assert r.status_code == 200 and "data-handover" in r.text
    found = re.search(r'data-reference="([^"]+)"', r.text)
    assert found
    return found.group(1)


def keyed(client: TestClient) -> str:
    """A mediator records the mandate and keys a signalement up to its check page, not sent;
    the citizen session's CSRF token."""
    r = mandate(client)
    assert r.status_code == 303
    # The mandate's receipt first (to print), which leads on to the journey's first page.
    assert re.fullmatch(r"/-/agents/mediation/mandats/[\w-]+", r.headers["location"])
    receipt = client.get(r.headers["location"])
    found = re.search(r'href="([^"]+)" data-start-journey', receipt.text)
    assert found and found.group(1) == "/signalement-voirie/q/urgence", receipt.text
    first = client.get(found.group(1))
    assert (
        "Démarche saisie par mediatrice@fs-nord.example (France Services Tours Nord) "
        "avec Zoé Martin" in first.text
    )
    token = parse(first.text).csrf

    def post(step: str, data: dict[str, Any]) -> None:
        r = client.post(
            f"/signalement-voirie/q/{step}",
            data={"csrf_token": token, "_js": "1", **data},
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text

    post("urgence", {"danger": "no"})
    post("probleme", {"type_probleme": "tag", "description": ""})
    post(
        "lieu",
        {
            "adresse-street": "1 rue des Minimes",
            "adresse-postcode": "37000",
            "adresse-commune": "Tours",
            "repere": "",
        },
    )
    post("suivi", {"etre_informe": "no"})
    check = client.get("/signalement-voirie/check")
    assert "data-mediation" in check.text  # the banner, on every page of the journey
    return token


def test_assisted_journey_end_to_end(app: Any, people: dict[str, str]) -> None:  # noqa: F811
    nord = agent_client(app, people["nord"])
    # A mediator's home is their own list; the agents' list sends them there.
    r = nord.get("/-/agents/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/-/agents/mediation/"
    assert "aucun dossier" in nord.get("/-/agents/mediation/").text
    reference = assisted(nord)
    store = store_of(app)
    d = Dossiers(store).get(reference)
    assert d is not None and d.channel == ACCOMPAGNE and d.mediator_structure == NORD
    mediator = Accounts(store).by_email(people["nord"])
    assert mediator is not None and d.mediator_id == mediator.id
    used = Mandates(store).for_dossier(reference)
    assert used is not None and used.citizen_name == "Zoé Martin" and used.consent == "ecran"
    actions = [(e.action, e.agent_id) for e in audit.entries(store)]
    assert ("mandate", mediator.id) in actions and ("assisted_submission", mediator.id) in actions
    assert audit.verify(store) == []
    # The mediator's list and the handover sheet.
    home = nord.get("/-/agents/mediation/").text
    assert reference in home
    sheet = nord.get(f"/-/agents/mediation/dossiers/{reference}")
    assert sheet.status_code == 200 and NORD in sheet.text
    link = re.search(r'href="([^"]+)" data-follow-url', sheet.text)
    assert link and link.group(1).startswith("http")
    code = re.search(r"data-code>([^<]+)<", sheet.text)
    assert code and code.group(1) == follow_code(store, reference)  # test_follow_code.py
    # The citizen, on another device, follows the dossier from the sheet's link.
    citizen = TestClient(app)
    follow = citizen.get(link.group(1).split("testserver", 1)[-1])
    assert follow.status_code == 200 and reference in follow.text
    # The agent of the service sees who keyed it, and the share of each channel.
    agent = agent_client(app, people["agent"])
    page = html.unescape(agent.get(f"/-/agents/dossiers/{reference}").text)
    assert 'data-channel="accompagne"' in page
    assert f"Saisi avec l'aide de {people['nord']} ({NORD})" in page
    signal(TestClient(app), "tag")  # a citizen alone
    listing = agent.get("/-/agents/").text
    assert re.search(r'data-channel-count="accompagne">1 \(50 %\)', listing)
    assert re.search(r'data-channel-count="en_ligne">1 \(50 %\)', listing)
    assert re.search(r'data-channel-count="papier">0 \(0 %\)', listing)


def test_mediators_see_only_their_dossiers(app: Any, people: dict[str, str]) -> None:  # noqa: F811
    nord = agent_client(app, people["nord"])
    reference = assisted(nord)
    online = re.search(r'data-reference="([^"]+)"', signal(TestClient(app), "tag"))
    assert online
    sud = agent_client(app, people["sud"])
    # Another mediator: not on their list, 404 on the sheet, like a dossier that is not.
    assert reference not in sud.get("/-/agents/mediation/").text
    assert sud.get(f"/-/agents/mediation/dossiers/{reference}").status_code == 404
    assert sud.get("/-/agents/mediation/dossiers/NOSUCHREF").status_code == 404
    # No mediator reads the agents' pages of a dossier (theirs included) nor its files.
    for client in (nord, sud):
        assert client.get(f"/-/agents/dossiers/{reference}").status_code == 404
        assert client.get(f"/-/agents/dossiers/{online.group(1)}").status_code == 404
        r = client.post(
            f"/-/agents/dossiers/{reference}/annotations", data={"csrf_token": "x", "body": "non"}
        )
        assert r.status_code in (403, 404)
    # A mediator's sheet is not an online dossier's either.
    assert nord.get(f"/-/agents/mediation/dossiers/{online.group(1)}").status_code == 404
    # Agents (instructeur, administrateur) do not reach the mediators' pages.
    for who in ("agent", "admin"):
        client = agent_client(app, people[who])
        assert client.get("/-/agents/mediation/").status_code == 404
        assert client.get(f"/-/agents/mediation/dossiers/{reference}").status_code == 404
        assert client.get("/-/agents/mediation/mandat").status_code == 404
    # Without a session, the login page.
    anonymous = TestClient(app)
    for path in ("/-/agents/mediation/", f"/-/agents/mediation/dossiers/{reference}"):
        r = anonymous.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/-/agents/login"


def test_mandate_form_csrf_and_errors(app: Any, people: dict[str, str]) -> None:  # noqa: F811
    nord = agent_client(app, people["nord"])
    store = store_of(app)
    before = len(audit.entries(store))
    r = nord.post(
        "/-/agents/mediation/mandat",
        data={
            "csrf_token": "forged",
            "journey": "signalement-voirie",
            "citizen_name": "Zoé",
            "duration": "1",
            "consent": "ecran",
            "attest": "yes",
        },
        follow_redirects=False,
    )
    assert r.status_code == 403
    assert "parcours_session" not in r.headers.get("set-cookie", "")
    r = mandate(nord, journey="nope", citizen_name=" ", duration="7", consent="", attest="")
    assert r.status_code == 400
    for message in (
        "Choisissez la démarche",
        "Indiquez le nom",
        "Choisissez la durée",
        "Indiquez comment",
        "Attestez",
    ):
        assert message in r.text
    assert len(audit.entries(store)) == before  # nothing recorded
    # An agent's CSRF token does not make another agent's POST valid: only its own session.
    sud = agent_client(app, people["sud"])
    token = csrf(nord, "/-/agents/mediation/mandat")
    r = sud.post(
        "/-/agents/mediation/mandat",
        data={
            "csrf_token": token,
            "journey": "signalement-voirie",
            "citizen_name": "Zoé",
            "duration": "1",
            "consent": "ecran",
            "attest": "yes",
        },
        follow_redirects=False,
    )
    assert r.status_code == 403


def test_used_or_expired_mandate_sends_nothing(app: Any, people: dict[str, str]) -> None:  # noqa: F811
    nord = agent_client(app, people["nord"])
    reference = assisted(nord)
    store = store_of(app)
    # Starting again in the same session: the mandate was used for one dossier.
    token = csrf(nord, "/signalement-voirie/")
    assert nord.post("/signalement-voirie/start", data={"csrf_token": token}).status_code == 200
    for step, data in (
        ("urgence", {"danger": "no"}),
        ("probleme", {"type_probleme": "tag", "description": ""}),
        (
            "lieu",
            {
                "adresse-street": "2 rue",
                "adresse-postcode": "37000",
                "adresse-commune": "Tours",
                "repere": "",
            },
        ),
        ("suivi", {"etre_informe": "no"}),
    ):
        nord.post(f"/signalement-voirie/q/{step}", data={"csrf_token": token, "_js": "1", **data})
    r = nord.post("/signalement-voirie/check", data={"csrf_token": token})
    assert r.status_code == 403 and "ne couvre plus" in r.text
    assert len(Dossiers(store).helped_by(Dossiers(store).get(reference).mediator_id or "")) == 1
    # An expired mandate: the same refusal.
    r = mandate(nord)
    mandate_id = store._one("SELECT id FROM mandates WHERE reference IS NULL")[0]
    store._write(
        "UPDATE mandates SET expires_at = '2000-01-01T00:00:00.000+00:00' WHERE id = ?",
        (mandate_id,),
    )
    got = Mandates(store).get(mandate_id)
    assert got is not None and not got.active()


def test_accounts_and_mandate_rules(app: Any) -> None:  # noqa: F811
    accounts = Accounts(store_of(app))
    with pytest.raises(AccountError, match="structure"):
        accounts.add("m@x.example", PASSWORD, MEDIATEUR, [])
    with pytest.raises(AccountError, match="structure"):
        accounts.add("m@x.example", PASSWORD, MEDIATEUR, ["proprete"], NORD)
    with pytest.raises(AccountError, match="only a mediateur"):
        accounts.add("m@x.example", PASSWORD, "instructeur", ["proprete"], NORD)
    with pytest.raises(AccountError, match="longer"):
        accounts.add("m@x.example", PASSWORD, MEDIATEUR, [], "x" * 201)
    m = accounts.add("m@x.example", PASSWORD, MEDIATEUR, [], f"  {NORD}  ")
    assert m.structure == NORD and not m.may_see(None) and not m.may_see("proprete")
    assert accounts.get(m.id) == m
    agent = accounts.add("a@x.example", PASSWORD, "instructeur", ["proprete"])
    mandates = Mandates(store_of(app))
    with pytest.raises(MandateRefused) as refused:
        mandates.record(agent, "signalement-voirie", "Zoé", "ecran", 1)
    assert refused.value.key == "med_not_mediator"
    with pytest.raises(MandateRefused, match="med_name_long"):
        mandates.record(m, "signalement-voirie", "Z" * 201, "ecran", 1)
    assert Mandates.problems("", "x", 2) == [
        "med_name_missing",
        "med_consent_missing",
        "med_duration_missing",
    ]
    kept = mandates.record(m, "signalement-voirie", " Zoé   Martin ", "papier", 365)
    assert kept.citizen_name == "Zoé Martin" and kept.active()
    assert mandates.get(kept.id) == kept and mandates.for_dossier("NONE") is None
    assert Dossiers(store_of(app)).channels(m) == {EN_LIGNE: 0, ACCOMPAGNE: 0, "papier": 0}


def test_cli_adds_a_mediator(db_url: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    args = _agent_args(
        "add", "med@fs.example", "--role", "mediateur", "--structure", NORD, "--db", db_url
    )
    assert run_agent(args, io.StringIO(PASSWORD + "\n"), out, err) == 0, err.getvalue()
    assert NORD in out.getvalue()
    missing = _agent_args("add", "other@fs.example", "--role", "mediateur", "--db", db_url)
    assert run_agent(missing, io.StringIO(PASSWORD + "\n"), out, err) == 1
    assert "--structure" in err.getvalue()
    listing = io.StringIO()
    assert run_agent(_agent_args("list", "--db", db_url), io.StringIO(), listing, err) == 0
    assert listing.getvalue() == f"med@fs.example\tmediateur\t{NORD}\n"


def test_finishing_leaves_nothing_for_the_next_person(app: Any, people: dict[str, str]) -> None:  # noqa: F811
    nord = agent_client(app, people["nord"])
    reference = assisted(nord)
    assert reference in nord.get("/signalement-voirie/confirmation").text
    sheet = f"/-/agents/mediation/dossiers/{reference}"
    forged = nord.post("/-/agents/mediation/fin", data={"csrf_token": "x"})
    assert forged.status_code == 403
    r = nord.post(
        "/-/agents/mediation/fin", data={"csrf_token": csrf(nord, sheet)}, follow_redirects=False
    )
    assert r.status_code == 303 and r.headers["location"] == "/-/agents/mediation/"
    assert 'parcours_session=""' in r.headers["set-cookie"]
    nord.cookies.delete("parcours_session")  # what the browser does with that header
    r = nord.get("/signalement-voirie/confirmation", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/signalement-voirie/"
    assert reference in nord.get("/-/agents/mediation/").text  # the mediator's list stays
