"""The citizen withdraws the mandate they gave a mediator, on SQLite and PostgreSQL: the
mandate's receipt (page and PDF) with its withdrawal link and code; the withdrawal by the
link and by the code typed (POST + CSRF, audited as the mediator's withdrawal, by the
citizen), after which the mediator can no longer send; replays, forged tokens, wrong and
guessed codes (throttled, saying nothing); used and expired mandates; the purge."""

from __future__ import annotations

import html
import io
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.testclient import TestClient

from renderer.backoffice import audit
from renderer.backoffice.accounts import Accounts
from renderer.backoffice.mediation import BY_CITIZEN, Mandates, withdrawal_code
from renderer.purge import purge
from renderer.store import RESUME_DAYS
from renderer.throttle import LIMITS

from .citizen import parse
from .test_agents import agent_client, app, store_of  # noqa: F401
from .test_mediation import NORD, assisted, keyed, mandate, people  # noqa: F401

CODE = re.compile(r"[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}")


def _text(data: bytes) -> str:
    """A PDF's text, its whitespace folded (lines wrap where the page ends)."""
    from pypdf import PdfReader

    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def _receipt(nord: TestClient) -> tuple[str, str, str]:
    """The receipt of the mediator's newest mandate: its page, withdrawal link and code."""
    home = nord.get("/-/agents/mediation/").text
    found = re.search(r'href="([^"]+)" data-receipt=', home)
    assert found, home
    page = nord.get(found.group(1))
    assert page.status_code == 200
    link = re.search(r'href="([^"]+)" class="pc-handover__code" data-withdraw-url', page.text)
    code = re.search(r"data-withdraw-code>([^<]+)<", page.text)
    assert link and code
    return page.text, link.group(1), code.group(1)


def _mandate_id(app: Any) -> str:  # noqa: F811
    rows = store_of(app)._all("SELECT id FROM mandates ORDER BY created_at DESC")
    return str(rows[0][0])


def test_the_receipt_says_who_what_until_and_how_to_withdraw(
    app: Any,  # noqa: F811
    people: dict[str, str],  # noqa: F811
) -> None:
    nord = agent_client(app, people["nord"])
    r = mandate(nord, duration="30", consent="papier")
    # Right after recording the mandate, the mediator is offered its receipt to print.
    assert r.status_code == 303
    receipt_url = r.headers["location"]
    mandate_id = _mandate_id(app)
    assert receipt_url == f"/-/agents/mediation/mandats/{mandate_id}"
    page = nord.get(receipt_url).text
    assert "data-start-journey" in page and "data-mandate-pdf" in page
    got = Mandates(store_of(app)).get(mandate_id)
    assert got is not None
    code = withdrawal_code(store_of(app), mandate_id)
    assert CODE.fullmatch(code)
    for said in (
        "Récépissé de mandat",
        "Zoé Martin",
        "mediatrice@fs-nord.example, de France Services Tours Nord",
        "Signaler un problème dans la rue",
        "Vous avez signé le mandat papier",
        "Retirer votre accord",
        f"http://testserver/-/mandat/{code}",
        "http://testserver/-/mandat et tapez ce code de retrait",
        code,
    ):
        assert said in page, said
    until = (datetime.now(UTC) + timedelta(days=30)).date()
    assert f"{until.day} " in page and str(until.year) in page
    # The same receipt as a PDF, made by the printer.
    pdf_url = re.search(r'href="([^"]+)" data-mandate-pdf', page)
    assert pdf_url and pdf_url.group(1) == f"{receipt_url}/recepisse.pdf"
    r = nord.get(pdf_url.group(1))
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.headers["cache-control"] == "no-store"
    assert "recepisse-mandat-" in r.headers["content-disposition"]
    text = _text(r.content)
    for said in (
        "Récépissé de mandat",
        "Zoé Martin",
        NORD,
        "mediatrice@fs-nord.example",
        "Signaler un problème dans la rue",
        "Vous avez signé le mandat papier",
        "Valable jusqu",
        "Code de retrait",
        code,
    ):
        assert said in text, said
    assert f"http://testserver/-/mandat/{code}" in text.replace(" ", "")
    assert str(until.year) in text
    # Nobody else's: another mediator, an agent, nobody logged in.
    sud = agent_client(app, people["sud"])
    assert sud.get(receipt_url).status_code == 404
    assert sud.get(pdf_url.group(1)).status_code == 404
    assert agent_client(app, people["agent"]).get(receipt_url).status_code == 404
    r = TestClient(app).get(receipt_url, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/-/agents/login"
    assert nord.get("/-/agents/mediation/mandats/nope").status_code == 404
    # Only the hash of the code is stored, never the code.
    row = store_of(app)._one("SELECT * FROM mandates WHERE id = ?", (mandate_id,))
    assert code not in [str(v) for v in row] and code.replace("-", "") not in str(row)


def test_the_citizen_withdraws_by_the_link(app: Any, people: dict[str, str]) -> None:  # noqa: F811
    nord = agent_client(app, people["nord"])
    store = store_of(app)
    citizen_csrf = keyed(nord)  # the assisted journey keyed up to its check page
    _page, link, code = _receipt(nord)
    mandate_id = _mandate_id(app)
    # At home, the citizen opens the link: the mandate, not their name, and the button.
    citizen = TestClient(app)
    path = link.removeprefix("http://testserver")
    shown = citizen.get(path)
    assert shown.status_code == 200
    for said in (NORD, "Signaler un problème dans la rue", "Retirer mon accord"):
        assert said in shown.text, said
    assert "Zoé Martin" not in shown.text
    form = re.search(r'<form method="post" action="([^"]+)" data-mandate-withdraw', shown.text)
    assert form
    action = form.group(1)
    active = Mandates(store).get(mandate_id)
    assert active is not None and active.active()  # a GET changes nothing
    # No token, a forged one, a GET: refused, nothing changes.
    assert citizen.post(action, data={}).status_code == 403
    assert citizen.post(action, data={"csrf_token": "forged"}).status_code == 403
    token = parse(shown.text).csrf
    other = TestClient(app)
    other.get(path)
    assert other.post(action, data={"csrf_token": token}).status_code == 403  # another's
    still = Mandates(store).get(mandate_id)
    assert still is not None and still.active()
    assert [e for e in audit.entries(store) if e.action == "mandate_withdrawn"] == []
    # Withdrawn: the same state and audit entry as the mediator's, by the citizen.
    r = citizen.post(action, data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/-/mandat/{code}?retire=1"
    done = citizen.get(r.headers["location"]).text
    assert "Votre accord est retiré" in done and "data-mandate-withdraw" not in done
    got = Mandates(store).get(mandate_id)
    assert got is not None and got.withdrawn_at is not None and got.withdrawn_by == BY_CITIZEN
    assert not got.active()
    entries = [e for e in audit.entries(store) if e.action == "mandate_withdrawn"]
    assert len(entries) == 1 and entries[0].agent_id is None
    assert entries[0].after == {"mandate": mandate_id, "structure": NORD, "by": BY_CITIZEN}
    assert audit.verify(store) == []
    # A replay says it is withdrawn already, and changes nothing.
    again = citizen.post(action, data={"csrf_token": token})
    assert again.status_code == 409 and "Cet accord a été retiré le" in again.text
    assert len([e for e in audit.entries(store) if e.action == "mandate_withdrawn"]) == 1
    # The mediator is refused at sending, sees it withdrawn, and cannot withdraw it again.
    sent = nord.post("/signalement-voirie/check", data={"csrf_token": citizen_csrf})
    assert sent.status_code == 403 and "Le mandat ne couvre plus" in sent.text
    mediator = Accounts(store).by_email(people["nord"])
    assert mediator is not None and not Mandates(store).withdraw(mediator, mandate_id)
    home = nord.get("/-/agents/mediation/").text
    assert f'data-withdrawn-by-citizen="{mandate_id}"' in home
    assert "Retiré par la personne le" in home and f'data-withdraw="{mandate_id}"' not in home
    # Its receipt no longer leads to the journey.
    assert "data-start-journey" not in nord.get(f"/-/agents/mediation/mandats/{mandate_id}").text


def test_the_citizen_withdraws_by_the_code(app: Any, people: dict[str, str]) -> None:  # noqa: F811
    nord = agent_client(app, people["nord"])
    store = store_of(app)
    assert mandate(nord).status_code == 303
    _page, _link, code = _receipt(nord)
    mandate_id = _mandate_id(app)
    citizen = TestClient(app)
    sessions = store._one("SELECT COUNT(*) FROM sessions")[0]
    form = citizen.get("/-/mandat")
    assert form.status_code == 200 and "Code de retrait" in form.text
    assert store._one("SELECT COUNT(*) FROM sessions")[0] == sessions  # nothing stored by GET
    token = parse(form.text).csrf
    # Typed in lower case, with spaces instead of dashes.
    typed = code.lower().replace("-", " ")
    assert citizen.post("/-/mandat", data={"code": typed}).status_code == 403
    r = citizen.post(
        "/-/mandat?lang=fr", data={"csrf_token": token, "code": typed}, follow_redirects=False
    )
    assert r.status_code == 303 and r.headers["location"] == f"/-/mandat/{code}"
    shown = citizen.get(r.headers["location"])
    assert "Retirer mon accord" in shown.text
    action = re.search(r'action="([^"]+)" data-mandate-withdraw', shown.text)
    assert action
    r = citizen.post(action.group(1), data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303
    got = Mandates(store).get(mandate_id)
    assert got is not None and got.withdrawn_by == BY_CITIZEN and not got.active()
    # In English, plain words.
    english = citizen.get("/-/mandat?lang=en").text
    assert "Withdrawal code" in english and "receipt you were given" in english
    english = citizen.get(f"/-/mandat/{code}?lang=en").text
    assert "This consent was withdrawn on" in english and f"Your consent to {NORD}" in english


def test_wrong_codes_say_nothing_and_are_throttled(
    app: Any,  # noqa: F811
    people: dict[str, str],  # noqa: F811
) -> None:
    nord = agent_client(app, people["nord"])
    store = store_of(app)
    assert mandate(nord).status_code == 303
    _page, link, code = _receipt(nord)
    mandate_id = _mandate_id(app)
    citizen = TestClient(app)
    token = parse(citizen.get("/-/mandat").text).csrf
    # A well-formed code of no mandate, garbage, and a code one character off: one answer.
    near = ("3" if code[0] != "3" else "4") + code[1:]
    answers = set()
    for wrong in ("ABCD-EFGH-JKLM", "x", near):
        r = citizen.post("/-/mandat", data={"csrf_token": token, "code": wrong})
        assert r.status_code == 422
        assert "Ce code n'est pas reconnu" in html.unescape(r.text)
        answers.add(r.text)  # the code typed is not even shown again
    assert len(answers) == 1
    wrong_link = citizen.get(f"/-/mandat/{near}")
    assert wrong_link.status_code == 404 and "Ce lien ne fonctionne pas" in wrong_link.text
    # A POST to a wrong link counts too, and withdraws nothing.
    r = citizen.post(f"/-/mandat/{near}", data={"csrf_token": token})
    assert r.status_code == 404
    limit = LIMITS["mandate"].failures
    for _ in range(limit - 5):
        assert citizen.get("/-/mandat/ZZZZ-ZZZZ-ZZZZ").status_code == 404
    # Locked out: even the right code and the right link get the same 429 now.
    r = citizen.post("/-/mandat", data={"csrf_token": token, "code": code})
    assert r.status_code == 429
    assert citizen.get(link.removeprefix("http://testserver")).status_code == 429
    r = citizen.post(f"/-/mandat/{code}", data={"csrf_token": token})
    assert r.status_code == 429
    got = Mandates(store).get(mandate_id)
    assert got is not None and got.active()
    assert [e for e in audit.entries(store) if e.action == "mandate_withdrawn"] == []


def test_a_used_or_expired_mandate_says_so(app: Any, people: dict[str, str]) -> None:  # noqa: F811
    nord = agent_client(app, people["nord"])
    store = store_of(app)
    reference = assisted(nord)
    used = Mandates(store).for_dossier(reference)
    assert used is not None
    citizen = TestClient(app)
    code = withdrawal_code(store, used.id)
    shown = citizen.get(f"/-/mandat/{code}")
    assert shown.status_code == 200 and "Cet accord a déjà servi" in shown.text
    assert "data-mandate-withdraw" not in shown.text
    token = parse(citizen.get("/-/mandat").text).csrf  # a page with a form
    r = citizen.post(f"/-/mandat/{code}", data={"csrf_token": token})
    assert r.status_code == 409 and "Cet accord a déjà servi" in r.text
    after = Mandates(store).get(used.id)
    assert after is not None and after.withdrawn_at is None and after.reference == reference
    # Expired: its date said, nothing changes.
    mediator = Accounts(store).by_email(people["nord"])
    assert mediator is not None
    old = Mandates(store).record(mediator, "signalement-voirie", "Jean Petit", "ecran", 1)
    store._write(
        "UPDATE mandates SET expires_at = '2026-01-02T10:00:00.000+00:00' WHERE id = ?",
        (old.id,),
    )
    old_code = withdrawal_code(store, old.id)
    shown = citizen.get(f"/-/mandat/{old_code}")
    assert shown.status_code == 200 and "Cet accord a pris fin le 2 janvier 2026" in shown.text
    r = citizen.post(f"/-/mandat/{old_code}", data={"csrf_token": token})
    assert r.status_code == 409
    expired = Mandates(store).get(old.id)
    assert expired is not None and expired.withdrawn_at is None
    assert [e for e in audit.entries(store) if e.action == "mandate_withdrawn"] == []


def test_a_mandate_recorded_before_codes_gets_one_with_its_receipt(
    app: Any,  # noqa: F811
    people: dict[str, str],  # noqa: F811
) -> None:
    nord = agent_client(app, people["nord"])
    store = store_of(app)
    mediator = Accounts(store).by_email(people["nord"])
    assert mediator is not None
    before = Mandates(store).record(mediator, "signalement-voirie", "Ana Lima", "ecran", 30)
    store._write("UPDATE mandates SET withdrawal_hash = NULL WHERE id = ?", (before.id,))
    code = withdrawal_code(store, before.id)
    assert Mandates(store).by_code(code) is None
    page = nord.get(f"/-/agents/mediation/mandats/{before.id}").text
    assert code in page
    found = Mandates(store).by_code(code)
    assert found is not None and found.id == before.id


def test_the_purge_takes_the_code_with_the_mandate(
    app: Any,  # noqa: F811
    people: dict[str, str],  # noqa: F811
) -> None:
    store = store_of(app)
    mediator = Accounts(store).by_email(people["nord"])
    assert mediator is not None
    withdrawn = Mandates(store).record(mediator, "signalement-voirie", "Ana Lima", "ecran", 30)
    code = withdrawal_code(store, withdrawn.id)
    found = Mandates(store).by_code(code)
    assert found is not None and Mandates(store).withdraw_by_citizen(found)
    live = Mandates(store).record(mediator, "signalement-voirie", "Léo Roux", "ecran", 365)
    later = datetime.now(UTC) + timedelta(days=RESUME_DAYS + 2)
    done = purge(store, {"signalement-voirie": 730}, at=later)
    assert done.mandates == 1
    assert Mandates(store).get(withdrawn.id) is None and Mandates(store).by_code(code) is None
    hashes = store._all("SELECT withdrawal_hash FROM mandates")
    assert len(hashes) == 1 and Mandates(store).by_code(withdrawal_code(store, live.id))
    # Its link now says what any wrong link says.
    r = TestClient(app).get(f"/-/mandat/{code}")
    assert r.status_code == 404 and "Ce lien ne fonctionne pas" in r.text
    assert audit.verify(store) == []


def test_two_mandates_never_share_a_code(
    app: Any,  # noqa: F811
    people: dict[str, str],  # noqa: F811
    monkeypatch: Any,
) -> None:
    """A clash of codes (here forced: the same id drawn twice) draws another id."""
    from renderer.backoffice import mediation

    store = store_of(app)
    mediator = Accounts(store).by_email(people["nord"])
    assert mediator is not None
    drawn = iter(["same-id", "same-id", "other-id"])
    real = mediation.secrets.token_urlsafe
    # The module is shared: only a mandate's id (16 bytes) is drawn from the list.
    monkeypatch.setattr(
        mediation.secrets, "token_urlsafe", lambda n=None: next(drawn) if n == 16 else real(n)
    )
    first = Mandates(store).record(mediator, "signalement-voirie", "Ana Lima", "ecran", 1)
    second = Mandates(store).record(mediator, "signalement-voirie", "Léo Roux", "ecran", 1)
    assert (first.id, second.id) == ("same-id", "other-id")
    found = Mandates(store).by_code(withdrawal_code(store, second.id))
    assert found is not None and found.citizen_name == "Léo Roux"
