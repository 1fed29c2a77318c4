"""Prefill for real, over HTTP: FranceConnect sign-in through the stand-in, the CAF's
quotient familial with consent, each answer's provenance stored and exported; a provider
down or slow leaves the citizen typing with nothing lost; a certified answer cannot be
overwritten by a crafted POST; the session is renewed at sign-in; no token in the browser."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from renderer.cli import export_rows
from renderer.prefill import provenance_of
from renderer.security import COOKIE

from .prefillworld import Citizen, World, csrf, world

J = "inscription-cantine"
QF = "api-particulier-quotient-familial"
CHILD = {"enfants-count": "1", "enfants-0-prenom_enfant": "Léa",
         "enfants-0-ecole": "École Parmentier", "enfants-0-jours": "lundi",
         "enfants-0-allergie": "no"}


@pytest.fixture
def w(tmp_path: Path) -> Iterator[World]:
    with world(tmp_path) as found:
        yield found


def has_input(page: str, name: str) -> bool:
    """Whether the page has a field the citizen can type in, of that name."""
    return re.search(rf'<input[^>]* name="{name}"', page) is not None


def famille(c: Citizen) -> str:
    """Past the first page, on the page of identity and household."""
    page = c.post(f"/{J}/q/commune", {"habite_commune": "yes"})
    assert page.url.path == f"/{J}/q/famille", page.text
    return page.text


def finish(c: Citizen, page: str, fields: dict[str, str] | None = None) -> str:
    """From the famille page (``fields`` what its inputs hold), the children, the check
    page, send."""
    children = c.post(f"/{J}/q/famille", fields or {}, page=page)
    if children.url.path == f"/{J}/q/famille":  # without scripts, the follow-up part
        children = c.post(f"/{J}/q/famille", {}, page=children.text)
    assert children.url.path == f"/{J}/q/vos_enfants", children.text
    check = c.post(f"/{J}/q/vos_enfants", CHILD, page=children.text)
    assert check.url.path == f"/{J}/check", check.text
    sent = c.post(f"/{J}/check", {}, page=check.text)
    assert sent.url.path == f"/{J}/confirmation", sent.text
    return check.text


def test_signed_in_citizen_sees_identity_and_quotient_filled_and_sends(w: World) -> None:
    c = Citizen(w)
    start = c.get(f"/{J}/").text
    assert "S'identifier avec FranceConnect" in start
    assert "Continuer sans FranceConnect" in start and "Qu'est-ce que FranceConnect" in start
    before = c.http.cookies.get(COOKIE)
    landed = c.sign_in()
    assert landed.url.path == f"/{J}/q/commune", landed.text
    after = c.http.cookies.get(COOKIE)
    assert after and after != before  # a new session id at sign-in: no fixation
    page = famille(c)
    assert "DUBOIS" in page and "Angela Claire Louise" in page
    assert page.count("transmis par FranceConnect") == 3  # surname, first names, e-mail
    assert not has_input(page, "nom")  # shown, not an input
    assert "Ville de Saint-Fons va récupérer votre quotient familial auprès de la CAF" in page
    page = c.post(f"/{J}/q/famille", {"_action": f"fetch:{QF}"}, page=page).text
    assert "2 550" in page or "2550" in page
    assert "fourni par la CAF" in page
    check = finish(c, page)
    assert "transmis par FranceConnect" in check and "fourni par la CAF" in check
    # Tokens never reach the browser: not in a cookie, not in a page.
    session = w.store().get_session(c.http.cookies[COOKIE].split(".")[0])
    identity = (session.data if session else {}).get("franceconnect") or {}
    for token in (identity.get("access_token"), identity.get("id_token")):
        assert token and token not in check and token not in str(c.http.cookies)
    sub = w.store().submissions(J)[0]
    assert sub.answers["answers"]["quotient_familial"] == 2550
    assert sub.answers["answers"]["nom"] == "DUBOIS"
    prov = provenance_of(sub)
    assert prov["nom"]["provider"] == "franceconnect" and prov["nom"]["status"] == "certified"
    assert prov["quotient_familial"]["provider"] == QF
    assert prov["allocataire_caf"]["status"] == "certified"
    assert "habite_commune" not in prov  # typed by the citizen
    row = export_rows(w.db, J)[0]
    assert row["provenance"]["quotient_familial"]["status"] == "certified"


def test_the_same_journey_without_franceconnect(w: World) -> None:
    c = Citizen(w)
    start = c.get(f"/{J}/").text
    page = c.post(f"/{J}/start", {}, page=start)
    assert page.url.path == f"/{J}/q/commune"
    page_text = famille(c)
    assert "transmis par FranceConnect" not in page_text and has_input(page_text, "nom")
    typed = c.post(f"/{J}/q/famille", {
        "nom": "MARTIN", "prenoms": "Paul", "email": "paul@example.org",
        "allocataire_caf": "yes", "quotient_familial": "640", "_js": "1"}, page=page_text)
    assert typed.url.path == f"/{J}/q/vos_enfants", typed.text
    check = c.post(f"/{J}/q/vos_enfants", CHILD, page=typed.text)
    c.post(f"/{J}/check", {}, page=check.text)
    sub = w.store().submissions(J)[0]
    assert sub.answers["answers"]["quotient_familial"] == 640 and provenance_of(sub) == {}


@pytest.mark.parametrize("failure", ["down", "slow"])
def test_a_provider_down_or_slow_leaves_the_citizen_typing(w: World, failure: str) -> None:
    c = Citizen(w)
    c.sign_in()
    page = famille(c)
    w.dev.apis.failure, w.dev.apis.delay = failure, 4.0  # the client waits 3 s at most
    page = c.post(f"/{J}/q/famille", [("_action", f"fetch:{QF}"), ("allocataire_caf", "yes"),
                                      ("quotient_familial", "612"), ("_js", "1")],
                  page=page).text
    assert "la CAF ne répond pas pour le moment" in page
    assert 'value="612"' in page  # what was typed is kept
    assert "DUBOIS" in page  # and what FranceConnect gave
    w.dev.apis.failure = None
    finish(c, page, {"allocataire_caf": "yes", "quotient_familial": "612", "_js": "1"})
    sub = w.store().submissions(J)[0]
    assert sub.answers["answers"]["quotient_familial"] == 612
    assert "quotient_familial" not in provenance_of(sub)


def test_nobody_at_the_caf_falls_back_with_a_sentence(w: World) -> None:
    c = Citizen(w)
    c.post(f"/{J}/start", {}, page=c.get(f"/{J}/").text)
    page = famille(c)
    page = c.post(f"/{J}/q/famille", [("_action", f"fetch:{QF}"), ("nom", "INCONNU"),
                                      ("prenoms", "Personne")], page=page).text
    # No record, or too little identity to look for one: either way, a sentence and the
    # question as usual.
    assert "la CAF n'a pas" in page and "saisissez l'information vous-même" in page
    assert 'value="INCONNU"' in page


def test_a_certified_answer_cannot_be_overwritten_by_post(w: World) -> None:
    c = Citizen(w)
    c.sign_in()
    page = famille(c)
    page = c.post(f"/{J}/q/famille", {"_action": f"fetch:{QF}"}, page=page).text
    crafted = c.post(f"/{J}/q/famille", {"nom": "FORGÉ", "quotient_familial": "1",
                                         "allocataire_caf": "no", "_js": "1"}, page=page)
    assert crafted.url.path == f"/{J}/q/vos_enfants"
    finish_page = c.get(f"/{J}/q/famille").text
    assert "FORGÉ" not in finish_page and "DUBOIS" in finish_page
    check = c.post(f"/{J}/q/vos_enfants", CHILD, page=c.get(f"/{J}/q/vos_enfants").text)
    c.post(f"/{J}/check", {}, page=check.text)
    sub = w.store().submissions(J)[0]
    assert sub.answers["answers"]["nom"] == "DUBOIS"
    assert sub.answers["answers"]["quotient_familial"] == 2550
    assert provenance_of(sub)["quotient_familial"]["status"] == "certified"


def test_the_citizen_corrects_a_wrong_answer_which_becomes_declared(w: World) -> None:
    c = Citizen(w)
    c.sign_in()
    page = famille(c)
    page = c.post(f"/{J}/q/famille", {"_action": "correct:email"}, page=page).text
    assert has_input(page, "email") and page.count("transmis par FranceConnect") == 2
    page = c.post(f"/{J}/q/famille", {"email": "angela@example.org", "allocataire_caf": "no",
                                      "_js": "1"}, page=page).text
    check = c.post(f"/{J}/q/vos_enfants", CHILD, page=page)
    assert "corrigé par vous" in check.text
    c.post(f"/{J}/check", {}, page=check.text)
    sub = w.store().submissions(J)[0]
    assert sub.answers["answers"]["email"] == "angela@example.org"
    assert provenance_of(sub)["email"]["status"] == "declared"
    assert provenance_of(sub)["email"]["provider"] == "franceconnect"


def test_a_replayed_callback_is_refused_and_stores_nothing(w: World) -> None:
    c = Citizen(w)
    start = c.get(f"/{J}/")
    authorize = c.post(f"/{J}/franceconnect", {}, page=start.text)
    from .prefillworld import hidden_fields

    fields = hidden_fields(authorize.text)
    fc = str(authorize.url).split("/api/v2/")[0]
    answer = c.http.post(fc + "/api/v2/authorize",
                         data={**fields, "login": "test", "password": "123"},
                         follow_redirects=False)
    callback = answer.headers["location"]
    assert c.get(callback).url.path == f"/{J}/q/commune"
    replay = c.get(callback)
    assert replay.status_code == 400 and "FranceConnect" in replay.text
    wrong_state = c.get(callback.replace("state=", "state=x"))
    assert wrong_state.status_code == 400


def test_logout_goes_through_franceconnect(w: World) -> None:
    c = Citizen(w)
    c.sign_in()
    start = c.get(f"/{J}/").text
    assert "Se déconnecter de FranceConnect" in start
    back = c.post(f"/{J}/franceconnect/logout", {}, page=start)
    assert back.url.path == f"/{J}/"
    assert any("/session/end" in str(r.url) for r in back.history)
    assert "Se déconnecter de FranceConnect" not in back.text
    assert not w.dev.franceconnect.tokens  # FranceConnect ended the session's tokens


@pytest.mark.parametrize("forge", [
    {"alg": "none"},
    {"id_claims": {"aud": "another-service"}},
    {"id_claims": {"iss": "https://forged.example/api/v2"}},
    {"id_claims": {"exp": 1}},
    {"userinfo_claims": {"sub": "another-person"}},
])
def test_a_forged_sign_in_is_refused_and_stores_nothing(w: World, forge: dict) -> None:
    w.dev.franceconnect.forge = forge
    c = Citizen(w)
    refused = c.sign_in()
    assert refused.status_code == 400 and "n'a pas abouti" in refused.text
    store = w.store()
    session = store.get_session(c.http.cookies[COOKIE].split(".")[0])
    assert session is not None and "franceconnect" not in session.data
    draft = store.get_draft(session.data["drafts"][J])
    assert draft is not None and draft.answers == {}
    assert "provenance" not in draft.state or draft.state["provenance"] == {}


def test_no_button_when_the_server_has_no_franceconnect(tmp_path: Path) -> None:
    from starlette.testclient import TestClient

    from renderer.app import create_app
    from renderer.providers.connected import Providers

    from .prefillworld import CANTINE

    app = create_app([CANTINE], db_url=f"sqlite:///{tmp_path / 'p.db'}", providers=Providers())
    with TestClient(app) as client:
        page = client.get(f"/{J}/").text
        assert "FranceConnect" not in page and "Commencer" in page
        token = csrf(page)
        refused = client.post(f"/{J}/franceconnect", data={"csrf_token": token})
        assert refused.status_code == 404


def test_settings_from_the_environment_and_the_file(tmp_path: Path) -> None:
    from renderer.config import ConfigError, load
    from renderer.providers.connected import Providers

    file = tmp_path / "parcours.toml"
    file.write_text('franceconnect_issuer = "https://fc.example/api/v2"\n'
                    'franceconnect_client_id = "from-file"\n', encoding="utf-8")
    settings = load(env={"PARCOURS_CONFIG": str(file),
                         "PARCOURS_FRANCECONNECT_CLIENT_ID": "from-env",
                         "PARCOURS_FRANCECONNECT_CLIENT_SECRET": "s"})
    assert settings.franceconnect_issuer == "https://fc.example/api/v2"
    assert settings.franceconnect_client_id == "from-env"
    assert Providers(settings).available() == {"franceconnect"}
    assert Providers(load(env={})).available() == set()
    # A registration without its secret is refused at start, not at the first sign-in.
    with pytest.raises(ConfigError, match="go together"):
        load(env={"PARCOURS_CONFIG": str(file)})


def test_dev_providers_start_the_stand_ins(tmp_path: Path) -> None:
    import httpx

    from renderer.providers.connected import Providers
    from renderer.providers.dev import start_dev_providers
    from renderer.providers.testdata import default_folder

    if default_folder() is None:
        pytest.skip("no provider test data")
    dev = start_dev_providers(["http://127.0.0.1:8123", "http://localhost:8123"])
    try:
        assert Providers(dev.settings).available() == {
            "franceconnect", QF, "api-particulier-prestations", "api-particulier-css",
            "api-particulier-etudiant", "api-particulier-etudiant-boursier",
            "api-entreprise-sirene"}
        issuer = dev.settings.franceconnect_issuer
        assert httpx.get(issuer + "/.well-known/openid-configuration").json()["issuer"] == (
            issuer)
        client = dev.franceconnect.clients["parcours-dev"]
        assert "http://localhost:8123/-/franceconnect/callback" in client.redirect_uris
    finally:
        dev.stop()



def test_a_crafted_fetch_of_a_provider_not_connected_asks_nothing(w: World) -> None:
    c = Citizen(w)
    c.sign_in()
    page = famille(c)
    c.post(f"/{J}/q/famille", {"_action": "fetch:api-particulier-impot"}, page=page)
    c.post(f"/{J}/q/famille", {"_action": "correct:habite_commune"}, page=page)
    store = w.store()
    session = store.get_session(c.http.cookies[COOKIE].split(".")[0])
    assert session is not None
    draft = store.get_draft(session.data["drafts"][J])
    assert draft is not None and draft.state.get("prefill_asked", {}) == {}
    assert "habite_commune" not in draft.state["provenance"]


def test_serve_with_dev_providers_shows_franceconnect_on_a_fresh_machine(
        tmp_path: Path) -> None:
    """`parcours serve --dev-providers` on a free port: the stand-ins answer, the start page
    offers FranceConnect, and its button leads to the stand-in's authorize page."""
    import os
    import subprocess
    import sys
    import time

    import httpx
    from sharedfolder import SHARED, need

    from .prefillworld import CANTINE

    need(SHARED / "providers")
    env = {**os.environ, "PARCOURS_PURGE": "false", "PARCOURS_JSON_LOGS": "false",
           "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    env.pop("PARCOURS_FRANCECONNECT_ISSUER", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "designer.cli", "serve", str(CANTINE), "--port", "0",
         "--db", f"sqlite:///{tmp_path / 'p.db'}", "--dev-providers"],
        env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    said: list[str] = []
    try:
        deadline = time.monotonic() + 60
        while not any(line.startswith("Parcours on ") for line in said):
            line = proc.stderr.readline()
            assert line and time.monotonic() < deadline, "".join(said)
            said.append(line)
        base = next(s for s in said if s.startswith("Parcours on ")).split()[2].rstrip("/")
        issuer = re.search(r"FranceConnect stand-in on (\S+)", "".join(said))
        assert issuer, "".join(said)
        discovery = httpx.get(issuer.group(1) + "/.well-known/openid-configuration").json()
        assert discovery["issuer"] == issuer.group(1)
        with httpx.Client(base_url=base, timeout=10) as client:
            start = client.get(f"/{J}/")
            assert start.status_code == 200 and "FranceConnect" in start.text
            go = client.post(f"/{J}/franceconnect", data={"csrf_token": csrf(start.text)})
            assert go.status_code in (302, 303)
            assert go.headers["location"].startswith(discovery["authorization_endpoint"])
            assert f"redirect_uri={base.replace(':', '%3A').replace('/', '%2F')}" in (
                go.headers["location"])
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_the_agent_reads_where_each_answer_came_from(w: World) -> None:
    """The dossier page says, answer by answer, who supplied it and when; the citizen's
    acknowledgement of receipt shows the sources as their summary did."""
    from pypdf import PdfReader

    from renderer.backoffice.accounts import ADMINISTRATEUR, Accounts

    c = Citizen(w)
    c.sign_in()
    page = c.post(f"/{J}/q/famille", {"_action": "correct:email"}, page=famille(c)).text
    page = c.post(f"/{J}/q/famille", {"email": "angela@example.org", "allocataire_caf": "no",
                                      "_js": "1"}, page=page).text
    check = c.post(f"/{J}/q/vos_enfants", CHILD, page=page)
    confirmation = c.post(f"/{J}/check", {}, page=check.text).text
    reference = w.store().submissions(J)[0].reference
    Accounts(w.store()).add("admin@saint-fons.example", "un mot de passe assez long",
                            ADMINISTRATEUR, [])
    agent = Citizen(w)
    login = agent.get("/-/agents/login").text
    agent.post("/-/agents/login", {"email": "admin@saint-fons.example",
                                   "password": "un mot de passe assez long"}, page=login)
    dossier = agent.get(f"/-/agents/dossiers/{reference}").text
    certified = re.findall(r'data-provenance="certified">.*?</span>([^<]+)</dd>', dossier)
    assert len(certified) == 2  # surname and first names, from FranceConnect
    assert all(re.fullmatch(r"transmis par FranceConnect, le \d+ \w+ \d{4} \d\d:\d\d UTC", s)
               for s in certified), certified
    assert re.search(r'data-provenance="declared">.*?</span>déclaré par le demandeur, qui a '
                     r"corrigé la donnée de FranceConnect le \d+ \w+ \d{4}", dossier)
    assert 'data-provenance="typed"' in dossier and "déclaré par le demandeur<" in dossier
    token = re.search(r"/-/suivi/([0-9a-f]+)", confirmation)
    assert token
    pdf = c.http.get(f"/-/suivi/{token.group(1)}/accuse-reception.pdf").content
    text = " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "transmis par FranceConnect" in text and "corrigé par vous" in text
    assert "DUBOIS" in text and "angela@example.org" in text
